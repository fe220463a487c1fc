/**
 * Puskesmas work on WIB (UTC+7, no daylight saving): a fixed offset is exact and needs no time-zone
 * database. Queue dates (`tanggalperiksa`) are WIB calendar days, and times are printed with `+07:00`.
 */
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** `2026-11-28`: the WIB calendar day of an instant. */
export function wibDate(instant: Date): string {
  return new Date(instant.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of a WIB wall-clock time on a WIB calendar day. */
export function atWib(date: string, hour: number, minute = 0): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, hour, minute) - WIB_OFFSET_MS);
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** `2026-11-28T09:05:00+07:00`. */
export function toWibIso(instant: Date): string {
  return `${new Date(instant.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
