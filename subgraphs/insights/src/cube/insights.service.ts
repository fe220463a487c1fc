import { createHash } from 'node:crypto';
import type pg from 'pg';
import { badInput, monthsBetween, type Caller, type Logger } from '@gerbang/common';
import { AnalystBudget, type BudgetState } from './budget';
import { appealDimensionsOk, CubeEngine, shiftMonth, type Answer, type AnswerRow, type PrivacyPolicy } from './engine';
import { CHANNEL_VALUES, DIMENSIONS, DISTINCT_DIMENSIONS, DISTINCT_MEASURES, MEASURE_NAMES, POSITION_CLASS_VALUES, TIME_DIMENSIONS, measureDef, type MeasureName, type Question } from './model';

export interface InsightsPolicy {
  privacy: PrivacyPolicy;
  /** Estimated rows an analyst may have scanned per day (Asia/Jakarta). */
  dailyBudget: number;
  maxRows: number;
  /** Longest period one question may span, in months. */
  maxMonths: number;
}

export const DEFAULT_INSIGHTS_POLICY: Omit<InsightsPolicy, 'privacy'> = { dailyBudget: 5_000_000, maxRows: 5000, maxMonths: 60 };

interface ComparedCell {
  measure: MeasureName;
  value: number | null;
  suppressed: boolean;
  previous: number | null;
  previousSuppressed: boolean | null;
  change: number | null;
}

export interface InsightResult {
  rows: { key: AnswerRow['key']; cells: ComparedCell[] }[];
  suppressedCells: number;
  cost: number;
  budgetRemaining: number;
  previousFrom: string | null;
  previousTo: string | null;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function validateQuestion(input: Question, policy: Pick<InsightsPolicy, 'maxRows' | 'maxMonths'>): Question {
  if (!input.measures.length) throw badInput('Ask for at least one measure.', 'measures');
  if (new Set(input.measures).size !== input.measures.length) throw badInput('A measure is listed twice.', 'measures');
  for (const m of input.measures) if (!MEASURE_NAMES.includes(m)) throw badInput(`Unknown measure ${m}.`, 'measures');
  for (const d of input.dimensions) if (!DIMENSIONS.includes(d)) throw badInput(`Unknown dimension ${d}.`, 'dimensions');
  if (new Set(input.dimensions).size !== input.dimensions.length) throw badInput('A dimension is listed twice.', 'dimensions');
  if (input.dimensions.filter((d) => TIME_DIMENSIONS.includes(d)).length > 1) throw badInput('Group by one time dimension at most (MONTH, WEEK or DAY).', 'dimensions');
  if (input.dimensions.length > 3) throw badInput('Group by three dimensions at most.', 'dimensions');
  if (!MONTH.test(input.from)) throw badInput('from must be a month, YYYY-MM.', 'from');
  if (!MONTH.test(input.to)) throw badInput('to must be a month, YYYY-MM.', 'to');
  if (input.from > input.to) throw badInput('from must not be after to.', 'from');
  const months = monthsBetween(input.from, input.to);
  if (months > policy.maxMonths) throw badInput(`A question spans ${policy.maxMonths} months at most.`, 'to');
  if ((input.dimensions.includes('DAY') || input.dimensions.includes('WEEK')) && months > 12) throw badInput('By day or week, a question spans 12 months at most.', 'to');
  if (input.measures.includes('BACKLOG') && (input.dimensions.includes('DAY') || input.dimensions.includes('WEEK')))
    throw badInput('BACKLOG is given per month or for the period, not per day or week.', 'measures');
  const f = input.filter;
  const filterDims: [keyof typeof f, string][] = [
    ['agencyId', 'AGENCY'],
    ['serviceId', 'SERVICE'],
    ['kecamatan', 'KECAMATAN'],
    ['channel', 'CHANNEL'],
    ['positionClass', 'POSITION_CLASS'],
  ];
  for (const [key, dim] of filterDims) {
    if (f[key] !== undefined && input.dimensions.includes(dim as never)) throw badInput(`Filter on ${dim} or group by it, not both.`, `filter.${key}`);
  }
  if (f.kecamatan !== undefined && (!Number.isInteger(f.kecamatan) || f.kecamatan < 0 || f.kecamatan > 14)) throw badInput('kecamatan is a code 1–14 (0: unknown).', 'filter.kecamatan');
  if (f.channel !== undefined && !CHANNEL_VALUES.includes(f.channel as never)) throw badInput('Unknown channel.', 'filter.channel');
  if (f.positionClass !== undefined && !POSITION_CLASS_VALUES.includes(f.positionClass as never)) throw badInput('Unknown position class.', 'filter.positionClass');
  for (const key of ['agencyId', 'serviceId'] as const) {
    const v = f[key];
    if (v !== undefined && !/^[a-z0-9][a-z0-9.-]{0,99}$/.test(v)) throw badInput(`${key} is not an id.`, `filter.${key}`);
  }
  if (input.measures.some((m) => DISTINCT_MEASURES.includes(m))) {
    // Distinct counts are not additive: only fixed calendar buckets and whole dimensions (README, "Privacy", attack 5).
    for (const d of input.dimensions) if (!DISTINCT_DIMENSIONS.includes(d)) throw badInput(`Distinct-citizen measures do not split by ${d}.`, 'dimensions');
    const filtered = (Object.keys(f) as (keyof typeof f)[]).find((key) => f[key] !== undefined);
    if (filtered) throw badInput('Distinct-citizen measures take no filter: group by the dimension instead.', `filter.${filtered}`);
    const wholeYear = input.from.slice(0, 4) === input.to.slice(0, 4) && input.from.endsWith('-01') && input.to.endsWith('-12');
    if (!input.dimensions.some((d) => TIME_DIMENSIONS.includes(d)) && input.from !== input.to && !wholeYear)
      throw badInput('Without a time dimension, distinct-citizen measures are given for one month or one calendar year.', 'to');
  }
  if (!appealDimensionsOk(input)) throw badInput('APPEALS splits only by agency, month and position class.', 'measures');
  for (const s of input.sort) {
    if (!(input.measures as string[]).includes(s.by) && !(input.dimensions as string[]).includes(s.by)) throw badInput(`Sort by a measure or dimension of the question (${s.by} is neither).`, 'sort');
  }
  if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > policy.maxRows) throw badInput(`limit must be 1–${policy.maxRows}.`, 'limit');
  if (input.compare && input.dimensions.some((d) => d === 'DAY' || d === 'WEEK')) throw badInput('Compare periods by month or for the whole period, not by day or week.', 'compare');
  return input;
}

