import { KECAMATAN_SISMIOP, formatNop, type NopParts } from './nop';
import { DAY_MS, HOUR_MS, addDays, atWib, daysBetween, wibDate, wibTimestamp, weekday } from './time';
import { prng } from '@gerbang/simkit/random';

/**
 * Deterministic PBB-P2 data for Trenggalek: reference areas, ~150 tax objects and their owners,
 * four years of SPPT with payments, and counter service requests. Everything except dates relative
 * to `now` (tax years, the demo citizens' recent requests) comes from a fixed-seed generator.
 */

export const OFFICERS = {
  bambang: '198406252008011004', // Bambang Sutrisno, Penata Pajak Daerah
  lilis: '199107042017082003', // Lilis Suryani, Pengolah Data PBB
} as const;
/** What SISMIOP records as the "officer" of a payment that arrived host-to-host from a bank. */
export const NIP_H2H = '999999999999999999';

export const JENIS_PELAYANAN = {
  PENDAFTARAN: '01',
  MUTASI: '02',
  PEMBETULAN: '03',
  PEMBATALAN: '04',
  SALINAN: '05',
  KEBERATAN: '07',
  PENGURANGAN: '08',
} as const;
export type JenisPelayanan = keyof typeof JENIS_PELAYANAN;
const REF_JNS_PELAYANAN: readonly [string, string][] = [
  ['01', 'PENDAFTARAN DATA BARU'],
  ['02', 'MUTASI OBJEK/SUBJEK PAJAK'],
  ['03', 'PEMBETULAN SPPT/SKP/STP'],
  ['04', 'PEMBATALAN SPPT/SKP'],
  ['05', 'SALINAN SPPT/SKP'],
  ['07', 'KEBERATAN ATAS PAJAK TERHUTANG'],
  ['08', 'PENGURANGAN ATAS BESARNYA PAJAK TERHUTANG'],
];

export const STATUS_PELAYANAN = { DITERIMA: '0', DIPROSES: '1', SELESAI: '2', DITOLAK: '3' } as const;
export type StatusPelayanan = keyof typeof STATUS_PELAYANAN;
const REF_STATUS_PELAYANAN: readonly [string, string][] = [
  ['0', 'BERKAS DITERIMA'],
  ['1', 'DALAM PENELITIAN'],
  ['2', 'SELESAI'],
  ['3', 'DITOLAK'],
];

/** Bank Jatim is the regency's cash-holding bank; the others are collecting partners. */
export const TEMPAT_PEMBAYARAN: readonly { kdBank: string; kdPersepsi: string; kdTp: string; nama: string; alamat: string; rekening: string; h2h: boolean }[] = [
  { kdBank: '01', kdPersepsi: '01', kdTp: '01', nama: 'BANK JATIM CABANG TRENGGALEK', alamat: 'JL. PANGLIMA SUDIRMAN TRENGGALEK', rekening: '0011030001', h2h: true },
  { kdBank: '01', kdPersepsi: '01', kdTp: '02', nama: 'KAS BANK JATIM MPP TRENGGALEK', alamat: 'MAL PELAYANAN PUBLIK TRENGGALEK', rekening: '0011030001', h2h: false },
  { kdBank: '01', kdPersepsi: '01', kdTp: '03', nama: 'BANK JATIM - QRIS DAN E-COMMERCE', alamat: '-', rekening: '0011030001', h2h: true },
  { kdBank: '02', kdPersepsi: '02', kdTp: '04', nama: 'BANK BRI CABANG TRENGGALEK', alamat: 'JL. SOEKARNO HATTA TRENGGALEK', rekening: '0123010004567', h2h: true },
  { kdBank: '03', kdPersepsi: '03', kdTp: '05', nama: 'PT POS INDONESIA KCU TRENGGALEK', alamat: 'JL. PANGLIMA SUDIRMAN TRENGGALEK', rekening: '-', h2h: true },
];
const KANWIL = '01';
const KPPBB = '01';

