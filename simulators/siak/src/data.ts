/**
 * Deterministic seed of the simulated SIAK: residents of Kabupaten Trenggalek grouped in households
 * (one KK each) and their document requests ("permohonan").
 *
 * Residents never depend on the clock, so a NIK seen in one run is there in every run. Requests are
 * laid out relative to a `now` passed in, so that the demo citizens always have something rateable
 * (the hub's rating window is 7 days after completion) however late the demo is run.
 */
import { KECAMATAN, makeNik, type Sex } from './nik.js';
import { DAY_MS, HOUR_MS, atWibTime, startOfWibMonth } from './time.js';
import { prng as createRng } from '@gerbang/simkit/random';

export type DocumentType = 'KTP_EL' | 'KK' | 'AKTA_LAHIR';
export const DOCUMENT_TYPES: readonly DocumentType[] = ['KTP_EL', 'KK', 'AKTA_LAHIR'];

export type RequestStatus = 'SUBMITTED' | 'VERIFIED' | 'IN_PROCESS' | 'COMPLETED' | 'REJECTED';
export const REQUEST_STATUSES: readonly RequestStatus[] = ['SUBMITTED', 'VERIFIED', 'IN_PROCESS', 'COMPLETED', 'REJECTED'];

/** SIAK's own code values, kept verbatim because consumers map them. */
export type Religion = 'ISLAM' | 'KRISTEN' | 'KATHOLIK' | 'HINDU' | 'BUDHA' | 'KONGHUCU';
export type MaritalStatus = 'BELUM KAWIN' | 'KAWIN' | 'CERAI HIDUP' | 'CERAI MATI';

export interface Citizen {
  nik: string;
  familyCardNumber: string;
  fullName: string;
  sex: Sex;
  birthPlace: string;
  /** `YYYY-MM-DD` */
  birthDate: string;
  /** Street and number in town, or RT/RW and hamlet in a village. */
  address: string;
  /** Desa or kelurahan. */
  village: string;
  kecamatan: string;
  religion: Religion;
  maritalStatus: MaritalStatus;
}

export interface DocumentRequest {
  /** `SIAK-<year submitted>-<6-digit serial>` */
  id: string;
  nik: string;
  type: DocumentType;
  status: RequestStatus;
  note: string | null;
  /** Idempotency key of the client that filed it (null for counter-filed requests). */
  clientRef: string | null;
  submittedAt: Date;
  completedAt: Date | null;
  /** Dispendukcapil officer handling it, once someone has picked it up. */
  officerNip: string | null;
  updatedAt: Date;
  /** Number of changes this request has seen (1 when filed). */
  version: number;
  /** Position in the registry-wide change feed; every change moves the request to a new, higher one. */
  sequence: number;
}

/** A request before the registry has numbered it and placed it in the change feed. */
export type NewRequest = Omit<DocumentRequest, 'id' | 'sequence'>;

export interface Officer {
  nip: string;
  name: string;
  position: string;
}

/** The Dispendukcapil officers of docs/DEMO-DATA.md: the only people who handle requests here. */
export const OFFICERS: readonly Officer[] = [
  { nip: '198703152010011002', name: 'Agus Prasetyo', position: 'Pengadministrasi Kependudukan' },
  { nip: '199001222015032004', name: 'Rina Wulandari', position: 'Verifikator Dokumen Kependudukan' },
  { nip: '198511302009011003', name: 'Hendra Kurniawan', position: 'Operator SIAK' },
];
const [AGUS, RINA, HENDRA] = OFFICERS.map((o) => o.nip) as [string, string, string];

export const DEMO_CITIZENS = {
  siti: { nik: '3503115708900001', familyCardNumber: '3503111203150004', fullName: 'Siti Rahayu' },
  budi: { nik: '3503120203850002', familyCardNumber: '3503122506100007', fullName: 'Budi Santoso' },
} as const;

/** Serial of the first request the registry numbers; the demo citizens' requests come first. */
export const FIRST_REQUEST_SERIAL = 101;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------

type Rng = () => number;
const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
function weighted<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [value, w] of table) {
    r -= w;
    if (r < 0) return value;
  }
  return table[table.length - 1]![0];
}
const pad2 = (n: number) => String(n).padStart(2, '0');

