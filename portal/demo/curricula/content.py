"""What the curricula demo says: eight fictional co-designed curricula for Medan (DOMAIN.md §10),
their modules and materials, review comments, ratings and reported problems.

Institutions and regulations are real; every person and every figure here is invented. Authors
and learners are named by their demo e-mail (``portal.demo.people.accounts``), or ``asn:<n>``
for the n-th generated demo ASN of the competency demo.
"""

from __future__ import annotations

from portal.curricula.models import Audience, CurriculumState, DeliveryMode
from portal.demo.curricula.texts import (
    COACHING_MD,
    DASHBOARD_MD,
    KEAMANAN_MD,
    PDP_MD,
    PELAYANAN_MD,
    PENGADUAN_MD,
    STATISTIK_MD,
)

S = CurriculumState
USU, UNIMED = "dosen.usu@sinergi.example", "dosen.unimed@sinergi.example"
ADMIN, KOMINFO_ADMIN = "admin@sinergi.example", "admin.diskominfo@sinergi.example"
ANDI, SRI = "mentor.diskominfo@sinergi.example", "mentor.bappeda@sinergi.example"
YUSUF, BENNY = "asn.dinkes@sinergi.example", "asn.kecamatan@sinergi.example"
DINDA, GRACE = "mahasiswa.usu@sinergi.example", "mahasiswa.unimed@sinergi.example"
# Local regulations at the city's JDIH; national ones at the national legal database of the
# Ministry of Law (peraturan.go.id, the official source of UU, Perpres and Permen texts).
JDIH = "https://jdih.pemkomedan.go.id/produk-hukum"
NATIONAL = "https://peraturan.go.id/id"

