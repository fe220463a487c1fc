import type pg from 'pg';
import Cursor from 'pg-cursor';
import { TURNAROUND_BUCKETS } from './refresh';
import {
  APPEAL_DIMENSIONS,
  FILTER_DIMENSION,
  PLAIN_DIMENSIONS,
  ratio2,
  measureDef,
  type Basis,
  type CellBasis,
  type Dimension,
  type Filter,
  type MeasureName,
  type PlainDimension,
  type Question,
} from './model';
import { splitsSuppressed, suppressLine } from './suppression';

/** Minimum cell size per basis, and the fewest officers a position-class cell may describe. */
export interface PrivacyPolicy {
  k: Record<Basis, number>;
  minOfficers: number;
}

/** The fewest a shown cell of a basis stands on: k records, or the minimum of officers. */
export const minimumCellSize = (privacy: PrivacyPolicy, basis: CellBasis) => (basis === 'OFFICERS' || basis === 'OFFICERS_BELOW' ? privacy.minOfficers : privacy.k[basis]);

export const DEFAULT_PRIVACY: PrivacyPolicy = {
  k: { OPENED: 10, COMPLETED: 10, BACKLOG: 10, RATINGS: 10, RESPONDENTS: 10, FLAGS: 10, APPEALS: 10 },
  minOfficers: 3,
};

/** Sums of one base row (or of a cell): flows of its period, and the stock of open tickets. */
interface Agg {
  opened: number;
  completed: number;
  withSla: number;
  inSla: number;
  dropped: number;
  hist: number[] | null;
  ratings: number;
  starsSum: number;
  skmN: number;
  skm: number[];
  flags: number;
  appeals: number;
  backlog: number;
  officers: Set<string> | null;
  /** Per officer (officer-level measures): tickets completed, valid ratings and their stars. Never leaves the engine. */
  perOfficer: Map<string, { completed: number; ratings: number; stars: number }> | null;
}

interface BaseRow {
  /** `YYYY-MM-DD` (first day of the month at month grain); '0000-00-00' for the stock before the fetch. */
  period: string;
  coords: Partial<Record<PlainDimension | 'OFFICER', string>>;
  agg: Agg;
}

const emptyAgg = (): Agg => ({
  opened: 0,
  completed: 0,
  withSla: 0,
  inSla: 0,
  dropped: 0,
  hist: null,
  ratings: 0,
  starsSum: 0,
  skmN: 0,
  skm: [0, 0, 0, 0, 0, 0, 0, 0, 0],
  flags: 0,
  appeals: 0,
  backlog: 0,
  officers: null,
  perOfficer: null,
});

function addFlows(into: Agg, a: Agg) {
  into.opened += a.opened;
  into.completed += a.completed;
  into.withSla += a.withSla;
  into.inSla += a.inSla;
  into.dropped += a.dropped;
  if (a.hist) {
    if (!into.hist) into.hist = new Array(TURNAROUND_BUCKETS).fill(0);
    for (let i = 0; i < TURNAROUND_BUCKETS; i++) into.hist[i]! += a.hist[i]!;
  }
  into.ratings += a.ratings;
  into.starsSum += a.starsSum;
  into.skmN += a.skmN;
  for (let i = 0; i < 9; i++) into.skm[i]! += a.skm[i]!;
  into.flags += a.flags;
  into.appeals += a.appeals;
}

function addOfficers(into: Agg, row: BaseRow) {
  const o = row.coords.OFFICER;
  if (o === undefined) return;
  (into.officers ??= new Set()).add(o);
  if (o === '' || (row.agg.completed === 0 && row.agg.ratings === 0)) return;
  let p = (into.perOfficer ??= new Map<string, { completed: number; ratings: number; stars: number }>()).get(o);
  if (!p) into.perOfficer.set(o, (p = { completed: 0, ratings: 0, stars: 0 }));
  p.completed += row.agg.completed;
  p.ratings += row.agg.ratings;
  p.stars += row.agg.starsSum;
}

const belowFour = (p: { ratings: number; stars: number }) => p.ratings > 0 && p.stars < 4 * p.ratings;