// ---------------------------------------------------------------------------------------------
// Places and names
// ---------------------------------------------------------------------------------------------

/** A few real desa/kelurahan of each kecamatan, by population code. */
const VILLAGES: Readonly<Record<string, readonly string[]>> = {
  '01': ['Panggul', 'Wonocoyo', 'Ngrambingan', 'Besuki', 'Depok', 'Bodag'],
  '02': ['Munjungan', 'Bangun', 'Bendoroto', 'Masaran', 'Ngulungkulon', 'Tawing'],
  '03': ['Pule', 'Jombok', 'Karanganyar', 'Kembangan', 'Sidomulyo', 'Tanggaran'],
  '04': ['Dongko', 'Cakul', 'Pandean', 'Pringapus', 'Siki', 'Watuagung'],
  '05': ['Tugu', 'Banaran', 'Gading', 'Gondang', 'Nglinggis', 'Pucanganak'],
  '06': ['Karangan', 'Buluagung', 'Jati', 'Kayen', 'Ngentrong', 'Sumberingin'],
  '07': ['Bendoagung', 'Bogoran', 'Karangrejo', 'Ngadimulyo', 'Senden', 'Timahan'],
  '08': ['Prigi', 'Tasikmadu', 'Karanggandu', 'Margomulyo', 'Ngembel', 'Watuagung'],
  '09': ['Dompyong', 'Srabah', 'Depok', 'Botoputih', 'Sumurup', 'Surenlor'],
  '10': ['Gandusari', 'Widoro', 'Wonorejo', 'Sukorame', 'Karanganyar', 'Krandegan'],
  '11': ['Ngantru', 'Kelutan', 'Sumbergedong', 'Surodakan', 'Tamanan', 'Dawuhan', 'Karangsoko', 'Ngares'],
  '12': ['Ngetal', 'Bendorejo', 'Gembleb', 'Kedunglurah', 'Ngadirenggo', 'Pogalan', 'Wonocoyo'],
  '13': ['Durenan', 'Kamulan', 'Kendalrejo', 'Ngadisuko', 'Pakis', 'Semarum', 'Sumbergayam'],
  '14': ['Suruh', 'Gamping', 'Mlinjon', 'Nglebo', 'Ngrandu', 'Puru', 'Wonokerto'],
};
/** The five kelurahan of the regency, all in Kecamatan Trenggalek: town addresses have streets. */
const KELURAHAN = new Set(['Ngantru', 'Kelutan', 'Sumbergedong', 'Surodakan', 'Tamanan']);
const TOWN_STREETS = ['Jl. Panglima Sudirman', 'Jl. Soekarno-Hatta', 'Jl. Brigjen Sutran', 'Jl. Mayjen Sungkono', 'Jl. Dr. Sutomo', 'Jl. Kanjeng Jimat', 'Jl. Ronggowarsito'];
const HAMLETS = ['Krajan', 'Karangrejo', 'Sumberejo', 'Tegalsari', 'Ngrejo', 'Kebonagung', 'Sukorejo', 'Gondang'];
const BIRTH_PLACES_OUTSIDE = ['Tulungagung', 'Ponorogo', 'Pacitan', 'Blitar', 'Kediri', 'Surabaya', 'Malang'];

