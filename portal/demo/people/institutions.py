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
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A", K.DINAS),
    ("Dinas Pengendalian Penduduk dan Keluarga Berencana", "DPPKB", K.DINAS),
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
    ("RSUD dr. Bachtiar Djafar", "RSUD Bachtiar Djafar", K.RSUD),
    ("Kecamatan Medan Kota", "Kec. Medan Kota", K.KECAMATAN),
    ("Kecamatan Medan Petisah", "Kec. Medan Petisah", K.KECAMATAN),
    ("Kecamatan Medan Sunggal", "Kec. Medan Sunggal", K.KECAMATAN),
    ("Kecamatan Medan Helvetia", "Kec. Medan Helvetia", K.KECAMATAN),
    ("Kecamatan Medan Johor", "Kec. Medan Johor", K.KECAMATAN),
    ("Kecamatan Medan Amplas", "Kec. Medan Amplas", K.KECAMATAN),
    ("Kecamatan Medan Belawan", "Kec. Medan Belawan", K.KECAMATAN),
]
SMALL_AGENCIES = 10
