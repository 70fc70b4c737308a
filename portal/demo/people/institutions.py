"""Medan's institutions in the demo data (DOMAIN.md §7): real names of the city's universities and
OPD. The small demo holds the first ``SMALL_UNIVERSITIES`` and ``SMALL_AGENCIES`` of each list;
the city scale adds the rest."""

from __future__ import annotations

from portal.institutions.models import AgencyKind

K = AgencyKind

#: (name, short name)
UNIVERSITIES = [
    ("Universitas Sumatera Utara", "USU"),
    ("Universitas Negeri Medan", "UNIMED"),
    ("Universitas Islam Negeri Sumatera Utara", "UINSU"),
    ("Universitas Muhammadiyah Sumatera Utara", "UMSU"),
    ("Politeknik Negeri Medan", "POLMED"),
    ("Universitas Medan Area", "UMA"),
    # the city scale
    ("Universitas HKBP Nommensen", "UHN"),
    ("Universitas Islam Sumatera Utara", "UISU"),
    ("Universitas Methodist Indonesia", "UMI"),
    ("Universitas Prima Indonesia", "UNPRI"),
    ("Universitas Pembangunan Panca Budi", "UNPAB"),
    ("Universitas Darma Agung", "UDA"),
    ("Universitas Katolik Santo Thomas", "UNIKA"),
    ("Institut Teknologi Medan", "ITM"),
    ("Politeknik Kesehatan Kemenkes Medan", "Poltekkes Medan"),
]
SMALL_UNIVERSITIES = 6

#: (name, short name, kind): the 40 OPD of Pemerintah Kota Medan in the demo.
AGENCIES = [
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", K.BADAN),
    ("Dinas Komunikasi dan Informatika", "Diskominfo", K.DINAS),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda", K.BADAN),
    ("Dinas Kesehatan", "Dinkes", K.DINAS),
    ("Dinas Pendidikan dan Kebudayaan", "Disdikbud", K.DINAS),
    ("Dinas Kependudukan dan Catatan Sipil", "Disdukcapil", K.DINAS),
    ("Dinas Perhubungan", "Dishub", K.DINAS),
    ("RSUD dr. Pirngadi", "RSUD Pirngadi", K.RSUD),
    ("Kecamatan Medan Baru", "Kec. Medan Baru", K.KECAMATAN),
    ("Sekretariat Daerah Kota Medan", "Setda", K.SEKRETARIAT),
    # the city scale
    ("Dinas Sosial", "Dinsos", K.DINAS),
    ("Dinas Tenaga Kerja", "Disnaker", K.DINAS),
    ("Dinas Pekerjaan Umum", "Dinas PU", K.DINAS),
    ("Dinas Perumahan, Kawasan Permukiman dan Penataan Ruang", "Dinas Perkim PR", K.DINAS),
    ("Dinas Lingkungan Hidup", "DLH", K.DINAS),
    ("Dinas Ketahanan Pangan, Pertanian dan Perikanan", "DKP3", K.DINAS),
    ("Dinas Perdagangan", "Disdag", K.DINAS),
    ("Dinas Koperasi, Usaha Kecil dan Menengah", "Dinkop UKM", K.DINAS),
    ("Dinas Pariwisata", "Dispar", K.DINAS),
    ("Dinas Pemuda dan Olahraga", "Dispora", K.DINAS),
    # one agency since Medan merged them (DOMAIN.md §7)
    (
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pemberdayaan Masyarakat dan "
        "Pengendalian Penduduk dan Keluarga Berencana",
        "DP3APMP2KB",
        K.DINAS,
    ),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", K.DINAS),
    ("Dinas Perpustakaan dan Kearsipan", "Dispusip", K.DINAS),
    ("Dinas Pemadam Kebakaran dan Penyelamatan", "Damkar", K.DINAS),
    ("Badan Pendapatan Daerah", "Bapenda", K.BADAN),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", K.BADAN),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", K.BADAN),
    ("Badan Kesatuan Bangsa dan Politik", "Kesbangpol", K.BADAN),
    ("Inspektorat Kota Medan", "Inspektorat", K.INSPEKTORAT),
    ("Satuan Polisi Pamong Praja", "Satpol PP", K.SATPOL),
    ("Sekretariat DPRD Kota Medan", "Setwan", K.SEKRETARIAT),
    ("RSUD H. Bachtiar Djafar", "RSUD Bachtiar Djafar", K.RSUD),
    ("Kecamatan Medan Kota", "Kec. Medan Kota", K.KECAMATAN),
    ("Kecamatan Medan Petisah", "Kec. Medan Petisah", K.KECAMATAN),
    ("Kecamatan Medan Sunggal", "Kec. Medan Sunggal", K.KECAMATAN),
    ("Kecamatan Medan Helvetia", "Kec. Medan Helvetia", K.KECAMATAN),
    ("Kecamatan Medan Johor", "Kec. Medan Johor", K.KECAMATAN),
    ("Kecamatan Medan Amplas", "Kec. Medan Amplas", K.KECAMATAN),
    ("Kecamatan Medan Belawan", "Kec. Medan Belawan", K.KECAMATAN),
    ("Kecamatan Medan Tuntungan", "Kec. Medan Tuntungan", K.KECAMATAN),
]
SMALL_AGENCIES = 10

