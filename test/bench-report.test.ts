import { describe, expect, it } from 'vitest';
import { aims, assembleReport, clusterMarkdown, type OneRun } from '../bench/gateway/lib/summary';

// The report of one `npm run bench` (bench/gateway/lib/summary.ts): figures in, Markdown and
// issue 16's verdicts out. No servers: the figures are made up.

const base: OneRun = {
  startedAt: '2026-12-05T00:10:00.000Z',
  command: 'npm run bench',
  seconds: 842,
  machine: '2 × Test CPU',
  versions: 'node 20.20.2',
  quick: false,
};

const w1 = (gerbang: { rps: number; p95: number }, hop = { gatewayP50: 1.9, directP50: 1.2 }): NonNullable<OneRun['workload1']> => ({
  figures: [
    { key: 'gerbang', label: 'Gerbang', ...gerbang, cpuMsPerReq: 3 },
    { key: 'gerbang-apollo', label: 'Gerbang, Apollo executor', rps: 150, p95: 400, cpuMsPerReq: 6 },
    { key: 'hive-router', label: 'Hive + Rust', rps: 300, p95: 250, cpuMsPerReq: 3.3 },
    { key: 'hive-router-nodedup', label: 'Hive + Rust, no dedup', rps: 200, p95: 320, cpuMsPerReq: 5 },
    { key: 'vanilla', label: 'vanilla', failure: 'wrong answer (HTTP 500)' },
  ],
  hops: [{ key: 'gerbang', label: 'Gerbang', ...hop, gatewayP95: 3, directP95: 2 }],
  markdown: '### Workload 1 table',
});

const full: OneRun = {
  ...base,
  workload1: w1({ rps: 320, p95: 240 }),
  cluster: {
    arrangement: 'two workers share CPU 0.',
    figures: [
      { workers: 1, label: 'cluster, 1 worker', rps: 200, p95: 300, cpuCores: 1 },
      { workers: 2, label: 'cluster, 2 workers', rps: 300, p95: 250, cpuCores: 1.5 },
    ],
  },
  workload2: { markdown: '### Workload 2 table', measured: 6, failed: 0 },
  workload3: { markdown: '### Workload 3 table', figures: { uncached: { rps: 1000, p95: 90 }, cached: { rps: 4000, p95: 20, hitRate: 0.9498 } } },
  audit: {
    markdown: 'audit table',
    figures: {
      ran: true,
      version: '0.0.3',
      scores: [
        { key: 'vanilla', label: 'vanilla', passed: 193, total: 199 },
        { key: 'gerbang', label: "Gerbang, Apollo's executor", passed: 193, total: 199 },
        { key: 'gerbang-fast', label: "Gerbang, Gerbang's executor", passed: 193, total: 199 },
      ],
    },
  },
};

const byAim = (run: OneRun) => Object.fromEntries(aims(run).map((a) => [a.aim.split(':')[0], a]));

