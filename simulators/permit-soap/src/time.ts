/**
 * SIMPERDA runs on Asia/Jakarta time (WIB, UTC+7, no daylight saving) and writes its timestamps with
 * that offset, as regional systems do; the fixed offset makes plain arithmetic exact.
 */
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `daysAgo` days before the WIB calendar date of `now`, at `hhmm` WIB. */
export function wibDayTime(now: Date, daysAgo: number, hhmm: string): Date {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new Error(`bad wall-clock time ${hhmm}`);
  const wib = new Date(now.getTime() + WIB_OFFSET_MS);
  const midnightWibAsUtc = Date.UTC(wib.getUTCFullYear(), wib.getUTCMonth(), wib.getUTCDate());
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return new Date(midnightWibAsUtc - daysAgo * DAY_MS + minutes * 60_000 - WIB_OFFSET_MS);
}

/** ISO-8601 with the +07:00 offset, to the second: `2026-11-25T10:15:00+07:00`. */
export function formatWib(date: Date): string {
  const wib = new Date(date.getTime() + WIB_OFFSET_MS);
  return `${wib.toISOString().slice(0, 19)}+07:00`;
}

export function wibYear(date: Date): number {
  return new Date(date.getTime() + WIB_OFFSET_MS).getUTCFullYear();
}
