/**
 * Distinct-citizen measures (CITIZENS_SERVED, CITIZENS_RATING). A distinct count over a union is
 * not the sum of its parts, so these are not kept in the rollups: each question counts them exactly,
 * per cell, from the citizen-keyed facts (`ticket_fact.citizen`, `rating_fact.citizen`: a 64-bit
 * hash of the ledger's keyed NIK hash, never selected out of PostgreSQL), with GROUPING SETS that
 * also give every line's own total (the same question without that dimension), which the
 * suppression of a line of distinct counts needs (suppressDistinctLine).
 *
 * Cells are fixed calendar buckets only: days, weeks (cut at month ends), months, or one calendar
 * year; lines are the buckets of a year or month and the values of a grouped dimension. An
 * arbitrary run of months is never one figure: distinct(Jan–Nov) − distinct(Jan–Oct) would count
 * the citizens first seen in November, a group that can be one person however large November is.
 */
import { suppressDistinctLine } from './suppression';
import type { MeasureName, PlainDimension, Question } from './model';

export type DistinctTime = 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';

export interface DistinctRow {
  /** The bucket (null in a time line's total, whose bucket is `l`). */
  b: string | null;
  l?: string | null;
  n: number;
  gb: number;
  g: number[];
  coords: (string | null)[];
}

const FACT: Record<string, { table: 'ticket_fact' | 'rating_fact'; day: string; where: string }> = {
  CITIZENS_SERVED: { table: 'ticket_fact', day: 'f.opened', where: '' },
  CITIZENS_RATING: { table: 'rating_fact', day: 'f.period', where: ' and f.valid' },
};

const COLUMN: Partial<Record<PlainDimension, string>> = {
  AGENCY: 'f.agency_id',
  SERVICE: 'f.service_id',
  KECAMATAN: 'f.kecamatan::text',
  CHANNEL: 'f.channel',
};

/** The bucket a question's cells are counted in: its time dimension, else one month or one year. */
export function distinctTime(question: Question): DistinctTime {
  const t = question.dimensions.find((d) => d === 'MONTH' || d === 'WEEK' || d === 'DAY');
  if (t === 'MONTH' || t === 'WEEK' || t === 'DAY') return t;
  return question.from === question.to ? 'MONTH' : 'YEAR';
}

/** Bucket and line expressions over a day: lines are months within a year, days and weeks within a month. */
function bucketSql(time: DistinctTime, d: string): { b: string; l: string | null } {
  const month = `to_char(${d}, 'YYYY-MM')`;
  switch (time) {
    case 'DAY':
      return { b: `${d}::text`, l: month };
    case 'WEEK':
      return { b: `greatest(date_trunc('week', ${d}::timestamp), date_trunc('month', ${d}::timestamp))::date::text`, l: month };
    case 'MONTH':
      return { b: month, l: `to_char(${d}, 'YYYY')` };
    case 'YEAR':
      return { b: `to_char(${d}, 'YYYY')`, l: null };
  }
}

export interface DistinctFetch {
  measure: MeasureName;
  sql: string;
  params: unknown[];
  table: 'ticket_fact' | 'rating_fact';
  from: string;
  to: string;
}

/** One statement per measure: cells, time-line totals and one total per grouped dimension's lines. */
export function planDistinct(insights: string, question: Question, measure: MeasureName, grouped: PlainDimension[], from: string, to: string): DistinctFetch {
  const fact = FACT[measure]!;
  const { b, l } = bucketSql(distinctTime(question), fact.day);
  const g = grouped.map((d, i) => ({ col: `g${i}`, sql: COLUMN[d]! }));
  const gCols = g.map((x) => x.col);
  const sets = [['b', ...gCols], ...(l ? [['l', ...gCols]] : []), ...gCols.map((_, i) => ['b', ...gCols.filter((__, j) => j !== i)])].map((set) => [...set, 'citizen']);
  const keys = ['b', ...(l ? ['l'] : []), ...gCols];
  const flags = ['gb', ...gCols.map((c) => `gg_${c}`)];
  // Distinct (set, keys, citizen) first, then counted: hash aggregates, where count(distinct) over
  // grouping sets would sort the period's facts once per set.
  const sql = `select ${[...keys, ...flags].join(', ')}, count(*)::int as n
    from (select ${keys.join(', ')}, grouping(b)::int as gb${gCols.map((c) => `, grouping(${c})::int as gg_${c}`).join('')}
          from (select ${b} as b${l ? `, ${l} as l` : ''}${g.map((x) => `, ${x.sql} as ${x.col}`).join('')}, f.citizen
                from ${insights}.${fact.table} f where ${fact.day} >= $1::date and ${fact.day} < $2::date${fact.where}) x
          group by grouping sets (${sets.map((set) => `(${set.join(', ')})`).join(', ')})) y
    group by ${[...keys, ...flags].join(', ')}`;
  return { measure, sql, params: [from, to], table: fact.table, from, to };
}

