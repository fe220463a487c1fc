import { JAKARTA_OFFSET_MINUTES } from '@gerbang/common';

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const isMonth = (month: string) => MONTH_PATTERN.test(month);

/** The instant a `YYYY-MM` month ends on the Asia/Jakarta calendar (= the next month's first instant). */
export function jakartaMonthEnd(month: string): Date {
  const m = MONTH_PATTERN.exec(month);
  if (!m) throw new RangeError(`not a YYYY-MM month: ${month}`);
  const year = Number(m[1]);
  const monthIndex = Number(m[2]); // next month, 0-based
  return new Date(Date.UTC(year, monthIndex, 1) - JAKARTA_OFFSET_MINUTES * 60_000);
}

export const DAY_MS = 86_400_000;

/** `YYYY-MM` bounds of a year, or of one month of it. */
export function periodRange(year: number, month?: number | null): { from: string; to: string } {
  const y = String(year).padStart(4, '0');
  if (month === undefined || month === null) return { from: `${y}-01`, to: `${y}-12` };
  const m = `${y}-${String(month).padStart(2, '0')}`;
  return { from: m, to: m };
}