/** Officers of a cell matching `test` (0 when the cell has none). */
const officersWhere = (a: Agg, test: (p: { completed: number; ratings: number; stars: number }) => boolean) => {
  let n = 0;
  for (const p of a.perOfficer?.values() ?? []) if (test(p)) n++;
  return n;
};

export const basisCount = (a: Agg, b: CellBasis): number => {
  switch (b) {
    case 'OFFICERS':
      return a.perOfficer?.size ?? 0;
    case 'OFFICERS_BELOW':
      return officersWhere(a, belowFour);
    case 'OPENED':
      return a.opened;
    case 'COMPLETED':
      return a.completed;
    case 'BACKLOG':
      return a.backlog;
    case 'RATINGS':
      return a.ratings;
    case 'RESPONDENTS':
      return a.skmN;
    case 'FLAGS':
      return a.flags;
    case 'APPEALS':
      return a.appeals;
  }
};

/** Nearest-rank percentile of a day histogram. */
function percentile(hist: number[] | null, total: number, p: number): number | null {
  if (!hist || total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i]!;
    if (seen >= rank) return i;
  }
  return hist.length - 1;
}

export function measureValue(m: MeasureName, a: Agg): number | null {
  switch (m) {
    case 'TICKETS_OPENED':
      return a.opened;
    case 'TICKETS_COMPLETED':
      return a.completed;
    case 'COMPLETED_WITHIN_SLA_PERCENT':
      return a.withSla ? ratio2(a.inSla * 100, a.withSla) : null;
    case 'TURNAROUND_MEDIAN_DAYS':
      return percentile(a.hist, a.completed, 0.5);
    case 'TURNAROUND_P90_DAYS':
      return percentile(a.hist, a.completed, 0.9);
    case 'BACKLOG':
      return a.backlog;
    case 'RATINGS':
      return a.ratings;
    case 'AVERAGE_STARS':
      return a.ratings ? ratio2(a.starsSum, a.ratings) : null;
    case 'IKM':
      return a.skmN ? ratio2(25 * a.skm.reduce((x, y) => x + y, 0), 9 * a.skmN) : null;
    case 'RATING_FLAGS':
      return a.flags;
    case 'APPEALS':
      return a.appeals;
    case 'OFFICERS':
      return officersWhere(a, (p) => p.completed > 0);
    case 'OFFICERS_BELOW_4_STARS':
      return officersWhere(a, belowFour);
    default: {
      const i = Number(m.slice(5)) - 1;
      return a.skmN ? ratio2(25 * a.skm[i]!, a.skmN) : null;
    }
  }
}

export interface Cell {
  measure: MeasureName;
  value: number | null;
  suppressed: boolean;
}

export interface AnswerRow {
  /** Dimension values, by dimension (time buckets as `YYYY-MM`, week start or day `YYYY-MM-DD`). */
  key: Partial<Record<Dimension, string>>;
  cells: Cell[];
}

export interface Answer {
  rows: AnswerRow[];
  suppressedCells: { key: Partial<Record<Dimension, string>>; measure: MeasureName }[];
  /** Rows the planner expected the fetch to scan: the question's price. */
  estimatedRows: number;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

const DIM_SQL: Record<PlainDimension | 'OFFICER', string> = {
  AGENCY: 'r.agency_id',
  SERVICE: 'r.service_id',
  KECAMATAN: 'r.kecamatan::text',
  CHANNEL: 'r.channel',
  POSITION_CLASS: "coalesce(oc.position_class, 'UNKNOWN')",
  OFFICER: 'r.officer_id',
};

const monthStart = (m: string) => `${m}-01`;
const addMonths = (m: string, n: number) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, mo - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};
export const shiftMonth = addMonths;
export const monthsBetween = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
};

/** Week start (Monday), clipped to the month: weeks nest in months, so their lines do too. */
function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
  const first = `${day.slice(0, 7)}-01`;
  return monday < first ? first : monday;
}

