/**
 * Trenggalek is on WIB (UTC+7, no daylight saving), and the registry reports local wall-clock times
 * with an explicit offset, so a fixed offset is exact here and needs no time-zone database.
 */
import { HOUR_MS, WIB_OFFSET_MS } from '@gerbang/simkit/time';

export { DAY_MS, HOUR_MS, toWibIso, wibYear } from '@gerbang/simkit/time';

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
