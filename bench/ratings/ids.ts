import { isValidNik } from '@gerbang/common';

/**
 * Generated people for the benchmark: valid NIKs (16 digits, Trenggalek region, real birth date,
 * non-zero serial) and valid NIPs (18 digits: birth date, appointment month, sex, serial), so that
 * every rule that checks them passes exactly as it would for real people.
 */
const KECAMATAN = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14'];

/** The i-th generated citizen's NIK (distinct for i < 14 · 28 · 12 · 50 · 9999). */
export function benchNik(i: number): string {
  const kec = KECAMATAN[i % 14]!;
  let rest = Math.floor(i / 14);
  const day = (rest % 28) + 1;
  rest = Math.floor(rest / 28);
  const month = (rest % 12) + 1;
  rest = Math.floor(rest / 12);
  const year = 50 + (rest % 50); // 1950–1999
  rest = Math.floor(rest / 50);
  const serial = (rest % 9999) + 1;
  const female = i % 2 === 1;
  const nik = `3503${kec}${String(female ? day + 40 : day).padStart(2, '0')}${String(month).padStart(2, '0')}${String(year).padStart(2, '0')}${String(serial).padStart(4, '0')}`;
  if (!isValidNik(nik)) throw new Error(`generated an invalid NIK ${nik}`);
  return nik;
}

const NIP = /^(\d{4})(\d{2})(\d{2})(\d{4})(\d{2})([12])(\d{3})$/;

/** Same rules as the BKPSDM register (simulators/bkpsdm/src/nip.ts): real birth date, appointed at 18 or later, serial ≠ 000. */
function isValidNip(nip: string): boolean {
  const m = NIP.exec(nip);
  if (!m) return false;
  const [by, bm, bd, ay, am, , serial] = m.slice(1).map<number>(Number);
  const birth = new Date(Date.UTC(by!, bm! - 1, bd));
  if (birth.getUTCFullYear() !== by || birth.getUTCMonth() !== bm! - 1 || birth.getUTCDate() !== bd) return false;
  return am! >= 1 && am! <= 12 && ay! >= by + 18 && serial! > 0;
}

/** The i-th officer of an agency: a NIP unique per (agency number, i). */
export function benchNip(agencyNo: number, i: number): string {
  const birthYear = 1968 + ((i * 7 + agencyNo) % 30);
  const birthMonth = ((i * 5 + agencyNo) % 12) + 1;
  const birthDay = ((i * 3) % 28) + 1;
  const appointedYear = birthYear + 22 + (i % 8);
  const appointedMonth = ((i + agencyNo) % 12) + 1;
  const sex = i % 2 === 0 ? 1 : 2;
  // agency number and officer index in the serial's place (and the appointment year) keep NIPs distinct.
  const serial = ((agencyNo * 300 + i) % 999) + 1;
  const nip = `${birthYear}${String(birthMonth).padStart(2, '0')}${String(birthDay).padStart(2, '0')}${appointedYear}${String(appointedMonth).padStart(2, '0')}${sex}${String(serial).padStart(3, '0')}`;
  if (!isValidNip(nip)) throw new Error(`generated an invalid NIP ${nip}`);
  return nip;
}