const timeBucket = (dim: Dimension | undefined, period: string): string | undefined => (dim === 'MONTH' ? period.slice(0, 7) : dim === 'DAY' ? period : dim === 'WEEK' ? weekOf(period) : undefined);

/** The line a time bucket belongs to: months within their year, days and weeks within their month. */
const timeLine = (dim: Dimension, bucket: string) => (dim === 'MONTH' ? bucket.slice(0, 4) : bucket.slice(0, 7));

export interface EngineOptions {
  ledgerSchema: string;
  insightsSchema: string;
  privacy: PrivacyPolicy;
}

/** Sum of the planner's row estimates of the plan's scans. */
function scannedRows(plan: any): number {
  const children: any[] = plan.Plans ?? [];
  if (children.length === 0) return Number(plan['Plan Rows'] ?? 0) * Number(plan['Actual Loops'] ?? 1);
  return children.reduce<number>((a, c) => a + scannedRows(c), 0);
}

interface Fetch {
  sql: string;
  params: unknown[];
  source: 'ticket' | 'rating' | 'appeal' | 'stock';
}

/** Turns fetched rollup rows into base rows (the driver's row objects are dropped after). */
function addBase(base: BaseRow[], dims: (PlainDimension | 'OFFICER')[], f: Fetch, rows: any[]) {
  for (const r of rows) {
    const agg = emptyAgg();
    if (f.source === 'ticket') {
      agg.opened = r.opened;
      agg.completed = r.completed;
      agg.withSla = r.with_sla;
      agg.inSla = r.in_sla;
      agg.dropped = r.dropped;
      agg.hist = r.hist ?? null;
    } else if (f.source === 'rating') {
      agg.ratings = r.ratings;
      agg.starsSum = r.stars_sum;
      agg.skmN = r.skm_n;
      agg.skm = r.skm;
      agg.flags = r.flags;
    } else if (f.source === 'appeal') {
      agg.appeals = r.appeals;
    } else {
      agg.backlog = r.net;
    }
    const coords: BaseRow['coords'] = {};
    for (const d of dims) coords[d] = r[d];
    base.push({ period: r.period, coords, agg });
  }
}

/**
 * Answers a question from the rollups. The caller has validated it (see validateQuestion).
 * `explain` runs first so that the price can be checked against the budget before the fetch.
 */
export class CubeEngine {
  constructor(private readonly options: EngineOptions) {}

