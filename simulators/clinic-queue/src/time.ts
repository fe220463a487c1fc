/**
 * Puskesmas work on WIB (UTC+7, no daylight saving): a fixed offset is exact and needs no time-zone
 * database. Queue dates (`tanggalperiksa`) are WIB calendar days, and times are printed with `+07:00`.
 */
export { HOUR_MS, MINUTE_MS, addDays, atWib, toWibIso, wibDate } from '@gerbang/simkit/time';

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