// Javanese names differ by generation: parents born before ~1995 mostly carry one or two Javanese
// names, children born after 2000 longer Arabic-influenced ones.
const MALE_FIRST = ['Slamet', 'Sugeng', 'Joko', 'Heru', 'Bambang', 'Agus', 'Eko', 'Dwi', 'Tri', 'Imam', 'Ahmad', 'Hadi', 'Teguh', 'Wahyu', 'Puji', 'Sunarto', 'Arif', 'Yudi', 'Andik', 'Mochamad'];
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
  'Sutrisno',
  'Yulianto',
  'Hidayat',
  'Mujiono',
  'Sugiarto',
  'Prayitno',
  'Wahyudi',
];
const FEMALE_FIRST = ['Sri', 'Siti', 'Endang', 'Tutik', 'Yuli', 'Dwi', 'Umi', 'Rina', 'Ika', 'Ninik', 'Eni', 'Lilik', 'Puji', 'Nur', 'Anik', 'Retno', 'Yayuk', 'Sumarni', 'Suci', 'Wiwik'];
const FEMALE_LAST = [
  'Rahayu',
  'Lestari',
  'Wahyuni',
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
  'Maesaroh',
  'Rahmawati',
  'Utami',
];
const BOY_FIRST = ['Muhammad', 'Ahmad', 'Rizky', 'Dimas', 'Aditya', 'Bagas', 'Fikri', 'Galih', 'Yoga', 'Farhan', 'Naufal', 'Alif', 'Rafi', 'Zidan'];
const BOY_LAST = ['Pratama', 'Saputra', 'Ramadhan', 'Nugroho', 'Firmansyah', 'Maulana', 'Akbar', 'Wicaksono', 'Kurniawan', 'Alfarizi'];
const GIRL_FIRST = ['Nadia', 'Aisyah', 'Putri', 'Dinda', 'Salsabila', 'Anisa', 'Nabila', 'Zahra', 'Alya', 'Citra', 'Intan', 'Aulia', 'Keisha'];
const GIRL_LAST = ['Ramadhani', 'Nur Azizah', 'Maharani', 'Safitri', 'Puspitasari', 'Anggraini', 'Oktaviani', 'Khoirunnisa', 'Rahmadani', 'Febriani'];

// ---------------------------------------------------------------------------------------------
// Residents
// ---------------------------------------------------------------------------------------------

/** Issues NIK and KK serials the way the registry does: the next free serial for the same prefix. */
class NumberIssuer {
  private used = new Set<string>();
  reserve(number: string): void {
    if (this.used.has(number)) throw new Error(`duplicate registry number ${number}`);
    this.used.add(number);
  }
  nik(kecamatanCode: string, birthDate: string, sex: Sex): string {
    for (let serial = 1; ; serial++) {
      const nik = makeNik(kecamatanCode, birthDate, sex, serial);
      if (!this.used.has(nik)) return this.take(nik);
    }
  }
  familyCard(kecamatanCode: string, issued: string): string {
    const [y, m, d] = issued.split('-') as [string, string, string];
    for (let serial = 1; ; serial++) {
      const kk = `3503${kecamatanCode}${d}${m}${y.slice(2)}${String(serial).padStart(4, '0')}`;
      if (!this.used.has(kk)) return this.take(kk);
    }
  }
  private take(n: string): string {
    this.used.add(n);
    return n;
  }
}

const randomDate = (rng: Rng, fromYear: number, toYear: number) => {
  const year = int(rng, fromYear, toYear);
  const month = int(rng, 1, 12);
  const day = int(rng, 1, 28); // every month has 28 days: always a real date
  return `${year}-${pad2(month)}-${pad2(day)}`;
};
const yearOf = (isoDate: string) => Number(isoDate.slice(0, 4));