  plan(question: Question): { fetches: Fetch[]; dims: (PlainDimension | 'OFFICER')[]; timeDim: Dimension | undefined; years: string[]; fetchFrom: string; fetchTo: string } {
    const I = q(this.options.insightsSchema);
    const L = q(this.options.ledgerSchema);
    const timeDim = question.dimensions.find((d) => d === 'MONTH' || d === 'WEEK' || d === 'DAY');
    const filtered = (Object.keys(question.filter) as (keyof Filter)[]).filter((f) => question.filter[f] !== undefined).map((f) => FILTER_DIMENSION[f]);
    const dims = PLAIN_DIMENSIONS.filter((d) => question.dimensions.includes(d) || filtered.includes(d)) as (PlainDimension | 'OFFICER')[];
    // Position classes are judged by their officers, and officer-level measures count them.
    if (dims.includes('POSITION_CLASS') || question.measures.some((m) => measureDef(m).basis.startsWith('OFFICERS'))) dims.push('OFFICER');
    const grain = timeDim === 'WEEK' || timeDim === 'DAY' ? 'day' : 'month';
    // Month lines are calendar years, so month-grain fetches cover whole years; day and week lines
    // are months, which the period holds whole.
    const fromYear = question.from.slice(0, 4);
    const toYear = question.to.slice(0, 4);
    const fetchFrom = grain === 'day' ? monthStart(question.from) : `${fromYear}-01-01`;
    const fetchTo = grain === 'day' ? `${addMonths(question.to, 1)}-01` : `${Number(toYear) + 1}-01-01`;
    const years: string[] = [];
    for (let y = Number(fromYear); y <= Number(toYear); y++) years.push(String(y));
    const sources = new Set(question.measures.map((m) => measureDef(m).source));
    const needsClass = dims.includes('POSITION_CLASS');
    const join = needsClass ? ` left join ${I}.officer_class oc on oc.officer_id = r.officer_id` : '';
    const select = dims.map((d) => `${DIM_SQL[d]} as "${d}"`);
    const groupBy = ['1', ...dims.map((_, i) => String(i + 2))].join(', ');
    const fetches: Fetch[] = [];
    const hist = Array.from({ length: TURNAROUND_BUCKETS }, (_, i) => `sum(r.turnaround[${i + 1}])`).join(', ');
    if (sources.has('ticket')) {
      const needHist = question.measures.some((m) => m.startsWith('TURNAROUND'));
      fetches.push({
        source: 'ticket',
        sql: `select r.period::text as period${select.map((s) => `, ${s}`).join('')},
                sum(r.opened)::int as opened, sum(r.completed)::int as completed, sum(r.completed_with_sla)::int as with_sla, sum(r.completed_in_sla)::int as in_sla, sum(r.dropped)::int as dropped
                ${needHist ? `, array[${hist}]::int[] as hist` : ''}
              from ${I}.ticket_${grain} r${join}
              where r.period >= $1::date and r.period < $2::date
              group by ${groupBy}`,
        params: [fetchFrom, fetchTo],
      });
      if (question.measures.includes('BACKLOG')) {
        fetches.push({
          source: 'stock',
          sql: `select '0000-00-00' as period${select.map((s) => `, ${s}`).join('')}, sum(r.opened - r.completed - r.dropped)::int as net
                from ${I}.ticket_month r${join}
                where r.period < $1::date
                group by ${groupBy}`,
          params: [fetchFrom],
        });
      }
    }
    if (sources.has('rating')) {
      fetches.push({
        source: 'rating',
        sql: `select r.period::text as period${select.map((s) => `, ${s}`).join('')},
                sum(r.ratings)::int as ratings, sum(r.stars_sum)::int as stars_sum, sum(r.skm_n)::int as skm_n,
                array[${Array.from({ length: 9 }, (_, i) => `sum(r.skm_s${i + 1})`).join(', ')}]::int[] as skm, sum(r.flags)::int as flags
              from ${I}.rating_${grain} r${join}
              where r.period >= $1::date and r.period < $2::date
              group by ${groupBy}`,
        params: [fetchFrom, fetchTo],
      });
    }
    if (sources.has('appeal')) {
      const aSelect = dims.map((d) => (d === 'AGENCY' ? 'a.agency_id' : d === 'OFFICER' ? 'a.officer_id' : "coalesce(oc.position_class, 'UNKNOWN')") + ` as "${d}"`);
      fetches.push({
        source: 'appeal',
        sql: `select (a.month || '-01') as period${aSelect.map((s) => `, ${s}`).join('')}, count(*)::int as appeals
              from ${L}.tpp_appeal a${needsClass ? ` left join ${I}.officer_class oc on oc.officer_id = a.officer_id` : ''}
              where a.month >= $1 and a.month < $2
              group by ${groupBy}`,
        params: [fetchFrom.slice(0, 7), fetchTo.slice(0, 7)],
      });
    }
    return { fetches, dims, timeDim, years, fetchFrom, fetchTo };
  }

  async estimate(db: pg.Pool | pg.ClientBase, question: Question): Promise<number> {
    let total = 0;
    for (const f of this.plan(question).fetches) {
      const { rows } = await db.query(`explain (format json) ${f.sql}`, f.params);
      total += scannedRows((rows[0] as any)['QUERY PLAN'][0].Plan);
    }
    return Math.ceil(total);
  }

