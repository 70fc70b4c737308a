"""Who takes part in the internship demo and what happens to them (DOMAIN.md §10): students of
the six demo universities, their lecturers (DPL), applications with the steps they went
through, and what the placements hold. Every person here is fictional; NIMs are synthetic.

An application's ``path`` lists the workflow steps after applying (``workflow.TRANSITIONS``;
``auto_withdraw`` is the withdrawal caused by accepting another offer). The demo accounts keep
their own names; the others are generated as ``mahasiswa<nn>@demo.sinergi.example``.
"""

from __future__ import annotations

DINDA, GRACE = "mahasiswa.usu@sinergi.example", "mahasiswa.unimed@sinergi.example"

#: key -> (name, university, study programme, demo e-mail or None)
STUDENTS = {
    "dinda": (None, "USU", None, DINDA),
    "grace": (None, "UNIMED", None, GRACE),
    "fadli": ("Muhammad Fadli Nasution", "USU", "S1 Ilmu Komputer", None),
    "anggi": ("Anggi Pratiwi Lubis", "USU", "S1 Kesehatan Masyarakat", None),
    "jonathan": ("Jonathan Situmorang", "USU", "S1 Teknologi Informasi", None),
    "nadia": ("Nadia Safitri Harahap", "USU", "S1 Ilmu Administrasi Negara", None),
    "yosua": ("Yosua Tarigan", "USU", "S1 Matematika", None),
    "putri": ("Putri Ayu Ningsih", "UNIMED", "S1 Ilmu Komputer", None),
    "fajar": ("Fajar Ramadhan Pane", "UNIMED", "S1 Geografi", None),
    "debora": ("Debora Manurung", "UNIMED", "S1 Pendidikan Bahasa Indonesia", None),
    "ilham": ("Ilham Syahputra", "UNIMED", "S1 Ilmu Komputer", None),
    "siti": ("Siti Khadijah Daulay", "UINSU", "S1 Sistem Informasi", None),
    "rizki": ("Muhammad Rizki Hasibuan", "UINSU", "S1 Ilmu Komunikasi", None),
    "aisyah": ("Aisyah Putri Rangkuti", "UINSU", "S1 Kesehatan Masyarakat", None),
    "habib": ("Habib Maulana Lubis", "UINSU", "S1 Ilmu Komputer", None),
    "dimas": ("Dimas Pratama Sitompul", "UMSU", "S1 Ilmu Administrasi Publik", None),
    "nurul": ("Nurul Fadhilah Batubara", "UMSU", "S1 Ilmu Komunikasi", None),
    "arif": ("Arif Munandar Siregar", "UMSU", "S1 Akuntansi", None),
    "salsabila": ("Salsabila Harahap", "UMSU", "S1 Ilmu Administrasi Publik", None),
    "hendra": ("Hendra Wijaya", "POLMED", "D4 Manajemen Informatika", None),
    "rina": ("Rina Marpaung", "POLMED", "D3 Teknik Informatika", None),
    "bima": ("Bima Sakti Purba", "POLMED", "D4 Teknik Telekomunikasi", None),
    "yohana": ("Yohana Simanjuntak", "POLMED", "D4 Manajemen Informatika", None),
    "taufik": ("Taufik Hidayat Damanik", "UMA", "S1 Teknik Informatika", None),
    "cindy": ("Cindy Claudia Sinaga", "UMA", "S1 Psikologi", None),
    "reza": ("Reza Mahendra Saragih", "UMA", "S1 Ilmu Pemerintahan", None),
}

#: The start of the synthetic NIMs per university (a serial 9xx follows).
NIM_PREFIX = {
    "USU": "221402",
    "UNIMED": "4223351",
    "UINSU": "0702222",
    "UMSU": "2203090",
    "POLMED": "2205102",
    "UMA": "228160",
}

