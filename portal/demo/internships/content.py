"""What the internship demo offers: positions of Medan OPDs in two periods (DOMAIN.md §5, §7,
§10) and the daily work their interns log. Institutions, units and programme names are real in
kind; every person, number and detail is invented.

``start`` is the Monday the internship starts, in weeks from the current week (negative: in the
past); ``weeks`` is its length. ``mentors`` name a demo mentor account, or ``<OPD>:<n>`` for the
n-th generated ASN of that OPD (the demo gives them the mentor role).
"""

from __future__ import annotations

BALAI_KOTA = "Balai Kota Medan, Jl. Kapten Maulana Lubis No. 2, Medan"
ANDI, SRI = "mentor.diskominfo@sinergi.example", "mentor.bappeda@sinergi.example"
IT = "S1 Teknologi Informasi\nS1 Ilmu Komputer\nS1 Sistem Informasi\nD4 Manajemen Informatika"
ADMIN_MAJORS = "S1 Ilmu Administrasi Publik\nS1 Ilmu Administrasi Negara\nS1 Ilmu Pemerintahan"


def _p(  # noqa: PLR0917  (one position per call, read like a table row)
    key,
    period,
    start,
    weeks,
    agency,
    quota,
    title,
    unit,
    mentors,
    *,
    location,
    mode="on_site",
    description,
    tasks,
    majors,
    skills,
    plan,
):
    return {
        "key": key,
        "period": period,
        "start": start,
        "weeks": weeks,
        "agency": agency,
        "quota": quota,
        "title": title,
        "unit": unit,
        "mentors": mentors,
        "location": location,
        "mode": mode,
        "description": description,
        "tasks": tasks,
        "wanted_majors": majors,
        "wanted_skills": skills,
        "work_plan_item": plan,
    }


