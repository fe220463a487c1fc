/**
 * Deterministic seed of the simulated SIMPEG: the officers of docs/DEMO-DATA.md, verbatim, plus
 * generated colleagues so each of the six agencies with an agency system has a realistic roster.
 * Nothing depends on the clock.
 */
import { makeNip, type Sex } from './nip.js';
import { prng as createRng } from '@gerbang/simkit/random';

export type EmploymentType = 'PNS' | 'PPPK';

export interface CivilServant {
  /** 18-digit NIP (PPPK staff numbers share the layout). */
  nip: string;
  /**
   * The person's NIK (every civil servant has one; SIMPEG keeps it). Answered only by
   * `pegawai.getByNik`, never in the HR records `getByNip` and `listByOpd` hand out.
   */
  nik: string;
  /** Full name as registered, academic titles included. */
  name: string;
  /** Agency (OPD) id of the hub's directory, e.g. `dispendukcapil`. */
  agencyId: string;
  position: string;
  /** PNS: `III/b`; PPPK: a roman numeral such as `IX`. */
  grade: string;
  employmentType: EmploymentType;
  /** Job class (kelas jabatan, 1–17) the TPP base is set by. */
  jobClass: number;
  /** Monthly TPP base in whole rupiah, before any performance factor. */
  tppBase: number;
  unit: string;
}

/** The six agencies that run agency systems, by directory id. */
export const AGENCIES = ['dispendukcapil', 'dpmptsp', 'bpkpd', 'dinkesdalduk', 'dinsos', 'bkpsdm'] as const;

/**
 * Monthly TPP base by job class, in the shape of a regency's TPP regulation (Perbup): the amount
 * follows the position's class, not the person. Values sit in Trenggalek's Rp 1.5–6 million range.
 */
export const TPP_BY_JOB_CLASS: Readonly<Record<number, number>> = {
  5: 1_650_000,
  6: 1_875_000,
  7: 2_200_000,
  8: 2_525_000,
  9: 2_900_000,
  10: 3_350_000,
  11: 3_900_000,
  12: 4_550_000,
  14: 5_850_000,
};

function tppFor(jobClass: number): number {
  const amount = TPP_BY_JOB_CLASS[jobClass];
  if (amount === undefined) throw new Error(`no TPP base for job class ${jobClass}`);
  return amount;
}

type Seeded = Omit<CivilServant, 'tppBase'>;
const withTpp = (s: Seeded): CivilServant => ({ ...s, tppBase: tppFor(s.jobClass) });

