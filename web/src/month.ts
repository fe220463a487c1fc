const jakarta = (now: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now).split('-').map(Number) as [number, number, number];

const shift = (y: number, m: number, by: number) => {
  const i = y * 12 + (m - 1) - by;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
};

/** YYYY-MM of the month before this one in Asia/Jakarta. */
export function previousMonth(now = new Date()): string {
  const [y, m] = jakarta(now);
  return shift(y, m, 1);
}

/**
 * The latest month whose rating window (7 days after its end, RATING_WINDOW_DAYS) has closed:
 * the month HR can finalise. The graph decides (PERIOD_NOT_CLOSED); this is only the form's default.
 */
export function latestClosedMonth(now = new Date(), windowDays = 7): string {
  const [y, m, d] = jakarta(now);
  return shift(y, m, d > windowDays ? 1 : 2);
}

/** YYYY-MM of the month `back` months before this one in Asia/Jakarta (0: this month). */
export function monthsAgo(back: number, now = new Date()): string {
  const [y, m] = jakarta(now);
  return shift(y, m, back);
}

/** Every YYYY-MM from `from` to `to`, both included (none when `to` is before `from`). */
export function monthRange(from: string, to: string): string[] {
  const index = (ym: string) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;
  const out: string[] = [];
  for (let i = index(from); i <= index(to); i++) out.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  return out;
}
