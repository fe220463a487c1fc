/**
 * The OSS RBA records of businesses in Kabupaten Trenggalek, as the national system returns them.
 * Field names are OSS's own (snake_case, Indonesian) and stay that way: the hub's adapter maps them.
 * Deterministic on purpose: other systems' seeds and tests refer to these NIBs and NIKs
 * (warga.siti and warga.budi come from docs/DEMO-DATA.md).
 */

export type TingkatRisiko = 'Rendah' | 'Menengah Rendah' | 'Menengah Tinggi' | 'Tinggi';
export type JenisIzin = 'IZIN' | 'SERTIFIKAT_STANDAR' | 'PB_UMKU';
export type StatusIzin = 'TERBIT' | 'PROSES' | 'DITOLAK' | 'KEDALUWARSA';

export interface AlamatUsaha {
  alamat: string;
  rt_rw: string;
  kelurahan: string;
  kecamatan: string;
  kab_kota: string;
  provinsi: string;
  kode_pos: string;
}

export interface PenanggungJawab {
  nik_penanggung_jawab: string;
  nama_penanggung_jawab: string;
  jabatan_penanggung_jawab: string;
}

export interface DataKbli {
  kbli: string;
  uraian_kbli: string;
  tingkat_risiko: TingkatRisiko;
}

export interface OssBusiness {
  nib: string;
  tanggal_terbit_oss: string;
  nama_perusahaan: string;
  jenis_pelaku_usaha: 'Orang Perseorangan' | 'Badan Usaha';
  jenis_perseroan: 'PERORANGAN' | 'PT PERORANGAN' | 'CV' | 'PT' | 'KOPERASI';
  skala_usaha: 'Usaha Mikro' | 'Usaha Kecil' | 'Usaha Menengah' | 'Usaha Besar';
  status_penanaman_modal: 'PMDN' | 'PMA';
  status_nib: 'AKTIF';
  alamat_usaha: AlamatUsaha;
  nomor_telepon: string;
  email: string | null;
  penanggung_jawab: PenanggungJawab[];
  data_kbli: DataKbli[];
}

export interface OssLicence {
  id_izin: string;
  jenis_izin: JenisIzin;
  nama_izin: string;
  nomor_izin: string | null;
  kbli: string | null;
  instansi: string;
  kewenangan: 'Bupati' | 'Gubernur' | 'Menteri';
  status_izin: StatusIzin;
  tanggal_pengajuan: string;
  tanggal_terbit: string | null;
  /** null: valid for as long as the business operates (OSS RBA's default for NIB and SS). */
  tanggal_berlaku_sampai: string | null;
  keterangan: string | null;
}

/** KBLI 2020 titles as OSS prints them. */
const KBLI_TITLES: Record<string, string> = {
  '01220': 'PERTANIAN BUAH-BUAHAN TROPIS DAN SUBTROPIS',
  '01230': 'PERTANIAN BUAH JERUK',
  '01462': 'BUDIDAYA AYAM RAS PETELUR',
  '03111': 'PENANGKAPAN PISCES/IKAN BERSIRIP DI LAUT',
  '10212': 'PENGOLAHAN DAN PENGAWETAN IKAN DENGAN PENGASAPAN',
  '10213': 'PENGOLAHAN DAN PENGAWETAN IKAN DENGAN PEMBEKUAN',
  '10631': 'INDUSTRI PENGGILINGAN PADI DAN PENYOSOHAN BERAS',
  '10710': 'INDUSTRI PRODUK ROTI DAN KUE',
  '10722': 'INDUSTRI GULA MERAH',
  '10793': 'INDUSTRI TAHU KEDELAI',
  '10794': 'INDUSTRI KERUPUK, KERIPIK, PEYEK DAN SEJENISNYA',
  '10799': 'INDUSTRI PRODUK MAKANAN LAINNYA',
  '13134': 'INDUSTRI BATIK',
  '14111': 'INDUSTRI PAKAIAN JADI (KONVEKSI) DARI TEKSTIL',
  '16101': 'INDUSTRI PENGGERGAJIAN KAYU',
  '18111': 'INDUSTRI PENCETAKAN UMUM',
  '31001': 'INDUSTRI FURNITUR DARI KAYU',
  '41011': 'KONSTRUKSI GEDUNG HUNIAN',
  '45407': 'REPARASI DAN PERAWATAN SEPEDA MOTOR',
  '47112': 'PERDAGANGAN ECERAN BERBAGAI MACAM BARANG YANG UTAMANYA MAKANAN, MINUMAN ATAU TEMBAKAU BUKAN DI MINIMARKET/SUPERMARKET/HYPERMARKET (TRADISIONAL)',
  '47911': 'PERDAGANGAN ECERAN MELALUI MEDIA UNTUK KOMODITI MAKANAN, MINUMAN, TEMBAKAU, KIMIA, FARMASI, KOSMETIK DAN ALAT LABORATORIUM',
  '55194': 'PONDOK WISATA',
  '56102': 'RUMAH/WARUNG MAKAN',
  '56104': 'PENYEDIAAN MAKANAN KELILING/TEMPAT TIDAK TETAP',
  '56303': 'RUMAH MINUM/KAFE',
  '86105': 'AKTIVITAS KLINIK SWASTA',
  '93290': 'AKTIVITAS REKREASI LAINNYA YTDL',
};

