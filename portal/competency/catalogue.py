"""The competency dictionary seeded into a new portal (Permen PANRB 38/2017, DOMAIN.md §1).

Names and codes of the 8 managerial and the socio-cultural competency are facts. Level descriptors
quoted in DOMAIN.md are used as written; every other descriptor is written from the generic
meaning of the levels (§1.4) and marked "to be confirmed by BKPSDM" (``to_be_confirmed``).
"""

from __future__ import annotations

from portal.competency.fields import TechnicalField as F
from portal.competency.models import CompetencyType

SOURCE_38_2017 = "Permen PANRB 38/2017"

# (code, name, definition, {level: description quoted from DOMAIN.md})
MANAGERIAL = [
    (
        "M.01",
        "Integritas",
        "Konsisten berperilaku selaras dengan nilai, norma dan/atau etika organisasi, serta jujur "
        "dalam hubungan dengan manajemen, rekan kerja, bawahan langsung, dan pemangku kepentingan.",
        {
            1: "Mampu bertindak sesuai nilai, norma, etika organisasi dalam kapasitas pribadi",
            2: "Mampu mengingatkan, mengajak rekan kerja untuk bertindak sesuai nilai, norma, dan "
            "etika organisasi",
            3: "Mampu memastikan, menanamkan keyakinan bersama agar anggota yang dipimpin bertindak "
            "sesuai nilai, norma, dan etika organisasi, dalam lingkup formal",
        },
    ),
    (
        "M.02",
        "Kerja Sama",
        "Kemampuan menjalin, membina, mempertahankan hubungan kerja yang efektif, memiliki "
        "komitmen saling membantu dalam penyelesaian tugas.",
        {},
    ),
    (
        "M.03",
        "Komunikasi",
        "Kemampuan untuk menerangkan pandangan dan gagasan secara jelas, sistematis disertai "
        "argumentasi yang logis dengan cara-cara yang sesuai baik secara lisan maupun tertulis.",
        {},
    ),
    (
        "M.04",
        "Orientasi pada Hasil",
        "Kemampuan mempertahankan komitmen pribadi yang tinggi untuk menyelesaikan tugas, dapat "
        "diandalkan, bertanggung jawab, mampu secara sistematis mengidentifikasi risiko dan "
        "peluang.",
        {},
    ),
    (
        "M.05",
        "Pelayanan Publik",
        "Kemampuan dalam melaksanakan tugas-tugas pemerintahan, pembangunan dan kegiatan "
        "pemenuhan kebutuhan pelayanan publik secara profesional, transparan, mengikuti standar "
        "pelayanan yang objektif, netral, tidak memihak, tidak diskriminatif.",
        {},
    ),
    (
        "M.06",
        "Pengembangan Diri dan Orang Lain",
        "Kemampuan untuk meningkatkan pengetahuan dan menyempurnakan keterampilan diri; "
        "menginspirasi orang lain untuk mengembangkan dan menyempurnakan pengetahuan dan "
        "keterampilan yang relevan dengan pekerjaan.",
        {},
    ),
    (
        "M.07",
        "Mengelola Perubahan",
        "Kemampuan dalam menyesuaikan diri dengan situasi yang baru atau berubah dan tidak "
        "bergantung secara berlebihan pada metode dan proses lama.",
        {},
    ),
    (
        "M.08",
        "Pengambilan Keputusan",
        "Kemampuan membuat keputusan yang baik secara tepat waktu dan dengan keyakinan diri "
        "setelah mempertimbangkan prinsip kehati-hatian.",
        {
            1: "Mengumpulkan informasi untuk bertindak sesuai kewenangan",
            2: "Menganalisis masalah secara mendalam",
            3: "Membandingkan berbagai alternatif, menyeimbangkan risiko keberhasilan dalam "
            "implementasi",
            4: "Menyelesaikan masalah yang mengandung risiko tinggi, mengantisipasi dampak keputusan, "
            "membuat tindakan pengamanan",
        },
    ),
]

SOCIO_CULTURAL = [
    (
        "SK.01",
        "Perekat Bangsa",
        "Kemampuan dalam mempromosikan sikap toleransi, keterbukaan, peka terhadap perbedaan "
        "individu/kelompok masyarakat; mampu menjadi perpanjangan tangan pemerintah dalam "
        "mempersatukan masyarakat dan membangun hubungan sosial psikologis dengan masyarakat di "
        "tengah kemajemukan Indonesia.",
        {1: "Peka memahami dan menerima kemajemukan"},
    ),
]