type Zone = 'KOTA' | 'PINGGIR' | 'DESA';
interface Area {
  kd: string;
  kodePos: string;
  zone: Zone;
  /** Villages in code order (001, 002, …); `*` marks a kelurahan (urban sector). */
  desa: readonly string[];
}
const AREAS: readonly Area[] = [
  { kd: '010', kodePos: '66364', zone: 'DESA', desa: ['PANGGUL', 'BODAG', 'WONOCOYO', 'NGRAMBINGAN', 'BESUKI', 'NGLEBENG', 'SAWAHAN'] },
  { kd: '020', kodePos: '66365', zone: 'DESA', desa: ['MUNJUNGAN', 'BANGUN', 'MASARAN', 'CRAKEN', 'TAWING', 'KARANGTURI'] },
  { kd: '030', kodePos: '66362', zone: 'DESA', desa: ['PULE', 'PAKEL', 'JOHO', 'KEMBANGAN', 'SIDOMULYO', 'JOMBOK'] },
  { kd: '040', kodePos: '66363', zone: 'DESA', desa: ['DONGKO', 'PANDEAN', 'PETUNG', 'CAKUL', 'SIKI', 'PRINGAPUS', 'SALAMWATES'] },
  { kd: '050', kodePos: '66352', zone: 'DESA', desa: ['TUGU', 'NGLINGGIS', 'GONDANG', 'PUCANGANAK', 'DERMOSARI', 'WINONG'] },
  { kd: '060', kodePos: '66361', zone: 'PINGGIR', desa: ['KARANGAN', 'KAYEN', 'SUMBERINGIN', 'JATI', 'SALAMREJO', 'BULUAGUNG'] },
  { kd: '070', kodePos: '66373', zone: 'DESA', desa: ['KAMPAK', 'BENDOAGUNG', 'NGADIMULYO', 'SENDEN', 'SUGIHAN', 'TIMAHAN'] },
  { kd: '080', kodePos: '66382', zone: 'DESA', desa: ['WATULIMO', 'PRIGI', 'TASIKMADU', 'KARANGGANDU', 'SLAWE', 'GEMAHARJO'] },
  { kd: '090', kodePos: '66351', zone: 'DESA', desa: ['DOMPYONG', 'DEPOK', 'SRABAH', 'SUMURUP', 'BOTOPUTIH', 'SURENLOR'] },
  { kd: '100', kodePos: '66372', zone: 'DESA', desa: ['GANDUSARI', 'WONOREJO', 'KARANGANYAR', 'WIDORO', 'KRANDEGAN', 'NGRAYUNG'] },
  { kd: '110', kodePos: '66311', zone: 'KOTA', desa: ['*SUMBERGEDONG', '*TAMANAN', '*KELUTAN', '*SURODAKAN', '*NGANTRU', 'REJOWINANGUN', 'NGARES', 'KARANGSOKO', 'DAWUHAN'] },
  { kd: '120', kodePos: '66371', zone: 'PINGGIR', desa: ['POGALAN', 'NGADIRENGGO', 'NGETAL', 'WONOCOYO', 'BENDOREJO', 'GEMBLEB', 'NGADIREJO', 'KEDUNGLURAH'] },
  { kd: '130', kodePos: '66381', zone: 'PINGGIR', desa: ['DURENAN', 'BARUHARJO', 'KAMULAN', 'SEMARUM', 'MALASAN', 'NGADISUKO', 'KENDALREJO'] },
  { kd: '140', kodePos: '66362', zone: 'DESA', desa: ['SURUH', 'MLINJON', 'PURU', 'GAMPING', 'NGLEBO', 'WONOKERTO'] },
];

const MALE = [
  'AGUS',
  'BAMBANG',
  'SLAMET',
  'SUYANTO',
  'SUGENG',
  'JOKO',
  'WAHYU',
  'HERI',
  'SUTRISNO',
  'SUPRIYADI',
  'MULYONO',
  'SUKARDI',
  'TEGUH',
  'IMAM',
  'AHMAD',
  'YUSUF',
  'SUPARMAN',
  'KATENO',
  'SAMSUL',
  'PAIMIN',
  'DIDIK',
  'PURNOMO',
  'HARIYONO',
  'SUWARNO',
];
const FEMALE = ['SRI', 'SULASTRI', 'SUYATI', 'PARTINI', 'ENDAH', 'WARTINI', 'SUMIATI', 'LESTARI', 'DEWI', 'YULIANA', 'MURNI', 'SUNARTI', 'RUKMINI', 'NINIK', 'TUTIK', 'WIWIK', 'KATMI', 'MARYAM'];
const SECOND_M = ['SANTOSO', 'PRASETYO', 'WIBOWO', 'HIDAYAT', 'SETIAWAN', 'NUGROHO', 'SUSILO', 'RIYANTO', 'KURNIAWAN', 'SAPUTRO', ''];
const SECOND_F = ['RAHAYU', 'WAHYUNI', 'LESTARI', 'ASTUTI', 'HANDAYANI', 'SURYANI', 'WULANDARI', 'NINGSIH', ''];
const STREETS_KOTA = [
  'JL. SOEKARNO HATTA',
  'JL. KH. AGUS SALIM',
  'JL. RA KARTINI',
  'JL. PAHLAWAN',
  'JL. MAYJEN SUNGKONO',
  'JL. BRIGJEN SUTRAN',
  'JL. DR. SUTOMO',
  'JL. PATTIMURA',
  'JL. KANJENG JIMAT',
  'JL. WR. SUPRATMAN',
];
const DUSUN = ['KRAJAN', 'BARON', 'NGLAMPIR', 'SUMBER', 'GAYAM', 'KEDUNGSARI', 'NGRANDU', 'TAWANG', 'SIDOREJO', 'PUNDUNG', 'JATI', 'BLIMBING'];

