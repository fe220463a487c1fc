import { makeNik } from './nik';
import { prng } from './util';

/**
 * The welfare register (DTKS, now DTSEN): every household of the regency ranked into national
 * welfare deciles 1 (poorest) … 10. Social aid goes to deciles 1–4 only.
 */

export const PROGRAM_CODES = ['PKH', 'BPNT', 'PBI-JK', 'BLT-DD', 'PIP'] as const;
export type ProgramCode = (typeof PROGRAM_CODES)[number];
export const PROGRAM_NAMES: Readonly<Record<ProgramCode, string>> = {
  PKH: 'Program Keluarga Harapan',
  BPNT: 'Bantuan Pangan Non Tunai (Sembako)',
  'PBI-JK': 'Penerima Bantuan Iuran Jaminan Kesehatan',
  'BLT-DD': 'Bantuan Langsung Tunai Dana Desa',
  PIP: 'Program Indonesia Pintar',
};
export const MAX_AID_DECILE = 4;

/** AKTIF receives aid; DITANGGUHKAN is suspended pending re-verification; TIDAK_MENERIMA gets none. */
export type AidStatus = 'AKTIF' | 'DITANGGUHKAN' | 'TIDAK_MENERIMA';

export interface Member {
  nik: string;
  nama: string;
  hubungan: 'KEPALA KELUARGA' | 'ISTRI' | 'SUAMI' | 'ANAK';
  female: boolean;
  birth: string;
  programs: ProgramCode[];
  status: AidStatus;
}

export interface Household {
  /** The family card (KK) number, which DTSEN uses as the household key in regency exports. */
  idKeluarga: string;
  desil: number;
  kecamatan: string;
  desa: string;
  members: Member[];
}

/** Kecamatan by their two-digit population code, with a selection of their villages and kelurahan. */
export const WILAYAH: readonly { kode: number; nama: string; desa: readonly string[] }[] = [
  { kode: 1, nama: 'Panggul', desa: ['Panggul', 'Bodag', 'Wonocoyo', 'Ngrambingan', 'Besuki', 'Nglebeng', 'Sawahan'] },
  { kode: 2, nama: 'Munjungan', desa: ['Munjungan', 'Bangun', 'Masaran', 'Craken', 'Tawing', 'Karangturi'] },
  { kode: 3, nama: 'Pule', desa: ['Pule', 'Pakel', 'Joho', 'Kembangan', 'Sidomulyo', 'Jombok'] },
  { kode: 4, nama: 'Dongko', desa: ['Dongko', 'Pandean', 'Petung', 'Cakul', 'Siki', 'Pringapus', 'Salamwates'] },
  { kode: 5, nama: 'Tugu', desa: ['Tugu', 'Nglinggis', 'Gondang', 'Pucanganak', 'Dermosari', 'Winong'] },
  { kode: 6, nama: 'Karangan', desa: ['Karangan', 'Kayen', 'Sumberingin', 'Jati', 'Salamrejo', 'Buluagung'] },
  { kode: 7, nama: 'Kampak', desa: ['Kampak', 'Bendoagung', 'Ngadimulyo', 'Senden', 'Sugihan', 'Timahan'] },
  { kode: 8, nama: 'Watulimo', desa: ['Watulimo', 'Prigi', 'Tasikmadu', 'Karanggandu', 'Slawe', 'Gemaharjo'] },
  { kode: 9, nama: 'Bendungan', desa: ['Dompyong', 'Depok', 'Srabah', 'Sumurup', 'Botoputih', 'Surenlor'] },
  { kode: 10, nama: 'Gandusari', desa: ['Gandusari', 'Wonorejo', 'Karanganyar', 'Widoro', 'Krandegan', 'Ngrayung'] },
  { kode: 11, nama: 'Trenggalek', desa: ['Ngantru', 'Sumbergedong', 'Tamanan', 'Kelutan', 'Surodakan', 'Rejowinangun', 'Ngares', 'Karangsoko'] },
  { kode: 12, nama: 'Pogalan', desa: ['Pogalan', 'Ngadirenggo', 'Ngetal', 'Wonocoyo', 'Bendorejo', 'Gembleb', 'Kedunglurah'] },
  { kode: 13, nama: 'Durenan', desa: ['Durenan', 'Baruharjo', 'Kamulan', 'Semarum', 'Malasan', 'Ngadisuko', 'Kendalrejo'] },
  { kode: 14, nama: 'Suruh', desa: ['Suruh', 'Mlinjon', 'Puru', 'Gamping', 'Nglebo', 'Wonokerto'] },
];