#: The lecturer who supervises (DPL) and endorses for each university: a demo account, or a
#: generated one (``dosen.<short>@demo.sinergi.example``).
DPLS = {
    "USU": "dosen.usu@sinergi.example",
    "UNIMED": "dosen.unimed@sinergi.example",
    "UINSU": "Dr. Nurhasanah Rambe, M.Kom.",
    "UMSU": "Aditya Mahardika, S.Sos., M.S.P.",
    "POLMED": "Ir. Robert Simanjuntak, M.T.",
    "UMA": "Dr. Lina Sari Hasibuan, M.Psi.",
}

ACCEPT = "endorse shortlist offer accept"
#: (student, position, path, the reason or note of the last step)
APPLICATIONS = [
    # the finished period
    ("jonathan", "F1", ACCEPT, None),
    ("yohana", "F1", "endorse offer accept", None),
    ("ilham", "F3", "endorse offer decline_offer", "Saya memilih magang di Command Center."),
    ("ilham", "F2", ACCEPT, None),
    ("rina", "F2", ACCEPT, None),
    ("grace", "F1", "endorse auto_withdraw", None),
    ("grace", "F3", ACCEPT, None),
    ("salsabila", "F4", "endorse offer accept", None),
    (
        "dinda",
        "F2",
        "endorse shortlist reject",
        "Terima kasih atas lamaran Anda. Kuota Command "
        "Center sudah terisi oleh pelamar yang bisa mengikuti jadwal piket malam.",
    ),
    (
        "fadli",
        "F1",
        "decline",
        "Masih ada mata kuliah wajib di semester ini; silakan mendaftar pada periode berikutnya.",
    ),
    ("nadia", "F4", "endorse shortlist offer expire", None),
    # the running period, internships that started
    ("dinda", "A6", "endorse shortlist auto_withdraw", None),
    ("dinda", "A1", ACCEPT, None),
    ("taufik", "A1", ACCEPT, None),
    (
        "fadli",
        "A1",
        "endorse shortlist reject",
        "Kami memilih pelamar yang sudah berpengalaman "
        "membangun dashboard. Silakan melamar posisi Diskominfo berikutnya.",
    ),
    ("putri", "A6", "endorse offer decline_offer", "Saya menerima tawaran di Bappeda."),
    ("putri", "A2", ACCEPT, None),
    ("dimas", "A3", "endorse offer accept", None),
    ("habib", "A4", "withdraw", "Jadwal kuliah lapangan saya bentrok."),
    ("siti", "A4", ACCEPT, None),
    ("aisyah", "A5", "endorse shortlist offer expire", None),
    ("anggi", "A5", "endorse offer accept", None),
    ("hendra", "A6", ACCEPT, None),
    ("nurul", "A6", "endorse shortlist waitlist offer accept", None),
    # the running period, open for applications
    ("fadli", "B1", "endorse", None),
    ("fadli", "B2", "", None),
    ("nadia", "B6", "endorse shortlist waitlist", None),
    ("nadia", "B9", "", None),
    ("yosua", "B3", "endorse shortlist", None),
    ("yosua", "B7", "", None),
    ("debora", "B11", "decline", "Syarat minimal 100 SKS belum terpenuhi (saat ini 92 SKS)."),
    ("debora", "B1", "", None),
    (
        "fajar",
        "B7",
        "endorse shortlist reject",
        "Posisi ini membutuhkan latar belakang "
        "informatika atau teknik sipil untuk mengolah data ATCS.",
    ),
    ("fajar", "B9", "", None),
    ("arif", "B3", "decline", "Jadwal magang bentrok dengan KKN yang wajib diikuti semester ini."),
    ("arif", "B12", "", None),
    ("aisyah", "B8", "endorse offer decline_offer", "Saya lebih memilih posisi promosi kesehatan."),
    ("aisyah", "B4", "endorse", None),
    (
        "cindy",
        "B8",
        "endorse reject",
        "Kuota rekam medis diutamakan bagi mahasiswa D3 Rekam Medis dan Informasi Kesehatan.",
    ),
    ("cindy", "B12", "endorse", None),
    ("bima", "B2", "endorse", None),
    ("bima", "B7", "endorse shortlist offer", None),
    ("rizki", "B11", "endorse shortlist offer expire", None),
    ("rizki", "B1", "endorse shortlist", None),
    ("habib", "B8", "endorse withdraw", "Saya ingin fokus pada posisi arsip digital."),
    ("habib", "B5", "endorse shortlist", None),
    ("reza", "B10", "withdraw", None),
    ("reza", "B9", "endorse shortlist waitlist", None),
    ("rina", "B5", "endorse shortlist offer", None),
]