CURRICULA = [
    {
        "key": "analisis-data",
        "training_type": "pelatihan_teknis",  # SIASN jenis diklat (training_types.py)
        "title": "Analisis Data untuk Perencanaan Pembangunan",
        "university": "USU", "agency": "Bappeda", "state": S.PUBLISHED,
        "audience": Audience.ASN, "mode": DeliveryMode.BLENDED,
        "authors": [(USU, "university", True), (SRI, "agency", False)],
        "summary": (
            "Pelatihan teknis bagi perencana dan analis di Bappeda dan OPD: membaca data "
            "statistik pembangunan, menyusun dashboard kinerja, dan menggunakan data untuk "
            "menentukan prioritas program.\n"
            "Dirancang bersama Fasilkom-TI USU dan Bidang Perencanaan Bappeda Kota Medan."
        ),
        "outcomes": [
            "Peserta mampu menghitung dan menafsirkan ukuran statistik deskriptif data pembangunan.",
            "Peserta mampu menyusun dashboard kinerja dari data BPS dan SIPD.",
            "Peserta mampu menggunakan analisis kesenjangan untuk mengusulkan prioritas program.",
        ],
        "targets": [("T.BAP.01", 3), ("M.08", 3)],
        "modules": [
            {"title": "Statistik Deskriptif untuk Perencana", "jp": 6, "method": "ceramah",
             "objectives": "Memahami rata-rata, median dan sebaran.\nMembaca tabel BPS Kota Medan.",
             "materials": [
                 ("text", "Bacaan: Statistik deskriptif untuk perencana", STATISTIK_MD),
                 ("file", "Slide Statistik Deskriptif", ("slide-statistik-deskriptif.pdf", [
                     "Statistik Deskriptif untuk Perencana", "Rata-rata, median, persentil",
                     "Contoh: data Kecamatan Dalam Angka 2025"])),
             ]},
            {"title": "Sumber Data Pembangunan: BPS, SIPD dan Satu Data Medan", "jp": 6,
             "method": "diskusi",
             "objectives": "Mengenal sumber data resmi dan metadata-nya.\nMenilai mutu data.",
             "materials": [
                 ("link", "Perwal tentang Satu Data Kota Medan", f"{JDIH}/perwal-satu-data-medan"),
                 ("text", "Panduan membaca metadata statistik",
                  "## Metadata\n\nSetiap tabel punya **definisi**, **sumber**, **periode** dan "
                  "**satauan**. Catat keempatnya sebelum memakai data."),
             ]},
            {"title": "Visualisasi Data dan Dashboard Kinerja", "jp": 8, "method": "praktik",
             "objectives": "Membuat grafik yang jujur.\nMenyusun dashboard kinerja triwulanan.",
             "materials": [
                 ("text", "Menyusun dashboard kinerja", DASHBOARD_MD),
                 ("file", "Lembar Kerja Dashboard Triwulan", ("lembar-kerja-dashboard.pdf", [
                     "Lembar Kerja: Dashboard Realisasi Kegiatan Triwulan I",
                     "Langkah 1: pilih tiga indikator RPJMD",
                     "Langkah 2: siapkan data realisasi per OPD"])),
             ]},
            {"title": "Analisis Kesenjangan dan Prioritas Program", "jp": 6, "method": "studi_kasus",
             "objectives": "Menghitung kesenjangan target dan realisasi.\nMenyusun skala prioritas.",
             "materials": [
                 ("link", "Permendagri 86/2017 tentang perencanaan pembangunan daerah",
                  f"{NATIONAL}/permendagri-no-86-tahun-2017"),
             ]},
            {"title": "Proyek Aksi: Analisis Data Kecamatan", "jp": 6, "method": "proyek",
             "revision": True,
             "objectives": "Menerapkan seluruh modul pada data satu kecamatan di Medan.",
             "materials": [
                 ("text", "Panduan proyek aksi",
                  "## Proyek aksi\n\nPilih satu kecamatan, rumuskan satu pertanyaan kebijakan, "
                  "dan presentasikan jawabannya dengan data dalam 10 menit."),
             ]},
        ],
        "history_note": "Mohon tambahkan modul praktik dengan data kecamatan agar peserta "
                        "langsung menerapkan analisisnya.",
        "comments": [
            (SRI, 3, "Usul: contoh dashboard memakai data realisasi kegiatan Bappeda triwulan I.",
             [(USU, "Setuju, contoh sudah kami ganti di lembar kerja.")], True),
        ],
    },
    {
        "key": "pelayanan-digital",
        "training_type": "bimtek",  # SIASN jenis diklat (training_types.py)
        "title": "Pelayanan Publik Digital",
        "university": "UNIMED", "agency": "Diskominfo", "state": S.PUBLISHED,
        "audience": Audience.BOTH, "mode": DeliveryMode.E_LEARNING,
        "authors": [(UNIMED, "university", True), (ANDI, "agency", False)],
        "summary": (
            "Kursus daring untuk ASN pelayanan dan mahasiswa magang: standar pelayanan, layanan "
            "digital Pemko Medan dalam kerangka SPBE, pengelolaan pengaduan, dan pelindungan data "
            "pribadi warga."
        ),
        "outcomes": [
            "Peserta mampu menjelaskan komponen standar pelayanan menurut UU 25/2009.",
            "Peserta mampu merancang alur layanan digital yang berpusat pada warga.",
            "Peserta mampu menangani pengaduan daring sampai tuntas.",
            "Peserta menerapkan prinsip pelindungan data pribadi dalam layanan.",
        ],
        "targets": [("M.05", 3), ("T.KOM.02", 2)],
        "modules": [
            {"title": "Prinsip dan Standar Pelayanan Publik", "jp": 4, "method": "e_learning",
             "objectives": "Memahami asas pelayanan publik dan komponen standar pelayanan.",
             "materials": [
                 ("text", "Bacaan: Standar pelayanan", PELAYANAN_MD),
                 ("link", "UU 25/2009 tentang Pelayanan Publik", f"{NATIONAL}/uu-no-25-tahun-2009"),
             ]},
            {"title": "SPBE dan Layanan Digital Pemko Medan", "jp": 6, "method": "e_learning",
             "objectives": "Mengenal arsitektur SPBE dan layanan digital yang sudah berjalan.",
             "materials": [
                 ("file", "Slide SPBE dan Layanan Digital", ("slide-spbe.pdf", [
                     "SPBE dan Layanan Digital Pemko Medan", "Arsitektur SPBE",
                     "Katalog layanan digital"])),
                 ("link", "Perpres 95/2018 tentang SPBE", f"{NATIONAL}/perpres-no-95-tahun-2018"),
             ]},
            {"title": "Merancang Layanan Berpusat pada Warga", "jp": 6, "method": "praktik",
             "objectives": "Memetakan perjalanan warga.\nMenyederhanakan persyaratan layanan.",
             "materials": [
                 ("file", "Lembar Kerja Peta Perjalanan Warga", ("peta-perjalanan-warga.pdf", [
                     "Peta Perjalanan Warga", "Tahap: tahu - datang - antre - dilayani - selesai"])),
             ]},
            {"title": "Pengelolaan Pengaduan Digital", "jp": 4, "method": "studi_kasus",
             "objectives": "Menangani aduan daring dari verifikasi sampai umpan balik.",
             "materials": [("text", "Alur penanganan pengaduan", PENGADUAN_MD)]},
            {"title": "Pelindungan Data Pribadi dalam Layanan", "jp": 4, "method": "e_learning",
             "objectives": "Menerapkan prinsip UU 27/2022 dalam pekerjaan sehari-hari.",
             "materials": [
                 ("text", "Data pribadi dalam layanan publik", PDP_MD),
                 ("link", "UU 27/2022 tentang Pelindungan Data Pribadi", f"{NATIONAL}/uu-no-27-tahun-2022"),
             ]},
        ],
        "comments": [],
    },
    {
        "key": "keamanan-informasi",
        "training_type": "pelatihan_teknis",  # SIASN jenis diklat (training_types.py)
        "title": "Keamanan Informasi dan Kepatuhan UU PDP",
        "university": "USU", "agency": "Diskominfo", "state": S.DRAFT,
        "audience": Audience.ASN, "mode": DeliveryMode.KLASIKAL,
        "authors": [(USU, "university", True), (ANDI, "agency", False)],
        "summary": "Rancangan pelatihan teknis keamanan informasi bagi pranata komputer dan "
                   "pengelola aplikasi OPD.",
        "outcomes": ["Peserta mampu menerapkan kebersihan siber dasar di unit kerjanya."],
        "targets": [("T.KOM.01", 2), ("M.01", 2)],
        "modules": [
            {"title": "Kebersihan Siber Dasar", "jp": 6, "method": "ceramah",
             "objectives": "Mengenali ancaman umum.",
             "materials": [("text", "Catatan kebersihan siber", KEAMANAN_MD)]},
            {"title": "Kepatuhan UU PDP di OPD", "jp": 8, "method": "diskusi",
             "objectives": "Memetakan data pribadi yang dikelola OPD.", "materials": []},
        ],
        "comments": [],
    },
    {
        "key": "spbe-kecamatan",
        "training_type": "pelatihan_manajerial",  # SIASN jenis diklat (training_types.py)
        "title": "Transformasi Digital dan SPBE untuk Kecamatan",
        "university": "UNIMED", "agency": "Diskominfo", "state": S.SUBMITTED,
        "audience": Audience.ASN, "mode": DeliveryMode.BLENDED,
        "authors": [(UNIMED, "university", True)],
        "summary": "Pelatihan manajerial bagi camat, sekretaris camat dan lurah untuk memimpin "
                   "perubahan layanan kewilayahan menuju layanan digital.",
        "outcomes": ["Peserta mampu menyusun rencana aksi digitalisasi layanan kecamatan."],
        "targets": [("M.07", 3), ("M.03", 3)],
        "modules": [
            {"title": "Memimpin Perubahan", "jp": 8, "method": "diskusi",
             "objectives": "Mengelola resistensi terhadap perubahan.", "materials": []},
            {"title": "Workshop Rencana Aksi SPBE Kecamatan", "jp": 12, "method": "praktik",
             "objectives": "Menyusun rencana aksi enam bulan.", "materials": []},
        ],
        "comments": [],
    },
    {
        "key": "perekat-bangsa",
        "training_type": "pelatihan_sosial_kultural",  # SIASN jenis diklat (training_types.py)
        "title": "Pelayanan Publik Inklusif dan Perekat Bangsa",
        "university": "USU", "agency": "BKPSDM", "state": S.IN_REVIEW,
        "audience": Audience.BOTH, "mode": DeliveryMode.KLASIKAL,
        "authors": [(USU, "university", True)],
        "summary": "Pelatihan sosial kultural: melayani warga Medan yang majemuk secara adil "
                   "dan ramah, serta menjaga kerukunan di lingkungan kerja.",
        "outcomes": [
            "Peserta mampu melayani warga dari beragam latar belakang tanpa diskriminasi.",
            "Peserta mampu meredakan konflik kecil di tempat layanan.",
        ],
        "targets": [("SK.01", 3), ("M.05", 3)],
        "modules": [
            {"title": "Kemajemukan Masyarakat Medan", "jp": 4, "method": "ceramah",
             "objectives": "Mengenal keragaman etnis dan agama warga Medan.", "materials": []},
            {"title": "Simulasi Layanan Inklusif", "jp": 8, "method": "simulasi",
             "objectives": "Berlatih melayani warga lansia, difabel dan penutur bahasa daerah.",
             "materials": []},
            {"title": "Kunjungan Lapangan ke Kantor Camat", "jp": 4, "method": "kunjungan",
             "objectives": "Mengamati layanan langsung dan mencatat praktik baik.", "materials": []},
        ],
        "comments": [
            (ADMIN, None, "Mohon cantumkan bagaimana peserta dinilai di akhir pelatihan "
                          "(evaluasi level 1 dan 2).", [], False),
            (ADMIN, 2, "Simulasi 8 JP cukup panjang; apakah bisa dibagi dua sesi?",
             [(USU, "Bisa, kami usulkan dua sesi @4 JP pada hari yang berbeda.")], False),
        ],
    },
    {
        "key": "coaching",
        "training_type": "pelatihan_manajerial",  # SIASN jenis diklat (training_types.py)
        "title": "Coaching dan Mentoring untuk Pejabat Pengawas",
        "university": "UNIMED", "agency": "BKPSDM", "state": S.CHANGES_REQUESTED,
        "audience": Audience.ASN, "mode": DeliveryMode.KLASIKAL,
        "authors": [(UNIMED, "university", True)],
        "summary": "Pelatihan manajerial bagi pejabat pengawas agar mampu membimbing staf "
                   "melalui percakapan coaching yang terstruktur.",
        "outcomes": ["Peserta mampu memimpin percakapan coaching dengan model GROW."],
        "targets": [("M.06", 3)],
        "modules": [
            {"title": "Dasar-dasar Coaching", "jp": 6, "method": "ceramah",
             "objectives": "Membedakan coaching, mentoring dan konseling.",
             "materials": [("text", "Model GROW", COACHING_MD)]},
            {"title": "Praktik Coaching Berpasangan", "jp": 10, "method": "praktik",
             "objectives": "Berlatih coaching dengan umpan balik pengamat.", "materials": []},
        ],
        "history_note": "Tambahkan instrumen penilaian praktik coaching dan rujukan pedoman "
                        "LAN tentang pengembangan kompetensi non-klasikal.",
        "comments": [
            (ADMIN, 2, "Instrumen penilaian praktik belum ada. Mohon dilengkapi.", [], False),
        ],
    },
    {
        "key": "naskah-dinas",
        "training_type": "kursus",  # SIASN jenis diklat (training_types.py)
        "title": "Penulisan Naskah Dinas dan Komunikasi Publik",
        "university": "USU", "agency": "Setda", "state": S.AGENCY_APPROVED,
        "audience": Audience.ASN, "mode": DeliveryMode.KLASIKAL,
        "authors": [(USU, "university", True)],
        "summary": "Kursus menulis naskah dinas yang baku dan siaran pers yang mudah dipahami.",
        "outcomes": ["Peserta mampu menyusun surat dinas dan siaran pers sesuai pedoman."],
        "targets": [("M.03", 2)],
        "modules": [
            {"title": "Tata Naskah Dinas", "jp": 6, "method": "ceramah",
             "objectives": "Menerapkan pedoman tata naskah dinas.", "materials": []},
            {"title": "Menulis Siaran Pers", "jp": 6, "method": "praktik",
             "objectives": "Menulis siaran pers satu halaman.", "materials": []},
        ],
        "comments": [],
    },
    {
        "key": "literasi-digital-2025",
        "training_type": "bimtek",  # SIASN jenis diklat (training_types.py)
        "title": "Literasi Digital untuk Pelayanan Kelurahan (Angkatan 2025)",
        "university": "UNIMED", "agency": "Kec. Medan Baru", "state": S.ARCHIVED,
        "audience": Audience.ASN, "mode": DeliveryMode.BLENDED,
        "authors": [(UNIMED, "university", True), (BENNY, "agency", False)],
        "summary": "Pelatihan angkatan 2025 bagi staf kelurahan; digantikan oleh kursus "
                   "Pelayanan Publik Digital.",
        "outcomes": ["Peserta mampu menggunakan aplikasi layanan administrasi kependudukan."],
        "targets": [("T.KEC.01", 2)],
        "modules": [
            {"title": "Aplikasi Layanan Kelurahan", "jp": 8, "method": "praktik",
             "objectives": "Menggunakan aplikasi layanan sehari-hari.", "materials": []},
            {"title": "Etika Digital", "jp": 4, "method": "diskusi",
             "objectives": "Menjaga etika di media sosial dinas.", "materials": []},
        ],
        "comments": [],
    },
]  # fmt: skip

