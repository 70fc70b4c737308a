"""The Markdown texts of the curricula demo's text materials (fictional, in Indonesian)."""

from __future__ import annotations

STATISTIK_MD = """## Statistik deskriptif untuk perencana

Perencana membaca data sebelum menyusun program. Tiga ukuran yang paling sering dipakai:

| Ukuran | Kegunaan | Contoh di Bappeda |
|---|---|---|
| Rata-rata | gambaran umum | rata-rata lama sekolah per kecamatan |
| Median | tahan terhadap nilai ekstrem | pengeluaran per kapita |
| Persentil | melihat ketimpangan | 20% kelurahan dengan akses air terendah |

### Latihan

1. Unduh data *Kecamatan Dalam Angka* dari BPS Kota Medan.
2. Hitung rata-rata dan median jumlah penduduk per kelurahan di 21 kecamatan.
3. Jelaskan mengapa keduanya berbeda di **Medan Kota** dan **Medan Belawan**.
"""

DASHBOARD_MD = """## Menyusun dashboard kinerja

Dashboard yang baik menjawab satu pertanyaan pimpinan per halaman.

- Mulai dari indikator RPJMD yang relevan, bukan dari data yang kebetulan tersedia.
- Tampilkan target dan realisasi berdampingan; beri warna **dan** label teks.
- Cantumkan sumber dan tanggal pembaruan data di setiap grafik.

> Catatan: data pribadi warga (NIK, alamat) tidak pernah ditampilkan. Gunakan agregat per
> kelurahan, sesuai UU 27/2022 tentang Pelindungan Data Pribadi.
"""

PELAYANAN_MD = """## Standar pelayanan (UU 25/2009)

Setiap unit layanan menetapkan dan mengumumkan standar pelayanannya, sekurang-kurangnya:

1. persyaratan;
2. sistem, mekanisme dan prosedur;
3. jangka waktu penyelesaian;
4. biaya/tarif;
5. produk pelayanan;
6. penanganan pengaduan, saran dan masukan.

**Tugas:** pilih satu layanan di OPD Anda dan tuliskan keenam komponen di atas dalam bahasa
yang dipahami warga.
"""

PENGADUAN_MD = """## Mengelola pengaduan digital

Alur singkat penanganan aduan dari kanal daring:

1. **Verifikasi** — pastikan aduan lengkap dan bukan duplikat.
2. **Disposisi** — teruskan ke OPD yang berwenang paling lambat 1 hari kerja.
3. **Tindak lanjut** — OPD mencatat langkah yang diambil.
4. **Umpan balik** — warga menerima jawaban dan dapat menilai penyelesaiannya.

Studi kasus: aduan lampu jalan padam di Kecamatan Medan Baru.
"""

PDP_MD = """## Data pribadi dalam layanan publik

Prinsip yang dipakai petugas layanan:

- kumpulkan data seperlunya (minimalisasi);
- jelaskan tujuan pemrosesan kepada warga;
- simpan di sistem resmi, bukan di grup percakapan;
- laporkan insiden kebocoran kepada atasan dan pengelola TIK segera.
"""

KEAMANAN_MD = """## Kebersihan siber dasar

- Kata sandi panjang dan unik untuk setiap aplikasi dinas.
- Aktifkan verifikasi dua langkah pada surel dinas.
- Waspadai tautan dalam pesan yang mengatasnamakan pimpinan.
"""

COACHING_MD = """## Percakapan coaching GROW

**G**oal — apa yang ingin dicapai? **R**eality — di mana posisi sekarang?
**O**ptions — pilihan apa yang ada? **W**ill — apa langkah berikutnya dan kapan?
"""

# --- the curricula -------------------------------------------------------------------------------
# Materials: (kind, title, content): text → Markdown, link → URL, file → (file name, PDF lines).
# A module marked ``revision`` was added after the agency asked for changes (so version 2 of the
# proposal differs from version 1).
