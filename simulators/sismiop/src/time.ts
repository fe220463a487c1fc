/**
 * SISMIOP stores local WIB wall-clock times without an offset. WIB is UTC+7 with no daylight
 * saving, so a fixed offset converts exactly.
 */
import { DAY_MS, WIB_OFFSET_MS } from '@gerbang/simkit/time';

export { DAY_MS, HOUR_MS, addDays, atWib, wibDate } from '@gerbang/simkit/time';

/** `2026-11-28 09:05:00`: how a TIMESTAMP column holds an instant. */
export function wibTimestamp(instant: Date): string {
  return new Date(instant.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Whole days from `a` to `b` (calendar dates). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, of a calendar date. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}