POSITIONS = [
    # --- the finished period ---------------------------------------------------------------
    _p("F1", "past", -21, 16, "Diskominfo", 3, "Pengembangan Aplikasi Layanan Publik",
       "Bidang Aplikasi Informatika", [ANDI], location=BALAI_KOTA, mode="hybrid",
       description="Membantu tim aplikasi membangun dan memelihara aplikasi layanan publik "
       "Pemko Medan, dari pengumpulan kebutuhan OPD sampai uji coba.",
       tasks="Menyusun kebutuhan fitur bersama OPD pengguna\nMengembangkan modul web (Laravel/"
       "Python)\nMenulis dokumentasi dan panduan pengguna\nMengikuti rapat koordinasi SPBE",
       majors=IT, skills="Pemrograman web\nSQL\nGit", plan="Program Aplikasi Informatika – "
       "Pengelolaan e-Government di Lingkup Pemerintah Daerah Kabupaten/Kota"),
    _p("F2", "past", -21, 14, "Diskominfo", 2, "Analis Aduan Warga Command Center",
       "UPT Command Center", ["Diskominfo:0", ANDI], location=BALAI_KOTA,
       description="Memantau dan memverifikasi aduan warga yang masuk ke kanal pengaduan Pemko "
       "Medan, lalu meneruskannya ke OPD terkait.",
       tasks="Verifikasi tiket aduan\nMeneruskan aduan ke OPD dan memantau tindak lanjut\n"
       "Menyusun rekap mingguan aduan per kecamatan",
       majors=IT + "\nS1 Ilmu Komunikasi", skills="Teliti\nKomunikasi tertulis\nSpreadsheet",
       plan="Program Informasi dan Komunikasi Publik – Pengelolaan Pengaduan Masyarakat"),
    _p("F3", "past", -21, 14, "Bappeda", 2, "Asisten Perencana: Dashboard Realisasi Kegiatan",
       "Bidang Perekonomian dan Sumber Daya Alam", [SRI], location=BALAI_KOTA,
       description="Mendukung perencana menyusun data realisasi kegiatan OPD dan dashboard "
       "triwulanan untuk rapat evaluasi pembangunan.",
       tasks="Mengolah data realisasi anggaran dan kinerja\nMembuat dashboard triwulanan\n"
       "Menyiapkan bahan paparan rapat evaluasi",
       majors="S1 Pendidikan Ekonomi\nS1 Ekonomi Pembangunan\nS1 Statistika\nS1 Matematika",
       skills="Excel tingkat lanjut\nVisualisasi data\nMenulis laporan",
       plan="Program Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah"),
    _p("F4", "past", -20, 12, "Kec. Medan Baru", 2, "Magang Pelayanan Publik Kecamatan",
       "Seksi Pelayanan Umum", ["Kec. Medan Baru:0"], location="Kantor Camat Medan Baru, Medan",
       description="Belajar langsung pelayanan administrasi di kantor kecamatan: surat keterangan, "
       "rekomendasi, dan pendataan warga bersama kelurahan.",
       tasks="Membantu loket pelayanan\nMengarsipkan berkas permohonan\nMenyusun rekap "
       "layanan bulanan", majors=ADMIN_MAJORS, skills="Pelayanan prima\nArsip\nMicrosoft Office",
       plan="Program Penyelenggaraan Pemerintahan dan Pelayanan Publik"),
    # --- the running period, started (closed for applications) --------------------------------
    _p("A1", "now", -5, 20, "Diskominfo", 2, "Pengembangan Aplikasi dan Dashboard Layanan Publik",
       "Bidang Aplikasi Informatika", [ANDI], location=BALAI_KOTA, mode="hybrid",
       description="Magang MBKM satu semester di tim aplikasi: dashboard layanan publik per "
       "kecamatan dan integrasi data antar-OPD sesuai arsitektur SPBE.",
       tasks="Membangun dashboard layanan per kecamatan\nMengintegrasikan API data OPD\n"
       "Mendokumentasikan rapat koordinasi SPBE\nMenjaga kerahasiaan data pribadi warga",
       majors=IT, skills="Python atau PHP\nSQL\nDasar UI/UX\nPemahaman UU PDP",
       plan="Program Aplikasi Informatika – Pengelolaan e-Government di Lingkup Pemerintah "
       "Daerah Kabupaten/Kota"),
    _p("A2", "now", -4, 20, "Bappeda", 2, "Analisis Data Perencanaan Ekonomi Daerah",
       "Bidang Perekonomian dan Sumber Daya Alam", [SRI], location=BALAI_KOTA,
       description="Membantu analisis indikator ekonomi Kota Medan untuk penyusunan RKPD dan "
       "evaluasi capaian RPJMD.",
       tasks="Mengumpulkan data indikator dari BPS dan OPD\nMengolah data dengan spreadsheet/R\n"
       "Menyusun ringkasan analisis untuk perencana",
       majors="S1 Ilmu Komputer\nS1 Statistika\nS1 Ekonomi Pembangunan\nS1 Pendidikan Ekonomi",
       skills="Statistika deskriptif\nExcel/R\nMenulis ringkas",
       plan="Program Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah"),
    _p("A3", "now", -6, 8, "Kec. Medan Baru", 2, "Pelayanan Administrasi di Kantor Camat",
       "Seksi Pelayanan Umum", ["Kec. Medan Baru:0"], location="Kantor Camat Medan Baru, Medan",
       description="Magang mandiri delapan minggu di pelayanan kecamatan, termasuk layanan "
       "administrasi kependudukan bersama petugas Disdukcapil.",
       tasks="Membantu pelayanan administrasi kependudukan\nMemverifikasi kelengkapan berkas\n"
       "Menyusun rekap layanan mingguan", majors=ADMIN_MAJORS,
       skills="Pelayanan prima\nKomunikasi\nMicrosoft Office",
       plan="Program Penyelenggaraan Pemerintahan dan Pelayanan Publik"),
    _p("A4", "now", -3, 20, "BKPSDM", 2, "Pengelolaan Data Pengembangan Kompetensi ASN",
       "Bidang Pengembangan Kompetensi Aparatur", ["BKPSDM:0"], location=BALAI_KOTA,
       description="Merapikan data riwayat pengembangan kompetensi ASN Pemko Medan dan "
       "menyiapkannya untuk SIASN.",
       tasks="Menginput riwayat diklat ke format SIASN\nMemverifikasi sertifikat pelatihan\n"
       "Membuat rekap JP per OPD", majors=IT + "\nS1 Manajemen",
       skills="Spreadsheet\nTeliti\nKerahasiaan data", plan="Program Pengembangan Sumber Daya "
       "Manusia – Pengembangan Kompetensi Teknis"),
    _p("A5", "now", -2, 20, "Dinkes", 2, "Pengolahan Data Surveilans Penyakit",
       "Bidang P2P – Seksi Surveilans dan Imunisasi", ["Dinkes:0"],
       location="Kantor Dinas Kesehatan Kota Medan, Medan",
       description="Membantu seksi surveilans mengolah laporan mingguan puskesmas (PWS) dan "
       "cakupan imunisasi.", tasks="Merekap laporan mingguan puskesmas\nMemeriksa kelengkapan "
       "dan ketepatan laporan\nMembuat grafik tren kasus", majors="S1 Kesehatan Masyarakat\n"
       "S1 Statistika\nS1 Ilmu Komputer", skills="Epidemiologi dasar\nExcel\nTeliti",
       plan="Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat"),
    _p("A6", "now", -4, 20, "Diskominfo", 2, "Pemantauan Kanal Aduan Warga di Command Center",
       "UPT Command Center", ["Diskominfo:0"], location=BALAI_KOTA,
       description="Bertugas bergiliran di Command Center: memantau CCTV dan kanal aduan, "
       "memverifikasi tiket, dan menyusun rekap harian.",
       tasks="Verifikasi tiket aduan warga\nPemantauan CCTV titik rawan banjir\nRekap harian "
       "untuk pimpinan", majors=IT + "\nS1 Ilmu Komunikasi",
       skills="Teliti\nKomunikasi\nBersedia jadwal bergilir",
       plan="Program Informasi dan Komunikasi Publik – Pengelolaan Pengaduan Masyarakat"),
    # --- the running period, open for applications ---------------------------------------------
    _p("B1", "now", 4, 16, "Diskominfo", 3, "Konten Digital dan Media Sosial Pemko Medan",
       "Bidang Informasi dan Komunikasi Publik", ["Diskominfo:1"], location=BALAI_KOTA,
       mode="hybrid", description="Membuat konten informasi publik untuk kanal resmi Pemko "
       "Medan dan memantau percakapan warga di media sosial.",
       tasks="Menulis naskah dan infografis\nMeliput kegiatan Pemko\nMenyusun laporan "
       "pemantauan media sosial", majors="S1 Ilmu Komunikasi\nS1 Pendidikan Bahasa Indonesia\n"
       "S1 Desain Komunikasi Visual", skills="Menulis berita\nDesain grafis\nFotografi",
       plan="Program Informasi dan Komunikasi Publik"),
    _p("B2", "now", 5, 16, "Diskominfo", 2, "Keamanan Informasi dan Statistik Sektoral",
       "Bidang Persandian dan Statistik", [ANDI, "Diskominfo:1"], location=BALAI_KOTA,
       description="Membantu inventarisasi aset informasi, uji kepatuhan UU PDP, dan kompilasi "
       "data statistik sektoral Satu Data Medan.", tasks="Inventarisasi aset dan klasifikasi "
       "informasi\nMemeriksa pemenuhan UU PDP pada aplikasi OPD\nMengompilasi data statistik "
       "sektoral", majors=IT + "\nD4 Teknik Telekomunikasi",
       skills="Dasar keamanan jaringan\nSQL\nTeliti", plan="Program Penyelenggaraan Persandian "
       "untuk Pengamanan Informasi; Program Penyelenggaraan Statistik Sektoral"),
    _p("B3", "now", 4, 16, "Bappeda", 2, "Monitoring dan Evaluasi Capaian RPJMD",
       "Bidang Perencanaan, Pengendalian dan Evaluasi", [SRI], location=BALAI_KOTA,
       description="Mendukung pengendalian dan evaluasi: menghimpun capaian indikator kinerja "
       "OPD dan menyiapkan bahan laporan evaluasi.", tasks="Menghimpun capaian indikator "
       "kinerja\nMemeriksa konsistensi data dengan dokumen perencanaan\nMenyiapkan bahan "
       "rapat evaluasi", majors="S1 Ilmu Administrasi Publik\nS1 Ekonomi Pembangunan\n"
       "S1 Statistika\nS1 Akuntansi", skills="Excel\nMembaca dokumen perencanaan\nMenulis laporan",
       plan="Program Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah"),
    _p("B4", "now", 4, 16, "Dinkes", 2, "Promosi Kesehatan Digital",
       "Bidang Kesehatan Masyarakat – Seksi Promosi Kesehatan", ["Dinkes:1"],
       location="Kantor Dinas Kesehatan Kota Medan, Medan", mode="hybrid",
       description="Merancang materi edukasi kesehatan (DBD, stunting, imunisasi) untuk kanal "
       "digital dan kegiatan puskesmas.", tasks="Menyusun materi edukasi\nMendampingi "
       "penyuluhan di puskesmas\nMengukur jangkauan konten", majors="S1 Kesehatan Masyarakat\n"
       "S1 Ilmu Komunikasi\nS1 Gizi", skills="Komunikasi kesehatan\nDesain sederhana\nPublic "
       "speaking", plan="Program Pemberdayaan Masyarakat Bidang Kesehatan"),
    _p("B5", "now", 6, 14, "Disdukcapil", 4, "Digitalisasi Arsip Dokumen Kependudukan",
       "Bidang Pengelolaan Informasi Administrasi Kependudukan", ["Disdukcapil:0"],
       location="Kantor Disdukcapil Kota Medan, Medan", description="Memindai, mengindeks dan "
       "memverifikasi arsip akta dan dokumen kependudukan lama ke arsip digital.",
       tasks="Memindai dan mengindeks arsip\nMemverifikasi metadata dokumen\nMenjaga "
       "kerahasiaan data kependudukan", majors=IT + "\nS1 Ilmu Perpustakaan",
       skills="Teliti\nPengelolaan arsip\nKerahasiaan data",
       plan="Program Pengelolaan Informasi Administrasi Kependudukan"),
    _p("B6", "now", 4, 16, "Disdukcapil", 3, "Pendamping Layanan Jemput Bola KTP-el",
       "Bidang Pelayanan Pendaftaran Penduduk", ["Disdukcapil:1"],
       location="Kantor Disdukcapil Kota Medan dan kelurahan, Medan",
       description="Mendampingi petugas layanan jemput bola perekaman KTP-el di sekolah, panti "
       "dan kelurahan.", tasks="Menyiapkan data calon pemohon\nMembantu antrean dan verifikasi "
       "berkas\nMenyusun rekap perekaman", majors=ADMIN_MAJORS + "\nS1 Sosiologi",
       skills="Pelayanan prima\nKomunikasi\nBersedia ke lapangan",
       plan="Program Pendaftaran Penduduk"),
    _p("B7", "now", 5, 16, "Dishub", 2, "Analis Data Lalu Lintas ATCS",
       "UPT Area Traffic Control System", ["Dishub:0"],
       location="Kantor Dinas Perhubungan Kota Medan, Medan",
       description="Mengolah data volume lalu lintas dari kamera ATCS untuk evaluasi siklus "
       "lampu persimpangan.", tasks="Merekap volume kendaraan per simpang\nMenganalisis jam "
       "sibuk\nMenyusun usulan penyesuaian siklus", majors=IT + "\nS1 Teknik Sipil\nS1 Statistika",
       skills="Excel/Python\nStatistika dasar\nMembaca peta", plan="Program Penyelenggaraan Lalu "
       "Lintas dan Angkutan Jalan"),
    _p("B8", "now", 4, 16, "RSUD Pirngadi", 2, "Administrasi Rekam Medis Elektronik",
       "Instalasi Rekam Medis", ["RSUD Pirngadi:0"],
       location="RSUD dr. Pirngadi, Jl. Prof. H. M. Yamin No. 47, Medan",
       description="Membantu transisi rekam medis elektronik: verifikasi data pasien, koding "
       "diagnosis, dan pelaporan.", tasks="Memverifikasi kelengkapan rekam medis\nMembantu "
       "koding ICD-10\nMenyusun laporan kunjungan", majors="D3 Rekam Medis dan Informasi "
       "Kesehatan\nS1 Kesehatan Masyarakat\nS1 Psikologi", skills="Terminologi medis\n"
       "Kerahasiaan data\nTeliti", plan="Program Peningkatan Pelayanan BLUD"),
    _p("B9", "now", 4, 12, "Kec. Medan Baru", 2, "Pendataan dan Pemutakhiran Data Kelurahan",
       "Seksi Pemerintahan", ["Kec. Medan Baru:0"], location="Kantor Camat Medan Baru, Medan",
       description="Bersama kepala lingkungan memutakhirkan data penduduk dan sarana di enam "
       "kelurahan Kecamatan Medan Baru.", tasks="Pendataan lapangan bersama kepala lingkungan\n"
       "Memasukkan data ke aplikasi kecamatan\nMembuat peta sebaran sarana",
       majors=ADMIN_MAJORS + "\nS1 Geografi", skills="Survei lapangan\nSpreadsheet\nPeta digital",
       plan="Program Penyelenggaraan Pemerintahan dan Pelayanan Publik"),
    _p("B10", "now", 4, 16, "Disdikbud", 2, "Verifikasi Data Pokok Pendidikan (Dapodik)",
       "Subbagian Perencanaan dan Program", ["Disdikbud:0"],
       location="Kantor Dinas Pendidikan dan Kebudayaan Kota Medan, Medan",
       description="Membantu verifikasi data sekolah, guru dan peserta didik SD/SMP negeri di "
       "Dapodik sebelum batas cut-off.", tasks="Mencocokkan data Dapodik dengan data sekolah\n"
       "Mendampingi operator sekolah\nMenyusun rekap kesalahan data", majors="S1 Pendidikan\n"
       + IT, skills="Spreadsheet\nKomunikasi\nTeliti", plan="Program Pengelolaan Pendidikan"),
    _p("B11", "now", 4, 16, "Setda", 1, "Dokumentasi dan Evaluasi Kerja Sama Daerah",
       "Bagian Kerja Sama", ["Setda:0"], location=BALAI_KOTA,
       description="Menata dokumentasi MoU dan PKS Pemko Medan (termasuk kerja sama dengan "
       "perguruan tinggi dan sister city) dan menyiapkan evaluasinya.",
       tasks="Menginventarisasi naskah kerja sama\nMembuat matriks tindak lanjut\nMenyiapkan "
       "bahan rapat evaluasi", majors="S1 Ilmu Hukum\nS1 Hubungan Internasional\n" + ADMIN_MAJORS,
       skills="Membaca naskah hukum\nBahasa Inggris\nMenulis laporan",
       plan="Program Pemerintahan dan Kesejahteraan Rakyat – Pelaksanaan Kerja Sama Daerah"),
    _p("B12", "now", 5, 16, "BKPSDM", 2, "Analis Kebutuhan Pelatihan ASN",
       "Bidang Pengembangan Kompetensi Aparatur", ["BKPSDM:1"], location=BALAI_KOTA,
       description="Membantu analisis kesenjangan kompetensi ASN untuk rencana pelatihan tahun "
       "depan.", tasks="Mengolah hasil penilaian kompetensi\nMenyusun survei kebutuhan "
       "pelatihan\nMerekap usulan pelatihan per OPD", majors="S1 Psikologi\nS1 Manajemen\n"
       "S1 Ilmu Administrasi Publik\nS1 Akuntansi", skills="Analisis data\nPenyusunan kuesioner",
       plan="Program Pengembangan Sumber Daya Manusia – Pengembangan Kompetensi Teknis"),
]  # fmt: skip

