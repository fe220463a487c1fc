import type pg from 'pg';
import {
  AGENCY_MEASURE_DEFS,
  AGENCY_MEASURES,
  agencyQuestionHash,
  encodeAgencyQuestion,
  ErrorCode,
  GerbangError,
  monthsBetween,
  validateAgencyQuestion,
  type AccessLog,
  type AgencyDimension,
  type AgencyMeasure,
  type AgencyQuestion,
  type Caller,
} from '@gerbang/common';

/**
 * Measures the agency subgraphs contribute (permits issued by licensing, the PBB collection rate by
 * land-tax, clinic bookings by health). This subgraph does for them what it does for its own cube,
 * except computing the figures: it validates the question, prices it against the analyst's daily
 * budget, records it in the access log, and answers the `AgencyInsight` entity keyed by the
 * question. The gateway then asks each agency subgraph for its field of that entity, in one
 * `_entities` call per subgraph; each computes its figure from one aggregate call to its own
 * system and applies the small-cell rules (`@gerbang/common`'s agency-insights) where the numbers are.
 */

/**
 * Budget price of one agency measure per month asked for, in the cube's unit (estimated rows
 * scanned): an aggregate over an agency system's records of a month, which the hub cannot EXPLAIN.
 */
export const AGENCY_MEASURE_MONTH_COST = 500;

export const DEFAULT_AGENCY_K = 10;

/** `INSIGHTS_AGENCY_K`: `10` for every agency measure, or per measure, e.g. `10,CLINIC_BOOKINGS=20`. */
export function parseAgencyK(spec: string): Record<AgencyMeasure, number> {
  const k = Object.fromEntries(AGENCY_MEASURES.map((m) => [m, DEFAULT_AGENCY_K])) as Record<AgencyMeasure, number>;
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(?:([A-Z_]+)=)?(\d+)$/.exec(part);
    if (!m) throw new Error(`"${part}" is neither a number nor MEASURE=number`);
    const n = Number(m[2]);
    if (n < 2 || n > 1000) throw new Error(`k must be 2–1000 (got ${n})`);
    if (!m[1]) for (const x of AGENCY_MEASURES) k[x] = n;
    else if ((AGENCY_MEASURES as readonly string[]).includes(m[1])) k[m[1] as AgencyMeasure] = n;
    else throw new Error(`unknown agency measure ${m[1]} (one of ${AGENCY_MEASURES.join(', ')})`);
  }
  return k;
}

export interface AgencyAnswer {
  question: string;
  parsed: AgencyQuestion;
  cost: number;
  budgetRemaining: number;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const jakartaDay = (now: Date) => new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);

export class AgencyInsightsService {
  constructor(
    private readonly deps: {
      primary: pg.Pool;
      accessLog: AccessLog;
      insightsSchema: string;
      k: Record<AgencyMeasure, number>;
      dailyBudget: number;
      maxMonths: number;
      now?: () => Date;
    },
  ) {}

  /** The k in force per agency measure (INSIGHTS_AGENCY_K). */
  minimumCellSizes(): Readonly<Record<AgencyMeasure, number>> {
    return this.deps.k;
  }

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  /** Validates, prices, charges and records a question; answers the entity's key. */
  async ask(caller: Caller, requestId: string, input: { measures: AgencyMeasure[]; dimensions: AgencyDimension[]; from: string; to: string }, purpose: string): Promise<AgencyAnswer> {
    const parsed = validateAgencyQuestion(
      { measures: input.measures, dimensions: input.dimensions, from: input.from, to: input.to, k: Object.fromEntries(input.measures.map((m) => [m, this.deps.k[m]])) },
      this.deps.maxMonths,
    );
    const question = encodeAgencyQuestion(parsed);
    const cost = parsed.measures.length * monthsBetween(parsed.from, parsed.to) * AGENCY_MEASURE_MONTH_COST;
    const actor = caller.sub ?? 'anonymous';
    const day = jakartaDay(this.now());
    const { rows } = await this.deps.primary.query<{ cost: string }>(
      `insert into ${q(this.deps.insightsSchema)}.budget_use as b (actor, day, cost, questions) values ($1, $2, $3, 1)
       on conflict (actor, day) do update set cost = b.cost + excluded.cost, questions = b.questions + 1
         where b.cost + excluded.cost <= $4
       returning cost`,
      [actor, day, cost, this.deps.dailyBudget],
    );
    if (!rows.length) {
      const used = await this.deps.primary.query<{ cost: string }>(`select cost from ${q(this.deps.insightsSchema)}.budget_use where actor = $1 and day = $2`, [actor, day]);
      const remaining = Math.max(0, this.deps.dailyBudget - Number(used.rows[0]?.cost ?? 0));
      throw new GerbangError(ErrorCode.INSIGHTS_BUDGET_EXCEEDED, "Today's analytics budget is spent: this question would pass it.", {
        cost,
        remaining,
        limit: this.deps.dailyBudget,
        resetsAt: new Date(Date.parse(`${day}T00:00:00Z`) + 17 * 3600_000).toISOString(),
      });
    }
    // Who asked what, before any agency system is asked; the agency subgraphs add which cells they suppressed.
    await this.deps.accessLog.record({
      at: this.now(),
      requestId,
      subject: actor,
      roles: caller.roles,
      clientName: null,
      operationName: null,
      fields: parsed.measures.map((m) => `Insights.${m}`),
      records: 0,
      source: 'insights',
      purpose,
      recordRefs: [`question-sha256:${agencyQuestionHash(question)}`, `question:${question}`, ...parsed.measures.map((m) => `computed-by:${AGENCY_MEASURE_DEFS[m].subgraph}`)],
    });
    return { question, parsed, cost, budgetRemaining: this.deps.dailyBudget - Number(rows[0]!.cost) };
  }
}