const MALE = [
  'AGUS',
  'BAMBANG',
  'SLAMET',
  'SUYANTO',
  'SUGENG',
  'JOKO',
  'WAHYU',
  'EKO',
  'HERI',
  'SUTRISNO',
  'SUPRIYADI',
  'MULYONO',
  'SUKARDI',
  'TEGUH',
  'IMAM',
  'AHMAD',
  'YUSUF',
  'RUDI',
  'SUPARMAN',
  'KATENO',
  'SAMSUL',
  'PAIMIN',
  'DIDIK',
  'PURNOMO',
];
const FEMALE = [
  'SRI',
  'SULASTRI',
  'SUYATI',
  'PARTINI',
  'ENDAH',
  'WARTINI',
  'SUMIATI',
  'LESTARI',
  'DEWI',
  'YULIANA',
  'MURNI',
  'SUNARTI',
  'RUKMINI',
  'NINIK',
  'TUTIK',
  'WIWIK',
  'KATMI',
  'SITI',
  'TRI',
  'MARYAM',
];
const SECOND_M = ['SANTOSO', 'PRASETYO', 'WIBOWO', 'HIDAYAT', 'SETIAWAN', 'NUGROHO', 'SUSILO', 'RIYANTO', 'KURNIAWAN', 'SAPUTRO', ''];
const SECOND_F = ['RAHAYU', 'WAHYUNI', 'LESTARI', 'ASTUTI', 'HANDAYANI', 'SURYANI', 'WULANDARI', 'PUSPITASARI', 'NINGSIH', ''];
const CHILD_M = ['ADITYA', 'BAGAS', 'DIMAS', 'FAJAR', 'RIZKY', 'GILANG', 'RAFI', 'ARDIAN', 'YOGA', 'BAYU'];
const CHILD_F = ['AULIA', 'NAYLA', 'PUTRI', 'SALSABILA', 'ANISA', 'DWI', 'FITRI', 'INTAN', 'AYU', 'ZAHRA'];

/** The register's reference moment: ages (school age for PIP) are counted at mid-2026. */
const REFERENCE_YEAR = 2026;

export const DEMO_HOUSEHOLDS = {
  siti: { idKeluarga: '3503111203150004', nik: '3503115708900001' },
  budi: { idKeluarga: '3503122506100007', nik: '3503120203850002' },
} as const;

function demoHouseholds(): Household[] {
  const siti: Household = {
    idKeluarga: DEMO_HOUSEHOLDS.siti.idKeluarga,
    desil: 3,
    kecamatan: 'Trenggalek',
    desa: 'Ngantru',
    members: [
      { nik: '3503110411870003', nama: 'JOKO SUSILO', hubungan: 'KEPALA KELUARGA', female: false, birth: '1987-11-04', programs: ['PKH', 'PBI-JK'], status: 'AKTIF' },
      { nik: DEMO_HOUSEHOLDS.siti.nik, nama: 'SITI RAHAYU', hubungan: 'ISTRI', female: true, birth: '1990-08-17', programs: ['PKH', 'PBI-JK'], status: 'AKTIF' },
      { nik: '3503115406210002', nama: 'NAYLA PUTRI SUSILO', hubungan: 'ANAK', female: true, birth: '2021-06-14', programs: ['PKH', 'PBI-JK'], status: 'AKTIF' },
    ],
  };
  const budi: Household = {
    idKeluarga: DEMO_HOUSEHOLDS.budi.idKeluarga,
    desil: 6,
    kecamatan: 'Pogalan',
    desa: 'Ngetal',
    members: [
      { nik: DEMO_HOUSEHOLDS.budi.nik, nama: 'BUDI SANTOSO', hubungan: 'KEPALA KELUARGA', female: false, birth: '1985-03-02', programs: [], status: 'TIDAK_MENERIMA' },
      { nik: '3503125907880004', nama: 'ENDANG PURWANINGSIH', hubungan: 'ISTRI', female: true, birth: '1988-07-19', programs: [], status: 'TIDAK_MENERIMA' },
      { nik: '3503121002120003', nama: 'DIMAS ADI SANTOSO', hubungan: 'ANAK', female: false, birth: '2012-02-10', programs: [], status: 'TIDAK_MENERIMA' },
    ],
  };
  return [siti, budi];
}

/**
 * Deterministic register of ~200 households. `revision` > 0 models a later publication: a few
 * households (never the demo citizens') move one decile, and their aid follows the new decile.
 */