# --- feedback on the published curricula ---------------------------------------------------------
# (curriculum key, material title) → [(rater, overall, comment or None, show name)].
# Raters are never authors of the curriculum they rate.

RATINGS = {
    ("analisis-data", "Bacaan: Statistik deskriptif untuk perencana"): [
        (YUSUF, 5, "Contoh tabelnya langsung bisa dipakai di kantor.", True),
        (BENNY, 4, None, False),
        (ANDI, 4, "Jelas dan ringkas.", False),
        ("asn:1", 5, None, False),
        ("asn:2", 4, None, False),
    ],
    ("analisis-data", "Slide Statistik Deskriptif"): [
        (YUSUF, 4, None, False),
        ("asn:3", 4, None, False),
        ("asn:4", 3, None, False),
    ],
    ("analisis-data", "Menyusun dashboard kinerja"): [
        (BENNY, 5, "Catatan soal data pribadi sangat penting.", True),
        (YUSUF, 4, None, False),
        ("asn:5", 4, None, False),
        ("asn:6", 5, None, False),
    ],
    ("analisis-data", "Perwal tentang Satu Data Kota Medan"): [(ANDI, 4, None, False)],
    ("pelayanan-digital", "Bacaan: Standar pelayanan"): [
        (YUSUF, 5, "Tugas di akhir bacaan membantu sekali.", True),
        (DINDA, 4, None, False),
        (GRACE, 5, None, True),
        (BENNY, 4, None, False),
    ],
    # The material that needs improvement: six ratings averaging 2.3.
    ("pelayanan-digital", "Slide SPBE dan Layanan Digital"): [
        (YUSUF, 2, "Slide terlalu padat, banyak singkatan tidak dijelaskan.", False),
        (DINDA, 3, None, False),
        (GRACE, 2, "Contoh layanannya sudah tidak berlaku.", True),
        (BENNY, 3, None, False),
        ("asn:7", 2, None, False),
        ("asn:8", 2, None, False),
    ],
    ("pelayanan-digital", "Lembar Kerja Peta Perjalanan Warga"): [
        (DINDA, 5, "Seru dipakai saat magang di kecamatan.", True),
        (GRACE, 4, None, False),
        (SRI, 4, None, False),
    ],
    ("pelayanan-digital", "Alur penanganan pengaduan"): [
        (YUSUF, 4, None, False),
        (SRI, 5, None, False),
    ],
}

