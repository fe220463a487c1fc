import { beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { signRequest, type Caller } from '@gerbang/common';
import { callSubgraph, DEMO, TEST_INTERNAL_SECRET } from '@gerbang/testing';
import { measureDef } from '../src/cube/model';
import { ANALYST, ASK, HISTORY, insightsFixture } from './fixture';

/**
 * The streamed HTTP export (src/cube/export-http.ts) on the subgraph, signed as the gateway signs
 * it: the same figures as the GraphQL answer, suppressed cells empty, the metadata in the Arrow
 * schema and the companion JSON, refusals with stable codes, the budget charged and recorded,
 * and a large export written in batches.
 */
let fx: Awaited<ReturnType<typeof insightsFixture>>;
beforeAll(async () => {
  // Small batches, so that an export of a few thousand rows is written in several.
  fx = await insightsFixture({ export: { maxRows: 100_000, batchRows: 500 } });
  // Torn down after the file's tests, and only if it was set up.
  return () => fx.close();
}, 180_000);

const exportCall = (body: unknown, caller: Caller = ANALYST, audience = 'insights:export') => {
  const text = JSON.stringify(body);
  return fetch(`${fx.url}/export`, { method: 'POST', headers: { 'content-type': 'application/json', ...signRequest(TEST_INTERNAL_SECRET, text, caller, audience) }, body: text });
};
const ask = async (q: Record<string, unknown>) => {
  const res = await callSubgraph(fx.url, ASK, { audience: 'insights', caller: ANALYST, variables: { q } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.insights as { rows: any[]; suppressedCells: number; cost: number };
};
const budget = async (caller: Caller = ANALYST) =>
  (await callSubgraph(fx.url, '{ insightsBudget { used remaining questions } }', { audience: 'insights', caller })).body.data.insightsBudget as { used: number; remaining: number; questions: number };

const Q = { measures: ['TICKETS_COMPLETED', 'COMPLETED_WITHIN_SLA_PERCENT', 'AVERAGE_STARS'], dimensions: ['KECAMATAN', 'MONTH'], from: '2026-01', to: '2026-11', limit: 5000 };

/** The GraphQL rows as the export's records: dimension columns, then value and flag per measure. */
const expected = (rows: any[]) => rows.map((r) => [r.kecamatan.code, r.kecamatan.name, r.month, ...r.cells.flatMap((c: any) => [c.value, c.suppressed])]);

describe('streamed export', () => {
  it('as CSV: the rows of the GraphQL answer, suppressed cells empty and marked, streamed (chunked), the budget charged', async () => {
    const answer = await ask(Q);
    expect(answer.suppressedCells).toBeGreaterThan(0);
    const before = await budget();
    const res = await exportCall({ question: Q, format: 'csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="gerbang-insights-2026-01-2026-11.csv"');
    // Streamed: no length known up front.
    expect(res.headers.get('content-length')).toBeNull();
    const cost = Number(res.headers.get('gerbang-insights-cost'));
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'kecamatan_code,kecamatan,month,tickets_completed,tickets_completed_suppressed,completed_within_sla_percent,completed_within_sla_percent_suppressed,average_stars,average_stars_suppressed',
    );
    const want = expected(answer.rows).map((r) => r.map((v) => (v === null ? '' : String(v))).join(','));
    expect(lines.slice(1)).toEqual(want);
    const hidden = lines.slice(1).filter((l) => l.split(',')[4] === 'true');
    expect(hidden.length).toBeGreaterThan(0);
    for (const l of hidden) expect(l.split(',')[3]).toBe('');
    // The same price as the GraphQL question, charged once more.
    expect(cost).toBe(answer.cost);
    const after = await budget();
    expect(after.used - before.used).toBe(cost);
    expect(after.questions - before.questions).toBe(1);
    expect(Number(res.headers.get('gerbang-insights-budget-remaining'))).toBe(after.remaining);
    // Recorded in the access log as an export, with its suppressed cells.
    const log = await fx.db.query(`select purpose, record_refs from "${fx.auditSchema}".access_log where source = 'insights' and purpose = 'analyst export' order by at desc limit 1`);
    expect(log.rows[0]?.record_refs.some((r: string) => r.startsWith('suppressed:TICKETS_COMPLETED@'))).toBe(true);
  });

  it('as Apache Arrow: the same rows and types, nulls where suppressed, the Satu Data metadata in the schema, a batch per 500 rows', async () => {
    const answer = await ask(Q);
    const res = await exportCall({ question: Q, format: 'arrow' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'kecamatan_code:Int16',
      'kecamatan:Utf8',
      'month:Utf8',
      'tickets_completed:Float64',
      'tickets_completed_suppressed:Bool',
      'completed_within_sla_percent:Float64',
      'completed_within_sla_percent_suppressed:Bool',
      'average_stars:Float64',
      'average_stars_suppressed:Bool',
    ]);
    const rows = table.toArray().map((r) => table.schema.fields.map((f) => r[f.name]));
    expect(rows).toEqual(expected(answer.rows));
    const meta = table.schema.metadata;
    expect(meta.get('period')).toBe('2026-01/2026-11');
    expect(meta.get('licence')).toContain('CC BY 4.0');
    expect(meta.get('producer')).toContain('Trenggalek');
    expect(meta.get('suppressionRule')).toContain('completed 10');
    expect(meta.get('title')).toContain('tickets_completed');
    expect(JSON.parse(meta.get('definitions')!).map((d: any) => d.column)).toEqual(['kecamatan_code, kecamatan', 'month', 'tickets_completed', 'completed_within_sla_percent', 'average_stars']);
    expect(table.schema.fields.find((f) => f.name === 'average_stars')!.metadata.get('definition')).toBe(measureDef('AVERAGE_STARS').definition);
    expect(table.batches.length).toBe(Math.ceil(answer.rows.length / 500));
  });

  it('exports distinct citizens as the GraphQL answer has them, with no citizen in the file', async () => {
    const question = { measures: ['CITIZENS_SERVED', 'CITIZENS_RATING'], dimensions: ['KECAMATAN', 'MONTH'], from: '2026-01', to: '2026-11', limit: 5000 };
    const answer = await ask(question);
    expect(answer.rows.length).toBeGreaterThan(50);
    expect(answer.suppressedCells).toBeGreaterThan(0);
    const table = tableFromIPC(new Uint8Array(await (await exportCall({ question, format: 'arrow' })).arrayBuffer()));
    const rows = table.toArray().map((r) => table.schema.fields.map((f) => r[f.name]));
    expect(rows).toEqual(expected(answer.rows));
    const csv = await (await exportCall({ question, format: 'csv' })).text();
    expect(csv.trimEnd().split('\r\n')).toHaveLength(answer.rows.length + 1);
    // Neither the ledger's keyed hashes (64 hex) nor the facts' 64-bit ones (up to 19 digits).
    expect(csv).not.toMatch(/[0-9a-f]{64}|\d{12,}/);
    expect(table.schema.fields.find((f) => f.name === 'citizens_served')!.metadata.get('unit')).toBe('citizens');
  });

  it('gives the companion metadata JSON of a question without charging or recording anything', async () => {
    const before = await budget();
    const res = await exportCall({ question: Q, format: 'metadata' });
    expect(res.status).toBe(200);
    const meta = (await res.json()) as any;
    expect(meta).toMatchObject({ period: '2026-01/2026-11', licence: expect.stringContaining('CC BY 4.0'), issued: HISTORY.now.toISOString() });
    expect(meta.columns.map((c: any) => c.name)).toContain('average_stars_suppressed');
    expect(meta.definitions.find((d: any) => d.column === 'tickets_completed').definition).toBe(measureDef('TICKETS_COMPLETED').definition);
    expect(await budget()).toEqual(before);
  });

  it('refuses with stable codes: unsigned or signed for /graphql (401), not an analyst (403), not a question (400), over budget (429)', async () => {
    const text = JSON.stringify({ question: Q });
    const unsigned = await fetch(`${fx.url}/export`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as any).errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'missing' });
    // A call signed for the GraphQL endpoint cannot be replayed here.
    const graphqlAudience = await exportCall({ question: Q }, ANALYST, 'insights');
    expect(graphqlAudience.status).toBe(401);
    expect(((await graphqlAudience.json()) as any).errors[0].extensions.reason).toBe('audience');
    for (const caller of [DEMO.siti, DEMO.petugasDukcapil, DEMO.hr, { roles: [] } as Caller]) {
      const res = await exportCall({ question: Q }, caller);
      expect(res.status).toBe(403);
      expect(((await res.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const bad = await exportCall({ question: { ...Q, from: '2026-13' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    const format = await exportCall({ question: Q, format: 'xlsx' });
    expect(((await format.json()) as any).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'format' });
    // An analyst whose day is spent: refused before anything runs, nothing charged.
    const spent = { sub: 'usr-analis-spent', roles: ['analyst' as const] };
    await fx.db.query(`insert into "${fx.insightsSchema}".budget_use (actor, day, cost, questions) values ($1, '2026-11-25', $2, 1)`, [spent.sub, fx.config.policy.dailyBudget - 1]);
    const over = await exportCall({ question: Q, format: 'arrow' }, spent);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await over.json()) as any).errors[0].extensions).toMatchObject({ code: 'INSIGHTS_BUDGET_EXCEEDED', remaining: 1 });
    expect((await budget(spent)).used).toBe(fx.config.policy.dailyBudget - 1);
  });

  it('streams a large export in batches; memory is reported, not asserted', async () => {
    // By day, service and kecamatan over a year: the largest shape the cube allows.
    const big = { measures: ['TICKETS_OPENED', 'TICKETS_COMPLETED', 'RATINGS', 'AVERAGE_STARS'], dimensions: ['DAY', 'SERVICE', 'KECAMATAN'], from: '2025-12', to: '2026-11', limit: 100_000 };
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    const res = await exportCall({ question: big, format: 'csv' });
    expect(res.status).toBe(200);
    let bytes = 0;
    let chunks = 0;
    let newlines = 0;
    const reader = res.body!.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      bytes += r.value.length;
      chunks++;
      for (const b of r.value) if (b === 10) newlines++;
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(newlines).toBeGreaterThan(1000);
    expect(chunks).toBeGreaterThan(1);
    // Written batch by batch (INSIGHTS_EXPORT_BATCH_ROWS, 500 here): as Arrow, one record batch each.
    const arrow = tableFromIPC(new Uint8Array(await (await exportCall({ question: big, format: 'arrow' })).arrayBuffer()));
    expect(arrow.numRows).toBe(newlines - 1);
    expect(arrow.batches.length).toBe(Math.ceil(arrow.numRows / 500));
    // Informational (shared machine, one process holds the test and the server): see README.
    console.log(
      `insights export: ${newlines - 1} rows, ${bytes} bytes in ${chunks} chunks; heap ${(heapBefore / 2 ** 20).toFixed(1)} MiB before, peak +${((peak - heapBefore) / 2 ** 20).toFixed(1)} MiB`,
    );
  });
});

describe('officer-level figures', () => {
  const K_OFFICERS = 3;
  it('count officers by agency and month as SQL does, hiding any cell of fewer than INSIGHTS_MIN_OFFICERS officers', async () => {
    const answer = await ask({ measures: ['OFFICERS', 'OFFICERS_BELOW_4_STARS'], dimensions: ['AGENCY', 'MONTH'], from: '2026-01', to: '2026-11' });
    const L = `"${fx.ledgerSchema}"`;
    const raw = await fx.db.query(
      `select agency_id || '|' || to_char(completed_at at time zone 'Asia/Jakarta', 'YYYY-MM') as key, count(distinct officer_id)::int as n
       from ${L}.ticket where status = 'COMPLETED' and officer_id is not null and completed_at >= '2025-12-31T17:00:00Z' group by 1`,
    );
    const expectedOfficers = new Map(raw.rows.map((r) => [r.key, r.n]));
    let shown = 0;
    let hiddenBelow = 0;
    for (const row of answer.rows) {
      const [officers, below] = row.cells;
      if (!officers.suppressed) {
        expect(officers.value).toBe(expectedOfficers.get(`${row.agency.id}|${row.month}`) ?? 0);
        if (officers.value > 0) expect(officers.value).toBeGreaterThanOrEqual(K_OFFICERS);
        shown++;
      }
      if (below.suppressed) hiddenBelow++;
      else if (below.value !== 0) expect(below.value).toBeGreaterThanOrEqual(K_OFFICERS);
    }
    expect(shown).toBeGreaterThan(5);
    // Dispendukcapil's one officer below 4 (of three) is never shown as a count of one.
    expect(hiddenBelow).toBeGreaterThan(0);
    expect(answer.rows.find((r) => r.agency.id === 'dispendukcapil' && !r.cells[1].suppressed && r.cells[1].value > 0)).toBeUndefined();
  });

  it('are distributions by position class', async () => {
    const answer = await ask({ measures: ['OFFICERS', 'RATINGS', 'AVERAGE_STARS'], dimensions: ['POSITION_CLASS'], from: '2026-01', to: '2026-11' });
    const ahli = answer.rows.find((r) => r.positionClass === 'FUNGSIONAL_AHLI');
    expect(ahli.cells[0]).toMatchObject({ suppressed: false });
    expect(ahli.cells[0].value).toBeGreaterThanOrEqual(K_OFFICERS);
  });

  it('never put an officer id, NIP or name in any insight path: answers, CSV and Arrow exports, metadata, the access log', async () => {
    const { OFFICERS } = await import('../src/history/catalogue');
    const nips = OFFICERS.map((o) => o.id);
    const names = ['Agus Prasetyo', 'Sri Wahyuni', 'Prasetyo', 'Wahyuni', 'Wulandari', 'Kurniawan', 'Astuti', 'Nugroho', 'Sutrisno', 'Suryani', 'Permatasari', 'Wahyudi', 'Susilowati', 'Ramadhan'];
    const leaks = (text: string) => [...nips.filter((n) => text.includes(n)), ...names.filter((n) => text.includes(n)), ...(/\b\d{18}\b/.exec(text) ?? [])];
    const since = new Date();
    for (const d of ['POSITION_CLASS', 'AGENCY', 'SERVICE', 'MONTH', 'WEEK', 'DAY', 'KECAMATAN', 'CHANNEL'] as const) {
      const measures = ['OFFICERS', 'OFFICERS_BELOW_4_STARS', 'RATINGS', 'AVERAGE_STARS', 'TICKETS_COMPLETED', ...(['AGENCY', 'MONTH', 'POSITION_CLASS'].includes(d) ? ['APPEALS'] : [])];
      const question = { measures, dimensions: d === 'POSITION_CLASS' ? [d] : [d, 'POSITION_CLASS'], from: '2026-10', to: '2026-11', limit: 5000 };
      const res = await callSubgraph(fx.url, ASK, { audience: 'insights', caller: ANALYST, variables: { q: question } });
      expect(res.body.errors).toBeUndefined();
      expect(leaks(JSON.stringify(res.body))).toEqual([]);
      const csv = await exportCall({ question, format: 'csv' });
      expect(csv.status).toBe(200);
      expect(leaks(await csv.text())).toEqual([]);
      const arrow = tableFromIPC(new Uint8Array(await (await exportCall({ question, format: 'arrow' })).arrayBuffer()));
      expect(leaks(JSON.stringify(arrow.toArray()) + JSON.stringify([...arrow.schema.metadata]) + arrow.schema.fields.map((f) => JSON.stringify([...f.metadata])).join())).toEqual([]);
      expect(leaks(JSON.stringify(await (await exportCall({ question, format: 'metadata' })).json()))).toEqual([]);
    }
    const log = await fx.db.query(`select record_refs, fields from "${fx.auditSchema}".access_log where source = 'insights' and at >= $1`, [HISTORY.now < since ? HISTORY.now : since]);
    expect(log.rows.length).toBeGreaterThanOrEqual(16);
    expect(leaks(JSON.stringify(log.rows))).toEqual([]);
  });
});