export function buildRegister(revision = 0, size = 200): Household[] {
  const rand = prng(0x35030000);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;
  const date = (from: number, to: number) => {
    const year = from + Math.floor(rand() * (to - from + 1));
    return `${year}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
  };
  let serial = 100;
  let kkSerial = 100;

  const households = demoHouseholds();
  while (households.length < size) {
    const w = pick(WILAYAH);
    // DTSEN ranks the whole population, but the poorer deciles are where the regency's files are
    // busiest; weight the draw towards them.
    const desil = chance(0.55) ? 1 + Math.floor(rand() * 4) : 5 + Math.floor(rand() * 6);
    const headFemale = chance(0.15);
    const headBirth = date(1950, 2000);
    const headYear = Number(headBirth.slice(0, 4));
    const surname = pick(headFemale ? SECOND_F : SECOND_M);
    let headName = `${pick(headFemale ? FEMALE : MALE)}${surname ? ` ${surname}` : ''}`;
    // Titles carry a comma ("DRS. SUKARDI, M.SI"): exports must quote such names, readers must parse them.
    if (desil >= 7 && chance(0.25)) headName = `${pick(['DRS.', 'IR.', 'H.'])} ${headName}, ${pick(['M.SI', 'S.PD', 'S.E', 'M.M'])}`;
    const members: Omit<Member, 'programs' | 'status'>[] = [
      { nik: makeNik(w.kode, headBirth, headFemale, ++serial), nama: headName, hubungan: 'KEPALA KELUARGA', female: headFemale, birth: headBirth },
    ];
    if (!headFemale && chance(0.85)) {
      const b = date(headYear - 2, Math.min(headYear + 6, 2002));
      members.push({ nik: makeNik(w.kode, b, true, ++serial), nama: `${pick(FEMALE)} ${pick(SECOND_F)}`.trim(), hubungan: 'ISTRI', female: true, birth: b });
    }
    const children = headYear > 1990 ? Math.floor(rand() * 3) : Math.floor(rand() * 4);
    for (let i = 0; i < children; i++) {
      const female = chance(0.5);
      const b = date(Math.max(headYear + 20, 2000), 2025);
      members.push({ nik: makeNik(w.kode, b, female, ++serial), nama: `${pick(female ? CHILD_F : CHILD_M)} ${pick(female ? SECOND_F : SECOND_M)}`.trim(), hubungan: 'ANAK', female, birth: b });
    }
    const kk = makeNik(w.kode, date(2005, 2025), false, ++kkSerial);
    households.push(assignPrograms({ idKeluarga: kk, desil, kecamatan: w.nama, desa: pick(w.desa), members: members.map((m) => ({ ...m, programs: [], status: 'TIDAK_MENERIMA' })) }, rand));
  }

  if (revision > 0) {
    const r = prng(0x35030000 + revision);
    for (let i = 0; i < 5; i++) {
      const index = 2 + Math.floor(r() * (households.length - 2));
      const h = households[index]!;
      const desil = Math.min(10, Math.max(1, h.desil + (r() < 0.5 ? -1 : 1)));
      households[index] = assignPrograms({ ...h, desil, members: h.members.map((m) => ({ ...m, programs: [], status: 'TIDAK_MENERIMA' })) }, r);
    }
  }
  return households;
}

/**
 * Aid follows national rules in simplified form: nothing above decile 4; PKH for families with
 * children or elderly in deciles 1–3; BPNT in deciles 1–3; BLT-DD only for households that get
 * neither PKH nor BPNT; PBI-JK per person in deciles 1–4; PIP for school-age children (6–21).
 */
function assignPrograms(h: Household, rand: () => number): Household {
  if (h.desil > MAX_AID_DECILE) return h;
  const age = (m: Member) => REFERENCE_YEAR - Number(m.birth.slice(0, 4));
  const household: ProgramCode[] = [];
  const eligibleFamily = h.members.some((m) => age(m) < 18 || age(m) >= 60);
  if (h.desil <= 3 && eligibleFamily && rand() < 0.6) household.push('PKH');
  if (h.desil <= 3 && rand() < 0.55) household.push('BPNT');
  if (household.length === 0 && h.desil <= 2 && rand() < 0.5) household.push('BLT-DD');
  const suspended = rand() < 0.04;
  const members = h.members.map((m) => {
    const programs: ProgramCode[] = [...household];
    if (rand() < 0.9) programs.push('PBI-JK');
    if (h.desil <= 3 && m.hubungan === 'ANAK' && age(m) >= 6 && age(m) <= 21 && rand() < 0.7) programs.push('PIP');
    const status: AidStatus = programs.length === 0 ? 'TIDAK_MENERIMA' : suspended ? 'DITANGGUHKAN' : 'AKTIF';
    return { ...m, programs, status };
  });
  return { ...h, members };
}
