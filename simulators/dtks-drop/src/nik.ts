/**
 * NIK layout `35 03 KK DDMMYY SSSS`: Jawa Timur, Trenggalek, kecamatan 01..14, birth date with
 * 40 added to the day for women, serial. The register only holds Trenggalek residents.
 */
export function makeNik(kecamatan: number, birth: string, female: boolean, serial: number): string {
  const [y, m, d] = birth.split('-') as [string, string, string];
  const dd = String(Number(d) + (female ? 40 : 0)).padStart(2, '0');
  return `3503${String(kecamatan).padStart(2, '0')}${dd}${m}${y.slice(2)}${String(serial).padStart(4, '0')}`;
}

/** A Trenggalek NIK: 16 digits, kecamatan 01..14, a real date once the +40 is removed, serial ≠ 0000. */
export function isValidNik(nik: string): boolean {
  const m = /^3503(\d{2})(\d{2})(\d{2})(\d{2})(\d{4})$/.exec(nik);
  if (!m) return false;
  const [, kec, dd, mm, yy, serial] = m as unknown as [string, string, string, string, string, string];
  if (Number(kec) < 1 || Number(kec) > 14 || serial === '0000') return false;
  let day = Number(dd);
  if (day > 40) day -= 40;
  const month = Number(mm);
  // 2000 is a leap year, so 29 February of any two-digit leap year passes whatever the century.
  const d = new Date(Date.UTC(2000 + Number(yy), month - 1, day));
  return month >= 1 && month <= 12 && day >= 1 && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
