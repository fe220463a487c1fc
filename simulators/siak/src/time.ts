/**
 * Trenggalek is on WIB (UTC+7, no daylight saving), and the registry reports local wall-clock times
 * with an explicit offset, so a fixed offset is exact here and needs no time-zone database.
 */
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** `2026-11-26T10:15:00+07:00`: ISO-8601 in WIB, to the second, as the registry prints it. */
export function toWibIso(date: Date): string {
  const local = new Date(date.getTime() + WIB_OFFSET_MS).toISOString();
  return `${local.slice(0, 19)}+07:00`;
}

/** The same instant moved to a given WIB wall-clock time on its WIB calendar day. */
export function atWibTime(date: Date, hour: number, minute: number): Date {
  const local = new Date(date.getTime() + WIB_OFFSET_MS);
  const utcMidnightOfLocalDay = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  return new Date(utcMidnightOfLocalDay + hour * HOUR_MS + minute * 60_000 - WIB_OFFSET_MS);
}

/** 00:00 WIB on the first day of the WIB month that contains `date`. */
export function startOfWibMonth(date: Date): Date {
  const local = new Date(date.getTime() + WIB_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - WIB_OFFSET_MS);
}

export function wibYear(date: Date): number {
  return new Date(date.getTime() + WIB_OFFSET_MS).getUTCFullYear();
}