/** The officers of docs/DEMO-DATA.md: NIP, name, agency and position exactly as listed there. */
const DEMO_OFFICERS: readonly Seeded[] = [
  {
    nip: '198703152010011002',
    nik: '3503111503870001',
    name: 'Agus Prasetyo',
    agencyId: 'dispendukcapil',
    position: 'Pengadministrasi Kependudukan',
    grade: 'III/a',
    employmentType: 'PNS',
    jobClass: 6,
    unit: 'Bidang Pelayanan Pendaftaran Penduduk',
  },
  {
    nip: '199001222015032004',
    nik: '3503126201900001',
    name: 'Rina Wulandari',
    agencyId: 'dispendukcapil',
    position: 'Verifikator Dokumen Kependudukan',
    grade: 'III/b',
    employmentType: 'PNS',
    jobClass: 7,
    unit: 'Bidang Pelayanan Pencatatan Sipil',
  },
  {
    nip: '198511302009011003',
    nik: '3503133011850001',
    name: 'Hendra Kurniawan',
    agencyId: 'dispendukcapil',
    position: 'Operator SIAK',
    grade: 'III/b',
    employmentType: 'PNS',
    jobClass: 7,
    unit: 'Bidang Pengelolaan Informasi Administrasi Kependudukan',
  },
  {
    nip: '198808082012122001',
    nik: '3503114808880002',
    name: 'Yuni Astuti',
    agencyId: 'dpmptsp',
    position: 'Analis Perizinan',
    grade: 'III/c',
    employmentType: 'PNS',
    jobClass: 8,
    unit: 'Bidang Pelayanan Perizinan dan Nonperizinan',
  },
  {
    nip: '199203172019031005',
    nik: '3503011703920001',
    name: 'Fajar Nugroho',
    agencyId: 'dpmptsp',
    position: 'Verifikator Perizinan',
    grade: 'III/a',
    employmentType: 'PNS',
    jobClass: 7,
    unit: 'Bidang Pelayanan Perizinan dan Nonperizinan',
  },
  {
    nip: '198406252008011004',
    nik: '3503122506840001',
    name: 'Bambang Sutrisno',
    agencyId: 'bpkpd',
    position: 'Penata Pajak Daerah',
    grade: 'III/c',
    employmentType: 'PNS',
    jobClass: 8,
    unit: 'Bidang Pendapatan',
  },
  {
    nip: '199107042017082003',
    nik: '3503084407910001',
    name: 'Lilis Suryani',
    agencyId: 'bpkpd',
    position: 'Pengolah Data PBB',
    grade: 'III/a',
    employmentType: 'PNS',
    jobClass: 6,
    unit: 'Bidang Pendapatan',
  },
  {
    nip: '198912112014022002',
    nik: '3503115112890001',
    name: 'dr. Anita Permatasari',
    agencyId: 'dinkesdalduk',
    position: 'Dokter Puskesmas Trenggalek',
    grade: 'III/c',
    employmentType: 'PNS',
    jobClass: 9,
    unit: 'UPTD Puskesmas Trenggalek',
  },
  {
    nip: '199305192020121006',
    nik: '3503121905930001',
    name: 'Eko Wahyudi',
    agencyId: 'dinkesdalduk',
    position: 'Perawat Puskesmas Pogalan',
    grade: 'III/a',
    employmentType: 'PNS',
    jobClass: 7,
    unit: 'UPTD Puskesmas Pogalan',
  },
  {
    nip: '198602142011012005',
    nik: '3503135402860001',
    name: 'Endang Susilowati',
    agencyId: 'dinsos',
    position: 'Pekerja Sosial',
    grade: 'III/b',
    employmentType: 'PNS',
    jobClass: 8,
    unit: 'Bidang Rehabilitasi Sosial',
  },
  {
    nip: '199409302022031007',
    nik: '3503143009940001',
    name: 'Rizky Ramadhan',
    agencyId: 'dinsos',
    position: 'Pendamping PKH',
    grade: 'IX',
    employmentType: 'PPPK',
    jobClass: 7,
    unit: 'Bidang Perlindungan dan Jaminan Sosial',
  },
  {
    nip: '198205102006042001',
    nik: '3503115005820001',
    name: 'Sri Wahyuni',
    agencyId: 'bkpsdm',
    position: 'Analis SDM Aparatur',
    grade: 'III/d',
    employmentType: 'PNS',
    jobClass: 9,
    unit: 'Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian',
  },
];

export const DEMO_OFFICER_NIPS: readonly string[] = DEMO_OFFICERS.map((o) => o.nip);
/** NIP → NIK of the officers of docs/DEMO-DATA.md. */
export const DEMO_OFFICER_NIKS: Readonly<Record<string, string>> = Object.fromEntries(DEMO_OFFICERS.map((o) => [o.nip, o.nik]));

/** A post on an agency's roster, filled by a generated person. */
interface Post {
  position: string;
  unit: string;
  grade: string;
  employmentType?: EmploymentType;
  jobClass: number;
  /** Title as written in the register: `dr.`/`Drs.` before the name, degrees after it. */
  prefix?: string;
  suffix?: string;
  sex?: Sex;
}

const head = (position: string, suffix: string): Post => ({ position, unit: 'Pimpinan', grade: 'IV/c', jobClass: 14, suffix });
const secretary = (suffix: string): Post => ({ position: 'Sekretaris', unit: 'Sekretariat', grade: 'IV/b', jobClass: 12, suffix });
const division = (name: string, suffix: string): Post => ({ position: `Kepala ${name}`, unit: name, grade: 'IV/a', jobClass: 11, suffix });

