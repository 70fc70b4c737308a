"""The demo's positions by kind of OPD, and the golongan and NIP that fit a position and a person.

- positions (DOMAIN.md §4.3): a dinas or badan is led by its Kepala (JPT Pratama) with a
  Sekretaris, Kepala Bidang (administrators), a Kepala Subbagian (pengawas), JF and pelaksana; a
  Kecamatan by its Camat (administrator) with a Sekretaris Camat and Kasi; an RSUD by its
  Direktur; the Setda by the Sekda with Asisten and Kepala Bagian. A few OPD have their own JF
  (Bappeda's Perencana) or jenjang (the Pranata Komputer Terampil of Dinkes), so the people of
  DOMAIN.md §10 hold the positions it gives them;
- golongan (§4.2): within the range of the position's kind or JF jenjang (no pelaksana at IV,
  no administrator below III/d); PPPK golongan by jenjang (Perpres 98/2020 [B]);
- NIP (§4.1): the 15th digit is 1 for a man, 2 for a woman, from the person's given name.
"""

from __future__ import annotations

import random

from portal.competency.models import PNS_GOLONGAN, AsnStatus, PositionKind
from portal.institutions.models import AgencyKind

K = PositionKind

#: (name, kind, jenjang, how many generated ASN hold it), per kind of OPD. The first is the head
#: (never generated); the second supervises the generated staff of the OPD.
DINAS = [
    ("Kepala", K.JPT_PRATAMA, None, 0),
    ("Sekretaris", K.ADMINISTRATOR, None, 1),
    ("Kepala Bidang", K.ADMINISTRATOR, None, 3),
    ("Kepala Subbagian Umum", K.PENGAWAS, None, 3),
    ("Analis Kebijakan", K.FUNGSIONAL, "Ahli Pertama", 6),
    ("Pranata Komputer", K.FUNGSIONAL, "Ahli Muda", 5),
    ("Pengadministrasi Perkantoran", K.PELAKSANA, None, 12),
]
BY_KIND = {
    AgencyKind.KECAMATAN: [
        ("Camat", K.ADMINISTRATOR, None, 0),
        ("Sekretaris Camat", K.ADMINISTRATOR, None, 1),
        ("Kepala Seksi Pemerintahan", K.PENGAWAS, None, 3),
        ("Kepala Seksi Pelayanan Umum", K.PENGAWAS, None, 3),
        ("Analis Kebijakan", K.FUNGSIONAL, "Ahli Pertama", 6),
        ("Pranata Komputer", K.FUNGSIONAL, "Terampil", 5),
        ("Pengadministrasi Perkantoran", K.PELAKSANA, None, 12),
    ],
    AgencyKind.RSUD: [
        ("Direktur", K.JPT_PRATAMA, None, 0),
        ("Wakil Direktur", K.ADMINISTRATOR, None, 1),
        ("Kepala Bidang", K.ADMINISTRATOR, None, 3),
        ("Kepala Subbagian Umum", K.PENGAWAS, None, 3),
        ("Perawat", K.FUNGSIONAL, "Ahli Pertama", 6),
        ("Pranata Komputer", K.FUNGSIONAL, "Mahir", 5),
        ("Pengadministrasi Perkantoran", K.PELAKSANA, None, 12),
    ],
    AgencyKind.SEKRETARIAT: [
        ("Sekretaris Daerah", K.JPT_PRATAMA, None, 0),
        ("Asisten", K.JPT_PRATAMA, None, 1),
        ("Kepala Bagian", K.ADMINISTRATOR, None, 3),
        ("Kepala Subbagian", K.PENGAWAS, None, 3),
        ("Analis Kebijakan", K.FUNGSIONAL, "Ahli Madya", 6),
        ("Pranata Komputer", K.FUNGSIONAL, "Ahli Muda", 5),
        ("Pengadministrasi Perkantoran", K.PELAKSANA, None, 12),
    ],
}
#: OPD short name → {position name → its replacement}: an OPD's own JF or jenjang.
OWN = {
    "Bappeda": {"Analis Kebijakan": ("Perencana", K.FUNGSIONAL, "Ahli Muda", 6)},
    "Diskominfo": {"Pranata Komputer": ("Pranata Komputer", K.FUNGSIONAL, "Ahli Pertama", 5)},
    "Dinkes": {"Pranata Komputer": ("Pranata Komputer", K.FUNGSIONAL, "Terampil", 5)},
}


def positions_for(agency) -> list[tuple]:
    """The demo positions of an OPD: those of its kind, with the OPD's own replacements."""
    own = OWN.get(agency.short_name, {})
    return [own.get(spec[0], spec) for spec in BY_KIND.get(agency.kind, DINAS)]


def supervisor(agency) -> str:
    """The name of the position that supervises the OPD's generated staff (Sekretaris …)."""
    return positions_for(agency)[1][0]