/** The two demo households of docs/DEMO-DATA.md, spelled out so their members never change. */
function demoHouseholds(issuer: NumberIssuer): Citizen[] {
  issuer.reserve(DEMO_CITIZENS.siti.nik);
  issuer.reserve(DEMO_CITIZENS.siti.familyCardNumber);
  issuer.reserve(DEMO_CITIZENS.budi.nik);
  issuer.reserve(DEMO_CITIZENS.budi.familyCardNumber);
  const siti = { address: 'Jl. Panglima Sudirman No. 21', village: 'Ngantru', kecamatan: 'Trenggalek' };
  const budi = { address: 'RT 03 RW 02', village: 'Ngetal', kecamatan: 'Pogalan' };
  const sitiKk = DEMO_CITIZENS.siti.familyCardNumber;
  const budiKk = DEMO_CITIZENS.budi.familyCardNumber;
  return [
    {
      nik: issuer.nik('11', '1987-11-04', 'M'),
      familyCardNumber: sitiKk,
      fullName: 'Andik Setiawan',
      sex: 'M',
      birthPlace: 'Trenggalek',
      birthDate: '1987-11-04',
      ...siti,
      religion: 'ISLAM',
      maritalStatus: 'KAWIN',
    },
    {
      nik: DEMO_CITIZENS.siti.nik,
      familyCardNumber: sitiKk,
      fullName: DEMO_CITIZENS.siti.fullName,
      sex: 'F',
      birthPlace: 'Trenggalek',
      birthDate: '1990-08-17',
      ...siti,
      religion: 'ISLAM',
      maritalStatus: 'KAWIN',
    },
    {
      nik: issuer.nik('11', '2016-06-09', 'F'),
      familyCardNumber: sitiKk,
      fullName: 'Keisha Ayu Ramadhani',
      sex: 'F',
      birthPlace: 'Trenggalek',
      birthDate: '2016-06-09',
      ...siti,
      religion: 'ISLAM',
      maritalStatus: 'BELUM KAWIN',
    },
    {
      nik: DEMO_CITIZENS.budi.nik,
      familyCardNumber: budiKk,
      fullName: DEMO_CITIZENS.budi.fullName,
      sex: 'M',
      birthPlace: 'Trenggalek',
      birthDate: '1985-03-02',
      ...budi,
      religion: 'ISLAM',
      maritalStatus: 'KAWIN',
    },
    {
      nik: issuer.nik('12', '1988-09-14', 'F'),
      familyCardNumber: budiKk,
      fullName: 'Sri Utami',
      sex: 'F',
      birthPlace: 'Tulungagung',
      birthDate: '1988-09-14',
      ...budi,
      religion: 'ISLAM',
      maritalStatus: 'KAWIN',
    },
    {
      nik: issuer.nik('12', '2011-04-21', 'M'),
      familyCardNumber: budiKk,
      fullName: 'Rizky Dwi Santoso',
      sex: 'M',
      birthPlace: 'Trenggalek',
      birthDate: '2011-04-21',
      ...budi,
      religion: 'ISLAM',
      maritalStatus: 'BELUM KAWIN',
    },
    {
      nik: issuer.nik('12', '2014-12-03', 'F'),
      familyCardNumber: budiKk,
      fullName: 'Aulia Putri Santoso',
      sex: 'F',
      birthPlace: 'Trenggalek',
      birthDate: '2014-12-03',
      ...budi,
      religion: 'ISLAM',
      maritalStatus: 'BELUM KAWIN',
    },
  ];
}

const DEMO_OFFICER_NAMES = [
  'Agus Prasetyo',
  'Rina Wulandari',
  'Hendra Kurniawan',
  'Yuni Astuti',
  'Fajar Nugroho',
  'Bambang Sutrisno',
  'Lilis Suryani',
  'Anita Permatasari',
  'Eko Wahyudi',
  'Endang Susilowati',
  'Rizky Ramadhan',
  'Sri Wahyuni',
  'Dewi Lestari',
];

/** Number of residents the seed holds, demo households included. */
export const SEED_CITIZEN_COUNT = 60;

/**
 * The registry's residents: the demo households, then generated households spread over all 14
 * kecamatan (round-robin first, so every kecamatan has people) until SEED_CITIZEN_COUNT is reached.
 */
