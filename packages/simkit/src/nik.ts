/**
 * NIK helpers the simulated agency systems share: `PP KK CC DDMMYY SSSS`, women's day of birth + 40.
 * Each system checks NIKs its own way (a regional register only knows Trenggalek; national
 * services and Puskesmas accept any region), so both checks are here.
 */
export type Sex = 'M' | 'F';

/** Trenggalek's kecamatan codes as a NIK spells them. */
export const KECAMATAN: Readonly<Record<string, string>> = {
  '01': 'Panggul',
  '02': 'Munjungan',
  '03': 'Pule',
  '04': 'Dongko',
  '05': 'Tugu',
  '06': 'Karangan',
  '07': 'Kampak',
  '08': 'Watulimo',
  '09': 'Bendungan',
  '10': 'Gandusari',
  '11': 'Trenggalek',
  '12': 'Pogalan',
  '13': 'Durenan',
  '14': 'Suruh',
};

export interface NikParts {
  kecamatanCode: string;
  /** ISO calendar date `YYYY-MM-DD`. */
  birthDate: string;
  sex: Sex;
  serial: string;
}

/**
 * A NIK carries only a two-digit year: a year after this one's is taken as 19xx (the registers hold
 * nobody older than ~100, so this is unambiguous).
 */
function fullYear(yy: number, today: Date): number {
  return yy > today.getUTCFullYear() % 100 ? 1900 + yy : 2000 + yy;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** A Trenggalek NIK's parts; `null` when not 16 digits, not a Trenggalek kecamatan or not a real date. */
export function parseNik(nik: string, today: Date = new Date()): NikParts | null {
  const m = /^3503(\d{2})(\d{2})(\d{2})(\d{2})(\d{4})$/.exec(nik);
  if (!m) return null;
  const [, kec, dd, mm, yy, serial] = m as unknown as [string, string, string, string, string, string];
  if (!(kec in KECAMATAN) || serial === '0000') return null;
  let day = Number(dd);
  const sex: Sex = day > 40 ? 'F' : 'M';
  if (sex === 'F') day -= 40;
  const year = fullYear(Number(yy), today);
  if (!isRealDate(year, Number(mm), day)) return null;
  return { kecamatanCode: kec, birthDate: `${year}-${mm}-${String(day).padStart(2, '0')}`, sex, serial };
}

/** A valid Trenggalek NIK. */
export const isValidNik = (nik: string, today?: Date): boolean => parseNik(nik, today) !== null;

/**
 * A well-formed NIK of any region, as a national service (OSS) or a Puskesmas that serves anyone
 * checks it: 16 digits, a province code in use, a real birth date, a non-zero serial.
 */
export function isPlausibleNik(nik: string): boolean {
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{4})$/.exec(nik);
  if (!m) return false;
  const [, province, regency, district, dd, mm, yy, serial] = m as unknown as string[];
  if (Number(province) < 11 || Number(province) > 96 || Number(regency) < 1 || Number(district) < 1 || serial === '0000') return false;
  let day = Number(dd);
  if (day > 40) day -= 40;
  // 2000 + yy is a leap year whenever 1900 + yy is (and for 00), so no real date is refused.
  return isRealDate(2000 + Number(yy), Number(mm), day);
}

/** Builds a Trenggalek NIK; the inverse of `parseNik`. `kecamatan` as '01'..'14' or 1..14. */
export function makeNik(kecamatan: string | number, birthDate: string, sex: Sex, serial: number): string {
  const [year, month, day] = birthDate.split('-') as [string, string, string];
  const dd = String(Number(day) + (sex === 'F' ? 40 : 0)).padStart(2, '0');
  return `3503${String(kecamatan).padStart(2, '0')}${dd}${month}${year.slice(2)}${String(serial).padStart(4, '0')}`;
}
