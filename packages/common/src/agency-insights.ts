import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AccessLogUnavailableError, type AccessLog } from './access-log';
import { hasRole, type Caller } from './caller';
import { badInput, forbidden } from './errors';

/**
 * Measures the agency subgraphs contribute to the analysts' insights through federation: the
 * contract between the insights subgraph (which validates, prices and records the question and
 * answers an `AgencyInsight` entity keyed by it) and the licensing, land-tax and health subgraphs
 * (which each add their measure's field to that entity, computed from their own agency system).
 * Plain data and functions (no GraphQL types), so both sides read the same rules:
 * - the question, as the canonical JSON text that is the entity's key;
 * - the small-cell rules, applied where the figures are computed (the agency subgraph): minimum
 *   cell size k, complementary suppression in every line, and the period rule (README § Insights).
 */

export const AGENCY_MEASURES = ['PERMITS_ISSUED', 'PBB_COLLECTION_RATE', 'CLINIC_BOOKINGS'] as const;
export type AgencyMeasure = (typeof AGENCY_MEASURES)[number];
export const AGENCY_DIMENSIONS = ['MONTH', 'KECAMATAN', 'SECTOR', 'PUSKESMAS'] as const;
export type AgencyDimension = (typeof AGENCY_DIMENSIONS)[number];

export interface AgencyMeasureDef {
  /** The subgraph that computes it, and the field it adds to `AgencyInsight`. */
  subgraph: 'licensing' | 'land-tax' | 'health';
  field: string;
  dimensions: readonly AgencyDimension[];
  unit: string;
  /** What a cell's size is counted in (the records k applies to). */
  basis: string;
  definition: string;
}

export const AGENCY_MEASURE_DEFS: Record<AgencyMeasure, AgencyMeasureDef> = {
  PERMITS_ISSUED: {
    subgraph: 'licensing',
    field: 'permitsIssued',
    dimensions: ['MONTH', 'KECAMATAN', 'SECTOR'],
    unit: 'permits',
    basis: 'permits',
    definition:
      "Licences OSS RBA issued (status TERBIT) in the period to businesses registered in the regency, by issue date; SECTOR is the KBLI 2020 section of the licence's KBLI (or the business's first KBLI), KECAMATAN the business address's.",
  },
  PBB_COLLECTION_RATE: {
    subgraph: 'land-tax',
    field: 'pbbCollectionRate',
    dimensions: ['MONTH', 'KECAMATAN'],
    unit: 'percent',
    basis: 'tax objects (SPPT)',
    definition:
      "PBB-P2 paid (principal, fines excluded) as a percentage of PBB assessed (PBB_YG_HARUS_DIBAYAR_SPPT) for the SPPTs of the period's tax years, paid by the end of the period; by MONTH, each month's figure is its tax year's, paid by the end of that month. 2 decimals, half-up. KECAMATAN is the tax object's.",
  },
  CLINIC_BOOKINGS: {
    subgraph: 'health',
    field: 'clinicBookings',
    dimensions: ['MONTH', 'KECAMATAN', 'PUSKESMAS'],
    unit: 'bookings',
    basis: 'bookings',
    definition: "Puskesmas queue bookings for visit days in the period, cancelled ones excluded; KECAMATAN is the Puskesmas's.",
  },
};

/** The kecamatan of Kabupaten Trenggalek by code (the NIK's 5th–6th digits, BPS's order). */
export const KECAMATAN_NAMES: readonly string[] = [
  'Tidak diketahui',
  'Panggul',
  'Munjungan',
  'Pule',
  'Dongko',
  'Tugu',
  'Karangan',
  'Kampak',
  'Watulimo',
  'Bendungan',
  'Gandusari',
  'Trenggalek',
  'Pogalan',
  'Durenan',
  'Suruh',
];

/** Kecamatan code of a name as agency systems write it (`KEC. POGALAN`, `Pogalan`); 0 when unknown. */
export function kecamatanCodeOf(name: string): number {
  const n = name
    .trim()
    .toLowerCase()
    .replace(/^kec(amatan)?\.?\s*/, '');
  const i = KECAMATAN_NAMES.findIndex((k, code) => code > 0 && k.toLowerCase() === n);
  return i < 0 ? 0 : i;
}

export interface AgencyQuestion {
  measures: AgencyMeasure[];
  dimensions: AgencyDimension[];
  /** Whole months, inclusive, `YYYY-MM`. */
  from: string;
  to: string;
  /** Minimum cell size per measure, as the insights subgraph's policy sets it. */
  k: Partial<Record<AgencyMeasure, number>>;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const questionSchema = z
  .object({
    measures: z.array(z.enum(AGENCY_MEASURES)).min(1),
    dimensions: z.array(z.enum(AGENCY_DIMENSIONS)).max(3),
    from: z.string().regex(MONTH),
    to: z.string().regex(MONTH),
    k: z.partialRecord(z.enum(AGENCY_MEASURES), z.number().int().min(2).max(1000)),
  })
  .strict();

export const monthsBetween = (from: string, to: string) => (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5)) - Number(from.slice(5)) + 1;