/** The rest of each agency's roster, so every agency has 8–9 officers (the brief asks for 4–12). */
const POSTS: Readonly<Record<(typeof AGENCIES)[number], readonly Post[]>> = {
  dispendukcapil: [
    head('Kepala Dinas Kependudukan dan Pencatatan Sipil', 'S.Sos., M.Si.'),
    secretary('S.H., M.H.'),
    division('Bidang Pelayanan Pendaftaran Penduduk', 'S.STP., M.Si.'),
    division('Bidang Pelayanan Pencatatan Sipil', 'S.H.'),
    { position: 'Administrator Database Kependudukan', unit: 'Bidang Pengelolaan Informasi Administrasi Kependudukan', grade: 'III/b', jobClass: 8, suffix: 'S.Kom.' },
    { position: 'Operator Layanan Operasional', unit: 'Bidang Pelayanan Pendaftaran Penduduk', grade: 'V', employmentType: 'PPPK', jobClass: 5 },
  ],
  dpmptsp: [
    head('Kepala Dinas Penanaman Modal dan PTSP', 'S.E., M.M.'),
    secretary('S.Sos.'),
    division('Bidang Pelayanan Perizinan dan Nonperizinan', 'S.T., M.T.'),
    division('Bidang Penanaman Modal', 'S.E.'),
    { position: 'Penata Perizinan Ahli Muda', unit: 'Bidang Pelayanan Perizinan dan Nonperizinan', grade: 'III/d', jobClass: 9, suffix: 'S.AP.' },
    { position: 'Pengelola Layanan Operasional', unit: 'Sekretariat', grade: 'IX', employmentType: 'PPPK', jobClass: 6, suffix: 'S.E.' },
  ],
  bpkpd: [
    head('Kepala Badan Pengelolaan Keuangan dan Pendapatan Daerah', 'S.E., M.Si.'),
    secretary('S.E., M.M.'),
    division('Bidang Pendapatan', 'S.E., Ak.'),
    division('Bidang Anggaran', 'S.E.'),
    { position: 'Penelaah Keuangan Daerah', unit: 'Bidang Anggaran', grade: 'III/c', jobClass: 8, suffix: 'S.E.' },
    { position: 'Bendahara Penerimaan', unit: 'Bidang Pendapatan', grade: 'II/d', jobClass: 6, suffix: 'A.Md.' },
  ],
  dinkesdalduk: [
    { ...head('Kepala Dinas Kesehatan, Pengendalian Penduduk dan KB', 'M.Kes.'), prefix: 'dr.' },
    secretary('S.KM., M.Kes.'),
    { position: 'Kepala UPTD Puskesmas Durenan', unit: 'UPTD Puskesmas Durenan', grade: 'III/d', jobClass: 10, prefix: 'dr.' },
    { position: 'Bidan Puskesmas Durenan', unit: 'UPTD Puskesmas Durenan', grade: 'IX', employmentType: 'PPPK', jobClass: 7, suffix: 'A.Md.Keb.', sex: 'F' },
    { position: 'Perawat Puskesmas Watulimo', unit: 'UPTD Puskesmas Watulimo', grade: 'III/b', jobClass: 7, suffix: 'S.Kep., Ns.' },
    { position: 'Apoteker Puskesmas Trenggalek', unit: 'UPTD Puskesmas Trenggalek', grade: 'III/b', jobClass: 8, suffix: 'S.Farm., Apt.' },
    { position: 'Penyuluh Keluarga Berencana', unit: 'Bidang Pengendalian Penduduk dan Keluarga Berencana', grade: 'III/a', jobClass: 7, suffix: 'S.Sos.' },
  ],
  dinsos: [
    head('Kepala Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak', 'S.Sos., M.M.'),
    secretary('S.AP.'),
    division('Bidang Perlindungan dan Jaminan Sosial', 'S.Sos.'),
    { position: 'Penyuluh Sosial', unit: 'Bidang Pemberdayaan Sosial', grade: 'III/b', jobClass: 8, suffix: 'S.Sos.' },
    { position: 'Pengelola Data DTSEN', unit: 'Bidang Perlindungan dan Jaminan Sosial', grade: 'III/a', jobClass: 6, suffix: 'S.Kom.' },
    { position: 'Pendamping Rehabilitasi Sosial', unit: 'Bidang Rehabilitasi Sosial', grade: 'IX', employmentType: 'PPPK', jobClass: 7, suffix: 'S.Psi.' },
  ],
  bkpsdm: [
    head('Kepala Badan Kepegawaian dan Pengembangan SDM', 'S.Sos., M.Si.'),
    secretary('S.H.'),
    division('Bidang Pengembangan Kompetensi Aparatur', 'S.Psi., M.Psi.'),
    division('Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian', 'S.Kom.'),
    { position: 'Analis Kepegawaian Ahli Muda', unit: 'Bidang Mutasi dan Promosi', grade: 'III/d', jobClass: 9, suffix: 'S.AP.' },
    { position: 'Pranata Komputer Ahli Pertama', unit: 'Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian', grade: 'III/a', jobClass: 7, suffix: 'S.Kom.' },
    { position: 'Pengelola Data Kepegawaian', unit: 'Sekretariat', grade: 'VII', employmentType: 'PPPK', jobClass: 6, suffix: 'A.Md.' },
  ],
};

// ---------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------

