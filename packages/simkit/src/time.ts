/**
 * Wall-clock time as the regency's systems keep it: WIB (Asia/Jakarta, UTC+7, no daylight saving),
 * so a fixed offset is exact and needs no time-zone database.
 */
export const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The instant shifted so that its UTC fields read as WIB wall-clock fields. */
export const asWib = (instant: Date): Date => new Date(instant.getTime() + WIB_OFFSET_MS);

/** `2026-11-28T09:05:00+07:00`: ISO-8601 in WIB, to the second. */
export const toWibIso = (instant: Date): string => `${asWib(instant).toISOString().slice(0, 19)}+07:00`;

/** `2026-11-28`: the WIB calendar day of an instant. */
export const wibDate = (instant: Date): string => asWib(instant).toISOString().slice(0, 10);

export const wibYear = (instant: Date): number => asWib(instant).getUTCFullYear();

/** The instant of a WIB wall-clock time on a WIB calendar day (`YYYY-MM-DD`). */
export function atWib(date: string, hour: number, minute = 0): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, hour, minute) - WIB_OFFSET_MS);
}

/** A calendar date `days` later (or earlier). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