export function seedCitizens(): Citizen[] {
  const rng = createRng(0x35_03_2026);
  const issuer = new NumberIssuer();
  const citizens = demoHouseholds(issuer);
  // Officers of docs/DEMO-DATA.md are left out too: a resident sharing an officer's name would
  // muddle demos of who served whom.
  const takenNames = new Set([...citizens.map((c) => c.fullName), ...DEMO_OFFICER_NAMES]);
  const kecamatanCodes = Object.keys(KECAMATAN);

  const uniqueName = (first: readonly string[], last: readonly string[], single = 0) => {
    for (;;) {
      const name = rng() < single ? pick(rng, first) : `${pick(rng, first)} ${pick(rng, last)}`;
      if (!takenNames.has(name)) {
        takenNames.add(name);
        return name;
      }
    }
  };
  const adultName = (sex: Sex) => (sex === 'M' ? uniqueName(MALE_FIRST, MALE_LAST, 0.15) : uniqueName(FEMALE_FIRST, FEMALE_LAST));
  const childName = (sex: Sex) => (sex === 'M' ? uniqueName(BOY_FIRST, BOY_LAST) : uniqueName(GIRL_FIRST, GIRL_LAST));
  const adultBirthPlace = () => (rng() < 0.7 ? 'Trenggalek' : pick(rng, BIRTH_PLACES_OUTSIDE));

  for (let h = 0; citizens.length < SEED_CITIZEN_COUNT; h++) {
    const code = h < kecamatanCodes.length ? kecamatanCodes[h]! : pick(rng, kecamatanCodes);
    const village = pick(rng, VILLAGES[code]!);
    const address = KELURAHAN.has(village) ? `${pick(rng, TOWN_STREETS)} No. ${int(rng, 1, 120)}` : `RT ${pad2(int(rng, 1, 8))} RW ${pad2(int(rng, 1, 5))}, Dusun ${pick(rng, HAMLETS)}`;
    const place = { address, village, kecamatan: KECAMATAN[code]! };
    // About one household in forty is Christian, close to the regency's census share.
    const religion: Religion = rng() < 0.025 ? pick(rng, ['KRISTEN', 'KATHOLIK'] as const) : 'ISLAM';
    const members: Omit<Citizen, 'nik' | 'familyCardNumber'>[] = [];

    const headBirth = randomDate(rng, 1952, 1998);
    const shape = weighted(rng, [
      ['couple', 7],
      ['single', 2],
      ['widow', 1],
    ] as const);
    if (shape === 'couple') {
      const wifeBirth = randomDate(rng, Math.min(yearOf(headBirth) + 1, 2000), Math.min(yearOf(headBirth) + 6, 2002));
      members.push({ fullName: adultName('M'), sex: 'M', birthPlace: adultBirthPlace(), birthDate: headBirth, ...place, religion, maritalStatus: 'KAWIN' });
      members.push({ fullName: adultName('F'), sex: 'F', birthPlace: adultBirthPlace(), birthDate: wifeBirth, ...place, religion, maritalStatus: 'KAWIN' });
      const children = weighted(rng, [
        [0, 2],
        [1, 4],
        [2, 4],
        [3, 1],
      ] as const);
      for (let c = 0; c < children; c++) {
        // Mothers here are 20–38 at a birth; nobody in the seed is born after 2024.
        const from = yearOf(wifeBirth) + 20;
        const to = Math.min(yearOf(wifeBirth) + 38, 2024);
        if (from > to) break;
        const birth = randomDate(rng, from, to);
        const sex: Sex = rng() < 0.5 ? 'M' : 'F';
        const grownUp = yearOf(birth) < 2000;
        members.push({
          fullName: grownUp ? adultName(sex) : childName(sex),
          sex,
          birthPlace: rng() < 0.9 ? 'Trenggalek' : pick(rng, BIRTH_PLACES_OUTSIDE),
          birthDate: birth,
          ...place,
          religion,
          maritalStatus: 'BELUM KAWIN',
        });
      }
    } else {
      const sex: Sex = shape === 'widow' ? 'F' : rng() < 0.5 ? 'M' : 'F';
      const maritalStatus: MaritalStatus = shape === 'widow' ? 'CERAI MATI' : yearOf(headBirth) < 1975 ? 'CERAI HIDUP' : 'BELUM KAWIN';
      members.push({ fullName: adultName(sex), sex, birthPlace: adultBirthPlace(), birthDate: headBirth, ...place, religion, maritalStatus });
    }

    // A KK is (re)issued at the household's latest change, at the latest when its youngest joined.
    const youngest = Math.max(...members.map((m) => yearOf(m.birthDate)));
    const kk = issuer.familyCard(code, randomDate(rng, Math.max(youngest, 2005), 2025));
    for (const m of members) {
      if (citizens.length >= SEED_CITIZEN_COUNT) break;
      citizens.push({ nik: issuer.nik(code, m.birthDate, m.sex), familyCardNumber: kk, ...m });
    }
  }
  return citizens;
}

// ---------------------------------------------------------------------------------------------
// Document requests
// ---------------------------------------------------------------------------------------------

