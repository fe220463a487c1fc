import { isIsoDate } from './time';

/**
 * A Puskesmas serves anyone who walks in, not only Trenggalek residents, so a booking accepts any
 * well-formed Indonesian NIK: 16 digits, a province code in use (11..94), a real birth date once the
 * +40 added for women is removed, and a non-zero serial.
 */
export function isWellFormedNik(nik: string): boolean {
  const m = /^(\d{2})\d{4}(\d{2})(\d{2})(\d{2})(\d{4})$/.exec(nik);
  if (!m) return false;
  const [, province, dd, mm, yy, serial] = m as unknown as [string, string, string, string, string, string];
  const p = Number(province);
  if (p < 11 || p > 94 || serial === '0000') return false;
  let day = Number(dd);
  if (day > 40) day -= 40;
  // The century does not matter for validity except on 29 February; 2000 is a leap year, so a
  // birth on 29 Feb of a two-digit leap year is accepted either way.
  const iso = `20${yy}-${mm}-${String(day).padStart(2, '0')}`;
  return isIsoDate(iso);
}

/** Builds a Trenggalek NIK (`35 03 KK DDMMYY SSSS`, women: day + 40) for seeded patients. */
export function makeTrenggalekNik(kecamatan: number, birth: string, female: boolean, serial: number): string {
  const [y, m, d] = birth.split('-') as [string, string, string];
  const dd = String(Number(d) + (female ? 40 : 0)).padStart(2, '0');
  return `3503${String(kecamatan).padStart(2, '0')}${dd}${m}${y.slice(2)}${String(serial).padStart(4, '0')}`;
}
