/**
 * NIK (Nomor Induk Kependudukan) layout: `PP RR KK DDMMYY SSSS`
 * province 35 (Jawa Timur), regency 03 (Trenggalek), kecamatan 01..14, birth date (women: day + 40),
 * serial. The simulator only issues Trenggalek NIKs, so anything outside 35.03.01–14 is not one of its own.
 */

/** Kecamatan of Kabupaten Trenggalek by their two-digit population (Kemendagri) code. */
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

export type Sex = 'M' | 'F';

export interface NikParts {
  kecamatanCode: string;
  /** ISO calendar date `YYYY-MM-DD`. */
  birthDate: string;
  sex: Sex;
  serial: string;
}

const NIK_PATTERN = /^3503(\d{2})(\d{2})(\d{2})(\d{2})(\d{4})$/;

/**
 * A NIK carries only a two-digit year. Someone whose two-digit year is after the current one was born
 * in the previous century; the registry holds nobody older than ~100, so this is unambiguous here.
 */
function fullYear(yy: number, today: Date): number {
  const currentYy = today.getUTCFullYear() % 100;
  return yy > currentYy ? 1900 + yy : 2000 + yy;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Parses a Trenggalek NIK; `null` when it is not 16 digits, not a known kecamatan or not a real date. */
export function parseNik(nik: string, today: Date = new Date()): NikParts | null {
  const m = NIK_PATTERN.exec(nik);
  if (!m) return null;
  const [, kec, dd, mm, yy, serial] = m as unknown as [string, string, string, string, string, string];
  if (!(kec in KECAMATAN)) return null;
  let day = Number(dd);
  const sex: Sex = day > 40 ? 'F' : 'M';
  if (sex === 'F') day -= 40;
  const month = Number(mm);
  const year = fullYear(Number(yy), today);
  if (!isRealDate(year, month, day)) return null;
  if (serial === '0000') return null;
  const birthDate = `${year}-${mm}-${String(day).padStart(2, '0')}`;
  return { kecamatanCode: kec, birthDate, sex, serial };
}

export function isValidNik(nik: string, today?: Date): boolean {
  return parseNik(nik, today) !== null;
}

/** Builds the NIK of a Trenggalek resident; the inverse of `parseNik`. */
export function makeNik(kecamatanCode: string, birthDate: string, sex: Sex, serial: number): string {
  const [year, month, day] = birthDate.split('-') as [string, string, string];
  const dd = String(Number(day) + (sex === 'F' ? 40 : 0)).padStart(2, '0');
  return `3503${kecamatanCode}${dd}${month}${year.slice(2)}${String(serial).padStart(4, '0')}`;
}