const NOTES: Readonly<Record<DocumentType, readonly string[]>> = {
  KTP_EL: ['Penggantian KTP-el rusak', 'Penggantian KTP-el hilang', 'Perubahan data KTP-el (status perkawinan)', 'Perubahan data KTP-el (pekerjaan)', 'Perekaman KTP-el pemula'],
  KK: ['Penambahan anggota keluarga (kelahiran)', 'Perubahan KK karena pindah datang', 'Pisah KK', 'Perubahan data pendidikan', 'Penggantian KK hilang'],
  AKTA_LAHIR: ['Akta kelahiran anak', 'Akta kelahiran terlambat', 'Salinan akta kelahiran (hilang)', 'Perubahan akta kelahiran'],
};

/** Steps a request has been through, so a seeded request's version matches its history. */
const STEPS: Readonly<Record<RequestStatus, number>> = { SUBMITTED: 1, VERIFIED: 2, IN_PROCESS: 3, COMPLETED: 4, REJECTED: 3 };

/** Latest moment a seeded event may have: a few minutes before now, never in the future. */
const notAfter = (now: Date, d: Date) => new Date(Math.min(d.getTime(), now.getTime() - 5 * 60_000));
/** Counter work happens in office hours (08:00–14:59 WIB). */
const officeTime = (rng: Rng, d: Date) => atWibTime(d, int(rng, 8, 14), int(rng, 0, 59));

interface RequestPlan {
  nik: string;
  type: DocumentType;
  status: RequestStatus;
  note?: string;
  officerNip?: string;
  /** For COMPLETED: roughly when it was completed; the exact time is moved into office hours. */
  completedAround?: Date;
}

function planToRequest(rng: Rng, now: Date, plan: RequestPlan): NewRequest {
  const note = plan.note ?? pick(rng, NOTES[plan.type]);
  const officerNip = plan.status === 'SUBMITTED' ? null : (plan.officerNip ?? pick(rng, OFFICERS).nip);
  const base = { nik: plan.nik, type: plan.type, status: plan.status, note, clientRef: null, officerNip, version: STEPS[plan.status] };

  if (plan.status === 'COMPLETED') {
    const completedAt = notAfter(now, officeTime(rng, plan.completedAround ?? now));
    // KTP-el and KK are usually printed within 1–3 working days; birth certificates take a little longer.
    const days = plan.type === 'AKTA_LAHIR' ? int(rng, 2, 6) : int(rng, 1, 3);
    let submittedAt = officeTime(rng, new Date(completedAt.getTime() - days * DAY_MS));
    if (submittedAt >= completedAt) submittedAt = new Date(completedAt.getTime() - 2 * HOUR_MS);
    return { ...base, submittedAt, completedAt, updatedAt: completedAt };
  }
  if (plan.status === 'SUBMITTED') {
    const submittedAt = notAfter(now, new Date(now.getTime() - int(rng, 2, 40) * HOUR_MS));
    return { ...base, submittedAt, completedAt: null, updatedAt: submittedAt };
  }
  // VERIFIED, IN_PROCESS and REJECTED: filed some days ago, last touched a few hours to a day later.
  const submittedAt = notAfter(now, officeTime(rng, new Date(now.getTime() - int(rng, 1, 6) * DAY_MS)));
  const updatedAt = notAfter(now, new Date(submittedAt.getTime() + int(rng, 2, 26) * HOUR_MS));
  return { ...base, submittedAt, completedAt: null, updatedAt: updatedAt > submittedAt ? updatedAt : submittedAt };
}

/** The demo citizens' requests, in the order they are numbered (serials 101–105). */
function demoRequests(rng: Rng, now: Date): NewRequest[] {
  const daysAgo = (d: number) => new Date(now.getTime() - d * DAY_MS);
  const { siti, budi } = DEMO_CITIZENS;
  return [
    // 101: completed two days ago (lands 1.6–2.5 days before now): rateable in the 7-day window.
    planToRequest(rng, now, { nik: siti.nik, type: 'KTP_EL', status: 'COMPLETED', note: 'Penggantian KTP-el rusak', officerNip: AGUS, completedAround: daysAgo(2) }),
    // 102: still being processed: the portal shows it as in progress.
    planToRequest(rng, now, { nik: siti.nik, type: 'KK', status: 'IN_PROCESS', note: 'Perubahan data pendidikan', officerNip: RINA }),
    // 103–105: completed in the last 6 days, so some can be rated and some already are.
    planToRequest(rng, now, { nik: budi.nik, type: 'KTP_EL', status: 'COMPLETED', note: 'Perubahan data KTP-el (pekerjaan)', officerNip: AGUS, completedAround: daysAgo(1) }),
    planToRequest(rng, now, { nik: budi.nik, type: 'KK', status: 'COMPLETED', note: 'Penambahan anggota keluarga (kelahiran)', officerNip: HENDRA, completedAround: daysAgo(4) }),
    planToRequest(rng, now, { nik: budi.nik, type: 'AKTA_LAHIR', status: 'COMPLETED', note: 'Salinan akta kelahiran (hilang)', officerNip: RINA, completedAround: daysAgo(5) }),
  ];
}

