"""Fields (bidang/urusan) of the city-wide technical competency dictionary, and where a position's
technical standard comes from: its jabatan (and the jabatan's instansi pembina), not its OPD.

Technical competencies are tagged by the government affair (urusan pemerintahan, UU 23/2014) or
professional field they describe; any position may use any of them (DOMAIN.md §1.5, §1.7). A
functional position is a profession whose instansi pembina sets its competencies (a Pranata
Komputer is an informatics profession wherever it sits); a structural position leads its OPD's
urusan, so its field defaults to the OPD's.
"""

from __future__ import annotations

from portal.db import TitledEnum
from portal.i18n import _l


class TechnicalField(TitledEnum):
    INFORMATIKA = "informatika", _l("Informatika (informatics)")
    KESEHATAN = "kesehatan", _l("Kesehatan (health)")
    PENDIDIKAN = "pendidikan", _l("Pendidikan (education)")
    KEUANGAN = "keuangan", _l("Keuangan (finance)")
    PERENCANAAN = "perencanaan", _l("Perencanaan (development planning)")
    KEPEGAWAIAN = "kepegawaian", _l("Kepegawaian (civil service management)")
    KEBIJAKAN = "kebijakan", _l("Kebijakan publik (public policy)")
    PEMERINTAHAN = "pemerintahan", _l("Pemerintahan umum (general administration)")
    KEPENDUDUKAN = "kependudukan", _l("Kependudukan (civil registration)")
    PERHUBUNGAN = "perhubungan", _l("Perhubungan (transport)")
    SOSIAL = "sosial", _l("Sosial (social affairs)")
    PEKERJAAN_UMUM = "pekerjaan_umum", _l("Pekerjaan umum dan penataan ruang (public works)")
    LINGKUNGAN = "lingkungan_hidup", _l("Lingkungan hidup (environment)")
    EKONOMI = "ekonomi", _l("Perekonomian (trade, cooperatives, investment)")
    PERTANIAN = "pertanian", _l("Pangan dan pertanian (food and agriculture)")
    TENAGA_KERJA = "tenaga_kerja", _l("Tenaga kerja (manpower)")
    PENGAWASAN = "pengawasan", _l("Pengawasan (internal audit)")
    KETERTIBAN = "ketertiban", _l("Ketertiban umum (public order)")
    KEARSIPAN = "kearsipan", _l("Perpustakaan dan kearsipan (libraries and archives)")
    LAINNYA = "lainnya", _l("Other")


F = TechnicalField

#: Words in an OPD's name → the urusan it serves (first match wins; lower case).
AGENCY_WORDS: list[tuple[str, TechnicalField]] = [
    ("informatika", F.INFORMATIKA),
    ("kominfo", F.INFORMATIKA),
    ("dinkes", F.KESEHATAN),
    ("bappeda", F.PERENCANAAN),
    ("bkpsdm", F.KEPEGAWAIAN),
    ("disdik", F.PENDIDIKAN),
    ("dukcapil", F.KEPENDUDUKAN),
    ("dishub", F.PERHUBUNGAN),
    ("kec.", F.PEMERINTAHAN),
    ("setda", F.PEMERINTAHAN),
    ("kesehatan", F.KESEHATAN),
    ("rsud", F.KESEHATAN),
    ("rumah sakit", F.KESEHATAN),
    ("pendidikan", F.PENDIDIKAN),
    ("perencanaan", F.PERENCANAAN),
    ("kepegawaian", F.KEPEGAWAIAN),
    ("kependudukan", F.KEPENDUDUKAN),
    ("perhubungan", F.PERHUBUNGAN),
    ("pendapatan", F.KEUANGAN),
    ("keuangan", F.KEUANGAN),
    ("aset", F.KEUANGAN),
    ("sosial", F.SOSIAL),
    ("pekerjaan umum", F.PEKERJAAN_UMUM),
    ("perumahan", F.PEKERJAAN_UMUM),
    ("lingkungan hidup", F.LINGKUNGAN),
    ("perdagangan", F.EKONOMI),
    ("koperasi", F.EKONOMI),
    ("penanaman modal", F.EKONOMI),
    ("pangan", F.PERTANIAN),
    ("pertanian", F.PERTANIAN),
    ("tenaga kerja", F.TENAGA_KERJA),
    ("inspektorat", F.PENGAWASAN),
    ("polisi pamong", F.KETERTIBAN),
    ("pemadam", F.KETERTIBAN),
    ("kearsipan", F.KEARSIPAN),
    ("perpustakaan", F.KEARSIPAN),
    ("kecamatan", F.PEMERINTAHAN),
    ("sekretariat", F.PEMERINTAHAN),
]


def agency_field(name: str | None, short_name: str | None = None) -> TechnicalField | None:
    """The urusan an OPD serves, read from its name (None when no word matches)."""
    text = f"{name or ''} {short_name or ''}".lower()
    return next((field for word, field in AGENCY_WORDS if word in text), None)


#: Known jabatan fungsional (lower-case name) → (field, instansi pembina). Each JF's regulation
#: names its pembina: Pranata Komputer — BPS (Permen PANRB 32/2020); Analis Kebijakan — LAN
#: (Permen PANRB 45/2013); Perencana — Bappenas (Permen PANRB 4/2020); Analis SDM Aparatur —
#: BKN (Permen PANRB 52/2020); Arsiparis — ANRI (Permen PANRB 48/2014); Epidemiolog Kesehatan and
#: Perawat — Kemenkes; Pranata Keuangan APBN / Analis Keuangan Pusat dan Daerah — Kemenkeu.
JABATAN: dict[str, tuple[TechnicalField, str]] = {
    "pranata komputer": (F.INFORMATIKA, "Badan Pusat Statistik (BPS)"),
    "analis kebijakan": (F.KEBIJAKAN, "Lembaga Administrasi Negara (LAN)"),
    "perencana": (F.PERENCANAAN, "Kementerian PPN/Bappenas"),
    "analis sumber daya manusia aparatur": (F.KEPEGAWAIAN, "Badan Kepegawaian Negara (BKN)"),
    "arsiparis": (F.KEARSIPAN, "Arsip Nasional Republik Indonesia (ANRI)"),
    "epidemiolog kesehatan": (F.KESEHATAN, "Kementerian Kesehatan"),
    "perawat": (F.KESEHATAN, "Kementerian Kesehatan"),
    "analis keuangan pusat dan daerah": (F.KEUANGAN, "Kementerian Keuangan"),
    "auditor": (F.PENGAWASAN, "Badan Pengawasan Keuangan dan Pembangunan (BPKP)"),
}


def jabatan(name: str | None) -> tuple[TechnicalField, str] | None:
    """The field and instansi pembina of a known jabatan fungsional (None when unknown)."""
    return JABATAN.get((name or "").strip().lower())
