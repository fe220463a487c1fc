/**
 * SIMPERDA's seed: regional permit applications at DPMPTSP Trenggalek. Times are relative to the
 * simulator's clock so the demo always has fresh facts (warga.siti's permit completed 3 days ago, inside
 * the hub's rating window), while everything else (who, what, which officer, in which order) is fixed.
 * NIKs and officer NIPs of the demo people come from docs/DEMO-DATA.md.
 */

export const PERMIT_TYPES = ['REKLAME', 'PENELITIAN', 'PBG'] as const;
export type PermitType = (typeof PERMIT_TYPES)[number];

export const APPLICATION_STATUSES = ['DITERIMA', 'VERIFIKASI', 'PROSES', 'SELESAI', 'DITOLAK'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const NIK_SITI = '3503115708900001';
export const NIK_BUDI = '3503120203850002';

/** DPMPTSP officers who handle permits (id = NIP). */
export const DPMPTSP_OFFICERS = [
  { nip: '198808082012122001', name: 'Yuni Astuti', position: 'Analis Perizinan' },
  { nip: '199203172019031005', name: 'Fajar Nugroho', position: 'Verifikator Perizinan' },
] as const;
export const NIP_YUNI = DPMPTSP_OFFICERS[0].nip;
export const NIP_FAJAR = DPMPTSP_OFFICERS[1].nip;

/** A point in time given as days before the clock's date and a wall-clock time in Asia/Jakarta. */
type DayTime = readonly [daysAgo: number, hhmm: string];

interface SeedStep {
  status: Exclude<ApplicationStatus, 'DITERIMA'>;
  at: DayTime;
  notes?: string;
}

export interface SeedApplication {
  nik: string;
  applicantName: string;
  permitType: PermitType;
  description: string;
  location: string;
  submitted: DayTime;
  /** The officer who takes the application on; assigned when verification starts, as at the service desk. */
  officerNip?: string;
  steps: readonly SeedStep[];
}

const ADDR_SITI = 'Jl. Panglima Sudirman No. 21, Kel. Ngantru, Kec. Trenggalek';

// Every seeded moment is at least one day back, so none lies in the future whatever the clock's hour.
export const SEED_APPLICATIONS: readonly SeedApplication[] = [
  // warga.siti: one completed 3 days ago (rateable), one still in progress.
  {
    nik: NIK_SITI,
    applicantName: 'Siti Rahayu',
    permitType: 'REKLAME',
    description: 'Pemasangan papan nama usaha Keripik Tempe Bu Siti ukuran 1 x 2 m, reklame tetap non-permanen',
    location: ADDR_SITI,
    submitted: [12, '09:10'],
    officerNip: NIP_YUNI,
    steps: [
      { status: 'VERIFIKASI', at: [11, '10:30'] },
      { status: 'PROSES', at: [8, '13:05'] },
      { status: 'SELESAI', at: [3, '10:15'], notes: 'Izin reklame terbit, berlaku 1 tahun. Pajak reklame dibayarkan di BPKPD.' },
    ],
  },
  {
    nik: NIK_SITI,
    applicantName: 'Siti Rahayu',
    permitType: 'PBG',
    description: 'Renovasi dapur produksi rumah tangga menjadi 2 lantai, luas bangunan 48 m2',
    location: ADDR_SITI,
    submitted: [6, '08:45'],
    officerNip: NIP_FAJAR,
    steps: [
      { status: 'VERIFIKASI', at: [5, '09:30'] },
      { status: 'PROSES', at: [2, '14:00'], notes: 'Menunggu penilaian Tim Profesi Ahli (TPA).' },
    ],
  },
  // warga.budi: one completed 5 days ago.
  {
    nik: NIK_BUDI,
    applicantName: 'Budi Santoso',
    permitType: 'REKLAME',
    description: 'Papan reklame Bengkel Motor Santoso Jaya ukuran 3 x 1 m di tepi jalan',
    location: 'Jl. Raya Trenggalek-Tulungagung Km. 6, Desa Ngetal, Kec. Pogalan',
    submitted: [15, '10:00'],
    officerNip: NIP_FAJAR,
    steps: [
      { status: 'VERIFIKASI', at: [14, '08:40'] },
      { status: 'PROSES', at: [10, '11:20'] },
      { status: 'SELESAI', at: [5, '14:20'], notes: 'Izin reklame terbit, berlaku 1 tahun.' },
    ],
  },
  {
    nik: '3503081004010002',
    applicantName: 'Rizal Maulana',
    permitType: 'PENELITIAN',
    description: 'Penelitian skripsi: pengaruh wisata Pantai Prigi terhadap pendapatan nelayan',
    location: 'Desa Tasikmadu, Kec. Watulimo',
    submitted: [38, '09:00'],
    officerNip: NIP_YUNI,
    steps: [
      { status: 'VERIFIKASI', at: [37, '10:00'] },
      { status: 'PROSES', at: [35, '09:15'] },
      { status: 'SELESAI', at: [30, '13:30'], notes: 'Surat izin penelitian terbit, berlaku 3 bulan.' },
    ],
  },
  {
    nik: '3503116205970003',
    applicantName: 'Anisa Fitriani',
    permitType: 'PENELITIAN',
    description: 'Penelitian tesis: efektivitas program Gerakan Kembali ke Sekolah di Kabupaten Trenggalek',
    location: 'Dinas Pendidikan, Pemuda dan Olahraga, Kec. Trenggalek',
    submitted: [9, '10:40'],
    officerNip: NIP_YUNI,
    steps: [
      { status: 'VERIFIKASI', at: [8, '09:00'] },
      { status: 'PROSES', at: [6, '10:10'], notes: 'Menunggu rekomendasi Bakesbangpol.' },
    ],
  },
  {
    nik: '3503034802940001',
    applicantName: 'Dian Puspitasari',
    permitType: 'PENELITIAN',
    description: 'Survei prevalensi stunting balita di wilayah kerja Puskesmas Pule',
    location: 'Kec. Pule',
    submitted: [21, '13:15'],
    officerNip: NIP_FAJAR,
    steps: [
      { status: 'VERIFIKASI', at: [20, '08:30'] },
      { status: 'DITOLAK', at: [18, '10:45'], notes: 'Surat pengantar dari perguruan tinggi belum dilampirkan. Silakan ajukan ulang.' },
    ],
  },
  {
    nik: '3503061406900002',
    applicantName: 'Agus Setiawan',
    permitType: 'PBG',
    description: 'Pembangunan rumah tinggal 1 lantai, luas bangunan 72 m2',
    location: 'Dusun Krajan RT 02 RW 01, Desa Sumberingin, Kec. Karangan',
    submitted: [47, '08:20'],
    officerNip: NIP_FAJAR,
    steps: [
      { status: 'VERIFIKASI', at: [46, '09:10'] },
      { status: 'PROSES', at: [40, '10:00'] },
      { status: 'SELESAI', at: [20, '15:00'], notes: 'PBG terbit. Retribusi PBG telah dibayar.' },
    ],
  },
  {
    nik: '3503130309770001',
    applicantName: 'Hendro Wibowo',
    permitType: 'PBG',
    description: 'Pembangunan ruko 2 lantai sebanyak 3 unit, luas bangunan 180 m2',
    location: 'Jl. Raya Durenan No. 120, Desa Durenan, Kec. Durenan',
    submitted: [4, '11:00'],
    officerNip: NIP_FAJAR,
    steps: [{ status: 'VERIFIKASI', at: [3, '09:20'], notes: 'Pemeriksaan kelengkapan dokumen teknis.' }],
  },
  {
    nik: '3503063004620001',
    applicantName: 'H. Imam Syafii',
    permitType: 'PBG',
    description: 'Pembangunan gudang penyimpanan gabah, luas bangunan 120 m2',
    location: 'Jl. Raya Karangan No. 56, Desa Karangan, Kec. Karangan',
    submitted: [16, '09:35'],
    officerNip: NIP_YUNI,
    steps: [
      { status: 'VERIFIKASI', at: [15, '10:15'] },
      { status: 'PROSES', at: [11, '13:40'], notes: 'Penilaian dokumen oleh TPA dijadwalkan.' },
    ],
  },
  {
    nik: '3503102501800003',
    applicantName: 'Muhammad Khoirul Anam',
    permitType: 'PBG',
    description: 'Pembangunan musala, luas bangunan 64 m2',
    location: 'Dusun Widoro Kulon, Desa Widoro, Kec. Gandusari',
    submitted: [82, '10:05'],
    officerNip: NIP_YUNI,
    steps: [
      { status: 'VERIFIKASI', at: [81, '08:50'] },
      { status: 'PROSES', at: [74, '09:30'] },
      { status: 'SELESAI', at: [55, '14:10'], notes: 'PBG terbit. Bangunan fungsi keagamaan, retribusi nol.' },
    ],
  },
  {
    nik: '3503113011920004',
    applicantName: 'Yoga Pratama',
    permitType: 'REKLAME',
    description: 'Billboard produk rokok ukuran 4 x 8 m, konstruksi baja',
    location: 'Simpang tiga Jl. Soekarno-Hatta dan Jl. Ahmad Yani, Kec. Trenggalek',
    submitted: [27, '14:30'],
    officerNip: NIP_FAJAR,
    steps: [
      { status: 'VERIFIKASI', at: [26, '09:45'] },
      { status: 'DITOLAK', at: [22, '11:00'], notes: 'Titik lokasi berada di kawasan larangan reklame rokok (radius fasilitas pendidikan).' },
    ],
  },
  {
    nik: '3503115403950006',
    applicantName: 'Dwi Rahmawati',
    permitType: 'REKLAME',
    description: 'Spanduk promosi pembukaan cabang Dwi Cake & Bakery ukuran 5 x 1 m selama 30 hari',
    location: 'Jl. Ronggowarsito No. 12, Kel. Tamanan, Kec. Trenggalek',
    submitted: [44, '08:55'],
    officerNip: NIP_YUNI,
    steps: [
      { status: 'VERIFIKASI', at: [44, '13:00'] },
      { status: 'PROSES', at: [43, '09:00'] },
      { status: 'SELESAI', at: [40, '10:30'], notes: 'Izin reklame insidentil terbit, berlaku 30 hari.' },
    ],
  },
  {
    nik: '3503110112910005',
    applicantName: 'Ahmad Fauzi',
    permitType: 'REKLAME',
    description: 'Neon box Kopi Nongkrong Trenggalek ukuran 1 x 1,5 m',
    location: 'Jl. Soekarno-Hatta No. 47, Kel. Sumbergedong, Kec. Trenggalek',
    submitted: [1, '09:25'],
    steps: [],
  },
  {
    nik: '3503086602750004',
    applicantName: 'Winarti',
    permitType: 'PBG',
    description: 'Renovasi homestay dengan penambahan 2 kamar tidur, luas tambahan 36 m2',
    location: 'Dusun Karanggongso, Desa Tasikmadu, Kec. Watulimo',
    submitted: [7, '10:50'],
    officerNip: NIP_FAJAR,
    steps: [{ status: 'VERIFIKASI', at: [5, '14:15'], notes: 'Menunggu kelengkapan KRK dari Dinas PUPR.' }],
  },
  {
    nik: '3503091907960001',
    applicantName: 'Bayu Aji Nugroho',
    permitType: 'PENELITIAN',
    description: 'Kajian potensi pembangkit listrik tenaga mikrohidro di Kecamatan Bendungan',
    location: 'Desa Dompyong dan Desa Depok, Kec. Bendungan',
    submitted: [33, '11:10'],
    officerNip: NIP_YUNI,
    steps: [
      { status: 'VERIFIKASI', at: [32, '09:05'] },
      { status: 'PROSES', at: [30, '10:20'] },
      { status: 'SELESAI', at: [25, '09:40'], notes: 'Surat izin penelitian terbit, berlaku 6 bulan.' },
    ],
  },
  {
    nik: '3503101606880002',
    applicantName: 'Eko Prasetyo',
    permitType: 'PBG',
    description: 'Pembangunan kandang ayam petelur tertutup (closed house), luas bangunan 600 m2',
    location: 'Dusun Jati, Desa Karanganyar, Kec. Gandusari',
    submitted: [19, '08:30'],
    officerNip: NIP_FAJAR,
    steps: [
      { status: 'VERIFIKASI', at: [18, '09:50'] },
      { status: 'PROSES', at: [13, '10:35'], notes: 'Menunggu persetujuan lingkungan (UKL-UPL).' },
    ],
  },
  {
    nik: '3503114407860002',
    applicantName: 'dr. Retno Handayani',
    permitType: 'REKLAME',
    description: 'Papan nama Klinik Pratama Husada Mulya ukuran 2 x 1 m',
    location: 'Jl. Dr. Sutomo No. 40, Kel. Surodakan, Kec. Trenggalek',
    submitted: [79, '13:00'],
    officerNip: NIP_YUNI,
    steps: [
      { status: 'VERIFIKASI', at: [78, '08:45'] },
      { status: 'PROSES', at: [75, '09:10'] },
      { status: 'SELESAI', at: [70, '11:25'], notes: 'Izin reklame terbit, berlaku 1 tahun.' },
    ],
  },
  {
    nik: '3503125203990002',
    applicantName: 'Fitri Nur Azizah',
    permitType: 'PENELITIAN',
    description: 'Penelitian kualitas air Sungai Ngasinan untuk tugas akhir',
    location: 'Desa Ngetal dan Desa Kedunglurah, Kec. Pogalan',
    submitted: [2, '15:05'],
    steps: [],
  },
  {
    nik: '3503130707790002',
    applicantName: 'Rudi Hartono',
    permitType: 'PBG',
    description: 'Pembangunan rumah tinggal 2 lantai, luas bangunan 140 m2',
    location: 'Desa Kendalrejo RT 01 RW 04, Kec. Durenan',
    submitted: [36, '09:45'],
    officerNip: NIP_FAJAR,
    steps: [
      { status: 'VERIFIKASI', at: [35, '10:30'] },
      { status: 'PROSES', at: [31, '08:50'] },
      { status: 'DITOLAK', at: [26, '14:40'], notes: 'Gambar teknis tidak sesuai KRK: garis sempadan bangunan kurang dari 4 m.' },
    ],
  },
  {
    nik: '3503041903720001',
    applicantName: 'Sugeng Riyadi',
    permitType: 'REKLAME',
    description: 'Baliho Festival Durian Dongko ukuran 3 x 4 m selama 14 hari',
    location: 'Lapangan Desa Pandean, Kec. Dongko',
    submitted: [13, '10:10'],
    officerNip: NIP_YUNI,
    steps: [
      { status: 'VERIFIKASI', at: [13, '14:00'] },
      { status: 'PROSES', at: [12, '09:30'] },
      { status: 'SELESAI', at: [9, '15:20'], notes: 'Izin reklame insidentil terbit, berlaku 14 hari.' },
    ],
  },
  {
    nik: '3503080511690001',
    applicantName: 'Suyanto',
    permitType: 'PBG',
    description: 'Pembangunan gedung pertemuan Koperasi Nelayan Mina Samudra, luas bangunan 200 m2',
    location: 'Jl. Pelabuhan Perikanan Nusantara Prigi, Desa Tasikmadu, Kec. Watulimo',
    submitted: [10, '09:15'],
    officerNip: NIP_FAJAR,
    steps: [{ status: 'VERIFIKASI', at: [8, '10:45'] }],
  },
  {
    nik: '3503080110950003',
    applicantName: 'Rahmat Hidayatullah',
    permitType: 'PENELITIAN',
    description: 'Penelitian etnografi tradisi Larung Sembonyo di Teluk Prigi',
    location: 'Desa Tasikmadu dan Desa Prigi, Kec. Watulimo',
    submitted: [11, '13:20'],
    officerNip: NIP_YUNI,
    steps: [
      { status: 'VERIFIKASI', at: [10, '08:35'] },
      { status: 'PROSES', at: [7, '11:00'], notes: 'Menunggu rekomendasi Bakesbangpol.' },
    ],
  },
  {
    nik: '3503067001870002',
    applicantName: 'Endah Purwaningsih',
    permitType: 'REKLAME',
    description: 'Papan nama usaha Batik Tulis Endah ukuran 2 x 1 m',
    location: 'Dusun Krajan, Desa Sumberingin, Kec. Karangan',
    submitted: [17, '11:30'],
    officerNip: NIP_YUNI,
    steps: [
      { status: 'VERIFIKASI', at: [16, '09:00'] },
      { status: 'PROSES', at: [14, '10:10'] },
      { status: 'SELESAI', at: [7, '13:45'], notes: 'Izin reklame terbit, berlaku 1 tahun.' },
    ],
  },
  {
    nik: '3503132307820004',
    applicantName: 'Hariyadi',
    permitType: 'PBG',
    description: 'Pembangunan toko kelontong 1 lantai, luas bangunan 45 m2',
    location: 'Jl. Raya Durenan No. 88, Desa Durenan, Kec. Durenan',
    submitted: [1, '14:10'],
    steps: [],
  },
];

/** Numbering continues after the paper-era archive, which this system does not serve. */
export const FIRST_SERIAL_OF_SEEDED_YEAR = 401;