#: A scale many Indonesian universities use: (lowest final score, letter, grade points).
_SCALE_AB = ((85, "A", 4.0), (78, "AB", 3.5), (70, "B", 3.0), (63, "BC", 2.5), (55, "C", 2.0),
             (40, "D", 1.0), (0, "E", 0.0))  # fmt: skip
#: The plus/minus scale of other universities.
_SCALE_PM = ((85, "A", 4.0), (80, "A-", 3.75), (75, "B+", 3.5), (70, "B", 3.0), (65, "B-", 2.75),
             (60, "C+", 2.5), (55, "C", 2.0), (40, "D", 1.0), (0, "E", 0.0))  # fmt: skip

#: How each university of the small demo grants internship credit (issue 17 point 5; DOMAIN.md
#: §5.1): ``kind`` "semester" (at least ``weeks`` = ``sks``) or "hours" (``hours`` = 1 SKS, at
#: most ``sks``); the PKS with Pemko Medan (number, signed, valid until: years from today's
#: year, so the demo stays current); the courses (code, name, SKS) in the order they are
#: recognised; the letter-grade scale. Numbers and course codes are invented.
CREDIT_SCHEMES = {
    "USU": {
        "kind": "semester",
        "weeks": 16,
        "sks": 20,
        "pks": ("1587/UN5.1.R/KS/{year}", -1, 4),
        "courses": [
            ("TIF4101", "Magang Instansi Pemerintah", 9),
            ("TIF4102", "Etika Profesi dan Tata Kelola TI", 3),
            ("TIF4103", "Proyek Sistem Informasi Pelayanan Publik", 4),
            ("TIF4104", "Manajemen Proyek Perangkat Lunak", 4),
        ],
        "scale": _SCALE_AB,
    },
    "UNIMED": {
        "kind": "hours",
        "hours": 45,
        "sks": 20,
        "pks": ("0412/UN33/KS/{year}", -2, 3),
        "courses": [
            ("MBKM401", "Magang Profesi di Instansi Pemerintah", 6),
            ("MBKM402", "Analisis Data Terapan", 3),
            ("MBKM403", "Komunikasi Organisasi", 3),
            ("MBKM404", "Proyek Mandiri Pelayanan Publik", 4),
        ],
        "scale": _SCALE_PM,
    },
    "UINSU": {
        "kind": "semester",
        "weeks": 16,
        "sks": 20,
        "pks": ("B-219/Un.11.R/KS.01.3/{year}", -1, 4),
        "courses": [
            ("SIF6201", "Praktik Kerja Lapangan", 10),
            ("SIF6202", "Sistem Informasi Pemerintahan", 4),
            ("SIF6203", "Manajemen Layanan TI", 3),
            ("SIF6204", "Seminar Hasil Magang", 3),
        ],
        "scale": _SCALE_AB,
    },
    "UMSU": {
        "kind": "hours",
        "hours": 40,
        "sks": 6,
        "pks": ("071/KS/II.3.AU/{year}", -3, 2),
        "courses": [
            ("ADP5301", "Praktik Kerja Lapangan", 4),
            ("ADP5302", "Laporan dan Seminar PKL", 2),
        ],
        "scale": _SCALE_AB,
    },
    "POLMED": {
        "kind": "semester",
        "weeks": 16,
        "sks": 20,
        "pks": ("2231/PL5/KS/{year}", -1, 4),
        "courses": [
            ("MI6101", "Praktik Kerja Lapangan", 12),
            ("MI6102", "Laporan Praktik Kerja Lapangan", 4),
            ("MI6103", "Etika dan Budaya Kerja", 2),
            ("MI6104", "Keselamatan dan Kesehatan Kerja", 2),
        ],
        "scale": _SCALE_AB,
    },
    "UMA": {
        "kind": "hours",
        "hours": 45,
        "sks": 20,
        "pks": ("118/UMA/B/01.7/{year}", 0, 5),
        "courses": [
            ("IF7401", "Kerja Praktik", 10),
            ("IF7402", "Rekayasa Perangkat Lunak Terapan", 4),
        ],
        "scale": _SCALE_PM,
    },
}
