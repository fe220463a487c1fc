import { toJakartaIso } from '@gerbang/common';

/**
 * The late-payment surcharge (denda) of PBB-P2: per started month after the due date, at most 24
 * months; 2% a month for tax years before 2024, 1% from tax year 2024 (UU 1/2022 HKPD, Perda
 * Trenggalek on regional taxes). SISMIOP records the surcharge only when a bill is paid; for an
 * unpaid bill the hub shows what it has accrued by `onDate` (YYYY-MM-DD).
 */
export function latePenalty(amount: number, taxYear: number, dueDate: string, onDate: string): number {
  if (onDate <= dueDate) return 0;
  const [dy, dm, dd] = dueDate.split('-').map(Number) as [number, number, number];
  const [py, pm, pd] = onDate.split('-').map(Number) as [number, number, number];
  const months = Math.min(24, (py - dy) * 12 + (pm - dm) + (pd > dd ? 1 : 0));
  const percent = taxYear < 2024 ? 2 : 1;
  return Math.round((amount * percent * months) / 100);
}

/** Today's date on the Asia/Jakarta calendar. */
export const jakartaDate = (now: Date) => toJakartaIso(now).slice(0, 10);

/** `SITI RAHAYU` → `S*** R*****`: enough to recognise one's own bill, not to learn a stranger's name. */
export const maskName = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (w.length <= 1 ? w : `${w[0]}${'*'.repeat(w.length - 1)}`))
    .join(' ');

const small = new Set(['dan', 'di', 'ke']);
/** SISMIOP's upper-case place names as people write them: `TRENGGALEK` → `Trenggalek`. */
export const titleCase = (s: string) =>
  s
    .toLowerCase()
    .split(' ')
    .map((w, i) => (i > 0 && small.has(w) ? w : w.replace(/^\p{L}/u, (c) => c.toUpperCase())))
    .join(' ');