  /**
   * Fetches the rollup rows and computes the answer. With `batchRows` (exports) each fetch is
   * read through a cursor, `batchRows` rows at a time, one connection, one fetch after the other:
   * no result set is ever held whole by the driver, only the compact base rows it turns into.
   */
  async answer(db: pg.Pool | pg.ClientBase, question: Question, estimatedRows: number, options: { batchRows?: number } = {}): Promise<Answer> {
    const plan = this.plan(question);
    const base: BaseRow[] = [];
    if (options.batchRows) {
      const pooled = 'totalCount' in db;
      const client = pooled ? await db.connect() : db;
      try {
        for (const f of plan.fetches) {
          const cursor = client.query(new Cursor(f.sql, f.params));
          try {
            for (let rows = await cursor.read(options.batchRows); rows.length; rows = await cursor.read(options.batchRows)) addBase(base, plan.dims, f, rows);
          } finally {
            await cursor.close();
          }
        }
      } finally {
        if (pooled) (client as pg.PoolClient).release();
      }
    } else {
      const results = await Promise.all(plan.fetches.map((f) => db.query(f.sql, f.params).then((r) => ({ f, rows: r.rows }))));
      for (const { f, rows } of results) addBase(base, plan.dims, f, rows);
    }
    return this.compute(question, plan, base, estimatedRows);
  }

