"""What the trainings demo's evaluation says: test questions per competency, L1 comments, the
follow-up actions (RTL), L3 comments and the ratings given in turn (fictional, in Indonesian)."""

from __future__ import annotations

from portal.trainings.evaluation.models import PlanStatus, Respondent

# Questions per target competency (code): (question, choices, index of the correct choice).
QUESTIONS = {
    "T.BAP.01": [
        (
            "Ukuran pemusatan yang paling tepat untuk data pendapatan rumah tangga yang sangat "
            "menceng adalah …",
            ["Rata-rata hitung", "Median", "Modus", "Simpangan baku"],
            1,
        ),
        (
            "Sumber data resmi untuk indikator makro pembangunan Kota Medan adalah …",
            [
                "Unggahan media sosial",
                "Perkiraan pejabat",
                "Badan Pusat Statistik (BPS)",
                "Survei internal tanpa metodologi",
            ],
            2,
        ),
        (
            "Dalam dashboard kinerja, indikator yang membandingkan realisasi dengan target disebut …",
            ["Persentase capaian kinerja", "Jumlah kegiatan", "Pagu anggaran", "Jumlah pegawai"],
            0,
        ),
    ],
    "M.08": [
        (
            "Langkah pertama dalam pengambilan keputusan yang sistematis adalah …",
            [
                "Memilih alternatif yang paling cepat",
                "Mengidentifikasi dan merumuskan masalah",
                "Menunggu arahan pimpinan",
                "Mengumumkan keputusan",
            ],
            1,
        ),
        (
            "Analisis kesenjangan (gap analysis) membantu perencana untuk …",
            [
                "Menghitung tunjangan pegawai",
                "Menyusun daftar hadir rapat",
                "Mengganti indikator kinerja setiap bulan",
                "Membandingkan kondisi saat ini dengan kondisi yang diharapkan",
            ],
            3,
        ),
        (
            "Keputusan berbasis bukti terutama bertumpu pada …",
            [
                "Data dan analisis yang dapat diverifikasi",
                "Kebiasaan tahun lalu",
                "Suara terbanyak dalam rapat",
                "Intuisi semata",
            ],
            0,
        ),
    ],
    "M.05": [
        (
            "Undang-undang yang mengatur pelayanan publik adalah …",
            [
                "UU Nomor 5 Tahun 2014",
                "UU Nomor 25 Tahun 2009",
                "UU Nomor 23 Tahun 2014",
                "UU Nomor 20 Tahun 2023",
            ],
            1,
        ),
        (
            "Komponen standar pelayanan yang wajib diumumkan kepada masyarakat antara lain …",
            [
                "Daftar gaji petugas",
                "Nomor pribadi kepala dinas",
                "Persyaratan, prosedur, waktu, dan biaya layanan",
                "Rencana cuti pegawai",
            ],
            2,
        ),
        (
            "Pengaduan yang masuk melalui SP4N-LAPOR! sebaiknya …",
            [
                "Ditindaklanjuti dan dijawab dalam batas waktu yang ditetapkan",
                "Dihapus bila bernada keras",
                "Dibiarkan sampai pelapor menghubungi lagi",
                "Diteruskan ke media sosial",
            ],
            0,
        ),
    ],
    "T.KOM.02": [
        (
            "Desain layanan digital yang berpusat pada warga dimulai dengan …",
            [
                "Memilih bahasa pemrograman",
                "Membeli server baru",
                "Memahami kebutuhan dan perjalanan pengguna",
                "Membuat logo aplikasi",
            ],
            2,
        ),
        (
            "Data pribadi warga dalam aplikasi layanan harus …",
            [
                "Dibagikan ke semua OPD tanpa batas",
                "Dikumpulkan seperlunya dan dilindungi sesuai UU Pelindungan Data Pribadi",
                "Disimpan dalam spreadsheet terbuka",
                "Dicetak dan ditempel di papan pengumuman",
            ],
            1,
        ),
        (
            "Uji kegunaan (usability testing) dilakukan dengan …",
            [
                "Menghitung baris kode",
                "Mengukur kecepatan internet kantor",
                "Meminta pendapat pengembang saja",
                "Mengamati pengguna nyata mencoba aplikasi",
            ],
            3,
        ),
    ],
}
GENERIC = (
    "Manakah yang paling tepat menggambarkan penerapan kompetensi {name} di tempat kerja?",
    [
        "Dipakai hanya saat ada pemeriksaan",
        "Diterapkan dalam tugas sehari-hari dan dievaluasi hasilnya",
        "Diserahkan sepenuhnya kepada rekan kerja",
        "Tidak perlu diterapkan setelah pelatihan",
    ],
    1,
)

L1_COMMENTS = [
    "Materi sangat relevan dengan pekerjaan di bidang kami.",
    "Waktu praktik perlu ditambah; studi kasusnya bagus.",
    "Fasilitator memberi contoh kasus Kota Medan, sangat membantu.",
    "Ruangan agak panas; pendingin udara perlu diperiksa.",
    "Mohon bahan tayang dibagikan sebelum pelatihan dimulai.",
]
RTL = [  # per curriculum (by order); the last list serves any further curriculum
    [
        "Menyusun dashboard capaian indikator kinerja bidang dari data BPS dan SIPD",
        "Menerapkan analisis kesenjangan pada usulan prioritas program tahun depan",
        "Berbagi materi statistik deskriptif kepada rekan satu bidang",
    ],
    [
        "Memperbarui standar pelayanan di laman OPD",
        "Menindaklanjuti pengaduan SP4N-LAPOR! paling lambat lima hari kerja",
        "Menyusun alur layanan daring untuk satu jenis layanan",
    ],
]
PLAN_STATUSES = {
    "past": [PlanStatus.DONE, PlanStatus.IN_PROGRESS, PlanStatus.DROPPED, PlanStatus.DONE],
    "recent": [PlanStatus.IN_PROGRESS, PlanStatus.PLANNED, PlanStatus.PLANNED],
}
L3_COMMENTS = {
    Respondent.SUPERVISOR: "Sudah menyusun dashboard, tetapi belum dipakai dalam rapat "
    "pengambilan keputusan bidang.",
    Respondent.ASN: "Materi pelatihan saya pakai untuk menyusun laporan triwulan.",
}
#: Ratings given in turn (cycles, so the averages come out as intended).
SUPERVISOR_LOW = [2, 2, 3, 1, 2]  # mean 2.0: the competency applied too little
SUPERVISOR_OK = [3, 4, 3, 4, 2, 4]
ASN_LOW = [3, 2, 3]
ASN_OK = [4, 3, 4, 4]
REJECT_REASON = (
    "Bukti yang mendasari usulan perlu dikonfirmasi ulang oleh atasan langsung; ajukan "
    "kembali setelah evaluasi berikutnya."
)