/** The driver's rows as DistinctRows. */
export const distinctRows = (rows: readonly Record<string, unknown>[], groupedCount: number): DistinctRow[] =>
  rows.map((r) => ({
    b: r.b as string | null,
    l: (r.l ?? null) as string | null,
    n: r.n as number,
    gb: r.gb as number,
    g: Array.from({ length: groupedCount }, (_, i) => r[`gg_g${i}`] as number),
    coords: Array.from({ length: groupedCount }, (_, i) => r[`g${i}`] as string | null),
  }));

const lineOf = (time: DistinctTime, bucket: string) => (time === 'MONTH' ? bucket.slice(0, 4) : bucket.slice(0, 7));

/**
 * Cells (keyed `coords…␁bucket`, as the engine keys its answer) and the hidden ones: primary
 * suppression below k, then suppressDistinctLine on every line (each grouped dimension, and the
 * time buckets of a year or month) until no line changes, so that every line of the answer holds
 * the rule with all the cells hidden by the others.
 */
export function computeDistinct(rows: readonly DistinctRow[], time: DistinctTime, k: number, sep: string): { cells: Map<string, number>; hidden: Set<string> } {
  const cells = new Map<string, number>();
  const totals = new Map<string, number>();
  const cellCoords: { key: string; coords: string[]; bucket: string }[] = [];
  for (const r of rows) {
    const grouped = r.g.map((x, i) => (x ? '*' : (r.coords[i] ?? '')));
    if (r.gb) {
      totals.set(`T${sep}${grouped.join(sep)}${sep}${r.l ?? ''}`, r.n);
    } else if (r.g.some((x) => x)) {
      totals.set(`${grouped.join(sep)}${sep}${r.b ?? ''}`, r.n);
    } else {
      const key = `${grouped.join(sep)}${sep}${r.b ?? ''}`;
      cells.set(key, r.n);
      cellCoords.push({ key, coords: grouped, bucket: r.b ?? '' });
    }
  }
  const hidden = new Set<string>();
  for (const [key, n] of cells) if (n > 0 && n < k) hidden.add(key);
  const directions = cellCoords[0]?.coords.length ?? 0;
  const lines: { total: number; cells: { key: string; n: number }[] }[] = [];
  for (let i = 0; i <= directions; i++) {
    if (i === directions && time === 'YEAR') break;
    const byLine = new Map<string, { key: string; n: number }[]>();
    for (const c of cellCoords) {
      const lineKey = i < directions ? `${c.coords.map((v, j) => (j === i ? '*' : v)).join(sep)}${sep}${c.bucket}` : `T${sep}${c.coords.join(sep)}${sep}${lineOf(time, c.bucket)}`;
      const line = byLine.get(lineKey);
      if (line) line.push({ key: c.key, n: cells.get(c.key)! });
      else byLine.set(lineKey, [{ key: c.key, n: cells.get(c.key)! }]);
    }
    for (const [lineKey, line] of byLine) lines.push({ total: totals.get(lineKey) ?? 0, cells: line });
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const marked = new Set(line.cells.filter((c) => hidden.has(c.key)).map((c) => c.key));
      for (const key of suppressDistinctLine(line.cells, k, line.total, marked)) {
        if (!hidden.has(key)) {
          hidden.add(key);
          changed = true;
        }
      }
    }
  }
  return { cells, hidden };
}