/** Checks a question's shape and that every measure splits by every dimension asked for. */
export function validateAgencyQuestion(q: AgencyQuestion, maxMonths = 60): AgencyQuestion {
  const parsed = questionSchema.safeParse(q);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badInput(`Not an agency question: ${issue.path.join('.') || 'question'} ${issue.message}.`, String(issue.path[0] ?? 'question'));
  }
  if (new Set(q.measures).size !== q.measures.length) throw badInput('A measure is listed twice.', 'measures');
  if (new Set(q.dimensions).size !== q.dimensions.length) throw badInput('A dimension is listed twice.', 'dimensions');
  if (q.from > q.to) throw badInput('from must not be after to.', 'from');
  if (monthsBetween(q.from, q.to) > maxMonths) throw badInput(`A question spans ${maxMonths} months at most.`, 'to');
  for (const m of q.measures) {
    const def = AGENCY_MEASURE_DEFS[m];
    for (const d of q.dimensions) if (!def.dimensions.includes(d)) throw badInput(`${m} splits by ${def.dimensions.join(', ')}; not by ${d}.`, 'dimensions');
    if (q.k[m] === undefined) throw badInput(`No minimum cell size for ${m}.`, 'k');
  }
  return q;
}

/** The question as the canonical text the `AgencyInsight` entity is keyed by (order-independent). */
export function encodeAgencyQuestion(q: AgencyQuestion): string {
  const measures = AGENCY_MEASURES.filter((m) => q.measures.includes(m));
  return JSON.stringify({
    measures,
    dimensions: [...q.dimensions],
    from: q.from,
    to: q.to,
    k: Object.fromEntries(measures.map((m) => [m, q.k[m]])),
  });
}

export function decodeAgencyQuestion(text: unknown): AgencyQuestion {
  if (typeof text !== 'string' || text.length > 2000) throw badInput('Not an agency question.', 'question');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badInput('Not an agency question.', 'question');
  }
  return validateAgencyQuestion(value as AgencyQuestion);
}

export const agencyQuestionHash = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * One fact an agency system's aggregate answered, at its finest grain (a month, a kecamatan, a
 * sector or Puskesmas): `n` records of the measure's basis; for a ratio, its numerator and
 * denominator (integers: rupiah).
 */
export interface AgencyFact {
  key: Partial<Record<AgencyDimension, string>>;
  n: number;
  num?: number;
  den?: number;
}

export interface AgencyCell {
  key: Partial<Record<AgencyDimension, string>>;
  /** Records of the measure's basis behind the cell (never shown: it would undo the suppression of a ratio). */
  n: number;
  value: number | null;
  suppressed: boolean;
}

export interface AgencyTable {
  cells: AgencyCell[];
  suppressed: AgencyCell[];
}

/**
 * Small-cell suppression within one line (the insights cube's lines use it too): cells of fewer
 * than k records, and marked ones, are suppressed; then, while the line's suppressed cells are one
 * cell or fewer than k records together, its smallest visible cell is too (ties by key).
 */
export function suppressAgencyLine(cells: readonly { key: string; n: number }[], k: number, marked: ReadonlySet<string> = new Set()): Set<string> {
  const suppressed = new Set<string>();
  let total = 0;
  for (const c of cells) {
    if (c.n <= 0) continue;
    if (c.n < k || marked.has(c.key)) {
      suppressed.add(c.key);
      total += c.n;
    }
  }
  if (suppressed.size === 0) return suppressed;
  const visible = cells.filter((c) => c.n > 0 && !suppressed.has(c.key)).sort((a, b) => a.n - b.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 0; (suppressed.size < 2 || total < k) && i < visible.length; i++) {
    suppressed.add(visible[i]!.key);
    total += visible[i]!.n;
  }
  return suppressed;
}

interface Acc {
  key: Partial<Record<AgencyDimension, string>>;
  n: number;
  num: number;
  den: number;
}

const keyText = (key: Partial<Record<AgencyDimension, string>>, dims: readonly AgencyDimension[]) => JSON.stringify(dims.map((d) => key[d] ?? ''));

function rollUp(facts: readonly AgencyFact[], dims: readonly AgencyDimension[]): Map<string, Acc> {
  const out = new Map<string, Acc>();
  for (const f of facts) {
    const key = Object.fromEntries(dims.map((d) => [d, f.key[d] ?? ''])) as Acc['key'];
    const id = keyText(key, dims);
    const acc = out.get(id) ?? { key, n: 0, num: 0, den: 0 };
    acc.n += f.n;
    acc.num += f.num ?? 0;
    acc.den += f.den ?? 0;
    out.set(id, acc);
  }
  return out;
}