# Flags: (curriculum key, material title, reporter, kind, description, outcome, note).
# outcome: "open", "in_progress", "fixed" (a version 2 is uploaded and linked) or "declined".
FLAGS = [
    ("analisis-data", "Panduan membaca metadata statistik", YUSUF, "typo",
     "Tertulis \"satauan\", seharusnya \"satuan\".", "open", None),
    ("pelayanan-digital", "Slide SPBE dan Layanan Digital", GRACE, "unclear",
     "Singkatan SPBE, SIPD dan TTE di slide 4 tidak dijelaskan.", "in_progress", None),
    ("analisis-data", "Perwal tentang Satu Data Kota Medan", YUSUF, "outdated_regulation",
     "Tautan masih ke Perwal lama; sudah ada perubahan tahun 2025.", "fixed",
     "Tautan diganti ke Perwal perubahan 2025 dan judul disesuaikan."),
    ("pelayanan-digital", "Bacaan: Standar pelayanan", DINDA, "unclear",
     "Mohon tambahkan contoh standar pelayanan dari OPD lain.", "declined",
     "Contoh per OPD dibahas di forum diskusi modul; bacaan sengaja dibuat ringkas."),
]  # fmt: skip

CURRICULA_BY_KEY = {spec["key"]: spec for spec in CURRICULA}
