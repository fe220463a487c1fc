/**
 * SIMPERDA runs on Asia/Jakarta time (WIB, UTC+7, no daylight saving) and writes its timestamps with
 * that offset, as regional systems do; the fixed offset makes plain arithmetic exact.
 */
import { DAY_MS, WIB_OFFSET_MS } from '@gerbang/simkit/time';

export { toWibIso as formatWib, wibYear } from '@gerbang/simkit/time';

/** `daysAgo` days before the WIB calendar date of `now`, at `hhmm` WIB. */
export function wibDayTime(now: Date, daysAgo: number, hhmm: string): Date {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new Error(`bad wall-clock time ${hhmm}`);
  const wib = new Date(now.getTime() + WIB_OFFSET_MS);
  const midnightWibAsUtc = Date.UTC(wib.getUTCFullYear(), wib.getUTCMonth(), wib.getUTCDate());
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return new Date(midnightWibAsUtc - daysAgo * DAY_MS + minutes * 60_000 - WIB_OFFSET_MS);
}