#: Notes of the steps that have no reason of their own in ``APPLICATIONS``.
STEP_NOTES = {
    "shortlist": "Lolos seleksi berkas; wawancara singkat akan dijadwalkan.",
    "waitlist": "Kuota sudah terisi; Anda kami masukkan ke daftar tunggu.",
    "offer": "Selamat, Anda kami terima. Mohon konfirmasi melalui portal.",
}

#: What each placement holds. ``sks``: planned by the university; ``mentor``: when not the
#: position's first; ``returned``/``draft``: the logbook's current state shows one;
#: ``logged``/``disputed``: a guidance session waiting for the student / disputed;
#: ``report``: the final report's story; ``scores``: (mentor's level, academic score,
#: placement rating, mentor rating); ``ended``: why a placement was ended early.
PLACEMENTS = {
    "dinda": {"sks": 20, "returned": True, "draft": True, "logged": True},
    "taufik": {"sks": 10, "disputed": True},
    "putri": {"sks": 20, "returned": True},
    "dimas": {"sks": 4, "report": "submitted", "logged": True},
    "siti": {"sks": 20, "draft": True},
    "anggi": {"sks": 10},
    "hendra": {"sks": 20, "returned": True},
    "nurul": {"sks": 6, "draft": True},
    "jonathan": {"sks": 10, "report": "returned once", "scores": (88, 86, 5, 5)},
    "yohana": {"sks": 10, "scores": (84, 82, 4, 5)},
    "ilham": {
        "sks": 10,
        "mentor": "mentor.diskominfo@sinergi.example",
        "scores": (80, 78, 4, 4),
        "disputed": True,
    },
    "grace": {"sks": 10, "report": "returned once", "scores": (90, 88, 5, 5)},
    "salsabila": {"sks": 6, "scores": (78, 80, 4, 3)},
    "rina": {
        "sks": 10,
        "ended": "Mahasiswa mengundurkan diri karena alasan kesehatan (surat "
        "keterangan dokter diserahkan ke program studi).",
    },
}

FEEDBACK = [
    "Mentor sangat terbuka dan tugasnya nyata dipakai OPD. Saya belajar banyak soal data warga.",
    "Lingkungan kerja ramah; kadang tugas datang mendadak tetapi selalu dijelaskan.",
    "Pengalaman yang bagus. Semoga perangkat komputer untuk mahasiswa magang ditambah.",
    "Bimbingan rutin dua minggu sekali sangat membantu laporan akhir saya.",
]
MENTOR_COMMENTS = [
    "Disiplin, cepat belajar, dan hasil kerjanya langsung dipakai bidang kami.",
    "Kerja sama tim baik; perlu lebih berani menyampaikan pendapat dalam rapat.",
    "Tanggung jawab tinggi. Dokumentasi kerjanya rapi dan lengkap.",
]
ACADEMIC_COMMENT = "Laporan akhir runtut; capaian magang sesuai CPL program studi."

RETURN_COMMENTS = [
    "Tuliskan jumlah berkas atau tiket yang selesai, bukan hanya kegiatannya.",
    "Jam kerja tidak sesuai daftar hadir; mohon dicek lagi.",
    "Lampirkan notulen rapat yang disebut di kegiatan.",
    "Uraikan keluarannya: dokumen atau data apa yang dihasilkan hari itu?",
]
APPROVE_COMMENTS = ["Bagus, lanjutkan.", "Sudah sesuai.", "Rapi, terima kasih."]

