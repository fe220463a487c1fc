import type pg from 'pg';
import { AccessLogUnavailableError, ErrorCode, GerbangError, type Caller, type Logger } from '@gerbang/common';

/**
 * The analysts' daily budget (estimated rows scanned, per actor and Asia/Jakarta day), shared by the
 * cube's questions and the agency measures' (`insights.service.ts`, `federated.ts`), and the
 * access-log record of each question answered. A question's charge and its record are one
 * statement: it is charged and recorded, or (over budget, or the statement failed) neither.
 */

export interface BudgetState {
  limit: number;
  used: number;
  remaining: number;
  questions: number;
  day: string;
  resetsAt: Date;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Today in Asia/Jakarta, and when it ends. */
const jakartaDay = (now: Date) => {
  const day = new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
  return { day, resetsAt: new Date(Date.parse(`${day}T00:00:00Z`) + 17 * 3600_000) };
};

const spentError = (state: BudgetState, cost: number) =>
  new GerbangError(ErrorCode.INSIGHTS_BUDGET_EXCEEDED, "Today's analytics budget is spent: this question would pass it.", {
    cost,
    remaining: state.remaining,
    limit: state.limit,
    resetsAt: state.resetsAt.toISOString(),
  });

/**
 * What the access record of a question says besides who asked (the caller), when (now) and that
 * insights wrote it: the request, the capacity, `Insights.<MEASURE>` fields, rows answered and the
 * question's references.
 */
export interface QuestionRecord {
  requestId: string;
  purpose: string;
  fields: string[];
  records: number;
  recordRefs: string[];
}

/** The access log's columns (`@gerbang/common`'s PostgresAccessLog writes the same table). */
const ACCESS_LOG_COLUMNS = 'at, request_id, subject, roles, client_name, operation_name, fields, records, source, purpose, record_refs';

export class AnalystBudget {
  /** Today's use per actor as this process last saw it: a lower bound, since use only grows within a day. */
  private known = { day: '', used: new Map<string, number>() };

  constructor(
    private readonly deps: {
      primary: pg.Pool;
      insightsSchema: string;
      /** The access log's schema (AUDIT_SCHEMA), in the same database as the budget. */
      auditSchema: string;
      dailyBudget: number;
      now?: () => Date;
      logger?: Logger;
    },
  ) {}

  private today() {
    return jakartaDay(this.deps.now?.() ?? new Date());
  }

  private remember(day: string, actor: string, used: number) {
    if (this.known.day !== day) this.known = { day, used: new Map() };
    this.known.used.set(actor, used);
  }

  async state(actor: string): Promise<BudgetState> {
    const { day, resetsAt } = this.today();
    const { rows } = await this.deps.primary.query<{ cost: string; questions: number }>(`select cost, questions from ${q(this.deps.insightsSchema)}.budget_use where actor = $1 and day = $2`, [
      actor,
      day,
    ]);
    const used = Number(rows[0]?.cost ?? 0);
    this.remember(day, actor, used);
    const limit = this.deps.dailyBudget;
    return { limit, used, remaining: Math.max(0, limit - used), questions: rows[0]?.questions ?? 0, day, resetsAt };
  }

  /** INSIGHTS_BUDGET_EXCEEDED for a question that would pass what is left today. */
  async spent(actor: string, cost: number): Promise<GerbangError> {
    return spentError(await this.state(actor), cost);
  }

  /** INSIGHTS_BUDGET_EXCEEDED for a question that costs more than a whole day. */
  async tooDear(actor: string, cost: number): Promise<GerbangError> {
    return new GerbangError(ErrorCode.INSIGHTS_BUDGET_EXCEEDED, 'This question costs more than a whole day of your analytics budget: narrow the period or the dimensions.', {
      cost,
      remaining: (await this.state(actor)).remaining,
      limit: this.deps.dailyBudget,
    });
  }

  /**
   * Refuses, before anything is scanned, a question that would pass what this process has seen of
   * the actor's use today (checked against the database first: the refusal is never a stale one).
   */
  async refuseIfSpent(actor: string, cost: number): Promise<void> {
    const { day } = this.today();
    const used = this.known.day === day ? (this.known.used.get(actor) ?? 0) : 0;
    if (used + cost <= this.deps.dailyBudget) return;
    const state = await this.state(actor);
    if (state.remaining < cost) throw spentError(state, cost);
  }

  /** `charged`: adds `cost` to today's use unless it would pass the limit; returns the new use. Parameters $1–$4. */
  private chargeSql() {
    return `charged as (
      insert into ${q(this.deps.insightsSchema)}.budget_use as b (actor, day, cost, questions)
      select $1::text, $2::date, $3::bigint, 1 where $3::bigint <= $4::bigint
      on conflict (actor, day) do update set cost = b.cost + excluded.cost, questions = b.questions + 1
        where b.cost + excluded.cost <= $4::bigint
      returning cost
    )`;
  }

  private charged(day: string, actor: string, rows: { cost: string }[]): number | null {
    if (!rows[0]) return null;
    const used = Number(rows[0].cost);
    this.remember(day, actor, used);
    return this.deps.dailyBudget - used;
  }

  /** Charges without a record (a question that failed after its scan began); what is left, or null when refused. */
  async charge(actor: string, cost: number): Promise<number | null> {
    const { day } = this.today();
    const { rows } = await this.deps.primary.query<{ cost: string }>(`with ${this.chargeSql()} select cost from charged`, [actor, day, cost, this.deps.dailyBudget]);
    return this.charged(day, actor, rows);
  }

  /**
   * Charges `cost` to the caller's day and appends the question's access record (subject and roles
   * the caller's, source `insights`) in one statement, the record only if the charge was made. Returns what is left today, or null when the question would pass the budget
   * (nothing charged, nothing recorded). When the statement fails, neither happened: the answer is
   * refused (AccessLogUnavailableError: nothing is served that is not recorded).
   */
  async chargeAndRecord(caller: Caller, cost: number, record: QuestionRecord): Promise<number | null> {
    const actor = caller.sub ?? 'anonymous';
    const { day } = this.today();
    let rows: { cost: string }[];
    try {
      ({ rows } = await this.deps.primary.query<{ cost: string }>(
        `with ${this.chargeSql()}, recorded as (
           insert into ${q(this.deps.auditSchema)}.access_log (${ACCESS_LOG_COLUMNS})
           select $5::timestamptz, $6::text, $7::text, $8::text[], null, null, $9::text[], $10::int, 'insights', $11::text, $12::text[] from charged
         )
         select cost from charged`,
        [actor, day, cost, this.deps.dailyBudget, this.deps.now?.() ?? new Date(), record.requestId, actor, caller.roles, record.fields, record.records, record.purpose, record.recordRefs],
      ));
    } catch (err) {
      // The database's message (it may name hosts) stays in this log line; the caller is told the record failed.
      this.deps.logger?.error({ err, actor, record }, 'insights: charge and access record failed; the answer is refused');
      throw new AccessLogUnavailableError('write failed');
    }
    return this.charged(day, actor, rows);
  }
}
