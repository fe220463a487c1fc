import { createLogger, createOrm, Sql, verifierFromSecret, type Caller } from '@gerbang/common';
import { callSubgraph } from '@gerbang/testing';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createRatingsServer, defaultRatingsConfig, migrations, MemoryStaffDirectory, type StaffDirectory } from '../../subgraphs/ratings/src/server';
import { SummaryService } from '../../subgraphs/ratings/src/modules/summaries/summary.service';
import { TppService } from '../../subgraphs/ratings/src/modules/tpp/tpp.service';
import { tppRoster, type DatasetPlan } from './dataset';
import { summarize, timed, type Summary } from './stats';

/** The internal signing secret of the benchmark's subgraphs (the gateway signs with it too). */
export const BENCH_INTERNAL_SECRET = 'bench-internal-signing-secret-0123456789';

/** HR of BKPSDM, as the gateway would pass them on. */
const HR: Caller = { sub: 'usr-hr-bkpsdm', roles: ['hr', 'officer'], name: 'Sri Wahyuni', nip: '198205102006042001', agencyId: 'bkpsdm' };

/** The contract's TppReport, minus `officer.name` (the directory's field, not this subgraph's). */
const TPP = `query TppReport($agencyId: ID!, $month: String!) {
  tppReport(agencyId: $agencyId, month: $month) { month finalized rows { officer { id } ratings average factor base payout basis } } }`;
const FINALIZE = `mutation FinalizeTpp($agencyId: ID!, $month: String!) { finalizeTppReport(agencyId: $agencyId, month: $month) { month finalized } }`;
const SATISFACTION = `query Satisfaction($reps: [_Any!]!, $year: Int!, $month: Int) { _entities(representations: $reps) { ... on Agency {
  satisfaction(year: $year, month: $month) { year month respondents population requiredSample index category provisional elements { element value } } } } }`;
const AGENCY_RATING = `query AgencyRating($reps: [_Any!]!) { _entities(representations: $reps) { ... on Agency { rating { average count distribution { stars count } } } } }`;
const OFFICER_RATINGS = `query OfficerRatings($reps: [_Any!]!) { _entities(representations: $reps) { ... on Officer { rating { average count } } } }`;

/** Sql that remembers every statement it ran (to EXPLAIN exactly what the services send). */
class CapturingSql extends Sql {
  readonly statements: { sql: string; params: unknown[] }[] = [];
  override async all<T>(sql: string, params: unknown[] = [], dates: readonly string[] = []): Promise<T[]> {
    this.statements.push({ sql, params });
    return super.all<T>(sql, params, dates);
  }
}

interface Timing {
  label: string;
  /** What one call returns, for the reader (rows, respondents, …). */
  note: string;
  cold?: Summary;
  warm: Summary;
}

interface Explained {
  label: string;
  sql: string;
  plan: string;
  indexes: string[];
  executionMs: number;
}

export interface ReportsResult {
  timings: Timing[];
  explains: Explained[];
  checks: string[];
}

async function ratingsServer(options: { url: string; schema: string; staff: StaffDirectory; poolMax: number }) {
  const orm = await createOrm({ url: options.url, schema: options.schema, migrations, poolMax: options.poolMax });
  const app = await createRatingsServer({
    orm,
    logger: createLogger('ratings', 'silent'),
    verifier: verifierFromSecret(BENCH_INTERNAL_SECRET),
    config: defaultRatingsConfig(),
    staff: options.staff,
  });
  const running = await app.listen(0);
  return {
    orm,
    url: running.url,
    async close() {
      await running.close();
      await orm.close(true);
    },
  };
}