const STATUS_WEIGHTS = [
  ['COMPLETED', 55],
  ['IN_PROCESS', 12],
  ['VERIFIED', 10],
  ['SUBMITTED', 13],
  ['REJECTED', 10],
] as const;
const TYPE_WEIGHTS = [
  ['KTP_EL', 45],
  ['KK', 35],
  ['AKTA_LAHIR', 20],
] as const;

/**
 * A completion time: two times in three within the current WIB month (so a monthly TPP report has
 * volume), otherwise 8–75 days back.
 */
function completionTime(rng: Rng, now: Date): Date {
  if (rng() < 2 / 3) {
    const monthStart = startOfWibMonth(now).getTime();
    return new Date(monthStart + rng() * Math.max(0, now.getTime() - monthStart));
  }
  return new Date(now.getTime() - int(rng, 8, 75) * DAY_MS);
}

function randomRequest(rng: Rng, now: Date, nik: string): NewRequest {
  const status = weighted(rng, STATUS_WEIGHTS);
  const type = weighted(rng, TYPE_WEIGHTS);
  // Drawn even when unused so a request's other draws do not depend on its status.
  const completedAround = completionTime(rng, now);
  return planToRequest(rng, now, { nik, type, status, completedAround: status === 'COMPLETED' ? completedAround : undefined });
}

/** Only residents of KTP age (17) file requests themselves; children's documents are filed by a parent. */
function isAdult(c: Citizen, now: Date): boolean {
  const [y, m, d] = c.birthDate.split('-').map(Number) as [number, number, number];
  return Date.UTC(y + 17, m - 1, d) <= now.getTime();
}

export interface SiakSeed {
  citizens: Citizen[];
  /** In numbering order: the first gets serial FIRST_REQUEST_SERIAL. */
  requests: NewRequest[];
}

/**
 * The whole seed for a given `now`. The demo citizens' requests come first (serials 101–105:
 * Siti's completed KTP-el and in-process KK, then Budi's three completed requests); every other
 * adult resident gets 0–3 requests.
 */
export function createSeed(now: Date = new Date()): SiakSeed {
  const citizens = seedCitizens();
  const rng = createRng(0x51a4_2026);
  const requests = demoRequests(rng, now);
  const demoNiks = new Set<string>([DEMO_CITIZENS.siti.nik, DEMO_CITIZENS.budi.nik]);
  for (const c of citizens) {
    // Drawn for everyone, then discarded for children and the demo citizens, so that one resident
    // coming of age does not reshuffle everybody else's requests.
    const count = weighted(rng, [
      [0, 25],
      [1, 35],
      [2, 25],
      [3, 15],
    ] as const);
    const drawn = Array.from({ length: count }, () => randomRequest(rng, now, c.nik));
    if (!demoNiks.has(c.nik) && isAdult(c, now)) requests.push(...drawn);
  }
  return { citizens, requests };
}

/**
 * `count` more requests for one resident (tests need a citizen with many tickets). Deterministic for
 * a given nik, count, now and seed; number them by handing them to the store's `addRequests`.
 */
export function generateRequestsFor(nik: string, count: number, options: { now?: Date; seed?: number } = {}): NewRequest[] {
  const now = options.now ?? new Date();
  let h = options.seed ?? 0;
  for (const ch of nik) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  const rng = createRng(h);
  return Array.from({ length: count }, () => randomRequest(rng, now, nik));
}
