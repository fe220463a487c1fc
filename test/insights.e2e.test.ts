import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { tableFromIPC } from 'apache-arrow';
import { testDatabaseUrl, ifStarted } from '@gerbang/testing';
import { generateHistory } from '../subgraphs/insights/src/history/generate';
import { startStack, type Stack } from './support/stack';

/**
 * Issue 14's "done when": as `analis`, through the gateway, a question over the seeded history
 * answers as a straightforward SQL computation over the raw ledger rows does, except where cells
 * are suppressed; other roles are refused by the gateway before the subgraph is called.
 */
let stack: Stack;
let db: pg.Pool;
beforeAll(async () => {
  stack = await startStack();
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 1 });
  const client = await db.connect();
  try {
    await generateHistory(client, {
      seed: 11,
      months: 12,
      citizens: 6000,
      endMonth: '2026-11',
      now: new Date('2026-11-30T00:00:00Z'),
      ledgerSchema: stack.insights.ledgerSchema,
      insightsSchema: stack.insights.schema,
    });
  } finally {
    client.release();
  }
  await stack.insights.refresh();
}, 240_000);
afterAll(async () => {
  await ifStarted(db)?.end();
  await ifStarted(stack)?.close();
});

const QUESTION = `query SlaByAgencyAndMonth($q: InsightQuestionInput!) {
  insights(question: $q) {
    rows { agency { id name } month cells { measure value suppressed } }
    suppressedCells cost budgetRemaining
  }
  insightsBudget { remaining questions }
}`;
const q = { measures: ['COMPLETED_WITHIN_SLA_PERCENT', 'TICKETS_COMPLETED', 'AVERAGE_STARS', 'RATINGS'], dimensions: ['AGENCY', 'MONTH'], from: '2026-01', to: '2026-12' };

describe('insights through the gateway', () => {
  it('answers completion within SLA by agency and month for 2026, with average stars, as SQL over the raw rows', async () => {
    const res = await stack.graphql(QUESTION, { login: 'analis', variables: { q } });
    expect(res.body.errors).toBeUndefined();
    const { rows } = res.body.data.insights;
    const L = `"${stack.insights.ledgerSchema}"`;
    const raw = await db.query(
      `with t as (
         select t.agency_id, to_char(t.completed_at at time zone 'Asia/Jakarta', 'YYYY-MM') as month,
           (t.completed_at at time zone 'Asia/Jakarta')::date - (t.submitted_at at time zone 'Asia/Jakarta')::date <= s.sla_days as in_sla
         from ${L}.ticket t left join "${stack.insights.schema}".service_sla s on s.service_id = t.service_id
         where t.status = 'COMPLETED' and to_char(t.completed_at at time zone 'Asia/Jakarta', 'YYYY') = '2026'
       )
       select agency_id || '|' || month as key, count(*)::int as completed, round(100.0 * count(*) filter (where in_sla) / nullif(count(*) filter (where in_sla is not null), 0), 2)::float8 as sla,
         (select round(avg(r.stars), 2)::float8 from ${L}.rating r where r.status = 'VALID' and r.agency_id = t.agency_id and r.period = t.month) as stars
       from t group by agency_id, month`,
    );
    const expected = new Map(raw.rows.map((r) => [r.key, r]));
    let compared = 0;
    for (const row of rows) {
      const e = expected.get(`${row.agency.id}|${row.month}`);
      if (!e) continue;
      const [sla, completed, stars] = row.cells;
      if (!completed.suppressed) {
        expect(completed.value).toBe(e.completed);
        expect(sla.value).toBe(e.sla);
        compared++;
      } else {
        expect(sla).toMatchObject({ value: null, suppressed: true });
      }
      if (!stars.suppressed && row.cells[3].value > 0) expect(stars.value).toBe(e.stars);
    }
    expect(compared).toBeGreaterThan(30);
    // The directory resolves the agency's name: the rows join the graph like any other field.
    expect(rows.find((r: any) => r.agency.id === 'dispendukcapil').agency.name).toBe('Dinas Kependudukan dan Pencatatan Sipil');
    expect(res.body.data.insights.suppressedCells).toBeGreaterThan(0);
    const budget = await stack.graphql('{ insightsBudget { limit used remaining questions } }', { login: 'analis' });
    expect(budget.body.data.insightsBudget).toMatchObject({ questions: 1, used: res.body.data.insights.cost });
  });

  it('streams the same question as CSV and Arrow from POST /insights/export, with the caller the gateway verified', async () => {
    const exportUrl = stack.gatewayUrl.replace(/\/graphql$/, '/insights/export');
    const post = async (login: string | undefined, format: string) =>
      fetch(exportUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(login ? { authorization: `Bearer ${await stack.token(login)}` } : {}) },
        body: JSON.stringify({ question: q, format }),
      });
    const answer = await stack.graphql(QUESTION, { login: 'analis', variables: { q } });
    const before = (await stack.graphql('{ insightsBudget { used questions } }', { login: 'analis' })).body.data.insightsBudget;
    const csv = await post('analis', 'csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'agency_id,month,completed_within_sla_percent,completed_within_sla_percent_suppressed,tickets_completed,tickets_completed_suppressed,average_stars,average_stars_suppressed,ratings,ratings_suppressed',
    );
    expect(lines.slice(1)).toEqual(answer.body.data.insights.rows.map((r: any) => [r.agency.id, r.month, ...r.cells.flatMap((c: any) => [c.value ?? '', c.suppressed])].join(',')));
    // Charged to the same analyst as their GraphQL questions.
    const after = (await stack.graphql('{ insightsBudget { used questions } }', { login: 'analis' })).body.data.insightsBudget;
    expect(after.questions).toBe(before.questions + 1);
    expect(after.used - before.used).toBe(Number(csv.headers.get('gerbang-insights-cost')));
    expect(Number(csv.headers.get('gerbang-insights-cost'))).toBe(answer.body.data.insights.cost);
    const arrow = await post('analis', 'arrow');
    expect(arrow.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
    expect(table.numRows).toBe(lines.length - 1);
    expect(table.schema.metadata.get('licence')).toContain('CC BY 4.0');
    // Nobody signed in: the gateway refuses; signed in without the role: the subgraph does.
    const anonymous = await post(undefined, 'csv');
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const citizen = await post('warga.siti', 'csv');
    expect(citizen.status).toBe(403);
    expect(((await citizen.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
    const forged = await fetch(exportUrl, { method: 'POST', headers: { authorization: 'Bearer not-a-token' }, body: '{}' });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('is refused by the gateway for citizens, officers and HR (FORBIDDEN)', async () => {
    for (const login of ['warga.siti', 'petugas.dukcapil', 'hr.bkpsdm']) {
      const res = await stack.graphql(QUESTION, { login, variables: { q } });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const anonymous = await stack.graphql(QUESTION, { variables: { q } });
    expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(anonymous.body.errors?.[0]?.extensions?.code);
  });
});
