"""The training-type code table: what SIASN calls a development record (BKN "jenis diklat" /
"jenis kursus", DOMAIN.md §2.3 and §2.5), one row per type, in one place.

Each curriculum carries one of these keys (``Curriculum.training_type``, set on the proposal
form); a portal training's SIASN row takes its codes from it. An external record submitted by the
ASN takes them from its ledger form of development (``LedgerEntry.form``, the keys of
``conversion.LEDGER_FORMS``; every one of them is a key here).

Source: the forms of development of Peraturan LAN 10/2018 as listed in DOMAIN.md §2.3, and the
SIASN riwayat kursus / diklat struktural fields of §2.5 (BKN SIASN reference "jenis diklat").
The names (``jenisKursusNama``) and the structural names (``latihanStrukturalNama``: PKN, PKA,
PKP) are those of §2.3/§2.5. The numeric BKN ids (``jenisDiklatId``/``jenisKursusId``) are NOT
in DOMAIN.md: the ids below follow the order of SIASN's reference list as public integrations
use it and are TO BE CONFIRMED WITH BKPSDM against SIASN's reference table before the first
sync (DOMAIN.md §11, item 7). Change them here only: the export and the curriculum form read
this table and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.i18n import _l

#: The type of a curriculum nobody has typed yet, and of an unknown ledger form.
DEFAULT_TYPE = "pelatihan_teknis"


@dataclass(frozen=True)
class TrainingType:
    key: str  # stored on the curriculum; equals the ledger form key where there is one
    diklat_id: str  # jenisDiklatId (BKN reference, to be confirmed)
    name: str  # jenisKursusNama, as SIASN spells it (Indonesian whatever the reader's language)
    label: object  # what the curriculum form shows (lazy, translated)
    structural: str | None = None  # latihanStrukturalNama: set only for leadership training
    certificate: str = "Sertifikat"  # jenisKursusSertifikat: the proof's kind (STTPP or not)
    for_curricula: bool = False  # offered on the curriculum form (a portal course can be one)

    @property
    def kursus_id(self) -> str:
        """jenisKursusId: a structural training is a "riwayat diklat struktural" record in SIASN,
        named by ``latihanStrukturalNama``, so it has no course-type id."""
        return "" if self.structural else self.diklat_id

    @property
    def is_structural(self) -> bool:
        return self.structural is not None


_T = TrainingType

# fmt: off
TYPES: tuple[TrainingType, ...] = (
    # Pelatihan struktural kepemimpinan (DOMAIN §2.3): PKN Tingkat II, PKA, PKP; STTPP as proof.
    _T("pkn_ii", "1", "Pelatihan Kepemimpinan Nasional Tingkat II",
       _l("PKN Tingkat II (leadership training, JPT Pratama)"), "PKN", "STTPP", True),
    _T("pka", "1", "Pelatihan Kepemimpinan Administrator",
       _l("PKA (leadership training, administrators)"), "PKA", "STTPP", True),
    _T("pkp", "1", "Pelatihan Kepemimpinan Pengawas",
       _l("PKP (leadership training, supervisors)"), "PKP", "STTPP", True),
    # An external leadership record whose level the ASN did not give: no structural name.
    _T("pelatihan_kepemimpinan", "1", "Pelatihan Struktural Kepemimpinan",
       _l("Pelatihan struktural kepemimpinan (PKN II, PKA, PKP)"), None, "STTPP"),
    # Pelatihan klasikal.
    _T("pelatihan_fungsional", "2", "Pelatihan Fungsional",
       _l("Pelatihan fungsional (functional training)"), for_curricula=True),
    _T("pelatihan_teknis", "3", "Pelatihan Teknis",
       _l("Pelatihan teknis (technical training)"), for_curricula=True),
    _T("workshop", "4", "Workshop/Lokakarya", _l("Workshop / lokakarya"), for_curricula=True),
    _T("pelatihan_manajerial", "5", "Pelatihan Manajerial",
       _l("Pelatihan manajerial (managerial training)"), for_curricula=True),
    _T("pelatihan_sosial_kultural", "6", "Pelatihan Sosial Kultural",
       _l("Pelatihan sosial kultural (socio-cultural training)"), for_curricula=True),
    _T("sosialisasi", "7", "Sosialisasi", _l("Sosialisasi (socialisation)")),
    _T("bimtek", "8", "Bimbingan Teknis", _l("Bimbingan teknis (Bimtek)"), for_curricula=True),
    _T("seminar", "9", "Seminar/Konferensi/Sarasehan", _l("Seminar / konferensi"),
       for_curricula=True),
    _T("magang", "10", "Magang/Praktik Kerja", _l("Magang / praktik kerja (work placement)")),
    _T("kursus", "11", "Kursus", _l("Kursus (course)"), for_curricula=True),
    _T("penataran", "12", "Penataran", _l("Penataran (upgrading course)"), for_curricula=True),
    # Pelatihan non-klasikal.
    _T("e_learning", "13", "E-Learning", _l("E-learning"), for_curricula=True),
    _T("pelatihan_jarak_jauh", "14", "Pelatihan Jarak Jauh",
       _l("Pelatihan jarak jauh (distance training)"), for_curricula=True),
    _T("coaching", "15", "Coaching", _l("Coaching")),
    _T("mentoring", "16", "Mentoring", _l("Mentoring")),
    _T("detasering", "17", "Detasering", _l("Detasering (secondment)")),
    _T("outbound", "18", "Pembelajaran Alam Terbuka",
       _l("Pembelajaran alam terbuka (outbound)")),
    _T("patok_banding", "19", "Patok Banding", _l("Patok banding (benchmarking)")),
    _T("pertukaran", "20", "Pertukaran PNS dengan Pegawai Swasta/BUMN/BUMD",
       _l("Pertukaran PNS dengan pegawai swasta/BUMN/BUMD (exchange)")),
    _T("belajar_mandiri", "21", "Belajar Mandiri", _l("Belajar mandiri (self-study)")),
    _T("komunitas_belajar", "22", "Komunitas Belajar",
       _l("Komunitas belajar (community of practice)")),
    # Pendidikan (DOMAIN §2.3): recorded in the ledger; SIASN keeps education apart.
    _T("tugas_belajar", "23", "Tugas Belajar", _l("Tugas belajar (study assignment)")),
    _T("izin_belajar", "24", "Izin Belajar", _l("Izin belajar (study permit)")),
)
# fmt: on

BY_KEY: dict[str, TrainingType] = {t.key: t for t in TYPES}

#: The select of the curriculum form: (key, label), the structural ones first.
CURRICULUM_CHOICES = tuple((t.key, t.label) for t in TYPES if t.for_curricula)


def training_type(key: str | None) -> TrainingType:
    """The row of ``key``; an unknown or empty key reads as the default (Pelatihan Teknis), so
    an export never fails on an old value."""
    return BY_KEY.get(key or "", BY_KEY[DEFAULT_TYPE])


def is_curriculum_type(key: str | None) -> bool:
    """True when ``key`` may be set on a curriculum (the form's choices)."""
    return key in BY_KEY and BY_KEY[key].for_curricula