function kbli(code: string, tingkat_risiko: TingkatRisiko): DataKbli {
  const uraian = KBLI_TITLES[code];
  if (!uraian) throw new Error(`KBLI ${code} has no title in the seed table`);
  return { kbli: code, uraian_kbli: uraian, tingkat_risiko };
}

function alamat(jalan: string, rt_rw: string, kelurahan: string, kecamatan: string, kode_pos: string): AlamatUsaha {
  return { alamat: jalan, rt_rw, kelurahan, kecamatan, kab_kota: 'Kabupaten Trenggalek', provinsi: 'Jawa Timur', kode_pos };
}

function pj(nik: string, nama: string, jabatan = 'Pemilik'): PenanggungJawab {
  return { nik_penanggung_jawab: nik, nama_penanggung_jawab: nama, jabatan_penanggung_jawab: jabatan };
}

/** NIKs from docs/DEMO-DATA.md. */
export const NIK_SITI = '3503115708900001';
export const NIK_BUDI = '3503120203850002';

export const NIB_SITI_KERIPIK = '9120208731542';
export const NIB_BUDI_BAKSO = '9120104625318';
export const NIB_BUDI_BENGKEL = '9120301958476';

const PEMKAB = 'Pemerintah Kabupaten Trenggalek';

export const BUSINESSES: readonly OssBusiness[] = [
  {
    nib: NIB_SITI_KERIPIK, tanggal_terbit_oss: '2022-02-21', nama_perusahaan: 'Keripik Tempe Bu Siti',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Panglima Sudirman No. 21', '002/004', 'Ngantru', 'Trenggalek', '66311'),
    nomor_telepon: '081335210876', email: 'keripiktempe.busiti@gmail.com',
    penanggung_jawab: [pj(NIK_SITI, 'SITI RAHAYU')], data_kbli: [kbli('10794', 'Menengah Rendah')],
  },
  {
    nib: NIB_BUDI_BAKSO, tanggal_terbit_oss: '2021-09-13', nama_perusahaan: 'Warung Bakso Pak Budi',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Raya Pogalan', '003/002', 'Ngetal', 'Pogalan', '66371'),
    nomor_telepon: '085233104562', email: null,
    penanggung_jawab: [pj(NIK_BUDI, 'BUDI SANTOSO')], data_kbli: [kbli('56102', 'Rendah')],
  },
  {
    nib: NIB_BUDI_BENGKEL, tanggal_terbit_oss: '2023-05-08', nama_perusahaan: 'Bengkel Motor Santoso Jaya',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Raya Trenggalek-Tulungagung Km. 6', '001/002', 'Ngetal', 'Pogalan', '66371'),
    nomor_telepon: '085233104562', email: null,
    penanggung_jawab: [pj(NIK_BUDI, 'BUDI SANTOSO')], data_kbli: [kbli('45407', 'Rendah')],
  },
  {
    nib: '9120007318265', tanggal_terbit_oss: '2019-11-04', nama_perusahaan: 'UD Ikan Asap Prigi Lestari',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Kecil', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Raya Pantai Prigi No. 14', '004/001', 'Tasikmadu', 'Watulimo', '66382'),
    nomor_telepon: '081259430127', email: 'ikanasap.prigilestari@gmail.com',
    penanggung_jawab: [pj('3503085204780003', 'SRI MULYANI')], data_kbli: [kbli('10212', 'Menengah Rendah')],
  },
  {
    nib: '9120405561239', tanggal_terbit_oss: '2020-03-17', nama_perusahaan: 'Koperasi Nelayan Mina Samudra',
    jenis_pelaku_usaha: 'Badan Usaha', jenis_perseroan: 'KOPERASI', skala_usaha: 'Usaha Kecil', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Pelabuhan Perikanan Nusantara Prigi', '001/003', 'Tasikmadu', 'Watulimo', '66382'),
    nomor_telepon: '0355551872', email: 'kopnel.minasamudra@gmail.com',
    penanggung_jawab: [pj('3503080511690001', 'SUYANTO', 'Ketua Koperasi')], data_kbli: [kbli('03111', 'Menengah Rendah')],
  },
  {
    nib: '9120512874903', tanggal_terbit_oss: '2021-10-25', nama_perusahaan: 'Toko Kelontong Barokah',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Raya Durenan No. 88', '002/001', 'Durenan', 'Durenan', '66381'),
    nomor_telepon: '082141876530', email: null,
    penanggung_jawab: [pj('3503132307820004', 'HARIYADI')], data_kbli: [kbli('47112', 'Rendah')],
  },
  {
    nib: '9120613094527', tanggal_terbit_oss: '2022-07-11', nama_perusahaan: 'Batik Tulis Endah',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Dusun Krajan', '005/002', 'Sumberingin', 'Karangan', '66361'),
    nomor_telepon: '085749021366', email: 'batiktulis.endah@gmail.com',
    penanggung_jawab: [pj('3503067001870002', 'ENDAH PURWANINGSIH')], data_kbli: [kbli('13134', 'Menengah Rendah')],
  },
  {
    nib: '9120702846175', tanggal_terbit_oss: '2020-12-02', nama_perusahaan: 'Tahu Takwa Pak Mujiono',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Supriadi Gg. III No. 5', '003/001', 'Bendorejo', 'Pogalan', '66371'),
    nomor_telepon: '081336547821', email: null,
    penanggung_jawab: [pj('3503121409740003', 'MUJIONO')], data_kbli: [kbli('10793', 'Menengah Rendah')],
  },
  {
    nib: '9120810572368', tanggal_terbit_oss: '2024-01-15', nama_perusahaan: 'Kopi Nongkrong Trenggalek',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Soekarno-Hatta No. 47', '001/005', 'Sumbergedong', 'Trenggalek', '66315'),
    nomor_telepon: '089677340215', email: 'kopinongkrong.tgx@gmail.com',
    penanggung_jawab: [pj('3503110112910005', 'AHMAD FAUZI')], data_kbli: [kbli('56303', 'Menengah Rendah')],
  },
  {
    nib: '9120924317856', tanggal_terbit_oss: '2022-09-05', nama_perusahaan: 'Alen-Alen Bu Lilik',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Dusun Ngemplak', '002/003', 'Gondang', 'Tugu', '66352'),
    nomor_telepon: '085790114328', email: null,
    penanggung_jawab: [pj('3503054806830001', 'LILIK SULISTYOWATI')], data_kbli: [kbli('10794', 'Menengah Rendah')],
  },
  {
    nib: '9121037465120', tanggal_terbit_oss: '2021-11-29', nama_perusahaan: 'CV Panggul Jaya Konstruksi',
    jenis_pelaku_usaha: 'Badan Usaha', jenis_perseroan: 'CV', skala_usaha: 'Usaha Kecil', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Raya Panggul No. 102', '003/004', 'Panggul', 'Panggul', '66364'),
    nomor_telepon: '0355591204', email: 'panggul.jaya.konstruksi@gmail.com',
    penanggung_jawab: [pj('3503011702890002', 'WAHYU HIDAYAT', 'Persero Aktif')], data_kbli: [kbli('41011', 'Menengah Tinggi')],
  },
  {
    nib: '9121145729384', tanggal_terbit_oss: '2021-08-30', nama_perusahaan: 'Gula Kelapa Pak Kusnadi',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Dusun Bangunsari', '004/002', 'Masaran', 'Munjungan', '66365'),
    nomor_telepon: '082330917745', email: null,
    penanggung_jawab: [pj('3503022505650001', 'KUSNADI')], data_kbli: [kbli('10722', 'Menengah Rendah')],
  },
  {
    nib: '9121253816047', tanggal_terbit_oss: '2023-02-13', nama_perusahaan: 'Kebun Manggis Pule Sejahtera',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Dusun Nglebeng', '001/001', 'Sukokidul', 'Pule', '66362'),
    nomor_telepon: '081217650934', email: null,
    penanggung_jawab: [pj('3503034310930002', 'NUR AINI')], data_kbli: [kbli('01220', 'Rendah')],
  },
  {
    nib: '9121360294718', tanggal_terbit_oss: '2023-03-06', nama_perusahaan: 'Kebun Durian Sugeng Dongko',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Dusun Sumber', '002/005', 'Pandean', 'Dongko', '66363'),
    nomor_telepon: '085335780142', email: null,
    penanggung_jawab: [pj('3503041903720001', 'SUGENG RIYADI')], data_kbli: [kbli('01220', 'Rendah')],
  },
  {
    nib: '9121478563092', tanggal_terbit_oss: '2022-04-18', nama_perusahaan: 'Konveksi Tri Jaya',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Kecil', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Raya Kampak No. 19', '003/001', 'Bendoagung', 'Kampak', '66373'),
    nomor_telepon: '081359026617', email: 'konveksitrijaya@gmail.com',
    penanggung_jawab: [pj('3503076708800003', 'TRI WAHYUNINGSIH')], data_kbli: [kbli('14111', 'Menengah Rendah')],
  },
  {
    nib: '9121586031457', tanggal_terbit_oss: '2024-06-03', nama_perusahaan: 'Wisata Petik Jeruk Dompyong',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Dusun Krajan', '001/002', 'Dompyong', 'Bendungan', '66351'),
    nomor_telepon: '082257310498', email: 'petikjeruk.dompyong@gmail.com',
    penanggung_jawab: [pj('3503091112760002', 'JOKO SUSILO')],
    data_kbli: [kbli('01230', 'Rendah'), kbli('93290', 'Menengah Rendah')],
  },
  {
    nib: '9121694278536', tanggal_terbit_oss: '2022-10-24', nama_perusahaan: 'Rengginang Bu Khoir',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Dusun Widoro Kulon', '004/003', 'Widoro', 'Gandusari', '66372'),
    nomor_telepon: '085806412273', email: null,
    penanggung_jawab: [pj('3503104205850004', 'SITI KHOIRIYAH')], data_kbli: [kbli('10794', 'Menengah Rendah')],
  },
  {
    nib: '9121702563819', tanggal_terbit_oss: '2020-08-10', nama_perusahaan: 'Mebel Jati Suruh',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Kecil', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Raya Suruh No. 7', '002/001', 'Suruh', 'Suruh', '66362'),
    nomor_telepon: '081230455781', email: 'mebeljatisuruh@gmail.com',
    penanggung_jawab: [pj('3503142101680001', 'BAMBANG HERMANTO')], data_kbli: [kbli('31001', 'Menengah Rendah')],
  },
  {
    nib: '9121810947265', tanggal_terbit_oss: '2021-12-06', nama_perusahaan: 'Dwi Cake & Bakery',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Ronggowarsito No. 12', '001/003', 'Tamanan', 'Trenggalek', '66312'),
    nomor_telepon: '087855102934', email: 'dwicakebakery@gmail.com',
    penanggung_jawab: [pj('3503115403950006', 'DWI RAHMAWATI')], data_kbli: [kbli('10710', 'Menengah Rendah')],
  },
  {
    nib: '9121925618304', tanggal_terbit_oss: '2022-01-24', nama_perusahaan: 'CV Agung Digital Printing',
    jenis_pelaku_usaha: 'Badan Usaha', jenis_perseroan: 'CV', skala_usaha: 'Usaha Kecil', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Mayjen Sungkono No. 30', '003/002', 'Kelutan', 'Trenggalek', '66313'),
    nomor_telepon: '0355793318', email: 'agungdigitalprinting@gmail.com',
    penanggung_jawab: [pj('3503112910840003', 'AGUNG WICAKSONO', 'Persero Aktif')], data_kbli: [kbli('18111', 'Menengah Rendah')],
  },
  {
    nib: '9122031476859', tanggal_terbit_oss: '2021-07-19', nama_perusahaan: 'Rumah Makan Lodho Ayam Pak Rudi',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Kecil', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Raya Durenan-Trenggalek No. 3', '001/004', 'Kendalrejo', 'Durenan', '66381'),
    nomor_telepon: '081216793340', email: 'lodhopakrudi@gmail.com',
    penanggung_jawab: [pj('3503130707790002', 'RUDI HARTONO')], data_kbli: [kbli('56102', 'Menengah Rendah')],
  },
  {
    nib: '9122147865023', tanggal_terbit_oss: '2024-08-12', nama_perusahaan: 'Yuli Snack Online',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Dusun Kedunglurah Lor', '002/002', 'Kedunglurah', 'Pogalan', '66371'),
    nomor_telepon: '089601227845', email: 'yulisnack.online@gmail.com',
    penanggung_jawab: [pj('3503124909900001', 'YULIANA SETYANINGSIH')], data_kbli: [kbli('47911', 'Rendah')],
  },
  {
    nib: '9122253908174', tanggal_terbit_oss: '2020-02-03', nama_perusahaan: 'Penggilingan Padi Sumber Rejeki',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Kecil', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Raya Karangan No. 56', '003/003', 'Karangan', 'Karangan', '66361'),
    nomor_telepon: '0355792661', email: null,
    penanggung_jawab: [pj('3503063004620001', 'H. IMAM SYAFII')], data_kbli: [kbli('10631', 'Menengah Rendah')],
  },
  {
    nib: '9122361047582', tanggal_terbit_oss: '2023-06-26', nama_perusahaan: 'Homestay Pantai Karanggongso',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Dusun Karanggongso', '006/002', 'Tasikmadu', 'Watulimo', '66382'),
    nomor_telepon: '082233906714', email: 'homestay.karanggongso@gmail.com',
    penanggung_jawab: [pj('3503086602750004', 'WINARTI')], data_kbli: [kbli('55194', 'Menengah Rendah')],
  },
  {
    nib: '9122478215936', tanggal_terbit_oss: '2022-11-14', nama_perusahaan: 'Peternakan Ayam Petelur Eko Jaya',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Kecil', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Dusun Jati', '002/006', 'Karanganyar', 'Gandusari', '66372'),
    nomor_telepon: '085204419872', email: 'ekojaya.farm@gmail.com',
    penanggung_jawab: [pj('3503101606880002', 'EKO PRASETYO')], data_kbli: [kbli('01462', 'Menengah Rendah')],
  },
  {
    nib: '9122583610427', tanggal_terbit_oss: '2024-10-07', nama_perusahaan: 'UD Kayu Sengon Panggul',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Kecil', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Raya Panggul-Munjungan Km. 3', '001/006', 'Besuki', 'Panggul', '66364'),
    nomor_telepon: '081332709156', email: null,
    penanggung_jawab: [pj('3503012811700003', 'SUTRISNO')], data_kbli: [kbli('16101', 'Menengah Tinggi')],
  },
  {
    nib: '9122690374815', tanggal_terbit_oss: '2021-03-22', nama_perusahaan: 'PT Husada Mulya Trenggalek',
    jenis_pelaku_usaha: 'Badan Usaha', jenis_perseroan: 'PT', skala_usaha: 'Usaha Kecil', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Jl. Dr. Sutomo No. 40', '002/001', 'Surodakan', 'Trenggalek', '66316'),
    nomor_telepon: '0355791455', email: 'klinik.husadamulya@gmail.com',
    penanggung_jawab: [pj('3503114407860002', 'dr. RETNO HANDAYANI', 'Direktur')], data_kbli: [kbli('86105', 'Tinggi')],
  },
  {
    nib: '9122704158263', tanggal_terbit_oss: '2025-01-20', nama_perusahaan: 'Sate Kambing Pak Heri',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Alun-alun Tugu', '001/001', 'Tugu', 'Tugu', '66352'),
    nomor_telepon: '085649007213', email: null,
    penanggung_jawab: [pj('3503053103810004', 'HERI SUSANTO')], data_kbli: [kbli('56104', 'Rendah')],
  },
  {
    nib: '9122812695340', tanggal_terbit_oss: '2020-10-12', nama_perusahaan: 'Gethuk Mbok Mariyam',
    jenis_pelaku_usaha: 'Orang Perseorangan', jenis_perseroan: 'PERORANGAN', skala_usaha: 'Usaha Mikro', status_penanaman_modal: 'PMDN', status_nib: 'AKTIF',
    alamat_usaha: alamat('Dusun Krajan', '003/001', 'Munjungan', 'Munjungan', '66365'),
    nomor_telepon: '082139880461', email: null,
    penanggung_jawab: [pj('3503026012580001', 'MARIYAM')], data_kbli: [kbli('10799', 'Menengah Rendah')],
  },
  {
    nib: '9122920836471', tanggal_terbit_oss: '2023-09-18', nama_perusahaan: 'PT Samudra Prigi Perkasa',
    jenis_pelaku_usaha: 'Badan Usaha', jenis_perseroan: 'PT', skala_usaha: 'Usaha Besar', status_penanaman_modal: 'PMA', status_nib: 'AKTIF',
    alamat_usaha: alamat('Kawasan PPN Prigi Blok C-2', '002/003', 'Tasikmadu', 'Watulimo', '66382'),
    nomor_telepon: '0355552730', email: 'office@samudraprigi.co.id',
    penanggung_jawab: [pj('3503081508600002', 'SUMARNO', 'Direktur Utama')], data_kbli: [kbli('10213', 'Menengah Tinggi')],
  },
];