  /** Everything after the fetch: pure, so the suppression rules are tested without a database. */
  compute(question: Question, plan: ReturnType<CubeEngine['plan']>, base: BaseRow[], estimatedRows: number): Answer {
    const { timeDim } = plan;
    const k = (b: CellBasis) => minimumCellSize(this.options.privacy, b);
    const grouped = question.dimensions.filter((d) => d !== timeDim) as PlainDimension[];
    const filters = (Object.keys(question.filter) as (keyof Filter)[]).filter((f) => question.filter[f] !== undefined).map((f) => ({ dim: FILTER_DIMENSION[f], value: String(question.filter[f]) }));
    const classInvolved = plan.dims.includes('POSITION_CLASS');
    const bases = [...new Set(question.measures.map((m) => measureDef(m).basis))];
    const withBacklog = question.measures.includes('BACKLOG');
    const periodFrom = monthStart(question.from);
    const periodToExcl = `${addMonths(question.to, 1)}-01`;
    const inPeriod = (p: string) => p >= periodFrom && p < periodToExcl;
    const passes = (row: BaseRow, except?: PlainDimension) => filters.every((f) => f.dim === except || row.coords[f.dim] === f.value);
    const sep = '\u0001';
    const plainKey = (row: BaseRow) => grouped.map((d) => row.coords[d]).join(sep);
    // Time buckets of the answer: its period, and for months the rest of their years (lines).
    const monthBuckets = timeDim === 'MONTH' ? plan.years.flatMap((y) => monthsBetween(`${y}-01`, `${y}-12`)) : [];

    /**
     * Cells of rows under `keyOf` (flows: rows of the cell's period; backlog: rows up to the
     * cell's end). `end` gives a key's last day (exclusive) for the stock.
     */
    const aggregate = (rows: BaseRow[], flowKey: (r: BaseRow) => string | null, stockKeys: (r: BaseRow) => string[]) => {
      const cells = new Map<string, Agg>();
      const get = (key: string) => {
        let a = cells.get(key);
        if (!a) cells.set(key, (a = emptyAgg()));
        return a;
      };
      for (const r of rows) {
        if (r.period !== '0000-00-00') {
          const key = flowKey(r);
          if (key !== null) {
            const a = get(key);
            addFlows(a, r.agg);
            addOfficers(a, r);
          }
        }
        if (withBacklog) {
          const net = r.period === '0000-00-00' ? r.agg.backlog : r.agg.opened - r.agg.completed - r.agg.dropped;
          if (net !== 0) for (const key of stockKeys(r)) get(key).backlog += net;
        }
      }
      return cells;
    };
    // The stock's buckets: with months, every month of the fetched years from the row's month on;
    // without a time dimension, the period's end.
    const stockBuckets = (r: BaseRow): string[] => {
      if (timeDim === 'MONTH') return monthBuckets.filter((m) => r.period === '0000-00-00' || `${m}-01` >= r.period.slice(0, 8) + '01');
      if (!timeDim) return r.period < periodToExcl ? [''] : [];
      return [];
    };
    const answerKey = (r: BaseRow) => {
      const t = timeBucket(timeDim, r.period);
      return `${plainKey(r)}${sep}${t ?? ''}`;
    };
    const flowAnswerKey = (r: BaseRow) => {
      if (!passes(r)) return null;
      if (!timeDim && !inPeriod(r.period)) return null;
      return answerKey(r);
    };
    const stockAnswerKeys = (r: BaseRow) => (passes(r) ? stockBuckets(r).map((t) => `${plainKey(r)}${sep}${t}`) : []);
    const cells = aggregate(base, flowAnswerKey, stockAnswerKeys);

    const suppressed = new Map<CellBasis, Set<string>>(bases.map((b) => [b, new Set<string>()]));
    const minOfficers = this.options.privacy.minOfficers;
    const fewOfficers = (a: Agg) => classInvolved && (a.officers?.size ?? 0) < minOfficers;
    // A count of officers meeting a condition also tells about the rest: both must be 0 or at least
    // the minimum of officers ("all three are below 4" singles each of them out as much as "one is").
    const exposes = (a: Agg, b: CellBasis) => fewOfficers(a) || (b === 'OFFICERS_BELOW' && basisCount(a, b) > 0 && officersWhere(a, (p) => p.ratings > 0) - basisCount(a, b) < minOfficers);
    const lineSuppress = (line: Map<string, Agg>, b: CellBasis) => {
      const list = [...line].map(([key, a]) => ({ key, n: basisCount(a, b) }));
      const marked = new Set([...line].filter(([, a]) => exposes(a, b) && basisCount(a, b) > 0).map(([key]) => key));
      return suppressLine(list, k(b), marked);
    };

    // 1. Primary, and complementary along every grouped dimension (time lines within year/month).
    const keyParts = (key: string) => key.split(sep);
    const answerDims: (PlainDimension | 'TIME')[] = [...grouped, ...(timeDim ? (['TIME'] as const) : [])];
    for (const b of bases) {
      const s = suppressed.get(b)!;
      for (const [key, a] of cells) {
        const n = basisCount(a, b);
        if (n > 0 && (n < k(b) || exposes(a, b))) s.add(key);
      }
      answerDims.forEach((d, i) => {
        const lines = new Map<string, Map<string, Agg>>();
        for (const [key, a] of cells) {
          const parts = keyParts(key);
          const lineKey = parts.map((p, j) => (j === i ? (d === 'TIME' ? timeLine(timeDim!, p) : '*') : p)).join(sep);
          let line = lines.get(lineKey);
          if (!line) lines.set(lineKey, (line = new Map()));
          line.set(key, a);
        }
        for (const line of lines.values()) for (const key of lineSuppress(line, b)) s.add(key);
      });
    }

    // 2. Differencing through filters: a filtered value is answered only if the breakdown of its
    // dimension (everything else the same) shows it.
    for (const f of filters) {
      const byLine = aggregate(
        base,
        (r) => (passes(r, f.dim) && (timeDim || inPeriod(r.period)) ? `${answerKey(r)}${sep}${r.coords[f.dim]}` : null),
        (r) => (passes(r, f.dim) ? stockBuckets(r).map((t) => `${plainKey(r)}${sep}${t}${sep}${r.coords[f.dim]}`) : []),
      );
      const lines = new Map<string, Map<string, Agg>>();
      for (const [key, a] of byLine) {
        const cut = key.lastIndexOf(sep);
        const lineKey = key.slice(0, cut);
        let line = lines.get(lineKey);
        if (!line) lines.set(lineKey, (line = new Map()));
        line.set(key.slice(cut + 1), a);
      }
      for (const b of bases) {
        const s = suppressed.get(b)!;
        for (const [lineKey, line] of lines) if (lineSuppress(line, b).has(f.value)) s.add(lineKey);
      }
    }

    // 3. Differencing through periods: without a time dimension, a period is answered only if,
    // within each calendar year, it holds all of the year's suppressed months or none of them.
    if (!timeDim && !(question.from.endsWith('-01') && question.to.endsWith('-12'))) {
      const byMonth = aggregate(
        base,
        (r) => (passes(r) ? `${plainKey(r)}${sep}${r.period.slice(0, 7)}` : null),
        (r) =>
          passes(r)
            ? monthsOfYears(plan.years)
                .filter((m) => r.period === '0000-00-00' || `${m}-01` >= r.period)
                .map((m) => `${plainKey(r)}${sep}${m}`)
            : [],
      );
      const lines = new Map<string, Map<string, Agg>>();
      for (const [key, a] of byMonth) {
        const cut = key.lastIndexOf(sep);
        const lineKey = `${key.slice(0, cut)}${sep}${key.slice(cut + 1, cut + 5)}`;
        let line = lines.get(lineKey);
        if (!line) lines.set(lineKey, (line = new Map()));
        line.set(key.slice(cut + 1), a);
      }
      const selected = new Set(monthsBetween(question.from, question.to));
      for (const b of bases) {
        const s = suppressed.get(b)!;
        for (const [lineKey, line] of lines) {
          // The stock is not a sum over months (it is the figure at the end), so only flows can be differenced by months.
          if (b === 'BACKLOG') continue;
          if (splitsSuppressed(selected, lineSuppress(line, b))) s.add(`${lineKey.slice(0, lineKey.lastIndexOf(sep))}${sep}`);
        }
      }
    }

    // 4. The rows of the period, in order, limited.
    const rows: AnswerRow[] = [];
    const suppressedCells: Answer['suppressedCells'] = [];
    for (const [key, a] of cells) {
      const parts = keyParts(key);
      const bucket = parts[parts.length - 1]!;
      if (timeDim && !inPeriod(timeDim === 'MONTH' ? `${bucket}-01` : bucket)) continue;
      const rowKey: AnswerRow['key'] = {};
      grouped.forEach((d, i) => (rowKey[d] = parts[i]));
      if (timeDim) rowKey[timeDim] = bucket;
      const allEmpty = bases.every((b) => basisCount(a, b) === 0);
      if (allEmpty) continue;
      const rowCells = question.measures.map((m) => {
        const b = measureDef(m).basis;
        const hidden = suppressed.get(b)!.has(key);
        if (hidden) suppressedCells.push({ key: rowKey, measure: m });
        return { measure: m, value: hidden ? null : measureValue(m, a), suppressed: hidden };
      });
      rows.push({ key: rowKey, cells: rowCells });
    }
    sortRows(rows, question);
    return { rows: rows.slice(0, question.limit), suppressedCells, estimatedRows };
  }
}