/**
 * The insights service: validates, prices, answers and records a question. Reads go to the
 * analytics pool (a read replica with ANALYTICS_DATABASE_URL); the budget charge and the access
 * record, and nothing else, are written to the primary, in one statement (budget.ts).
 */
export class InsightsService {
  readonly engine: CubeEngine;
  private readonly budgets: AnalystBudget;
  constructor(
    private readonly deps: {
      analytics: pg.Pool;
      primary: pg.Pool;
      /** The access log's schema (AUDIT_SCHEMA) in the primary's database. */
      auditSchema: string;
      ledgerSchema: string;
      insightsSchema: string;
      policy: InsightsPolicy;
      now?: () => Date;
      logger?: Logger;
    },
  ) {
    this.engine = new CubeEngine({ ledgerSchema: deps.ledgerSchema, insightsSchema: deps.insightsSchema, privacy: deps.policy.privacy });
    this.budgets = new AnalystBudget({ ...deps, dailyBudget: deps.policy.dailyBudget });
  }

  budget(actor: string): Promise<BudgetState> {
    return this.budgets.state(actor);
  }

  /**
   * Validates and prices a question, answers it, then charges and records it (one statement).
   * A question over budget is refused and neither charged nor recorded; one this process already
   * knows to be over budget is refused before anything is scanned. A question whose answer fails is
   * charged (its scan ran) and not recorded (nothing was served). Exports pass `batchRows` (rollup
   * rows read through a cursor, that many at a time) and their own `maxRows`.
   */
  async ask(caller: Caller, requestId: string, input: Question, purpose: string, options: { batchRows?: number; maxRows?: number } = {}): Promise<InsightResult> {
    const question = validateQuestion(input, { ...this.deps.policy, maxRows: options.maxRows ?? this.deps.policy.maxRows });
    const actor = caller.sub ?? 'anonymous';
    const previous = previousQuestion(question);
    let cost = await this.engine.estimate(this.deps.analytics, question);
    if (previous) cost += await this.engine.estimate(this.deps.analytics, previous);
    cost = Math.max(1, cost);
    if (cost > this.deps.policy.dailyBudget) throw await this.budgets.tooDear(actor, cost);
    await this.budgets.refuseIfSpent(actor, cost);
    const fetch = { batchRows: options.batchRows };
    let now: Answer;
    let before: Answer | null;
    try {
      // The period and the one compared with, at once (each on a connection of the analytics pool).
      [now, before] = await Promise.all([
        this.engine.answer(this.deps.analytics, question, cost, fetch),
        previous ? this.engine.answer(this.deps.analytics, { ...previous, limit: Number.MAX_SAFE_INTEGER }, 0, fetch) : null,
      ]);
    } catch (err) {
      // The scan ran (a statement timeout, say): it costs its price, as when the charge came first.
      // Over budget by now, the refusal says so; a charge that cannot be written leaves the first error.
      const charged = await this.budgets.charge(actor, cost).then(
        (left) => left !== null,
        () => true,
      );
      if (!charged) throw await this.budgets.spent(actor, cost);
      throw err;
    }
    const result = merge(question, now, before, previous);
    const remaining = await this.budgets.chargeAndRecord(caller, cost, {
      requestId,
      purpose,
      fields: question.measures.map((m) => `Insights.${m}`),
      records: now.rows.length,
      recordRefs: questionRefs(question, now, before),
    });
    if (remaining === null) throw await this.budgets.spent(actor, cost);
    return { ...result, cost, budgetRemaining: remaining };
  }
}