async function call<T = any>(url: string, query: string, variables: Record<string, unknown>, caller: Caller = { roles: [] }): Promise<T> {
  const { status, body } = await callSubgraph<T>(url, query, { audience: 'ratings', variables, caller, secret: BENCH_INTERNAL_SECRET });
  if (status !== 200 || body.errors?.length || !body.data) throw new Error(`subgraph call failed (HTTP ${status}): ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

async function explain(orm: MikroORM, label: string, statement: { sql: string; params: unknown[] }): Promise<Explained> {
  const rows = await orm.em.fork().getConnection().execute<{ 'QUERY PLAN': string }[]>(`explain (analyze, buffers) ${statement.sql}`, statement.params, 'all');
  const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
  const indexes = [...new Set([...plan.matchAll(/(?:Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)/g)].map((m) => m[1]!))];
  const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? Number.NaN);
  return { label, sql: statement.sql.replace(/\s+/g, ' ').trim(), plan, indexes, executionMs };
}

/**
 * Measures 1 (tppReport) and 2 (satisfaction and the other summaries of the agency page) through
 * the ratings subgraph's HTTP server, signed as the gateway would sign them.
 * cold = the first call of a freshly started server (new connection pool, first parse and plan
 * of the operation); warm = `runs` calls after `warmup` on one server.
 */
export async function benchReports(options: {
  url: string;
  schema: string;
  plan: DatasetPlan;
  runs: number;
  warmup: number;
  coldRuns: number;
  poolMax: number;
  log: (msg: string) => void;
}): Promise<ReportsResult> {
  const { plan, runs, warmup, coldRuns, log } = options;
  const staff = new MemoryStaffDirectory(tppRoster(plan));
  const agencyId = plan.tppAgency;
  const month = plan.tppMonth;
  const [year, monthNo] = month.split('-').map(Number) as [number, number];
  const timings: Timing[] = [];
  const explains: Explained[] = [];
  const checks: string[] = [];

  /** cold: `coldRuns` fresh servers, one call each; warm: one server. */
  async function measure<T>(label: string, fn: (url: string) => Promise<T>, note: (value: T) => string, opts: { cold?: boolean } = {}): Promise<T> {
    let cold: Summary | undefined;
    if (opts.cold !== false && coldRuns > 0) {
      const colds: number[] = [];
      for (let i = 0; i < coldRuns; i++) {
        const server = await ratingsServer({ ...options, staff });
        try {
          colds.push((await timed(() => fn(server.url))).ms);
        } finally {
          await server.close();
        }
      }
      cold = summarize(colds);
    }
    const server = await ratingsServer({ ...options, staff });
    try {
      let last: T | undefined;
      for (let i = 0; i < warmup; i++) last = await fn(server.url);
      const warms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = await timed(() => fn(server.url));
        warms.push(t.ms);
        last = t.value;
      }
      const warm = summarize(warms);
      timings.push({ label, note: note(last!), ...(cold ? { cold } : {}), warm });
      log(`  ${label}: warm p50 ${warm.p50.toFixed(1)} ms, p95 ${warm.p95.toFixed(1)} ms${cold ? `, cold p50 ${cold.p50.toFixed(1)} ms` : ''}`);
      return last!;
    } finally {
      await server.close();
    }
  }

  // The aggregate statements, EXPLAINed as the services send them.
  const orm = await createOrm({ url: options.url, schema: options.schema, migrations, poolMax: 2 });
  try {
    const logger = createLogger('bench', 'silent');
    const config = defaultRatingsConfig();
    const tppSql = new CapturingSql(orm.em.fork());
    const live = await new TppService(tppSql, staff, config.tpp, config.rating, logger).live(agencyId, month);
    explains.push(await explain(orm, `tppReport ${agencyId} ${month}: officers' and unit's totals`, tppSql.statements.at(-1)!));
    const service = await timed(() => new TppService(new Sql(orm.em.fork()), staff, config.tpp, config.rating, logger).live(agencyId, month));
    checks.push(`service layer (TppService.live, no HTTP): ${service.ms.toFixed(1)} ms for ${service.value.length} rows`);
    const satSql = new CapturingSql(orm.em.fork());
    await new SummaryService(satSql).satisfactionTotals([{ agencyId, year, month: monthNo }]);
    explains.push(await explain(orm, `satisfaction(${year}, ${monthNo}) of ${agencyId}`, satSql.statements.at(-1)!));
    const yearSql = new CapturingSql(orm.em.fork());
    await new SummaryService(yearSql).satisfactionTotals([{ agencyId, year, month: null }]);
    explains.push(await explain(orm, `satisfaction(${year}) of ${agencyId} (whole year, as AgencyPage asks)`, yearSql.statements.at(-1)!));

    // 1. tppReport, live.
    log(`tppReport ${agencyId} ${month} (${plan.officersPerTppAgency} officers, ${plan.tppRatings.toLocaleString('en')} ratings in the month)`);
    const variables = { agencyId, month };
    type TppData = { tppReport: { finalized: boolean; rows: { officer: { id: string }; ratings: number; basis: string; payout: number | null }[] } };
    const liveReport = await measure(
      'tppReport (live)',
      (url) => call<TppData>(url, TPP, variables, HR),
      (d) => `${d.tppReport.rows.length} rows, ${d.tppReport.rows.reduce((a, r) => a + r.ratings, 0).toLocaleString('en')} valid ratings`,
    );
    const bases = liveReport.tppReport.rows.reduce((acc, r) => acc.set(r.basis, (acc.get(r.basis) ?? 0) + 1), new Map<string, number>());
    checks.push(`tppReport rows: ${liveReport.tppReport.rows.length} (${[...bases].map(([b, n]) => `${b} ${n}`).join(', ')})`);
    if (liveReport.tppReport.rows.length !== plan.officersPerTppAgency) throw new Error('tppReport: one row per officer expected');
    if (JSON.stringify(live.map((r) => r.officerId)) !== JSON.stringify(liveReport.tppReport.rows.map((r) => r.officer.id))) throw new Error('tppReport rows differ from the service layer');

    // Finalise (the month's rating window has closed), then read the stored snapshot.
    const server = await ratingsServer({ ...options, staff });
    try {
      const fin = await timed(() => call<{ finalizeTppReport: { finalized: boolean } }>(server.url, FINALIZE, variables, HR));
      if (!fin.value.finalizeTppReport.finalized) throw new Error('finalizeTppReport did not finalise');
      checks.push(`finalizeTppReport: ${fin.ms.toFixed(1)} ms (once)`);
    } finally {
      await server.close();
    }
    const snapshot = await measure(
      'tppReport (finalised: stored snapshot)',
      (url) => call<TppData>(url, TPP, variables, HR),
      (d) => `${d.tppReport.rows.length} rows, finalized=${d.tppReport.finalized}`,
    );
    const same = JSON.stringify(snapshot.tppReport.rows) === JSON.stringify(liveReport.tppReport.rows);
    checks.push(`finalised rows identical to the live rows read before: ${same ? 'yes' : 'NO'}`);
    if (!same || !snapshot.tppReport.finalized) throw new Error('the finalised report differs from the live one');

    // 2. satisfaction, and the rest of the ratings subgraph's share of the agency page.
    const reps = [{ __typename: 'Agency', id: agencyId }];
    type SatData = { _entities: { satisfaction: { respondents: number; population: number; index: number | null; category: string | null; provisional: boolean } }[] };
    const satNote = (d: SatData) => {
      const s = d._entities[0]!.satisfaction;
      return `${s.respondents.toLocaleString('en')} respondents of ${s.population.toLocaleString('en')} tickets, IKM ${s.index} (${s.category})`;
    };
    log(`satisfaction of ${agencyId} over ${plan.totalRatings.toLocaleString('en')} ratings`);
    await measure(`satisfaction(${year}, ${monthNo})`, (url) => call<SatData>(url, SATISFACTION, { reps, year, month: monthNo }), satNote);
    await measure(`satisfaction(${year}) (whole year)`, (url) => call<SatData>(url, SATISFACTION, { reps, year, month: null }), satNote);
    type RatingData = { _entities: { rating: { count: number; average: number | null } }[] };
    await measure(
      'Agency.rating (all time)',
      (url) => call<RatingData>(url, AGENCY_RATING, { reps }),
      (d) => `${d._entities[0]!.rating.count.toLocaleString('en')} ratings, average ${d._entities[0]!.rating.average}`,
      { cold: false },
    );
    const officerReps = tppRoster(plan).map((o) => ({ __typename: 'Officer', id: o.id }));
    await measure(
      `Officer.rating × ${officerReps.length}`,
      (url) => call<RatingData>(url, OFFICER_RATINGS, { reps: officerReps }),
      (d) => `${d._entities.reduce((a, e) => a + e.rating.count, 0).toLocaleString('en')} ratings`,
      { cold: false },
    );
  } finally {
    await orm.close(true);
  }
  return { timings, explains, checks };
}
