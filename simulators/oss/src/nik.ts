/**
 * Shape check of a NIK as OSS applies it: 16 digits, a plausible region, and a real birth date once
 * the +40 that marks women is removed. OSS is national, so any regency is accepted. Whether the
 * person exists is Dukcapil's business, not OSS's.
 */
export function isPlausibleNik(nik: string): boolean {
  if (!/^\d{16}$/.test(nik)) return false;
  const province = Number(nik.slice(0, 2));
  const regency = Number(nik.slice(2, 4));
  const district = Number(nik.slice(4, 6));
  if (province < 11 || province > 96 || regency < 1 || district < 1) return false;
  let day = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  if (day > 40) day -= 40;
  if (day < 1 || month < 1 || month > 12) return false;
  // 2000 + yy: a leap year whenever 1900 + yy is, and also for yy = 00, so no real date is refused.
  const date = new Date(Date.UTC(2000 + Number(nik.slice(10, 12)), month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && Number(nik.slice(12)) > 0;
}
