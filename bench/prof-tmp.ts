import pg from 'pg';
import { CubeEngine, DEFAULT_PRIVACY } from '../subgraphs/insights/src/cube/engine';
const pool = new pg.Pool({ connectionString: 'postgresql://postgres@127.0.0.1:5432/gerbang_bench_insights_small', max: 2 });
const e = new CubeEngine({ ledgerSchema: 'ratings', insightsSchema: 'insights', privacy: DEFAULT_PRIVACY });
const Q = (measures: any, dimensions: any, from: string, to: string, extra: any = {}) => ({ measures, dimensions, from, to, filter: {}, sort: [], limit: 1000, compare: null, ...extra });
const qs: any = {
  q18: Q(['TICKETS_OPENED'], ['SERVICE', 'KECAMATAN', 'MONTH'], '2026-01', '2026-11'),
  q13: Q(['TICKETS_OPENED'], ['KECAMATAN'], '2026-01', '2026-06', { filter: { serviceId: 'dispendukcapil.ktp-el' } }),
  q15: Q(['TICKETS_OPENED', 'AVERAGE_STARS'], ['AGENCY', 'MONTH'], '2026-01', '2026-11', { filter: { channel: 'APP' } }),
  q2: Q(['TICKETS_OPENED'], ['SERVICE', 'MONTH'], '2024-12', '2026-11'),
};
for (const [name, q] of Object.entries(qs)) {
  const plan = e.plan(q as any);
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const res = await Promise.all(plan.fetches.map((f) => pool.query(f.sql, f.params)));
    const t1 = performance.now();
    const a = await e.answer(pool, q as any, 0);
    const t2 = performance.now();
    if (i === 19) console.log(name, 'rows', res.map((r) => r.rowCount), 'fetch', (t1 - t0).toFixed(1), 'answer(total)', (t2 - t1).toFixed(1), 'cells', a.rows.length);
  }
}
await pool.end();