_RANKS = list(PNS_GOLONGAN)
#: PNS golongan range (first, last) of a kind of position or a JF jenjang (DOMAIN.md §4.2–4.3).
PNS_RANGE = {
    K.JPT_PRATAMA: ("IV/c", "IV/d"),
    K.ADMINISTRATOR: ("III/d", "IV/b"),
    K.PENGAWAS: ("III/b", "III/d"),
    K.PELAKSANA: ("II/a", "III/b"),
    "Ahli Pertama": ("III/a", "III/b"),
    "Ahli Muda": ("III/c", "III/d"),
    "Ahli Madya": ("IV/a", "IV/c"),
    "Ahli Utama": ("IV/d", "IV/e"),
    "Pemula": ("II/a", "II/a"),
    "Terampil": ("II/b", "II/d"),
    "Mahir": ("III/a", "III/b"),
    "Penyelia": ("III/c", "III/d"),
}
#: PPPK golongan of a JF jenjang, and the range of a PPPK pelaksana (Perpres 98/2020 [B]).
PPPK_GOLONGAN = {
    "Ahli Pertama": "IX",
    "Ahli Muda": "XI",
    "Ahli Madya": "XIII",
    "Ahli Utama": "XV",
    "Pemula": "V",
    "Terampil": "VII",
    "Mahir": "VIII",
    "Penyelia": "IX",
    K.PELAKSANA: "V",
}


def pns_range(kind: PositionKind, jenjang: str | None) -> list[str]:
    """The PNS golongan that fit the position."""
    first, last = PNS_RANGE[jenjang if kind == K.FUNGSIONAL and jenjang else kind]
    return _RANKS[_RANKS.index(first) : _RANKS.index(last) + 1]


def golongan(rng: random.Random, kind: PositionKind, jenjang: str | None, *, pppk: bool) -> str:
    """A golongan consistent with the position (and the scheme: PNS or PPPK)."""
    if pppk:
        return PPPK_GOLONGAN[jenjang if kind == K.FUNGSIONAL and jenjang else K.PELAKSANA]
    return rng.choice(pns_range(kind, jenjang))


def may_be_pppk(kind: PositionKind) -> bool:
    """PPPK fill functional and pelaksana posts, not structural ones (UU 20/2023)."""
    return kind in (K.FUNGSIONAL, K.PELAKSANA)


def may_hold(kind: PositionKind, status: AsnStatus) -> bool:
    """Whether an ASN of ``status`` may hold a post of ``kind``: structural posts are PNS;
    part-time PPPK (paruh waktu, KepmenPANRB 16/2025) are operational staff, pelaksana."""
    if status == AsnStatus.PPPK_PARUH_WAKTU:
        return kind == K.PELAKSANA
    return may_be_pppk(kind) if status.is_pppk else True


#: The tier of a post in its OPD's units (any other post is staff).
TIER = {K.ADMINISTRATOR: "bidang", K.JPT_PRATAMA: "bidang", K.PENGAWAS: "seksi"}


def supervisors_by_unit(
    records: list[tuple[int, int, PositionKind]], second: dict[int, int]
) -> dict[int, int]:
    """Each record's direct supervisor, unit by unit within its OPD (``records``: record id,
    OPD id, kind of post; ``second``: OPD id → the record of its second post). The staff (JF,
    pelaksana) under a Kepala Subbagian/Kasi, these under a Kepala Bidang/Bagian, these under
    the second post (Sekretaris, Sekretaris Camat, Wakil Direktur, Asisten), which stands in
    for the head the demo does not generate. Units are filled in turn (round robin), so a
    Kepala Bidang supervises the bidang's own people, not one Sekretaris everyone."""
    tiers: dict[int, dict[str, list[int]]] = {}
    for record_id, agency_id, kind in records:
        if record_id != second.get(agency_id):
            by_tier = tiers.setdefault(agency_id, {"bidang": [], "seksi": [], "staff": []})
            by_tier[TIER.get(kind, "staff")].append(record_id)
    supervisor: dict[int, int] = {}
    for agency_id, by_tier in tiers.items():
        top = second.get(agency_id)
        if top is None:
            continue
        bidang, seksi = by_tier["bidang"], by_tier["seksi"]
        for record_id in bidang:
            supervisor[record_id] = top
        for n, record_id in enumerate(seksi):
            supervisor[record_id] = bidang[n % len(bidang)] if bidang else top
        lowest = seksi or bidang or [top]
        for n, record_id in enumerate(by_tier["staff"]):
            supervisor[record_id] = lowest[n % len(lowest)]
    return supervisor


FEMALE = frozenset(
    {"Citra", "Dewi", "Fitri", "Hana", "Kartika", "Lestari", "Maya", "Rina", "Sari", "Wulan"}
    | {"Yohana", "Siti", "Nurul", "Nur", "Sri", "Putri"}
)


def gender_digit(full_name: str) -> str:
    """The NIP's gender digit for a person: 2 for a woman, 1 for a man (DOMAIN.md §4.1)."""
    first = (full_name or "").replace("Drs. ", "").replace("Dr. ", "").split(" ")[0]
    return "2" if first.strip(",") in FEMALE else "1"