#: The work interns log, per position: (activities, outputs, (low, high) for ``{n}``).
ACTIVITIES = {
    "F1": [
        ("Mengembangkan modul formulir permohonan layanan (validasi dan unggah berkas).",
         "{n} endpoint API selesai dan lolos uji", (2, 5)),
        ("Mendokumentasikan kegiatan rapat koordinasi SPBE dan menyusun notulen.",
         "Notulen rapat ({n} halaman)", (2, 4)),
        ("Memperbaiki bug hasil uji coba pengguna OPD.", "{n} tiket bug ditutup", (3, 9)),
        ("Menulis panduan pengguna aplikasi untuk operator OPD.", "Panduan bab {n}", (1, 6)),
    ],
    "A1": [
        ("Membuat dashboard layanan publik per kecamatan (grafik antrean dan waktu layanan).",
         "{n} grafik dashboard", (2, 5)),
        ("Mendokumentasikan kegiatan rapat koordinasi SPBE dan menyusun notulen.",
         "Notulen rapat ({n} halaman)", (2, 4)),
        ("Mengintegrasikan API data kependudukan agregat dari Disdukcapil ke dashboard.",
         "{n} endpoint terhubung", (1, 3)),
        ("Menganonimkan NIK pada data contoh dashboard sesuai UU PDP.", "{n} ribu baris data "
         "dianonimkan", (5, 20)),
        ("Menyusun dokumentasi teknis dan diagram alur data.", "{n} halaman dokumentasi", (2, 6)),
    ],
    "F2": [
        ("Membantu verifikasi data aduan warga di kanal pengaduan Command Center ({n} tiket).",
         "Tiket terverifikasi dan diteruskan ke OPD", (25, 60)),
        ("Menyusun rekap mingguan aduan per kecamatan.", "Rekap {n} kecamatan", (21, 21)),
        ("Memantau tindak lanjut aduan yang melewati batas waktu.", "{n} aduan diingatkan ke OPD",
         (5, 15)),
    ],
    "A6": [
        ("Membantu verifikasi data aduan warga di kanal pengaduan Command Center ({n} tiket).",
         "Tiket terverifikasi dan diteruskan ke OPD", (25, 60)),
        ("Memantau CCTV titik rawan genangan saat hujan dan melaporkan ke petugas.",
         "{n} laporan kejadian", (2, 8)),
        ("Menyusun rekap harian aduan untuk pimpinan.", "Rekap harian ({n} kategori)", (5, 9)),
        ("Mengikuti briefing pergantian shift dan serah terima catatan.", "Catatan serah terima",
         (1, 1)),
    ],
    "F3": [
        ("Membuat dashboard realisasi kegiatan Bappeda triwulan {n}.", "Dashboard triwulan", (1, 2)),
        ("Mengolah data realisasi anggaran {n} OPD.", "Tabel realisasi", (8, 20)),
        ("Menyiapkan bahan paparan rapat evaluasi pembangunan.", "{n} slide paparan", (8, 15)),
    ],
    "A2": [
        ("Mengumpulkan data indikator ekonomi Kota Medan dari publikasi BPS.",
         "{n} indikator terhimpun", (6, 14)),
        ("Menghitung pertumbuhan PDRB per lapangan usaha.", "Tabel {n} sektor", (9, 17)),
        ("Menyusun ringkasan analisis inflasi untuk perencana.", "Ringkasan {n} halaman", (2, 4)),
        ("Memeriksa konsistensi target RKPD dengan RPJMD.", "{n} indikator diperiksa", (10, 25)),
    ],
    "F4": [
        ("Membantu pelayanan surat keterangan di loket kecamatan.", "{n} berkas dilayani", (8, 20)),
        ("Mengarsipkan berkas permohonan bulan berjalan.", "{n} berkas diarsipkan", (20, 50)),
        ("Menyusun rekap layanan bulanan per kelurahan.", "Rekap {n} kelurahan", (6, 6)),
    ],
    "A3": [
        ("Mengikuti pelayanan administrasi kependudukan di Kantor Camat Medan Baru.",
         "{n} pemohon dibantu", (10, 25)),
        ("Memverifikasi kelengkapan berkas permohonan surat pindah.", "{n} berkas diverifikasi",
         (5, 15)),
        ("Menyusun rekap layanan mingguan kecamatan.", "Rekap minggu ke-{n}", (1, 8)),
    ],
    "A4": [
        ("Menginput data kepegawaian riwayat diklat ke format SIASN untuk {n} ASN.",
         "Data riwayat diklat siap unggah", (20, 35)),
        ("Memverifikasi sertifikat pelatihan yang diunggah ASN.", "{n} sertifikat diverifikasi",
         (15, 40)),
        ("Membuat rekap JP pengembangan kompetensi per OPD.", "Rekap {n} OPD", (5, 12)),
    ],
    "A5": [
        ("Merekap laporan mingguan (PWS) dari {n} puskesmas.", "Tabel rekap mingguan", (20, 41)),
        ("Memeriksa ketepatan waktu laporan puskesmas.", "{n} puskesmas terlambat dicatat",
         (2, 7)),
        ("Membuat grafik tren kasus DBD per kecamatan.", "{n} grafik tren", (3, 6)),
    ],
}  # fmt: skip