/**
 * Suppression over a table: every line (the cells that differ in one dimension only; months
 * within their calendar year) until nothing changes, so a cell hidden in one line is a marked cell
 * of every other line it is in.
 */
function suppressTable(cells: Map<string, Acc>, dims: readonly AgencyDimension[], k: number): Set<string> {
  const hidden = new Set<string>();
  if (dims.length === 0) {
    for (const [id, c] of cells) if (c.n > 0 && c.n < k) hidden.add(id);
    return hidden;
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const d of dims) {
      const lines = new Map<string, { key: string; n: number }[]>();
      for (const [id, c] of cells) {
        const rest = dims.filter((x) => x !== d).map((x) => c.key[x]);
        if (d === 'MONTH') rest.push(c.key.MONTH!.slice(0, 4));
        const line = JSON.stringify(rest);
        lines.set(line, [...(lines.get(line) ?? []), { key: id, n: c.n }]);
      }
      for (const line of lines.values()) {
        for (const id of suppressAgencyLine(line, k, hidden)) {
          if (!hidden.has(id)) {
            hidden.add(id);
            changed = true;
          }
        }
      }
    }
  }
  return hidden;
}

/** p / q in percent, 2 decimals, half-up, exact (BigInt: rupiah sums pass 2^53 once scaled). */
export function percent2(p: number, q: number): number {
  const P = BigInt(Math.round(p));
  const Q = BigInt(Math.round(q));
  return Number((P * 20000n + Q) / (2n * Q)) / 100;
}

export interface TabulateOptions {
  dimensions: readonly AgencyDimension[];
  from: string;
  to: string;
  k: number;
  kind: 'count' | 'ratio';
  /**
   * Count measures summed over months: facts cover the whole calendar years of the period, so a
   * figure over the period is suppressed when the period holds some but not all hidden months of
   * one of its years (two periods a small month apart are never both shown).
   */
  periodRule: boolean;
}

/**
 * Facts (finest grain) → the question's cells, with small cells suppressed. A cell's value is its
 * count, or its ratio in percent; a suppressed cell's value is null.
 */
export function tabulateAgencyFacts(facts: readonly AgencyFact[], o: TabulateOptions): AgencyTable {
  const inPeriod = facts.filter((f) => !f.key.MONTH || (f.key.MONTH >= o.from && f.key.MONTH <= o.to));
  const cells = rollUp(inPeriod, o.dimensions);
  const hidden = suppressTable(cells, o.dimensions, o.k);
  if (o.periodRule && !o.dimensions.includes('MONTH')) {
    const byMonth = [...o.dimensions, 'MONTH'] as AgencyDimension[];
    const monthCells = rollUp(facts, byMonth);
    const monthHidden = suppressTable(monthCells, byMonth, o.k);
    for (const [id, cell] of cells) {
      if (hidden.has(id)) continue;
      const years = new Map<string, { inside: number; all: number }>();
      for (const [mid, mc] of monthCells) {
        if (!monthHidden.has(mid) || keyText(mc.key, o.dimensions) !== keyText(cell.key, o.dimensions)) continue;
        const y = years.get(mc.key.MONTH!.slice(0, 4)) ?? { inside: 0, all: 0 };
        y.all++;
        if (mc.key.MONTH! >= o.from && mc.key.MONTH! <= o.to) y.inside++;
        years.set(mc.key.MONTH!.slice(0, 4), y);
      }
      if ([...years.values()].some((y) => y.inside > 0 && y.inside < y.all)) hidden.add(id);
    }
  }
  const out: AgencyCell[] = [];
  // Rows in key order, codes numerically (kecamatan 2 before 10).
  for (const [id, c] of [...cells].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
    if (c.n <= 0) continue;
    const suppressed = hidden.has(id);
    const value = suppressed ? null : o.kind === 'count' ? c.n : c.den > 0 ? percent2(c.num, c.den) : null;
    out.push({ key: c.key, n: c.n, value, suppressed });
  }
  return { cells: out, suppressed: out.filter((c) => c.suppressed) };
}

/** The first and last day (`YYYY-MM-DD`) of the months `from`–`to`: an aggregate call's date range. */
export function monthRangeDays(range: { from: string; to: string }): { first: string; last: string } {
  const last = new Date(Date.UTC(Number(range.to.slice(0, 4)), Number(range.to.slice(5)), 0)).toISOString().slice(0, 10);
  return { first: `${range.from}-01`, last };
}

/** One row of an agency measure's answer as the agency subgraphs serve it: the dimensions every measure has. */
export interface AgencyAnswerRow {
  month: string | null;
  kecamatan: number | null;
  kecamatanName: string | null;
  value: number | null;
  suppressed: boolean;
}

