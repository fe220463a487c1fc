import type pg from 'pg';
import {
  AGENCY_MEASURE_DEFS,
  agencyQuestionHash,
  encodeAgencyQuestion,
  monthsBetween,
  validateAgencyQuestion,
  type AgencyDimension,
  type AgencyMeasure,
  type AgencyQuestion,
  type Caller,
  type Logger,
} from '@gerbang/common';
import { AnalystBudget } from './budget';

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
const AGENCY_MEASURE_MONTH_COST = 500;

export interface AgencyAnswer {
  question: string;
  parsed: AgencyQuestion;
  cost: number;
  budgetRemaining: number;
}

export class AgencyInsightsService {
  private readonly budgets: AnalystBudget;
  constructor(
    private readonly deps: {
      primary: pg.Pool;
      /** The access log's schema (AUDIT_SCHEMA) in the primary's database. */
      auditSchema: string;
      insightsSchema: string;
      k: Record<AgencyMeasure, number>;
      dailyBudget: number;
      maxMonths: number;
      now?: () => Date;
      logger?: Logger;
    },
  ) {
    this.budgets = new AnalystBudget(deps);
  }

  /** The k in force per agency measure (INSIGHTS_AGENCY_K). */
  minimumCellSizes(): Readonly<Record<AgencyMeasure, number>> {
    return this.deps.k;
  }

  /** Validates, prices, charges and records a question (one statement: budget.ts); answers the entity's key. */
  async ask(caller: Caller, requestId: string, input: { measures: AgencyMeasure[]; dimensions: AgencyDimension[]; from: string; to: string }, purpose: string): Promise<AgencyAnswer> {
    const parsed = validateAgencyQuestion(
      { measures: input.measures, dimensions: input.dimensions, from: input.from, to: input.to, k: Object.fromEntries(input.measures.map((m) => [m, this.deps.k[m]])) },
      this.deps.maxMonths,
    );
    const question = encodeAgencyQuestion(parsed);
    const cost = parsed.measures.length * monthsBetween(parsed.from, parsed.to) * AGENCY_MEASURE_MONTH_COST;
    const actor = caller.sub ?? 'anonymous';
    // Who asked what, before any agency system is asked; the agency subgraphs add which cells they suppressed.
    const remaining = await this.budgets.chargeAndRecord(caller, cost, {
      requestId,
      purpose,
      fields: parsed.measures.map((m) => `Insights.${m}`),
      records: 0,
      recordRefs: [`question-sha256:${agencyQuestionHash(question)}`, `question:${question}`, ...parsed.measures.map((m) => `computed-by:${AGENCY_MEASURE_DEFS[m].subgraph}`)],
    });
    if (remaining === null) throw await this.budgets.spent(actor, cost);
    return { question, parsed, cost, budgetRemaining: remaining };
  }
}
