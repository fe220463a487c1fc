/** Trenggalek's kecamatan codes as they appear in a NIK (2 digits). */
export const TRENGGALEK_KECAMATAN: Record<string, string> = {
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

export interface ParsedNik {
  province: string;
  regency: string;
  kecamatan: string;
  birthDate: string;
  sex: 'F' | 'M';
  serial: string;
}

/**
 * NIK = PP KK CC DDMMYY SSSS; women's day of birth + 40. Valid when it has 16 digits, a known
 * Trenggalek region (35.03 + kecamatan 01–14) and a real date. The century is not in the NIK:
 * a two-digit year later than this year's is taken as 19xx.
 */
export function parseNik(nik: string, options: { anyRegion?: boolean; today?: Date } = {}): ParsedNik | null {
  if (!/^\d{16}$/.test(nik)) return null;
  const province = nik.slice(0, 2);
  const regency = nik.slice(2, 4);
  const kecamatan = nik.slice(4, 6);
  if (!options.anyRegion && (province !== '35' || regency !== '03' || !TRENGGALEK_KECAMATAN[kecamatan])) return null;
  let day = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const sex = day > 40 ? 'F' : 'M';
  if (day > 40) day -= 40;
  const thisYear = (options.today ?? new Date()).getUTCFullYear() % 100;
  const year = yy > thisYear ? 1900 + yy : 2000 + yy;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || day < 1 || date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return null;
  if (nik.slice(12) === '0000') return null;
  return { province, regency, kecamatan, birthDate: date.toISOString().slice(0, 10), sex, serial: nik.slice(12) };
}

export const isValidNik = (nik: string, options?: { anyRegion?: boolean; today?: Date }) => parseNik(nik, options) !== null;

/** `3503115708900001` → `3503**********01`: region kept, birth date and serial hidden. */
export function maskNik(nik: string): string {
  return nik.length === 16 ? `${nik.slice(0, 4)}${'*'.repeat(10)}${nik.slice(14)}` : '****************';
}