# The city-wide technical dictionary of the demo, by the OPD that maintains each entry (short
# name → [(code, name)]); all "to be confirmed". Any position may use any of them: the field
# (``FIELDS``) decides which a jabatan's suggested standard takes, not the maintaining OPD.
TECHNICAL = {
    "Diskominfo": [("T.KOM.01", "Keamanan Informasi"), ("T.KOM.02", "Pengembangan Aplikasi")],
    "Bappeda": [
        ("T.BAP.01", "Analisis Data Perencanaan"),
        ("T.BAP.02", "Perencanaan Pembangunan Daerah"),
    ],
    "BKPSDM": [("T.BKP.01", "Manajemen ASN"), ("T.BKP.02", "Pengembangan Kompetensi ASN")],
    "Dinkes": [("T.KES.01", "Surveilans Kesehatan")],
    "Disdikbud": [("T.DIK.01", "Manajemen Satuan Pendidikan")],
    "Disdukcapil": [("T.DUK.01", "Administrasi Kependudukan")],
    "Dishub": [("T.HUB.01", "Manajemen Lalu Lintas")],
    "RSUD Pirngadi": [("T.RS.01", "Pelayanan Kesehatan Rujukan")],
    "Kec. Medan Baru": [("T.KEC.01", "Pelayanan Administrasi Kewilayahan")],
    "Setda": [("T.SET.01", "Kerja Sama Daerah"), ("T.KEB.01", "Analisis Kebijakan Publik")],
}

#: The field (bidang/urusan) of each seeded technical competency, by code prefix.
FIELDS = {
    "T.KOM": F.INFORMATIKA,
    "T.BAP": F.PERENCANAAN,
    "T.BKP": F.KEPEGAWAIAN,
    "T.KES": F.KESEHATAN,
    "T.DIK": F.PENDIDIKAN,
    "T.DUK": F.KEPENDUDUKAN,
    "T.HUB": F.PERHUBUNGAN,
    "T.RS": F.KESEHATAN,
    "T.KEC": F.PEMERINTAHAN,
    "T.SET": F.PEMERINTAHAN,
    "T.KEB": F.KEBIJAKAN,
}


def field_of(code: str) -> F | None:
    """The field of a seeded technical competency (None for another code)."""
    return FIELDS.get(code.rsplit(".", 1)[0])


# Generic meaning of levels 1–5 (DOMAIN.md §1.4), in Indonesian, for descriptors not yet supplied.
_GENERIC_MANAGERIAL = {
    1: "Memahami {name} dan menerapkannya sesuai prosedur untuk dirinya sendiri, sehingga "
    "tugasnya terselesaikan secara efektif.",
    2: "Memahami {name} secara menyeluruh dan menerapkannya secara efektif bagi dirinya "
    "dan timnya.",
    3: "Memahami {name} secara mendalam dan mendorong anggota unit kerjanya untuk menerapkannya.",
    4: "Menjadi teladan dan mengembangkan {name} di tingkat organisasi.",
    5: "Menciptakan dan menggerakkan {name} di tingkat organisasi dan nasional.",
}
_GENERIC_TECHNICAL = {
    1: "Memahami konsep dasar {name} dan menerapkannya dalam tugas sesuai prosedur.",
    2: "Menjalankan konsep dasar {name} secara mandiri dalam tugasnya.",
    3: "Mengidentifikasi potensi pengembangan {name} dengan metode yang sistematis.",
    4: "Mengembangkan konsep dan praktik {name} di unit kerjanya.",
    5: "Diakui sebagai ahli {name} dan menciptakan konsep baru di bidang ini.",
}


def level_descriptors(name: str, ctype: CompetencyType, quoted: dict[int, str]):
    """Five (level, description, confirmed) tuples: quoted text where known, generic otherwise."""
    generic = _GENERIC_TECHNICAL if ctype == CompetencyType.TECHNICAL else _GENERIC_MANAGERIAL
    return [
        (level, quoted.get(level) or generic[level].format(name=name.lower()), level in quoted)
        for level in range(1, 6)
    ]


def entries():
    """Every seeded competency: (type, code, name, definition, descriptors, maintaining OPD's
    short name, field)."""
    for code, name, definition, quoted in MANAGERIAL:
        yield CompetencyType.MANAGERIAL, code, name, definition, quoted, None, None
    for code, name, definition, quoted in SOCIO_CULTURAL:
        yield CompetencyType.SOCIO_CULTURAL, code, name, definition, quoted, None, None
    for agency, items in TECHNICAL.items():
        for code, name in items:
            definition = f"Kemampuan teknis di bidang {name.lower()}."
            yield CompetencyType.TECHNICAL, code, name, definition, {}, agency, field_of(code)
