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
import { cuboidFor, CUBOIDS, type CuboidDim } from './cuboids';
import { computeDistinct, distinctRows, distinctTime, planDistinct, type DistinctFetch, type DistinctRow } from './distinct';

/** Minimum cell size per basis, and the fewest officers a position-class cell may describe. */
export interface PrivacyPolicy {
  k: Record<Basis, number>;
  minOfficers: number;
}

/** The fewest a shown cell of a basis stands on: k records, or the minimum of officers. */
export const minimumCellSize = (privacy: PrivacyPolicy, basis: CellBasis) => (basis === 'OFFICERS' || basis === 'OFFICERS_BELOW' ? privacy.minOfficers : privacy.k[basis]);

export const DEFAULT_PRIVACY: PrivacyPolicy = {
  k: { OPENED: 10, COMPLETED: 10, BACKLOG: 10, RATINGS: 10, RESPONDENTS: 10, FLAGS: 10, APPEALS: 10, CITIZENS: 10, RATERS: 10 },
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
  /** Distinct citizens of the cell (set per answer cell, never summed). */
  citizens: number;
  raters: number;
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
  citizens: 0,
  raters: 0,
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

const basisCount = (a: Agg, b: CellBasis): number => {
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
    case 'CITIZENS':
      return a.citizens;
    case 'RATERS':
      return a.raters;
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

function measureValue(m: MeasureName, a: Agg): number | null {
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
    case 'CITIZENS_SERVED':
      return a.citizens;
    case 'CITIZENS_RATING':
      return a.raters;
    default: {
      const i = Number(m.slice(5)) - 1;
      return a.skmN ? ratio2(25 * a.skm[i]!, a.skmN) : null;
    }
  }
}

interface Cell {
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
/** Every month from `from` to `to`, both included (`YYYY-MM`); `monthsBetween` in common counts them. */
const monthsInRange = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
};
/** The months of whole calendar years. */
const monthsOfYears = (years: string[]) => years.flatMap((y) => monthsInRange(`${y}-01`, `${y}-12`));

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

interface Fetch {
  sql: string;
  params: unknown[];
  source: 'ticket' | 'rating' | 'appeal' | 'stock';
  /** The table read and the periods of it (`[from, to)`, dates): what prices the fetch. */
  table: string;
  from: string;
  to: string;
}

/** Row count and period range of a rollup, from the catalogue's statistics (`reltuples`). */
interface TableStats {
  rows: number;
  first: string | null;
  last: string | null;
}

/** How long the statistics that price questions are kept before they are read again. */
const STATS_TTL_MS = 60_000;
const DAY_MS = 86_400_000;

/** A fetched rollup row as the driver gives it: the period and the dimensions' columns, then the sums of its source. */
type FetchedRow = { period: string } & Partial<Record<PlainDimension | 'OFFICER', string>>;
/** The sums a fetch of each source selects (plan: `sql`). */
interface TicketSums {
  opened: number;
  completed: number;
  with_sla: number;
  in_sla: number;
  dropped: number;
  hist?: number[] | null;
}
interface RatingSums {
  ratings: number;
  stars_sum: number;
  skm_n: number;
  skm: number[];
  flags: number;
}

/** Turns fetched rollup rows into base rows (the driver's row objects are dropped after). */
function addBase(base: BaseRow[], dims: (PlainDimension | 'OFFICER')[], f: Fetch, rows: FetchedRow[]) {
  for (const r of rows) {
    const agg = emptyAgg();
    if (f.source === 'ticket') {
      const t = r as FetchedRow & TicketSums;
      agg.opened = t.opened;
      agg.completed = t.completed;
      agg.withSla = t.with_sla;
      agg.inSla = t.in_sla;
      agg.dropped = t.dropped;
      agg.hist = t.hist ?? null;
    } else if (f.source === 'rating') {
      const t = r as FetchedRow & RatingSums;
      agg.ratings = t.ratings;
      agg.starsSum = t.stars_sum;
      agg.skmN = t.skm_n;
      agg.skm = t.skm;
      agg.flags = t.flags;
    } else if (f.source === 'appeal') {
      agg.appeals = (r as FetchedRow & { appeals: number }).appeals;
    } else {
      agg.backlog = (r as FetchedRow & { net: number }).net;
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

  plan(question: Question): {
    fetches: Fetch[];
    distinct: DistinctFetch[];
    dims: (PlainDimension | 'OFFICER')[];
    timeDim: Dimension | undefined;
    years: string[];
    fetchFrom: string;
    fetchTo: string;
  } {
    const I = q(this.options.insightsSchema);
    const L = q(this.options.ledgerSchema);
    const timeDim = question.dimensions.find((d) => d === 'MONTH' || d === 'WEEK' || d === 'DAY');
    const filtered = (Object.keys(question.filter) as (keyof Filter)[]).filter((f) => question.filter[f] !== undefined).map((f) => FILTER_DIMENSION[f]);
    const dims = PLAIN_DIMENSIONS.filter((d) => question.dimensions.includes(d) || filtered.includes(d)) as (PlainDimension | 'OFFICER')[];
    // Position classes are judged by their officers, and officer-level measures count them.
    if (dims.includes('POSITION_CLASS') || question.measures.some((m) => measureDef(m).basis.startsWith('OFFICERS'))) dims.push('OFFICER');
    const grain = timeDim === 'WEEK' || timeDim === 'DAY' ? 'day' : 'month';
    // The smallest rollup of the grain holding every dimension needed (position classes: officers).
    const cuboid = cuboidFor(
      grain,
      dims.filter((d): d is CuboidDim => d !== 'POSITION_CLASS'),
    ).suffix;
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
              from ${I}.ticket_${cuboid} r${join}
              where r.period >= $1::date and r.period < $2::date
              group by ${groupBy}`,
        params: [fetchFrom, fetchTo],
        table: `ticket_${cuboid}`,
        from: fetchFrom,
        to: fetchTo,
      });
      if (question.measures.includes('BACKLOG')) {
        const stock = cuboidFor(
          'month',
          dims.filter((d): d is CuboidDim => d !== 'POSITION_CLASS'),
        ).suffix;
        fetches.push({
          source: 'stock',
          sql: `select '0000-00-00' as period${select.map((s) => `, ${s}`).join('')}, sum(r.opened - r.completed - r.dropped)::int as net
                from ${I}.ticket_${stock} r${join}
                where r.period < $1::date
                group by ${groupBy}`,
          params: [fetchFrom],
          table: `ticket_${stock}`,
          from: '0001-01-01',
          to: fetchFrom,
        });
      }
    }
    if (sources.has('rating')) {
      fetches.push({
        source: 'rating',
        sql: `select r.period::text as period${select.map((s) => `, ${s}`).join('')},
                sum(r.ratings)::int as ratings, sum(r.stars_sum)::int as stars_sum, sum(r.skm_n)::int as skm_n,
                array[${Array.from({ length: 9 }, (_, i) => `sum(r.skm_s${i + 1})`).join(', ')}]::int[] as skm, sum(r.flags)::int as flags
              from ${I}.rating_${cuboid} r${join}
              where r.period >= $1::date and r.period < $2::date
              group by ${groupBy}`,
        params: [fetchFrom, fetchTo],
        table: `rating_${cuboid}`,
        from: fetchFrom,
        to: fetchTo,
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
        table: 'tpp_appeal',
        from: fetchFrom,
        to: fetchTo,
      });
    }
    const grouped = question.dimensions.filter((d) => d !== timeDim) as PlainDimension[];
    const distinct = question.measures.filter((m) => measureDef(m).source === 'distinct').map((m) => planDistinct(I, question, m, grouped, fetchFrom, fetchTo));
    return { fetches, distinct, dims, timeDim, years, fetchFrom, fetchTo };
  }

  private stats: { at: number; tables: Map<string, TableStats> } | null = null;

  /** Row counts and period ranges of the rollups and appeals, from the catalogue, kept a minute. */
  private async tableStats(db: pg.Pool | pg.ClientBase): Promise<Map<string, TableStats>> {
    if (this.stats && Date.now() - this.stats.at < STATS_TTL_MS) return this.stats.tables;
    const I = this.options.insightsSchema;
    const tables = [...CUBOIDS.flatMap((c) => [`ticket_${c.suffix}`, `rating_${c.suffix}`]), 'ticket_fact', 'rating_fact'];
    // The day each table is ranged by (the facts' is indexed for this, as period leads the rollups' keys).
    const dayColumn = (t: string) => (t === 'ticket_fact' ? 'opened' : 'period');
    // reltuples is -1 before the first analyze: then the live-row count of the statistics collector.
    const { rows } = await db.query<{ name: string; rows: number }>(
      `select c.relname as name, coalesce(nullif(greatest(c.reltuples, 0), 0), s.n_live_tup, 0)::float8 as rows
       from pg_class c join pg_namespace n on n.oid = c.relnamespace left join pg_stat_all_tables s on s.relid = c.oid
       where (n.nspname = $1 and c.relname = any($2::text[])) or (n.nspname = $3 and c.relname = 'tpp_appeal')`,
      [I, tables, this.options.ledgerSchema],
    );
    // The period range: two index probes per rollup (period leads each primary key).
    const ranges = await db.query<{ name: string; first: string | null; last: string | null }>(
      tables.map((t) => `select '${t}' as name, (select min(${dayColumn(t)}) from ${q(I)}.${t})::text as first, (select max(${dayColumn(t)}) from ${q(I)}.${t})::text as last`).join(' union all '),
    );
    const map = new Map<string, TableStats>();
    for (const r of rows) map.set(r.name, { rows: r.rows, first: null, last: null });
    for (const r of ranges.rows) {
      const t = map.get(r.name);
      if (t) Object.assign(t, { first: r.first, last: r.last });
    }
    this.stats = { at: Date.now(), tables: map };
    return map;
  }

  /**
   * The question's price: rows its fetches read, estimated from each rollup's row count and the
   * share of its period range they cover (rows are spread evenly enough over time for a budget).
   * No planner call: a question is priced from statistics kept in memory.
   */
  async estimate(db: pg.Pool | pg.ClientBase, question: Question): Promise<number> {
    const stats = await this.tableStats(db);
    let total = 0;
    const plan = this.plan(question);
    for (const f of [...plan.fetches, ...plan.distinct]) {
      const t = stats.get(f.table);
      if (!t || t.rows <= 0) continue;
      if (!t.first || !t.last) {
        total += t.rows;
        continue;
      }
      const first = Date.parse(t.first);
      const end = Date.parse(t.last) + (f.table.includes('_month') ? 31 : 1) * DAY_MS;
      const overlap = Math.max(0, Math.min(end, Date.parse(f.to)) - Math.max(first, Date.parse(f.from)));
      total += (t.rows * overlap) / Math.max(DAY_MS, end - first);
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
    const grouped = question.dimensions.filter((d) => d !== plan.timeDim).length;
    // Distinct counts come grouped already: one row per cell and line total, read whole.
    const distinct = new Map<MeasureName, DistinctRow[]>(
      await Promise.all(plan.distinct.map(async (f) => [f.measure, distinctRows((await db.query<Record<string, unknown>>(f.sql, f.params)).rows, grouped)] as const)),
    );
    const { batchRows } = options;
    if (batchRows) {
      const read = async (client: pg.ClientBase) => {
        for (const f of plan.fetches) {
          const cursor = client.query(new Cursor<FetchedRow>(f.sql, f.params));
          try {
            for (let rows = await cursor.read(batchRows); rows.length; rows = await cursor.read(batchRows)) addBase(base, plan.dims, f, rows);
          } finally {
            await cursor.close();
          }
        }
      };
      if ('totalCount' in db) {
        const client = await db.connect();
        try {
          await read(client);
        } finally {
          client.release();
        }
      } else await read(db);
    } else {
      const results = await Promise.all(plan.fetches.map((f) => db.query<FetchedRow>(f.sql, f.params).then((r) => ({ f, rows: r.rows }))));
      for (const { f, rows } of results) addBase(base, plan.dims, f, rows);
    }
    return this.compute(question, plan, base, estimatedRows, distinct);
  }

  /** Everything after the fetch: pure, so the suppression rules are tested without a database. */
  compute(question: Question, plan: ReturnType<CubeEngine['plan']>, base: BaseRow[], estimatedRows: number, distinct: ReadonlyMap<MeasureName, readonly DistinctRow[]> = new Map()): Answer {
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
    const monthBuckets = timeDim === 'MONTH' ? monthsOfYears(plan.years) : [];

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

    // Distinct counts: exact per cell, suppressed by their own lines (distinct.ts); into the same cells.
    const distinctHidden = new Map<CellBasis, Set<string>>();
    for (const [m, rows] of distinct) {
      const b = measureDef(m).basis;
      const time = distinctTime(question);
      const { cells: counts, hidden } = computeDistinct(rows, time, k(b), sep);
      // Without a time dimension the answer is one bucket (the month, or the year) of those counted.
      const only = timeDim ? null : time === 'MONTH' ? question.from : question.from.slice(0, 4);
      const hiddenKeys = new Set<string>();
      for (const [key, n] of counts) {
        const cut = key.lastIndexOf(sep);
        if (only !== null && key.slice(cut + 1) !== only) continue;
        const answerKey = only === null ? key : key.slice(0, cut + 1);
        let a = cells.get(answerKey);
        if (!a) cells.set(answerKey, (a = emptyAgg()));
        if (b === 'CITIZENS') a.citizens = n;
        else a.raters = n;
        if (hidden.has(key)) hiddenKeys.add(answerKey);
      }
      distinctHidden.set(b, hiddenKeys);
    }
    const isDistinct = (b: CellBasis) => distinctHidden.has(b);

    const suppressed = new Map<CellBasis, Set<string>>(bases.map((b) => [b, new Set<string>()]));
    const minOfficers = this.options.privacy.minOfficers;
    const fewOfficers = (a: Agg) => classInvolved && (a.officers?.size ?? 0) < minOfficers;
    // A count of officers meeting a condition also tells about the rest: both must be 0 or at least
    // the minimum of officers ("all three are below 4" singles each of them out as much as "one is").
    const exposes = (a: Agg, b: CellBasis) => fewOfficers(a) || (b === 'OFFICERS_BELOW' && basisCount(a, b) > 0 && officersWhere(a, (p) => p.ratings > 0) - basisCount(a, b) < minOfficers);
    /** `hidden`: cells already suppressed in this answer (by another line through them), hidden here too. */
    const lineSuppressList = (line: readonly { key: string; a: Agg }[], b: CellBasis, hidden?: ReadonlySet<string>) => {
      const list = line.map((c) => ({ key: c.key, n: basisCount(c.a, b) }));
      const marked = new Set<string>();
      for (let j = 0; j < line.length; j++) if (list[j]!.n > 0 && (exposes(line[j]!.a, b) || hidden?.has(line[j]!.key))) marked.add(line[j]!.key);
      return suppressLine(list, k(b), marked);
    };
    const lineSuppress = (line: Map<string, Agg>, b: CellBasis) =>
      lineSuppressList(
        [...line].map(([key, a]) => ({ key, a })),
        b,
      );

    // 1. Primary, and complementary along every grouped dimension (time lines within year/month).
    const keyParts = (key: string) => key.split(sep);
    const answerDims: (PlainDimension | 'TIME')[] = [...grouped, ...(timeDim ? (['TIME'] as const) : [])];
    const entries = [...cells].map(([key, a]) => ({ key, a, parts: keyParts(key) }));
    for (const b of bases) {
      const s = suppressed.get(b)!;
      if (isDistinct(b)) {
        for (const key of distinctHidden.get(b)!) s.add(key);
        continue;
      }
      for (const { key, a } of entries) {
        const n = basisCount(a, b);
        if (n > 0 && (n < k(b) || exposes(a, b))) s.add(key);
      }
      // Lines of every dimension cross: a cell hidden by its row is hidden in its column too, and that
      // may call for another complement there, so repeat until no line hides anything more
      // (otherwise a column could hold one lone hidden cell, recovered as total minus the rest).
      const linesByDim = answerDims.map((d, i) => {
        const lines = new Map<string, { key: string; a: Agg }[]>();
        for (const e of entries) {
          // The line: the cell's key with this dimension's part replaced (by its year or month for time).
          const own = e.parts[i]!;
          e.parts[i] = d === 'TIME' ? timeLine(timeDim!, own) : '*';
          const lineKey = e.parts.join(sep);
          e.parts[i] = own;
          const line = lines.get(lineKey);
          if (line) line.push(e);
          else lines.set(lineKey, [e]);
        }
        return [...lines.values()];
      });
      for (let before = -1; before !== s.size;) {
        before = s.size;
        for (const lines of linesByDim) for (const line of lines) for (const key of lineSuppressList(line, b, s)) s.add(key);
      }
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
        if (!line) lines.set(lineKey, (line = new Map<string, Agg>()));
        line.set(key.slice(cut + 1), a);
      }
      for (const b of bases) {
        if (isDistinct(b)) continue;
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
        if (!line) lines.set(lineKey, (line = new Map<string, Agg>()));
        line.set(key.slice(cut + 1), a);
      }
      const selected = new Set(monthsInRange(question.from, question.to));
      for (const b of bases) {
        const s = suppressed.get(b)!;
        for (const [lineKey, line] of lines) {
          // The stock is not a sum over months (it is the figure at the end), so only flows can be differenced by months.
          if (b === 'BACKLOG' || isDistinct(b)) continue;
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

function sortRows(rows: AnswerRow[], question: Question) {
  const order = question.sort.length ? question.sort : question.dimensions.map((d) => ({ by: d, descending: false }));
  // Each row's sort values, computed once: dimension values (kecamatan codes as numbers) or
  // measure values (null: suppressed or empty, always last whatever the direction: their order would leak them).
  const keyed = rows.map((row) => ({
    row,
    values: order.map((s) => {
      if ((question.dimensions as string[]).includes(s.by)) {
        const v = row.key[s.by as Dimension] ?? '';
        return s.by === 'KECAMATAN' ? Number(v) : v;
      }
      return row.cells.find((c) => c.measure === s.by)?.value ?? null;
    }),
  }));
  const isDim = order.map((s) => (question.dimensions as string[]).includes(s.by));
  keyed.sort((x, y) => {
    for (let i = 0; i < order.length; i++) {
      const a = x.values[i] ?? null;
      const b = y.values[i] ?? null;
      // Only measure values are null (dimension values are at least '').
      if (a === null || b === null) {
        if (a === null && b === null) continue;
        return a === null ? 1 : -1;
      }
      if (isDim[i]) {
        const c = a < b ? -1 : a > b ? 1 : 0;
        if (c !== 0) return order[i]!.descending ? -c : c;
        continue;
      }
      const c = order[i]!.descending ? (b as number) - (a as number) : (a as number) - (b as number);
      if (c !== 0) return c;
    }
    return 0;
  });
  for (let i = 0; i < rows.length; i++) rows[i] = keyed[i]!.row;
}

/** Whether a dimension may be used with the measures asked (appeals split by few dimensions). */
export const appealDimensionsOk = (question: Question) =>
  !question.measures.includes('APPEALS') ||
  (question.dimensions.every((d) => APPEAL_DIMENSIONS.includes(d)) &&
    (Object.keys(question.filter) as (keyof Filter)[]).every((f) => question.filter[f] === undefined || APPEAL_DIMENSIONS.includes(FILTER_DIMENSION[f])));