#: Guidance sessions in order: (topics, competencies, shared notes, private notes, actions).
SESSIONS = [
    (
        "Orientasi: tugas, tata tertib kantor, dan Rencana Kerja Mahasiswa",
        "Integritas, Kerja Sama",
        "Rencana kerja empat minggu pertama disepakati.",
        "Perlu dibiasakan hadir sebelum apel pagi.",
        ["Menyusun Rencana Kerja Mahasiswa (RKM)"],
    ),
    (
        "Review rancangan dashboard & etika pengelolaan data pribadi warga",
        "Integritas, Komunikasi, Pengembangan Aplikasi",
        "Dashboard hanya menampilkan data agregat; NIK tidak boleh tampil.",
        "Pemahaman UU PDP sudah baik; teknik visualisasi masih perlu diasah.",
        ["Revisi filter per kecamatan", "Anonimisasi NIK pada data contoh"],
    ),
    (
        "Evaluasi tengah magang: capaian logbook dan kendala",
        "Orientasi pada Hasil, Pengembangan Diri",
        "Capaian jam kerja sesuai rencana.",
        "Cenderung menunda pekerjaan dokumentasi.",
        ["Melengkapi logbook minggu lalu"],
    ),
    (
        "Menyusun kerangka laporan akhir dan presentasi hasil magang",
        "Komunikasi, Orientasi pada Hasil",
        "Kerangka laporan mengikuti pedoman prodi.",
        "",
        ["Mengirim draf bab 1–2 laporan akhir", "Menyiapkan slide presentasi"],
    ),
    (
        "Umpan balik presentasi hasil magang kepada bidang",
        "Komunikasi, Perekat Bangsa",
        "Presentasi diterima baik; usulan perbaikan dicatat bidang.",
        "",
        [],
    ),
]
DISPUTE_COMMENT = "Sesi ini berlangsung sekitar 30 menit, bukan 90 menit; mohon diperbaiki."
REPORT_RETURN = "Bab hasil belum memuat data capaian; tambahkan tabel dan lampiran logbook."

#: UNIMED's own rubric (DOMAIN.md §5.3, the second form) with a 70/30 split.
UNIMED_RUBRIC = (
    70,
    [
        ("Unjuk kerja", 25),
        ("Sikap dan tanggung jawab", 20),
        ("Kerja sama tim", 15),
        ("Kedisiplinan", 15),
        ("Komunikasi", 10),
        ("Pengetahuan dan kemampuan teknis", 15),
    ],
)

#: Why a student applies (the middle of each motivation letter).
MOTIVES = [
    "Tugas di posisi ini sesuai dengan mata kuliah yang sudah saya ambil, dan saya ingin melihat "
    "bagaimana ilmu tersebut dipakai untuk pelayanan warga Kota Medan.",
    "Saya pernah menjadi panitia kegiatan kampus yang mengolah data peserta, dan ingin "
    "mengembangkan kemampuan itu di lingkungan pemerintahan.",
    "Saya ingin memahami kerja OPD dari dekat untuk bahan tugas akhir saya tentang pelayanan "
    "publik di Medan.",
]
REPORT_NOTE = "Perbaikan bab hasil sesuai catatan mentor."

MONTHS = (
    "",
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
#: Jobs whose generated ASN may be named mentors (the competency demo's positions).
MENTOR_JOBS = ("Kepala Bidang", "Pranata Komputer", "Analis Kebijakan")
#: Days between one application step and the one before it: (fewest, most).
GAPS = {
    "endorse": (1, 4),
    "decline": (1, 4),
    "shortlist": (2, 6),
    "waitlist": (1, 4),
    "offer": (2, 5),
    "reject": (2, 7),
    "accept": (1, 5),
    "decline_offer": (1, 5),
    "withdraw": (1, 5),
    "auto_withdraw": (2, 8),
}
#: What the student is told after each step.
STUDENT_NOTICES = {
    "endorse": "internships.endorsed",
    "decline": "internships.declined",
    "shortlist": "internships.shortlisted",
    "waitlist": "internships.waitlisted",
    "offer": "internships.offered",
    "reject": "internships.rejected",
    "expire": "internships.offer_expired",
}