export interface SeedRows {
  kecamatan: unknown[][];
  kelurahan: unknown[][];
  tempatPembayaran: unknown[][];
  jenisPelayanan: unknown[][];
  statusPelayanan: unknown[][];
  subjek: unknown[][];
  objek: unknown[][];
  sppt: unknown[][];
  pembayaran: unknown[][];
  /** In change-feed order: inserted in this order, they get ascending UPDATE_SEQ. */
  permohonan: unknown[][];
}

export const COLUMNS = {
  kecamatan: ['KD_PROPINSI', 'KD_DATI2', 'KD_KECAMATAN', 'NM_KECAMATAN'],
  kelurahan: ['KD_PROPINSI', 'KD_DATI2', 'KD_KECAMATAN', 'KD_KELURAHAN', 'KD_SEKTOR', 'NM_KELURAHAN', 'NO_KELURAHAN', 'KD_POS_KELURAHAN'],
  tempatPembayaran: ['KD_KANWIL', 'KD_KPPBB', 'KD_BANK_TUNGGAL', 'KD_BANK_PERSEPSI', 'KD_TP', 'NM_TP', 'ALAMAT_TP', 'NO_REK_TP'],
  jenisPelayanan: ['KD_JNS_PELAYANAN', 'NM_JENIS_PELAYANAN'],
  statusPelayanan: ['STATUS_PELAYANAN', 'NM_STATUS_PELAYANAN'],
  subjek: ['SUBJEK_PAJAK_ID', 'NM_WP', 'JALAN_WP', 'BLOK_KAV_NO_WP', 'RW_WP', 'RT_WP', 'KELURAHAN_WP', 'KOTA_WP', 'KD_POS_WP', 'TELP_WP', 'STATUS_PEKERJAAN_WP'],
  objek: [
    'KD_PROPINSI',
    'KD_DATI2',
    'KD_KECAMATAN',
    'KD_KELURAHAN',
    'KD_BLOK',
    'NO_URUT',
    'KD_JNS_OP',
    'SUBJEK_PAJAK_ID',
    'NO_FORMULIR_SPOP',
    'JALAN_OP',
    'BLOK_KAV_NO_OP',
    'RW_OP',
    'RT_OP',
    'KD_STATUS_WP',
    'TOTAL_LUAS_BUMI',
    'TOTAL_LUAS_BNG',
    'NJOP_BUMI',
    'NJOP_BNG',
    'TGL_PENDATAAN_OP',
    'NIP_PENDATA',
    'TGL_PEREKAMAN_OP',
    'NIP_PEREKAM_OP',
  ],
  sppt: [
    'KD_PROPINSI',
    'KD_DATI2',
    'KD_KECAMATAN',
    'KD_KELURAHAN',
    'KD_BLOK',
    'NO_URUT',
    'KD_JNS_OP',
    'THN_PAJAK_SPPT',
    'KD_KANWIL',
    'KD_KANTOR',
    'NM_WP_SPPT',
    'JLN_WP_SPPT',
    'RW_WP_SPPT',
    'RT_WP_SPPT',
    'KELURAHAN_WP_SPPT',
    'KOTA_WP_SPPT',
    'KD_KLS_TANAH',
    'KD_KLS_BNG',
    'TGL_JATUH_TEMPO_SPPT',
    'LUAS_BUMI_SPPT',
    'LUAS_BNG_SPPT',
    'NJOP_BUMI_SPPT',
    'NJOP_BNG_SPPT',
    'NJOP_SPPT',
    'NJOPTKP_SPPT',
    'PBB_TERHUTANG_SPPT',
    'PBB_YG_HARUS_DIBAYAR_SPPT',
    'STATUS_PEMBAYARAN_SPPT',
    'TGL_TERBIT_SPPT',
    'TGL_CETAK_SPPT',
    'NIP_PENCETAK_SPPT',
  ],
  pembayaran: [
    'KD_PROPINSI',
    'KD_DATI2',
    'KD_KECAMATAN',
    'KD_KELURAHAN',
    'KD_BLOK',
    'NO_URUT',
    'KD_JNS_OP',
    'THN_PAJAK_SPPT',
    'PEMBAYARAN_SPPT_KE',
    'KD_KANWIL_BANK',
    'KD_KPPBB_BANK',
    'KD_BANK_TUNGGAL',
    'KD_BANK_PERSEPSI',
    'KD_TP',
    'DENDA_SPPT',
    'JML_SPPT_YG_DIBAYAR',
    'TGL_PEMBAYARAN_SPPT',
    'TGL_REKAM_BYR_SPPT',
    'NIP_REKAM_BYR_SPPT',
  ],
  permohonan: [
    'THN_PELAYANAN',
    'BUNDEL_PELAYANAN',
    'NO_URUT_PELAYANAN',
    'NO_PELAYANAN',
    'KD_JNS_PELAYANAN',
    'KD_PROPINSI',
    'KD_DATI2',
    'KD_KECAMATAN',
    'KD_KELURAHAN',
    'KD_BLOK',
    'NO_URUT',
    'KD_JNS_OP',
    'THN_PAJAK_PERMOHONAN',
    'NIK_PEMOHON',
    'NAMA_PEMOHON',
    'ALAMAT_PEMOHON',
    'KETERANGAN_PST',
    'STATUS_PELAYANAN',
    'TGL_TERIMA',
    'TGL_PERKIRAAN_SELESAI',
    'TGL_SELESAI',
    'NIP_PENERIMA',
    'NIP_PETUGAS',
    'TGL_UPDATE',
  ],
} as const;