export interface AgencyAnswer<Extra extends object = object> {
  rows: (AgencyAnswerRow & Extra)[];
  suppressedCells: number;
  minimumCellSize: number;
}

/**
 * A measure's answer as its GraphQL type reads it: a row per cell (MONTH and KECAMATAN, with the
 * kecamatan's name, read here; the measure's own dimensions by `extra`), the number of suppressed
 * cells, and k.
 */
export function agencyAnswerOf<Extra extends object>(answer: { question: AgencyQuestion; table: AgencyTable }, measure: AgencyMeasure, extra: (key: AgencyCell['key']) => Extra): AgencyAnswer<Extra> {
  return {
    rows: answer.table.cells.map((c) => ({
      month: c.key.MONTH ?? null,
      kecamatan: c.key.KECAMATAN !== undefined ? Number(c.key.KECAMATAN) : null,
      kecamatanName: c.key.KECAMATAN !== undefined ? (KECAMATAN_NAMES[Number(c.key.KECAMATAN)] ?? null) : null,
      ...extra(c.key),
      value: c.value,
      suppressed: c.suppressed,
    })),
    suppressedCells: answer.table.suppressed.length,
    minimumCellSize: answer.question.k[measure]!,
  };
}

/** The months a question's facts must cover: the whole calendar years of its period. */
export const wholeYears = (q: Pick<AgencyQuestion, 'from' | 'to'>) => ({ from: `${q.from.slice(0, 4)}-01`, to: `${q.to.slice(0, 4)}-12` });

/** Access-log references of one measure's answer: the question and every suppressed cell. */
export function agencyAnswerRefs(questionText: string, measure: AgencyMeasure, table: AgencyTable): string[] {
  const refs = [`question-sha256:${agencyQuestionHash(questionText)}`, `suppressed-cells:${table.suppressed.length}`];
  for (const c of table.suppressed.slice(0, 500)) refs.push(`suppressed:${measure}@${JSON.stringify(c.key)}`);
  return refs;
}

/** The request an agency measure is answered for. */
export interface AgencyMeasureRequest {
  caller: Caller;
  requestId: string;
  /** Where the suppressed cells are recorded; without one the measure is not answered. */
  accessLog: AccessLog | undefined;
}

export interface AgencyMeasureAnswererOptions extends AgencyMeasureRequest {
  measure: AgencyMeasure;
  /** The subgraph's name, as the access log's source. */
  source: string;
  /**
   * One aggregate call to the agency system for the months `from`–`to` (the question's whole
   * calendar years), at its finest grain.
   */
  facts: (range: { from: string; to: string }, question: AgencyQuestion) => Promise<AgencyFact[]>;
  kind: 'count' | 'ratio';
  periodRule: boolean;
}

/**
 * An agency subgraph's answer to its measure of an `AgencyInsight`, for one request: one aggregate
 * call per distinct question however many representations name it, the small-cell rules, and an
 * access-log entry with the suppressed cells before any figure is served.
 */
export class AgencyMeasureAnswerer {
  private readonly memo = new Map<string, Promise<{ question: AgencyQuestion; table: AgencyTable } | null>>();
  constructor(private readonly o: AgencyMeasureAnswererOptions) {}

  answer(questionText: string): Promise<{ question: AgencyQuestion; table: AgencyTable } | null> {
    let p = this.memo.get(questionText);
    if (!p) {
      p = this.compute(questionText);
      this.memo.set(questionText, p);
    }
    return p;
  }

  private async compute(questionText: string) {
    if (!hasRole(this.o.caller, 'analyst', 'admin')) throw forbidden('Insights are for analysts.');
    const question = decodeAgencyQuestion(questionText);
    if (!question.measures.includes(this.o.measure)) return null;
    if (!this.o.accessLog) throw new AccessLogUnavailableError('no access log configured for agency insights');
    const facts = await this.o.facts(wholeYears(question), question);
    const table = tabulateAgencyFacts(facts, {
      dimensions: question.dimensions,
      from: question.from,
      to: question.to,
      k: question.k[this.o.measure]!,
      kind: this.o.kind,
      periodRule: this.o.periodRule,
    });
    await this.o.accessLog.record({
      at: new Date(),
      requestId: this.o.requestId,
      subject: this.o.caller.sub ?? 'anonymous',
      roles: this.o.caller.roles,
      clientName: null,
      operationName: null,
      fields: [`AgencyInsight.${AGENCY_MEASURE_DEFS[this.o.measure].field}`],
      records: table.cells.length,
      source: this.o.source,
      purpose: hasRole(this.o.caller, 'analyst') ? 'analyst' : 'admin',
      recordRefs: agencyAnswerRefs(questionText, this.o.measure, table),
    });
    return { question, table };
  }
}