/** The same question one period earlier: the same number of months before, or a year before. */
export function previousQuestion(question: Question): Question | null {
  if (!question.compare) return null;
  const shift = question.compare === 'PREVIOUS_YEAR' ? 12 : monthsBetween(question.from, question.to);
  return { ...question, from: shiftMonth(question.from, -shift), to: shiftMonth(question.to, -shift), compare: null };
}

function merge(question: Question, now: Answer, before: Answer | null, previous: Question | null): Omit<InsightResult, 'cost' | 'budgetRemaining'> {
  const shift = previous ? monthsBetween(previous.from, question.from) - 1 : 0;
  const keyOf = (key: AnswerRow['key'], back: number) => JSON.stringify(Object.entries(key).map(([d, v]) => [d, d === 'MONTH' && back ? shiftMonth(v, -back) : v]));
  const prevRows = new Map((before?.rows ?? []).map((r) => [keyOf(r.key, 0), r]));
  return {
    rows: now.rows.map((r) => {
      const p = before ? prevRows.get(keyOf(r.key, shift)) : undefined;
      return {
        key: r.key,
        cells: r.cells.map((c) => {
          const pc = p?.cells.find((x) => x.measure === c.measure);
          // No row a period earlier: nothing happened then, so a count is 0 and a ratio has no value.
          const count = ['tickets', 'ratings', 'appeals', 'citizens'].includes(measureDef(c.measure).unit);
          const previousValue = before ? (pc ? pc.value : count ? 0 : null) : null;
          const previousSuppressed = before ? (pc?.suppressed ?? false) : null;
          const change = before && c.value !== null && previousValue !== null && !previousSuppressed ? Math.round((c.value - previousValue) * 100) / 100 : null;
          return { ...c, previous: previousSuppressed ? null : previousValue, previousSuppressed, change };
        }),
      };
    }),
    suppressedCells: now.suppressedCells.length,
    previousFrom: previous?.from ?? null,
    previousTo: previous?.to ?? null,
  };
}

/** What the access log keeps of a question: the question itself, and every suppressed cell. */
function questionRefs(question: Question, now: Answer, before: Answer | null): string[] {
  const text = JSON.stringify(question);
  const refs = [`question-sha256:${createHash('sha256').update(text).digest('hex')}`, `question:${text}`, `suppressed-cells:${now.suppressedCells.length}`];
  for (const c of now.suppressedCells.slice(0, 500)) refs.push(`suppressed:${c.measure}@${JSON.stringify(c.key)}`);
  if (before) for (const c of before.suppressedCells.slice(0, 500)) refs.push(`suppressed-previous:${c.measure}@${JSON.stringify(c.key)}`);
  return refs;
}