describe('issue 16 aims of one bench run', () => {
  it('judges every aim from the figures', () => {
    const a = byAim(full);
    expect(a['Workload 1']).toMatchObject({ status: 'met' });
    expect(a['Workload 1']!.figures).toContain('Gerbang 320 req/s, p95 240.0 ms; Hive + Rust 300 req/s, p95 250.0 ms: 1.07× its req/s');
    expect(a['Workload 1']!.figures).toContain('without in-flight deduplication 200 req/s (Gerbang 1.60×)');
    expect(a['Federation audit']).toMatchObject({ status: 'met' });
    expect(a['Federation audit']!.figures).toBe("vanilla 193 / 199; Gerbang, Apollo's executor 193 / 199; Gerbang, Gerbang's executor 193 / 199");
    expect(a['Cluster mode']).toMatchObject({ status: 'measured' });
    expect(a['Cluster mode']!.figures).toBe('1 worker 200 req/s (200 per core of CPU used), 2 workers 300 req/s (200 per core): scaling 1.50×');
    expect(a['Workload 3']).toMatchObject({ status: 'met' });
    expect(a['Workload 3']!.figures).toContain('served from the cache 95.0 %; cached 4,000 req/s, p95 20.0 ms; uncached 1,000 req/s, p95 90.0 ms (4.00× req/s)');
    expect(a['The hop']).toMatchObject({ status: 'met', figures: '+0.70 ms at p50 (1.90 through Gerbang, 1.20 direct)' });
    expect(a['Workload 2']).toMatchObject({ status: 'measured', figures: '6 measurements' });
    expect(a['Ratings at 1,000/s on real PostgreSQL, none lost']).toMatchObject({ status: 'not run' });
  });

  it('says not met when Gerbang is slower, or as fast at a worse p95', () => {
    expect(byAim({ ...full, workload1: w1({ rps: 250, p95: 200 }) })['Workload 1']).toMatchObject({ status: 'not met' });
    expect(byAim({ ...full, workload1: w1({ rps: 300, p95: 251 }) })['Workload 1']).toMatchObject({ status: 'not met' });
    expect(byAim({ ...full, workload1: w1({ rps: 300, p95: 250 }) })['Workload 1']).toMatchObject({ status: 'met' });
  });

  it('judges workload 1 on the sharing row when it ran (like for like with Hive, which shares by default)', () => {
    const withShared = w1({ rps: 150, p95: 400 });
    withShared.figures.push({ key: 'gerbang-shared', label: 'Gerbang, shared', rps: 310, p95: 240, cpuMsPerReq: 2 });
    const aim = byAim({ ...full, workload1: withShared })['Workload 1']!;
    expect(aim.status).toBe('met');
    expect(aim.figures).toContain('declared caller-independent (sharing in flight, as Hive) 310 req/s');
    expect(aim.figures).toContain('Gerbang 150 req/s, p95 400.0 ms');
    withShared.figures[withShared.figures.length - 1] = { key: 'gerbang-shared', label: 'Gerbang, shared', rps: 290, p95: 240, cpuMsPerReq: 2 };
    expect(byAim({ ...full, workload1: withShared })['Workload 1']).toMatchObject({ status: 'not met' });
  });

  it('compares nothing when a server answered nothing in its window', () => {
    const silent = { ...w1({ rps: 0, p95: 2800 }) };
    silent.figures = silent.figures.map((f) => (f.key === 'hive-router' ? { ...f, rps: 0, p95: Number.NaN } : f));
    expect(byAim({ ...full, workload1: silent })['Workload 1']).toMatchObject({
      status: 'failed',
      figures: 'gerbang: no answer within the measured window; hive-router: no answer within the measured window',
    });
  });

  it('says not met for a hop over 1 ms, a low hit rate, or an audit score below vanilla', () => {
    expect(byAim({ ...full, workload1: w1({ rps: 320, p95: 240 }, { gatewayP50: 2.3, directP50: 1.2 }) })['The hop']).toMatchObject({
      status: 'not met',
      figures: '+1.10 ms at p50 (2.30 through Gerbang, 1.20 direct)',
    });
    const w3 = { ...full.workload3!, figures: { ...full.workload3!.figures, cached: { rps: 3000, p95: 30, hitRate: 0.9 } } };
    expect(byAim({ ...full, workload3: w3 })['Workload 3']).toMatchObject({ status: 'not met' });
    const audit = full.audit!.figures.ran ? full.audit!.figures : undefined;
    const lower = { ...audit!, scores: audit!.scores.map((s) => (s.key === 'gerbang-fast' ? { ...s, passed: 192 } : s)) };
    expect(byAim({ ...full, audit: { markdown: '', figures: lower } })['Federation audit']).toMatchObject({ status: 'not met' });
  });

  it('marks an audit without a checkout "not run", with the reason, rather than failing', () => {
    const run: OneRun = { ...full, audit: { markdown: 'not run: no checkout', figures: { ran: false, reason: 'not run: no checkout (set FEDERATION_AUDIT_DIR)' } } };
    expect(byAim(run)['Federation audit']).toMatchObject({ status: 'not run', figures: 'not run: no checkout (set FEDERATION_AUDIT_DIR)' });
    expect(assembleReport(run).summary).toContain('| **not run** | not run: no checkout (set FEDERATION_AUDIT_DIR) |');
  });

  it('reports failures and missing parts instead of verdicts', () => {
    const run: OneRun = {
      ...base,
      workload1: {
        ...w1({ rps: 1, p95: 1 }),
        figures: [
          { key: 'gerbang', label: 'Gerbang', failure: 'exited' },
          { key: 'hive-router', label: 'Hive + Rust', rps: 300, p95: 250 },
        ],
      },
      cluster: { arrangement: '', figures: [{ workers: 1, label: '1', failure: 'timeout' }] },
      workload3: { markdown: '', figures: { failure: 'gateway exited' } },
    };
    const a = byAim(run);
    expect(a['Workload 1']).toMatchObject({ status: 'failed', figures: 'gerbang: exited' });
    expect(a['Cluster mode']).toMatchObject({ status: 'failed', figures: '1 worker(s): timeout' });
    expect(a['Workload 3']).toMatchObject({ status: 'failed', figures: 'gateway exited' });
    expect(a['Workload 2']).toMatchObject({ status: 'not run' });
    expect(a['Federation audit']).toMatchObject({ status: 'not run' });
  });
});

describe('the dated section', () => {
  it('puts the header, the aims, then every part in order', () => {
    const { markdown, summary } = assembleReport(full);
    expect(markdown.startsWith('## Gateway performance: one run of `npm run bench` (issues 6 and 16)\n\nRun: 2026-12-05 00:10 UTC, `npm run bench`, 842 s wall time.')).toBe(true);
    const order = ["### Issue 16's aims in this run", '### Workload 1 table', '### Cluster mode', '### Workload 2 table', '### Workload 3 table', '### Federation gateway audit, side by side'];
    const positions = order.map((h) => markdown.indexOf(h));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    expect(markdown).toContain(summary);
    expect(summary).toContain('Command: `npm run bench`; wall time 842 s.');
    expect(summary.split('\n').filter((l) => l.startsWith('| ')).length).toBe(2 + 7);
  });

  it('flags a smoke run', () => {
    const { markdown, summary } = assembleReport({ ...full, quick: true, command: 'npm run bench -- --quick' });
    expect(markdown).toContain('(**smoke run**: short windows, one round; not figures to compare)');
    expect(summary).toContain('Command: `npm run bench -- --quick` (smoke run: figures not comparable with a full run)');
  });

  it('tabulates cluster scaling per core and per worker', () => {
    const text = clusterMarkdown(full.cluster!);
    expect(text).toContain('| cluster, 1 worker | 200 | 300.0 | 100% | 200 | 200 | 1.00× |');
    expect(text).toContain('| cluster, 2 workers | 300 | 250.0 | 150% | 200 | 150 | 1.50× |');
  });
});