/** Licences per NIB. A low-risk business (Rendah) needs only its NIB, so some have none. */
export const LICENCES: Readonly<Record<string, readonly OssLicence[]>> = {
  [NIB_SITI_KERIPIK]: [
    {
      id_izin: 'I-202202211015380871542', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91202087315420001', kbli: '10794', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2022-02-21', tanggal_terbit: '2022-02-21', tanggal_berlaku_sampai: null, keterangan: null,
    },
    {
      id_izin: 'I-202203141342170871542', jenis_izin: 'PB_UMKU', nama_izin: 'Sertifikat Produksi Pangan Industri Rumah Tangga (SPP-IRT)',
      nomor_izin: 'P-IRT No. 2123503011042-27', kbli: '10794', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2022-03-14', tanggal_terbit: '2022-04-04', tanggal_berlaku_sampai: '2027-04-04', keterangan: 'Produk: keripik tempe',
    },
  ],
  [NIB_BUDI_BAKSO]: [
    {
      id_izin: 'I-202406030914520625318', jenis_izin: 'PB_UMKU', nama_izin: 'Sertifikat Laik Higiene Sanitasi (SLHS) Rumah Makan',
      nomor_izin: '443.5/0217/406.012/2024', kbli: '56102', instansi: 'Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana Kabupaten Trenggalek',
      kewenangan: 'Bupati', status_izin: 'TERBIT', tanggal_pengajuan: '2024-06-03', tanggal_terbit: '2024-06-27', tanggal_berlaku_sampai: '2027-06-27', keterangan: null,
    },
    {
      id_izin: 'I-202610121107330625318', jenis_izin: 'PB_UMKU', nama_izin: 'Sertifikat Halal',
      nomor_izin: null, kbli: '56102', instansi: 'Badan Penyelenggara Jaminan Produk Halal', kewenangan: 'Menteri', status_izin: 'PROSES',
      tanggal_pengajuan: '2026-10-12', tanggal_terbit: null, tanggal_berlaku_sampai: null, keterangan: 'Menunggu hasil pendampingan PPH',
    },
  ],
  '9120007318265': [
    {
      id_izin: 'I-202111081020440318265', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91200073182650001', kbli: '10212', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2021-11-08', tanggal_terbit: '2021-11-08', tanggal_berlaku_sampai: null, keterangan: 'Migrasi dari OSS 1.1',
    },
  ],
  '9120405561239': [
    {
      id_izin: 'I-202112060833190561239', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar Penangkapan Ikan (Pernyataan Mandiri)',
      nomor_izin: '91204055612390001', kbli: '03111', instansi: 'Pemerintah Provinsi Jawa Timur', kewenangan: 'Gubernur', status_izin: 'TERBIT',
      tanggal_pengajuan: '2021-12-06', tanggal_terbit: '2021-12-06', tanggal_berlaku_sampai: null, keterangan: 'Kapal motor 5-30 GT',
    },
  ],
  '9120613094527': [
    {
      id_izin: 'I-202207111401050094527', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91206130945270001', kbli: '13134', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2022-07-11', tanggal_terbit: '2022-07-11', tanggal_berlaku_sampai: null, keterangan: null,
    },
  ],
  '9120702846175': [
    {
      id_izin: 'I-202112130944270846175', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91207028461750001', kbli: '10793', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2021-12-13', tanggal_terbit: '2021-12-13', tanggal_berlaku_sampai: null, keterangan: null,
    },
    {
      id_izin: 'I-202101251110080846175', jenis_izin: 'PB_UMKU', nama_izin: 'Sertifikat Produksi Pangan Industri Rumah Tangga (SPP-IRT)',
      nomor_izin: 'P-IRT No. 2073503010418-26', kbli: '10793', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'KEDALUWARSA',
      tanggal_pengajuan: '2021-01-25', tanggal_terbit: '2021-02-15', tanggal_berlaku_sampai: '2026-02-15', keterangan: 'Masa berlaku habis, wajib perpanjangan',
    },
  ],
  '9120810572368': [
    {
      id_izin: 'I-202401151618220572368', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91208105723680001', kbli: '56303', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2024-01-15', tanggal_terbit: '2024-01-15', tanggal_berlaku_sampai: null, keterangan: null,
    },
    {
      id_izin: 'I-202609220925410572368', jenis_izin: 'PB_UMKU', nama_izin: 'Sertifikat Laik Higiene Sanitasi (SLHS) Rumah Minum',
      nomor_izin: null, kbli: '56303', instansi: 'Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana Kabupaten Trenggalek',
      kewenangan: 'Bupati', status_izin: 'PROSES', tanggal_pengajuan: '2026-09-22', tanggal_terbit: null, tanggal_berlaku_sampai: null,
      keterangan: 'Menunggu uji sampel air bersih',
    },
  ],
  '9120924317856': [
    {
      id_izin: 'I-202209050851160317856', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91209243178560001', kbli: '10794', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2022-09-05', tanggal_terbit: '2022-09-05', tanggal_berlaku_sampai: null, keterangan: null,
    },
    {
      id_izin: 'I-202605041320370317856', jenis_izin: 'PB_UMKU', nama_izin: 'Sertifikat Produksi Pangan Industri Rumah Tangga (SPP-IRT)',
      nomor_izin: null, kbli: '10794', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'DITOLAK',
      tanggal_pengajuan: '2026-05-04', tanggal_terbit: null, tanggal_berlaku_sampai: null,
      keterangan: 'Label kemasan belum mencantumkan tanggal kedaluwarsa dan komposisi',
    },
    {
      id_izin: 'I-202610191047050317856', jenis_izin: 'PB_UMKU', nama_izin: 'Sertifikat Produksi Pangan Industri Rumah Tangga (SPP-IRT)',
      nomor_izin: null, kbli: '10794', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'PROSES',
      tanggal_pengajuan: '2026-10-19', tanggal_terbit: null, tanggal_berlaku_sampai: null, keterangan: 'Pengajuan ulang; menunggu pemeriksaan sarana',
    },
  ],
  '9121037465120': [
    {
      id_izin: 'I-202202071502290465120', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar Jasa Konstruksi',
      nomor_izin: '91210374651200001', kbli: '41011', instansi: 'Kementerian Pekerjaan Umum', kewenangan: 'Menteri', status_izin: 'TERBIT',
      tanggal_pengajuan: '2022-01-17', tanggal_terbit: '2022-02-07', tanggal_berlaku_sampai: '2025-02-07', keterangan: 'Kualifikasi Kecil',
    },
    {
      id_izin: 'I-202502101109520465120', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar Jasa Konstruksi',
      nomor_izin: '91210374651200002', kbli: '41011', instansi: 'Kementerian Pekerjaan Umum', kewenangan: 'Menteri', status_izin: 'TERBIT',
      tanggal_pengajuan: '2025-01-27', tanggal_terbit: '2025-02-10', tanggal_berlaku_sampai: '2028-02-10', keterangan: 'Perpanjangan; Kualifikasi Kecil',
    },
  ],
  '9121145729384': [
    {
      id_izin: 'I-202109061112030729384', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91211457293840001', kbli: '10722', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2021-09-06', tanggal_terbit: '2021-09-06', tanggal_berlaku_sampai: null, keterangan: null,
    },
  ],
  '9121478563092': [
    {
      id_izin: 'I-202204181030470563092', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91214785630920001', kbli: '14111', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2022-04-18', tanggal_terbit: '2022-04-18', tanggal_berlaku_sampai: null, keterangan: null,
    },
  ],
  '9121586031457': [
    {
      id_izin: 'I-202611021345180031457', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar Daya Tarik Wisata',
      nomor_izin: null, kbli: '93290', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'PROSES',
      tanggal_pengajuan: '2026-11-02', tanggal_terbit: null, tanggal_berlaku_sampai: null, keterangan: 'Menunggu verifikasi Dinas Pariwisata dan Kebudayaan',
    },
  ],
  '9121694278536': [
    {
      id_izin: 'I-202210241404510278536', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91216942785360001', kbli: '10794', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2022-10-24', tanggal_terbit: '2022-10-24', tanggal_berlaku_sampai: null, keterangan: null,
    },
    {
      id_izin: 'I-202211280936140278536', jenis_izin: 'PB_UMKU', nama_izin: 'Sertifikat Produksi Pangan Industri Rumah Tangga (SPP-IRT)',
      nomor_izin: 'P-IRT No. 2123503100157-27', kbli: '10794', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2022-11-28', tanggal_terbit: '2022-12-19', tanggal_berlaku_sampai: '2027-12-19', keterangan: 'Produk: rengginang ketan',
    },
  ],
  '9121702563819': [
    {
      id_izin: 'I-202111221028390563819', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91217025638190001', kbli: '31001', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2021-11-22', tanggal_terbit: '2021-11-22', tanggal_berlaku_sampai: null, keterangan: 'Migrasi dari OSS 1.1',
    },
  ],
  '9121810947265': [
    {
      id_izin: 'I-202112061457260947265', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91218109472650001', kbli: '10710', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2021-12-06', tanggal_terbit: '2021-12-06', tanggal_berlaku_sampai: null, keterangan: null,
    },
    {
      id_izin: 'I-202201100914450947265', jenis_izin: 'PB_UMKU', nama_izin: 'Sertifikat Produksi Pangan Industri Rumah Tangga (SPP-IRT)',
      nomor_izin: 'P-IRT No. 2063503110233-27', kbli: '10710', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2022-01-10', tanggal_terbit: '2022-02-02', tanggal_berlaku_sampai: '2027-02-02', keterangan: 'Produk: roti manis, bolu kukus',
    },
    {
      id_izin: 'I-202308141120380947265', jenis_izin: 'PB_UMKU', nama_izin: 'Sertifikat Halal',
      nomor_izin: 'ID35110001234560823', kbli: '10710', instansi: 'Badan Penyelenggara Jaminan Produk Halal', kewenangan: 'Menteri', status_izin: 'TERBIT',
      tanggal_pengajuan: '2023-08-14', tanggal_terbit: '2023-09-25', tanggal_berlaku_sampai: null, keterangan: 'Skema pernyataan pelaku usaha (self declare)',
    },
  ],
  '9121925618304': [
    {
      id_izin: 'I-202201241009130618304', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91219256183040001', kbli: '18111', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2022-01-24', tanggal_terbit: '2022-01-24', tanggal_berlaku_sampai: null, keterangan: null,
    },
  ],
  '9122031476859': [
    {
      id_izin: 'I-202111151317050476859', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91220314768590001', kbli: '56102', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2021-11-15', tanggal_terbit: '2021-11-15', tanggal_berlaku_sampai: null, keterangan: null,
    },
    {
      id_izin: 'I-202303060841290476859', jenis_izin: 'PB_UMKU', nama_izin: 'Sertifikat Laik Higiene Sanitasi (SLHS) Rumah Makan',
      nomor_izin: '443.5/0088/406.012/2023', kbli: '56102', instansi: 'Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana Kabupaten Trenggalek',
      kewenangan: 'Bupati', status_izin: 'KEDALUWARSA', tanggal_pengajuan: '2023-03-06', tanggal_terbit: '2023-03-30', tanggal_berlaku_sampai: '2026-03-30',
      keterangan: 'Masa berlaku habis, wajib perpanjangan',
    },
  ],
  '9122253908174': [
    {
      id_izin: 'I-202111291052480908174', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91222539081740001', kbli: '10631', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2021-11-29', tanggal_terbit: '2021-11-29', tanggal_berlaku_sampai: null, keterangan: 'Migrasi dari OSS 1.1',
    },
  ],
  '9122361047582': [
    {
      id_izin: 'I-202306261410020047582', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar Pondok Wisata (Pernyataan Mandiri)',
      nomor_izin: '91223610475820001', kbli: '55194', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2023-06-26', tanggal_terbit: '2023-06-26', tanggal_berlaku_sampai: null, keterangan: null,
    },
  ],
  '9122478215936': [
    {
      id_izin: 'I-202211141533400215936', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Pernyataan Mandiri)',
      nomor_izin: '91224782159360001', kbli: '01462', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2022-11-14', tanggal_terbit: '2022-11-14', tanggal_berlaku_sampai: null, keterangan: null,
    },
    {
      id_izin: 'I-202608171002560215936', jenis_izin: 'PB_UMKU', nama_izin: 'Nomor Kontrol Veteriner (NKV) Unit Usaha Budidaya Unggas Petelur',
      nomor_izin: null, kbli: '01462', instansi: 'Pemerintah Provinsi Jawa Timur', kewenangan: 'Gubernur', status_izin: 'PROSES',
      tanggal_pengajuan: '2026-08-17', tanggal_terbit: null, tanggal_berlaku_sampai: null, keterangan: 'Menunggu audit tim NKV provinsi',
    },
  ],
  '9122583610427': [
    {
      id_izin: 'I-202410071126310610427', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Terverifikasi)',
      nomor_izin: null, kbli: '16101', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'DITOLAK',
      tanggal_pengajuan: '2024-10-07', tanggal_terbit: null, tanggal_berlaku_sampai: null,
      keterangan: 'Hasil verifikasi lapangan: dokumen UKL-UPL belum lengkap',
    },
  ],
  '9122690374815': [
    {
      id_izin: 'I-202104191347220374815', jenis_izin: 'IZIN', nama_izin: 'Izin Operasional Klinik Pratama',
      nomor_izin: '503/0031/406.012/2021', kbli: '86105', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'KEDALUWARSA',
      tanggal_pengajuan: '2021-03-22', tanggal_terbit: '2021-04-19', tanggal_berlaku_sampai: '2026-04-19', keterangan: 'Diganti izin perpanjangan',
    },
    {
      id_izin: 'I-202603091015440374815', jenis_izin: 'IZIN', nama_izin: 'Izin Operasional Klinik Pratama',
      nomor_izin: '503/0047/406.012/2026', kbli: '86105', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'TERBIT',
      tanggal_pengajuan: '2026-03-09', tanggal_terbit: '2026-04-13', tanggal_berlaku_sampai: '2031-04-13', keterangan: 'Perpanjangan',
    },
  ],
  '9122812695340': [
    {
      id_izin: 'I-202011021108360695340', jenis_izin: 'PB_UMKU', nama_izin: 'Sertifikat Produksi Pangan Industri Rumah Tangga (SPP-IRT)',
      nomor_izin: 'P-IRT No. 2133503020071-25', kbli: '10799', instansi: PEMKAB, kewenangan: 'Bupati', status_izin: 'KEDALUWARSA',
      tanggal_pengajuan: '2020-11-02', tanggal_terbit: '2020-11-30', tanggal_berlaku_sampai: '2025-11-30', keterangan: 'Masa berlaku habis, wajib perpanjangan',
    },
  ],
  '9122920836471': [
    {
      id_izin: 'I-202310301418090836471', jenis_izin: 'SERTIFIKAT_STANDAR', nama_izin: 'Sertifikat Standar (Terverifikasi)',
      nomor_izin: '91229208364710001', kbli: '10213', instansi: 'Kementerian Kelautan dan Perikanan', kewenangan: 'Menteri', status_izin: 'TERBIT',
      tanggal_pengajuan: '2023-09-18', tanggal_terbit: '2023-10-30', tanggal_berlaku_sampai: null, keterangan: null,
    },
    {
      id_izin: 'I-202312111003170836471', jenis_izin: 'PB_UMKU', nama_izin: 'Sertifikat Kelayakan Pengolahan (SKP)',
      nomor_izin: '3503/SKP/0042/XII/2023', kbli: '10213', instansi: 'Kementerian Kelautan dan Perikanan', kewenangan: 'Menteri', status_izin: 'TERBIT',
      tanggal_pengajuan: '2023-11-20', tanggal_terbit: '2023-12-11', tanggal_berlaku_sampai: '2026-12-11', keterangan: 'Peringkat A',
    },
  ],
};