const monthsOfYears = (years: string[]) => years.flatMap((y) => monthsBetween(`${y}-01`, `${y}-12`));

function sortRows(rows: AnswerRow[], question: Question) {
  const order = question.sort.length ? question.sort : question.dimensions.map((d) => ({ by: d, descending: false }));
  rows.sort((x, y) => {
    for (const s of order) {
      let c = 0;
      if ((question.dimensions as string[]).includes(s.by)) {
        const a = x.key[s.by as Dimension] ?? '';
        const b = y.key[s.by as Dimension] ?? '';
        c = s.by === 'KECAMATAN' ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0;
      } else {
        const a = x.cells.find((c) => c.measure === s.by)?.value ?? null;
        const b = y.cells.find((c) => c.measure === s.by)?.value ?? null;
        // Suppressed and empty cells last, whatever the direction: their order would leak them.
        if (a === null || b === null) c = a === null && b === null ? 0 : a === null ? 1 : -1;
        else c = s.descending ? b - a : a - b;
        if (a === null || b === null) {
          if (c !== 0) return c;
          continue;
        }
        if (c !== 0) return c;
        continue;
      }
      if (c !== 0) return s.descending ? -c : c;
    }
    return 0;
  });
}

/** Whether a dimension may be used with the measures asked (appeals split by few dimensions). */
export const appealDimensionsOk = (question: Question) =>
  !question.measures.includes('APPEALS') ||
  (question.dimensions.every((d) => APPEAL_DIMENSIONS.includes(d)) &&
    (Object.keys(question.filter) as (keyof Filter)[]).every((f) => question.filter[f] === undefined || APPEAL_DIMENSIONS.includes(FILTER_DIMENSION[f])));