/** Demo citizens (DEMO-DATA.md) and their tax objects. */
export const DEMO = {
  siti: {
    nik: '3503115708900001',
    rumah: { kdPropinsi: '35', kdDati2: '03', kdKecamatan: '110', kdKelurahan: '005', kdBlok: '001', noUrut: '0012', kdJnsOp: '0' },
    sawah: { kdPropinsi: '35', kdDati2: '03', kdKecamatan: '110', kdKelurahan: '007', kdBlok: '004', noUrut: '0031', kdJnsOp: '0' },
  },
  budi: {
    nik: '3503120203850002',
    rumah: { kdPropinsi: '35', kdDati2: '03', kdKecamatan: '120', kdKelurahan: '003', kdBlok: '002', noUrut: '0007', kdJnsOp: '0' },
  },
} as const satisfies Record<string, { nik: string } & Record<string, NopParts | string>>;

interface Subject {
  id: string;
  nama: string;
  jalan: string;
  rw: string;
  rt: string;
  kelurahan: string;
  kodePos: string;
  /** NOP of the object that gets the taxpayer's one NJOPTKP allowance. */
  primary?: string;
}

interface TaxObject {
  nop: NopParts;
  subject: Subject;
  jalan: string;
  blokKavNo: string | null;
  rw: string;
  rt: string;
  luasBumi: number;
  luasBng: number;
  /** NJOP per m² in the first seeded year; later years are revalued. */
  bumiM2: number;
  bngM2: number;
  /** Share of years paid on time, and what happens to the current year. */
  payCurrent: 'paid' | 'unpaid' | 'random';
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const key = (n: NopParts) => formatNop(n, 'plain');

/** NJOP per m² class of land/buildings: SISMIOP's A01 (dearest) … A50, from a log scale. */
function kelas(perM2: number): string {
  const n = Math.min(50, Math.max(1, Math.round(50 - 8.7 * Math.log10(perM2 / 100))));
  return `A${pad(n, 2)}`;
}

/** PBB-P2 owed: 0.1% of NJOP above the allowance (0.2% for NJOP over Rp 1 billion), at least Rp 10,000. */
export function pbbTerhutang(njop: number, njoptkp: number): number {
  const njkp = Math.max(0, njop - njoptkp);
  const perMille = njop > 1_000_000_000 ? 2 : 1;
  return Math.max(10_000, Math.round((njkp * perMille) / 1000));
}

/**
 * Late-payment surcharge: per started month after the due date, capped at 24 months; 2% a month for
 * tax years before 2024, 1% from 2024 (UU 1/2022 HKPD).
 */
export function dendaPbb(pokok: number, thnPajak: number, jatuhTempo: string, tglBayar: string): number {
  if (tglBayar <= jatuhTempo) return 0;
  const [dy, dm, dd] = jatuhTempo.split('-').map(Number) as [number, number, number];
  const [py, pm, pd] = tglBayar.split('-').map(Number) as [number, number, number];
  const months = Math.min(24, (py - dy) * 12 + (pm - dm) + (pd > dd ? 1 : 0));
  const pct = thnPajak < 2024 ? 2 : 1;
  return Math.round((pokok * pct * months) / 100);
}

export function buildSeed(now: Date): SeedRows {
  const rand = prng(0x0350_3000);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const between = (a: number, b: number) => a + Math.floor(rand() * (b - a + 1));
  const today = wibDate(now);
  const currentYear = Number(today.slice(0, 4));
  const years = [currentYear - 3, currentYear - 2, currentYear - 1, currentYear];

  const rows: SeedRows = { kecamatan: [], kelurahan: [], tempatPembayaran: [], jenisPelayanan: [], statusPelayanan: [], subjek: [], objek: [], sppt: [], pembayaran: [], permohonan: [] };
  for (const [kd, nama] of Object.entries(KECAMATAN_SISMIOP)) rows.kecamatan.push(['35', '03', kd, nama]);
  for (const a of AREAS) {
    a.desa.forEach((d, i) => rows.kelurahan.push(['35', '03', a.kd, pad(i + 1, 3), d.startsWith('*') ? '10' : '20', d.replace('*', ''), i + 1, a.kodePos]));
  }
  for (const t of TEMPAT_PEMBAYARAN) rows.tempatPembayaran.push([KANWIL, KPPBB, t.kdBank, t.kdPersepsi, t.kdTp, t.nama, t.alamat, t.rekening]);
  rows.jenisPelayanan.push(...REF_JNS_PELAYANAN);
  rows.statusPelayanan.push(...REF_STATUS_PELAYANAN);

  // --- owners and objects ---------------------------------------------------------------------
  const subjects: Subject[] = [];
  const objects: TaxObject[] = [];
  const used = new Set<string>();
  const desaName = (kec: string, kel: string) => AREAS.find((a) => a.kd === kec)!.desa[Number(kel) - 1]!.replace('*', '');

  const siti: Subject = { id: DEMO.siti.nik, nama: 'SITI RAHAYU', jalan: 'JL. PANGLIMA SUDIRMAN NO. 21', rw: '04', rt: '002', kelurahan: 'NGANTRU', kodePos: '66311' };
  const budi: Subject = { id: DEMO.budi.nik, nama: 'BUDI SANTOSO', jalan: 'DSN. NGETAL', rw: '02', rt: '003', kelurahan: 'NGETAL', kodePos: '66371' };
  subjects.push(siti, budi);
  objects.push(
    {
      nop: DEMO.siti.rumah,
      subject: siti,
      jalan: 'JL. PANGLIMA SUDIRMAN',
      blokKavNo: 'NO. 21',
      rw: '04',
      rt: '002',
      luasBumi: 180,
      luasBng: 96,
      bumiM2: 735_000,
      bngM2: 1_250_000,
      payCurrent: 'paid',
    },
    { nop: DEMO.siti.sawah, subject: siti, jalan: 'PERSAWAHAN NGARES', blokKavNo: null, rw: '01', rt: '004', luasBumi: 1450, luasBng: 0, bumiM2: 48_000, bngM2: 0, payCurrent: 'unpaid' },
    { nop: DEMO.budi.rumah, subject: budi, jalan: 'DSN. NGETAL', blokKavNo: null, rw: '02', rt: '003', luasBumi: 320, luasBng: 72, bumiM2: 164_000, bngM2: 950_000, payCurrent: 'paid' },
  );
  for (const o of objects) used.add(key(o.nop));

  let nikSerial = 200;
  const newSubject = (area: Area): Subject => {
    const female = rand() < 0.3;
    const year = between(1945, 1995);
    const birth = pad(year % 100, 2);
    const day = between(1, 28) + (female ? 40 : 0);
    const popKec = pad(Number(area.kd) / 10, 2);
    const id = `3503${popKec}${pad(day, 2)}${pad(between(1, 12), 2)}${birth}${pad(++nikSerial, 4)}`;
    const first = pick(female ? FEMALE : MALE);
    const second = pick(female ? SECOND_F : SECOND_M);
    const haji = year < 1970 && rand() < 0.2 ? (female ? 'HJ. ' : 'H. ') : '';
    const nama = `${haji}${first}${second ? ` ${second}` : ''}`.slice(0, 30);
    const kelurahan = pick(area.desa).replace('*', '');
    const jalan = area.zone === 'KOTA' && rand() < 0.7 ? `${pick(STREETS_KOTA)} NO. ${between(1, 120)}` : `DSN. ${pick(DUSUN)}`;
    const s: Subject = { id, nama, jalan: jalan.slice(0, 30), rw: pad(between(1, 8), 2), rt: pad(between(1, 12), 3), kelurahan, kodePos: area.kodePos };
    subjects.push(s);
    return s;
  };

  while (objects.length < 150) {
    // Town kecamatan carry more objects, as they do in the real roll.
    const area = rand() < 0.25 ? AREAS.find((a) => a.kd === '110')! : pick(AREAS);
    const kel = between(1, area.desa.length);
    const blok = between(1, 8);
    const nop: NopParts = { kdPropinsi: '35', kdDati2: '03', kdKecamatan: area.kd, kdKelurahan: pad(kel, 3), kdBlok: pad(blok, 3), noUrut: pad(between(1, 180), 4), kdJnsOp: '0' };
    if (used.has(key(nop))) continue;
    used.add(key(nop));
    const owner = subjects.length > 3 && rand() < 0.18 ? pick(subjects.slice(2)) : newSubject(area);
    const sawah = rand() < 0.22;
    const urban = area.zone === 'KOTA' && area.desa[kel - 1]!.startsWith('*');
    const bumiM2 = sawah ? between(8, 35) * 1000 : urban ? between(25, 90) * 10_000 : area.zone === 'PINGGIR' || area.zone === 'KOTA' ? between(6, 20) * 10_000 : between(10, 60) * 1000;
    const luasBumi = sawah ? between(10, 50) * 100 : between(8, 60) * 10;
    const luasBng = sawah || rand() < 0.12 ? 0 : Math.min(luasBumi, between(30, 250));
    const desa = desaName(area.kd, pad(kel, 3));
    objects.push({
      nop,
      subject: owner,
      jalan: (sawah ? `${pick(['PERSAWAHAN', 'TEGALAN'])} ${desa}` : urban ? pick(STREETS_KOTA) : `DSN. ${pick(DUSUN)}`).slice(0, 30),
      blokKavNo: urban && !sawah ? `NO. ${between(1, 150)}` : null,
      rw: pad(between(1, 8), 2),
      rt: pad(between(1, 12), 3),
      luasBumi,
      luasBng,
      bumiM2,
      bngM2: luasBng ? between(40, 120) * 10_000 : 0,
      payCurrent: 'random',
    });
  }
  objects.sort((a, b) => (key(a.nop) < key(b.nop) ? -1 : 1));
  // The NJOPTKP allowance is granted once per taxpayer: to the first object in NOP order.
  for (const o of objects) o.subject.primary ??= key(o.nop);

  for (const s of subjects) rows.subjek.push([s.id, s.nama, s.jalan, null, s.rw, s.rt, s.kelurahan, 'TRENGGALEK', s.kodePos, null, '5']);
  for (const o of objects) {
    const recorded = `${years[0]! - between(3, 15)}-${pad(between(1, 12), 2)}-${pad(between(1, 28), 2)}`;
    const n = o.nop;
    rows.objek.push([
      n.kdPropinsi,
      n.kdDati2,
      n.kdKecamatan,
      n.kdKelurahan,
      n.kdBlok,
      n.noUrut,
      n.kdJnsOp,
      o.subject.id,
      `${recorded.slice(0, 4)}${pad(between(1, 40), 4)}${pad(between(1, 999), 3)}`,
      o.jalan,
      o.blokKavNo,
      o.rw,
      o.rt,
      '1',
      o.luasBumi,
      o.luasBng,
      o.luasBumi * revalued(o.bumiM2, 3),
      o.luasBng * revalued(o.bngM2, 3),
      recorded,
      OFFICERS.bambang,
      recorded,
      OFFICERS.lilis,
    ]);
  }

  // --- SPPT and payments ----------------------------------------------------------------------
  for (const o of objects) {
    const n = o.nop;
    years.forEach((year, idx) => {
      const terbit = `${year}-02-03`;
      const jatuhTempo = `${year}-08-31`;
      if (terbit > today) return;
      const bumiM2 = revalued(o.bumiM2, idx);
      const bngM2 = revalued(o.bngM2, idx);
      const njopBumi = o.luasBumi * bumiM2;
      const njopBng = o.luasBng * bngM2;
      const njop = njopBumi + njopBng;
      const njoptkp = o.subject.primary === key(n) ? 10_000_000 : 0;
      const pbb = pbbTerhutang(njop, njoptkp);

      let payDate: string | null = null;
      const current = year === currentYear;
      const latest = addDays(today, -1);
      if (current && o.payCurrent !== 'random') {
        if (o.payCurrent === 'paid') {
          const d = `${year}-06-12` < latest ? `${year}-06-12` : latest;
          payDate = d >= terbit ? d : null;
        }
      } else if (!current && o.payCurrent !== 'random') {
        payDate = `${year}-${pad(between(3, 8), 2)}-${pad(between(1, 28), 2)}`;
      } else if (rand() < (current ? 0.45 : 0.85)) {
        // Most pay in the weeks before the due date; some months after it, with a surcharge.
        const late = rand() < 0.15;
        const d = late ? addDays(jatuhTempo, between(5, 300)) : addDays(terbit, between(20, daysBetween(terbit, jatuhTempo)));
        payDate = d <= latest ? d : null;
      }

      rows.sppt.push([
        n.kdPropinsi,
        n.kdDati2,
        n.kdKecamatan,
        n.kdKelurahan,
        n.kdBlok,
        n.noUrut,
        n.kdJnsOp,
        String(year),
        KANWIL,
        KPPBB,
        o.subject.nama,
        o.subject.jalan,
        o.subject.rw,
        o.subject.rt,
        o.subject.kelurahan,
        'TRENGGALEK',
        kelas(bumiM2),
        o.luasBng ? kelas(bngM2) : 'XXX',
        jatuhTempo,
        o.luasBumi,
        o.luasBng,
        njopBumi,
        njopBng,
        njop,
        njoptkp,
        pbb,
        pbb,
        payDate ? '1' : '0',
        terbit,
        terbit,
        OFFICERS.lilis,
      ]);
      if (payDate) {
        const tp = year >= 2024 ? pick(TEMPAT_PEMBAYARAN) : pick(TEMPAT_PEMBAYARAN.filter((t) => t.kdTp !== '03'));
        const denda = dendaPbb(pbb, year, jatuhTempo, payDate);
        const recordedAt = wibTimestamp(new Date(atWib(payDate, between(8, 14), between(0, 59)).getTime() + (tp.h2h ? 0 : 5 * 60_000)));
        rows.pembayaran.push([
          n.kdPropinsi,
          n.kdDati2,
          n.kdKecamatan,
          n.kdKelurahan,
          n.kdBlok,
          n.noUrut,
          n.kdJnsOp,
          String(year),
          1,
          KANWIL,
          KPPBB,
          tp.kdBank,
          tp.kdPersepsi,
          tp.kdTp,
          denda,
          pbb + denda,
          payDate,
          recordedAt,
          tp.h2h ? NIP_H2H : OFFICERS.lilis,
        ]);
      }
    });
  }

  // --- counter service requests ---------------------------------------------------------------
  interface Request {
    jenis: JenisPelayanan;
    object: TaxObject;
    thnPajak: number;
    terima: Date;
    status: StatusPelayanan;
    selesai: Date | null;
    update: Date;
    petugas: string | null;
    keterangan: string;
  }
  const requests: Request[] = [];
  const sla: Record<JenisPelayanan, number> = { PENDAFTARAN: 10, MUTASI: 7, PEMBETULAN: 7, PEMBATALAN: 10, SALINAN: 1, KEBERATAN: 30, PENGURANGAN: 30 };

  // warga.siti: a copy of her house's SPPT, done the same morning, 1–3 days ago.
  const sitiDay = addDays(today, -2);
  requests.push({
    jenis: 'SALINAN',
    object: objects.find((o) => key(o.nop) === key(DEMO.siti.rumah))!,
    thnPajak: currentYear,
    terima: atWib(sitiDay, 8, 20),
    status: 'SELESAI',
    selesai: atWib(sitiDay, 10, 15),
    update: atWib(sitiDay, 10, 15),
    petugas: OFFICERS.lilis,
    keterangan: 'SALINAN SPPT HILANG',
  });
  // warga.budi: transfer of the house into his name, finished 3–5 days ago.
  const budiDay = addDays(today, -4);
  requests.push({
    jenis: 'MUTASI',
    object: objects.find((o) => key(o.nop) === key(DEMO.budi.rumah))!,
    thnPajak: currentYear,
    terima: atWib(addDays(budiDay, -8), 9, 0),
    status: 'SELESAI',
    selesai: atWib(budiDay, 13, 30),
    update: atWib(budiDay, 13, 30),
    petugas: OFFICERS.bambang,
    keterangan: 'BALIK NAMA DARI SUPARMAN (JUAL BELI)',
  });

  const others = objects.filter((o) => o.subject !== siti && o.subject !== budi);
  const kinds: JenisPelayanan[] = ['SALINAN', 'SALINAN', 'MUTASI', 'MUTASI', 'PEMBETULAN', 'KEBERATAN', 'PENGURANGAN'];
  for (let i = 0; i < 16; i++) {
    const jenis = pick(kinds);
    let day = addDays(today, -between(1, 75));
    while (weekday(day) === 0 || weekday(day) === 6) day = addDays(day, -1);
    const terima = atWib(day, between(8, 13), between(0, 59));
    const age = daysBetween(day, today);
    let status: StatusPelayanan;
    if (jenis === 'SALINAN') status = 'SELESAI';
    else if (age > sla[jenis] + 5) status = rand() < 0.8 ? 'SELESAI' : 'DITOLAK';
    else status = pick(['DITERIMA', 'DIPROSES', 'DIPROSES', 'SELESAI'] as const);
    let selesai: Date | null = null;
    let update = terima;
    if (status === 'SELESAI' || status === 'DITOLAK') {
      const days = jenis === 'SALINAN' ? 0 : between(1, Math.min(age, sla[jenis] + 3));
      selesai = new Date(Math.min(atWib(addDays(day, days), between(9, 15), between(0, 59)).getTime(), now.getTime() - HOUR_MS));
      if (selesai <= terima) selesai = new Date(terima.getTime() + 2 * HOUR_MS);
      update = selesai;
    } else if (status === 'DIPROSES') {
      update = new Date(Math.min(terima.getTime() + DAY_MS, now.getTime() - HOUR_MS));
    }
    const object = pick(others);
    requests.push({
      jenis,
      object,
      thnPajak: jenis === 'KEBERATAN' || jenis === 'PENGURANGAN' ? currentYear : pick(years),
      terima,
      status,
      selesai,
      update,
      petugas: status === 'DITERIMA' ? null : jenis === 'SALINAN' || jenis === 'PEMBETULAN' ? OFFICERS.lilis : OFFICERS.bambang,
      keterangan: {
        PENDAFTARAN: 'PENDAFTARAN OBJEK BARU',
        MUTASI: 'BALIK NAMA (WARIS)',
        PEMBETULAN: 'PEMBETULAN LUAS BANGUNAN',
        PEMBATALAN: 'PEMBATALAN SPPT GANDA',
        SALINAN: 'SALINAN SPPT',
        KEBERATAN: 'KEBERATAN NJOP BUMI TERLALU TINGGI',
        PENGURANGAN: 'PENGURANGAN PBB (LANSIA BERPENGHASILAN RENDAH)',
      }[jenis],
    });
  }

  // Numbers follow the receipt order within each year; rows go in in change-feed order.
  const perYear = new Map<string, number>();
  const numbered = [...requests]
    .sort((a, b) => a.terima.getTime() - b.terima.getTime())
    .map((r) => {
      const thn = wibDate(r.terima).slice(0, 4);
      const n = (perYear.get(thn) ?? 0) + 1;
      perYear.set(thn, n);
      return { r, thn, bundel: pad(Math.floor((n - 1) / 999) + 1, 4), urut: pad(((n - 1) % 999) + 1, 3) };
    });
  numbered.sort((a, b) => a.r.update.getTime() - b.r.update.getTime());
  for (const { r, thn, bundel, urut } of numbered) {
    const n = r.object.nop;
    const s = r.object.subject;
    rows.permohonan.push([
      thn,
      bundel,
      urut,
      `${thn}.${bundel}.${urut}`,
      JENIS_PELAYANAN[r.jenis],
      n.kdPropinsi,
      n.kdDati2,
      n.kdKecamatan,
      n.kdKelurahan,
      n.kdBlok,
      n.noUrut,
      n.kdJnsOp,
      String(r.thnPajak),
      s.id,
      s.nama,
      `${s.jalan}, ${s.kelurahan}`.slice(0, 40),
      r.keterangan,
      STATUS_PELAYANAN[r.status],
      wibTimestamp(r.terima),
      addDays(wibDate(r.terima), sla[r.jenis]),
      r.selesai ? wibTimestamp(r.selesai) : null,
      OFFICERS.lilis,
      r.petugas,
      wibTimestamp(r.update),
    ]);
  }
  return rows;
}

/** NJOP per m² after `yearsLater` annual revaluations of 5%, to whole thousands as SISMIOP's tables have it. */
function revalued(perM2: number, yearsLater: number): number {
  return Math.round((perM2 * (1 + 0.05 * yearsLater)) / 1000) * 1000;
}