type Rng = () => number;
const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const pad2 = (n: number) => String(n).padStart(2, '0');
function hash(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

const MALE_FIRST = [
  'Slamet',
  'Sugeng',
  'Joko',
  'Heru',
  'Bambang',
  'Agus',
  'Didik',
  'Dwi',
  'Tri',
  'Imam',
  'Ahmad',
  'Hadi',
  'Teguh',
  'Wahyu',
  'Puji',
  'Arif',
  'Yudi',
  'Andik',
  'Mochamad',
  'Gatot',
  'Hari',
  'Edy',
];
const MALE_LAST = [
  'Santoso',
  'Widodo',
  'Purnomo',
  'Susanto',
  'Hariyanto',
  'Setiawan',
  'Wibowo',
  'Suprapto',
  'Kuncoro',
  'Riyadi',
  'Basuki',
  'Yulianto',
  'Hidayat',
  'Mujiono',
  'Sugiarto',
  'Prayitno',
  'Cahyono',
  'Purwanto',
];
const FEMALE_FIRST = ['Sri', 'Siti', 'Endang', 'Tutik', 'Yuli', 'Dwi', 'Umi', 'Ika', 'Ninik', 'Eni', 'Lilik', 'Puji', 'Nur', 'Anik', 'Retno', 'Yayuk', 'Wiwik', 'Dian', 'Novi', 'Ratna'];
const FEMALE_LAST = [
  'Rahayu',
  'Lestari',
  'Handayani',
  'Susanti',
  'Purwanti',
  'Ningsih',
  'Astutik',
  'Mulyani',
  'Setyowati',
  'Winarti',
  'Kusumawati',
  'Hidayati',
  'Rahmawati',
  'Utami',
  'Pratiwi',
  'Anggraeni',
];

/**
 * Names a generated officer never gets: a former president's, and the demo citizens' households in
 * SIAK (an officer sharing a demo citizen's name would muddle demos of who rated whom).
 */
const RESERVED_NAMES = ['Joko Widodo', 'Siti Rahayu', 'Budi Santoso', 'Andik Setiawan', 'Sri Utami', 'Dewi Lestari'];

/** The demo citizens' NIKs (docs/DEMO-DATA.md): no generated officer gets one of them. */
const RESERVED_NIKS = ['3503115708900001', '3503120203850002'];

/** Hands out names, NIPs and NIKs that are unique across everything generated by one issuer. */
class Issuer {
  private names = new Set<string>(RESERVED_NAMES);
  private nips = new Set<string>();
  private niks = new Set<string>(RESERVED_NIKS);
  constructor(taken: readonly CivilServant[] = []) {
    for (const s of taken) {
      this.names.add(bareName(s.name));
      this.nips.add(s.nip);
      this.niks.add(s.nik);
    }
  }
  /**
   * A Trenggalek NIK for this birth date and sex (women: day + 40). Kecamatan and serial come from
   * the NIP, not from the generator's random stream, so adding NIKs left every generated name, post
   * and NIP as it was, and rosters generated apart (one per agency) hardly ever meet.
   */
  nik(nip: string, birthDate: string, sex: Sex): string {
    const [y, m, d] = birthDate.split('-') as [string, string, string];
    const day = Number(d) + (sex === 'F' ? 40 : 0);
    const prefix = `3503${pad2(1 + (hash(nip) % 14))}${pad2(day)}${m}${y.slice(2)}`;
    for (let serial = 1000 + (hash(nip, 7) % 9000); ; serial = serial >= 9999 ? 1000 : serial + 1) {
      const nik = `${prefix}${String(serial).padStart(4, '0')}`;
      if (!this.niks.has(nik)) {
        this.niks.add(nik);
        return nik;
      }
    }
  }
  name(rng: Rng, sex: Sex): string {
    const [first, last] = sex === 'M' ? [MALE_FIRST, MALE_LAST] : [FEMALE_FIRST, FEMALE_LAST];
    for (let attempt = 0; ; attempt++) {
      const words = [pick(rng, first), pick(rng, last)];
      // Big rosters exhaust the two-word names; Javanese names often run to three words.
      if (attempt >= 20) {
        const middle = pick(rng, first);
        if (!words.includes(middle)) words.splice(1, 0, middle);
      }
      const name = words.join(' ');
      if (!this.names.has(name)) {
        this.names.add(name);
        return name;
      }
    }
  }
  /** Serials start at `firstSerial` for the same birth date/appointment/sex prefix, as BKN issues them. */
  nip(birthDate: string, appointed: string, sex: Sex, firstSerial: number): string {
    for (let serial = firstSerial; ; serial++) {
      const nip = makeNip(birthDate, appointed, sex, serial);
      if (!this.nips.has(nip)) {
        this.nips.add(nip);
        return nip;
      }
    }
  }
}

function bareName(name: string): string {
  return name.replace(/^(dr\.|Drs\.|Dra\.|Ir\.)\s+/, '').replace(/,.*$/, '');
}

/** Birth years by seniority: heads of agencies are in their fifties, clerks in their twenties–thirties. */
function birthYears(jobClass: number): [number, number] {
  if (jobClass >= 12) return [1967, 1974];
  if (jobClass >= 10) return [1970, 1982];
  if (jobClass >= 8) return [1976, 1990];
  return [1984, 1998];
}

function fillPost(rng: Rng, issuer: Issuer, agencyId: string, post: Post, firstSerial: number): CivilServant {
  const sex: Sex = post.sex ?? (rng() < 0.5 ? 'M' : 'F');
  const [from, to] = birthYears(post.jobClass);
  const birthYear = int(rng, from, to);
  const birthDate = `${birthYear}-${pad2(int(rng, 1, 12))}-${pad2(int(rng, 1, 28))}`;
  const employmentType = post.employmentType ?? 'PNS';
  // PPPK were appointed in the 2022–2025 intakes; PNS entered as CPNS in their mid-twenties.
  const appointedYear = employmentType === 'PPPK' ? Math.max(int(rng, 2022, 2025), birthYear + 21) : Math.min(birthYear + int(rng, 23, 29), 2021);
  const appointed = `${appointedYear}-${pad2(pick(rng, [1, 2, 3, 4, 12]))}`;
  const bare = issuer.name(rng, sex);
  const name = `${post.prefix ? `${post.prefix} ` : ''}${bare}${post.suffix ? `, ${post.suffix}` : ''}`;
  const nip = issuer.nip(birthDate, appointed, sex, firstSerial);
  return withTpp({
    nip,
    nik: issuer.nik(nip, birthDate, sex),
    name,
    agencyId,
    position: post.position,
    grade: post.grade,
    employmentType,
    jobClass: post.jobClass,
    unit: post.unit,
  });
}

/** The whole register: demo officers first, then each agency's other posts. */
export function seedOfficers(): CivilServant[] {
  const officers = DEMO_OFFICERS.map(withTpp);
  const issuer = new Issuer(officers);
  const rng = createRng(0x51_3e_9e_60);
  for (const agencyId of AGENCIES) {
    for (const post of POSTS[agencyId]) officers.push(fillPost(rng, issuer, agencyId, post, 1));
  }
  return officers;
}

/** Staff posts every agency has, for large generated rosters (post-2024 job titles). */
const STAFF_POSTS: readonly Post[] = [
  { position: 'Operator Layanan Operasional', unit: 'Subbagian Umum dan Kepegawaian', grade: 'II/b', jobClass: 5 },
  { position: 'Pengelola Layanan Operasional', unit: 'Subbagian Umum dan Kepegawaian', grade: 'II/d', jobClass: 6 },
  { position: 'Penata Layanan Operasional', unit: 'Subbagian Perencanaan dan Keuangan', grade: 'III/a', jobClass: 7, suffix: 'S.E.' },
  { position: 'Arsiparis Terampil', unit: 'Sekretariat', grade: 'II/c', jobClass: 6, suffix: 'A.Md.' },
  { position: 'Pranata Komputer Ahli Pertama', unit: 'Sekretariat', grade: 'III/a', jobClass: 7, suffix: 'S.Kom.' },
  { position: 'Analis Kebijakan Ahli Pertama', unit: 'Bidang Pelayanan', grade: 'III/b', jobClass: 8, suffix: 'S.AP.' },
  { position: 'Analis Kebijakan Ahli Muda', unit: 'Bidang Pelayanan', grade: 'III/d', jobClass: 9, suffix: 'S.Sos., M.Si.' },
  { position: 'Pengelola Layanan Operasional', unit: 'Bidang Pelayanan', grade: 'VII', employmentType: 'PPPK', jobClass: 6 },
  { position: 'Penata Layanan Operasional', unit: 'Bidang Pengembangan', grade: 'IX', employmentType: 'PPPK', jobClass: 7, suffix: 'S.Sos.' },
  { position: 'Operator Layanan Operasional', unit: 'Bidang Pengembangan', grade: 'V', employmentType: 'PPPK', jobClass: 5 },
];

/**
 * `count` more officers for one agency, e.g. a 300-strong agency for a benchmark. Deterministic for
 * a given agency, count and seed. Serials start at 101 so they never collide with the seeded register
 * (whose serials stay below 100); pass the result as `extraOfficers` to the simulator.
 */
export function generateOfficers(agencyId: string, count: number, options: { seed?: number } = {}): CivilServant[] {
  const rng = createRng(hash(agencyId, options.seed ?? 0));
  const issuer = new Issuer(seedOfficers());
  return Array.from({ length: count }, () => fillPost(rng, issuer, agencyId, pick(rng, STAFF_POSTS), 101));
}
