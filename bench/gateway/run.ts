/**
 * `npm run bench` — one run that measures, side by side, what issues 6 and 16 ask, and writes it
 * into one dated section of BENCHMARKS.md (between the gateway-bench markers) with a summary of
 * issue 16's aims (met / not met, with figures), printed again at the end:
 *   workload 1   Gerbang (its executor and Apollo's) against Hive Gateway (+ Rust planner, with and
 *                without in-flight deduplication) and vanilla @apollo/gateway, interleaved rounds;
 *                the gateway hop; cluster mode with 1 and 2 workers in the same rounds;
 *   workload 2   Gerbang's own operations over the whole graph (production mode);
 *   workload 3   the portal's public pages with and without the response cache;
 *   audit        the federation gateway audit, vanilla and Gerbang (both executors) side by side
 *                (needs FEDERATION_AUDIT_DIR or .data/federation-gateway-audit; "not run" otherwise).
 *
 *   npm run bench                      the one run (planned for 12–15 min on a quiet 2-core machine)
 *   npm run bench -- --quick           smoke run: short windows, one round, 6 audit suites
 *   npm run bench -- --only=gerbang,vanilla --workload=1 --no-write
 *   npm run bench -- --profile         Gerbang's gateway under --cpu-prof on workload 1: top 25 by self time
 *
 * Options: --connections=N (50), --warmup=S, --duration=S, --rounds=N, --quiet=S,
 * --workload=1,2,3,audit (default all), --only=KEYS (workload 1's servers; cluster rows only when
 * listed), --hop (the hop through every server), --no-audit, --no-write (print only),
 * --gerbang-main=PATH (a prototype copy of gateway/src/main.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@gerbang/embedded-postgres';
import { BENCH_DIR, GATEWAY_CPU, LOAD_CPU, pinning, ROOT, stopAll } from './lib/proc';
import { machine, versions, writeSection } from './lib/report';
import { assembleReport, type OneRun } from './lib/summary';
import { hopTable, runWorkload1, table, type Row } from './workload1/run';
import { topSelfTime } from './profile/top';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, v ?? 'true'] as const;
  }),
);
const quick = args.has('quick');
const profile = args.has('profile');
const write = !args.has('no-write');
const connections = Number(args.get('connections') ?? 50);
const warmupSeconds = Number(args.get('warmup') ?? (quick ? 1 : 4));
const durationSeconds = Number(args.get('duration') ?? (quick ? 3 : 12));
const quietSeconds = Number(args.get('quiet') ?? (quick ? 0 : 5));
const workloads = args.get('workload')?.split(',') ?? (profile ? ['1'] : ['1', '2', '3', ...(args.has('no-audit') ? [] : ['audit'])]);
const profiled = profile ? (args.get('profile') === 'true' ? ['gerbang'] : args.get('profile')!.split(',')) : [];
/** Workload 1's servers of the one run, interleaved round by round (cluster rows reported apart). */
const MAIN_KEYS = ['gerbang', 'gerbang-shared', 'gerbang-apollo', 'hive-router', 'hive-router-nodedup', 'hive', 'vanilla'];
const CLUSTER_KEYS: Record<string, number> = { 'gerbang-cluster1': 1, 'gerbang-cluster2': 2 };
const only = profile ? profiled : (args.get('only')?.split(',') ?? [...MAIN_KEYS, ...Object.keys(CLUSTER_KEYS)]);
const rounds = Number(args.get('rounds') ?? (quick || profile || args.has('only') ? 1 : 2));
const hop = args.has('hop') ? true : profile ? false : MAIN_KEYS;
const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

// The benchmark's own devDependencies (autocannon, Hive Gateway) live in bench/gateway/vendor,
// outside the workspaces: CI never installs them, a fresh clone gets them here on first use.
if (!existsSync(join(BENCH_DIR, 'vendor', 'node_modules', 'autocannon')) || !existsSync(join(BENCH_DIR, 'vendor', 'node_modules', '@graphql-hive', 'gateway'))) {
  log('installing the benchmark tools (npm ci in bench/gateway/vendor) …');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: join(BENCH_DIR, 'vendor'), stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm ci in bench/gateway/vendor failed');
}

const tmp = mkdtempSync(join(tmpdir(), 'gerbang-bench-'));
let embedded: EmbeddedPostgres | undefined;
const cleanup = async () => {
  await stopAll();
  await embedded?.close().catch(() => undefined);
  if (!process.env.BENCH_KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
};
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
process.once('SIGTERM', () => void cleanup().then(() => process.exit(143)));

const startedAt = new Date().toISOString();
const started = Date.now();
const run: Omit<OneRun, 'seconds'> = { startedAt, command, machine: machine(), versions: versions(), quick };
try {
  // The gateway's access log needs PostgreSQL: DATABASE_URL, else a throwaway embedded PostgreSQL
  // server started while the subgraphs start, awaited only by the gateways that need it.
  let databaseUrl: Promise<string>;
  if (process.env.DATABASE_URL) databaseUrl = Promise.resolve(process.env.DATABASE_URL);
  else if (!['1', '2', '3'].some((w) => workloads.includes(w))) databaseUrl = Promise.reject(new Error('no PostgreSQL: no workload needs one'));
  else {
    log('DATABASE_URL not set: a throwaway embedded PostgreSQL server for the access log …');
    databaseUrl = startEmbeddedPostgres({ maxConnections: 64 }).then((e) => {
      embedded = e;
      return e.url;
    });
  }
  databaseUrl.catch(() => undefined); // reported where it is awaited
  const arrangement = pinning
    ? `each server in its own process pinned to CPU ${GATEWAY_CPU} (taskset); the load generator (autocannon, ${connections} connections, one request in flight each) and the four subgraphs (one Node process) share CPU ${LOAD_CPU}`
    : 'no CPU pinning (taskset missing or one core): every process shares the cores';

  if (workloads.includes('1')) {
    const nodeFlags: Record<string, string[]> = {};
    const profDir = join(tmp, 'cpuprofile');
    for (const key of profiled) nodeFlags[key] = ['--cpu-prof', `--cpu-prof-dir=${join(profDir, key)}`];
    const w1 = await runWorkload1({
      tmp,
      databaseUrl,
      connections,
      warmupSeconds,
      durationSeconds,
      only,
      nodeFlags,
      quietSeconds,
      rounds,
      hop,
      ...(quick ? { hopSamples: 100 } : {}),
      ...(args.get('gerbang-main') ? { gerbangMain: join(ROOT, args.get('gerbang-main')!) } : {}),
      log,
    });
    const mainRows = w1.rows.filter((r) => !(r.key in CLUSTER_KEYS));
    const clusterRows = w1.rows.filter((r) => r.key in CLUSTER_KEYS);
    const hops = mainRows.filter((r) => r.hop);
    run.workload1 = {
      figures: mainRows.map((r) => ({ key: r.key, label: r.label, ...figures(r) })),
      hops: hops.map((r) => ({ key: r.key, label: r.label, gatewayP50: r.hop!.gateway[0]!, gatewayP95: r.hop!.gateway[1]!, directP50: r.hop!.direct[0]!, directP95: r.hop!.direct[1]! })),
      markdown: [
        `### Workload 1: the public federation benchmark's shape`,
        '',
        `Four subgraphs (accounts, inventory, products, reviews; @apollo/subgraph on plain node http, keep-alive) and one heavy query`,
        `(users → reviews → product → reviews → author → reviews → product, plus topProducts with reviews and authors${w1.subgraphCalls ? `: ${w1.subgraphCalls} subgraph calls per request` : ''}).`,
        `${connections} connections, ${warmupSeconds} s warm-up, then ${durationSeconds} s measured per server; ${rounds > 1 ? `${rounds} rounds, the servers interleaved (A B C … A B C …), the median run of each kept${rounds === 2 ? ' (of two: the slower)' : ''}` : 'one round'}. Every response is checked byte for byte against a body`,
        `verified equal to the monolith's answer (errors = any other status or body). Arrangement: ${arrangement}.`,
        `Gerbang runs its own gateway/src/main.ts with NODE_ENV=production: JWT verification (JWKS over HTTP), rate limits (memory), query limits,`,
        `persisted-operation policy, @requiresScopes/@policy, access log (PostgreSQL), metrics, pino logs (info, to a file), signed subgraph calls verified by the subgraphs,`,
        `admission control and the heap setting at their defaults (gateway/README.md § Admission control and memory);`,
        `one token per connection (distinct users, role analyst so an ad-hoc operation is allowed in production), with`,
        `rate limits raised and the analyst cost budget set to 150 000 (the query's estimated cost is 102 927) so that the load is admitted.`,
        `The other gateways get the same requests (their subgraph calls go to the same subgraphs, unsigned).`,
        '',
        table(mainRows),
        '',
        `"server CPU": CPU time of the server process over the measured window (100% = one core); "ms per req": CPU per answered request, the figure least`,
        `disturbed by the rest of the machine. "other processes": CPU used meanwhile by processes outside the benchmark (100% = one core of ${cpus().length}): noise.`,
        ...(rounds > 1 ? ['', 'Every round of each server:', '', ...w1.rows.filter((r) => r.note).map((r) => `- ${r.label}: ${r.note}`)] : []),
        ...(hops.length ? ['', hopTable(hops)] : []),
      ].join('\n'),
    };
    if (clusterRows.length) {
      run.cluster = {
        figures: clusterRows.map((r) => ({ workers: CLUSTER_KEYS[r.key]!, label: r.label, ...figures(r), ...(r.measured ? { cpuCores: r.measured.cpu.server! } : {}) })),
        arrangement: `One worker is pinned to CPU ${GATEWAY_CPU} like every other server; two workers run on CPUs 0 and 1, so on a 2-core machine the second shares CPU ${LOAD_CPU} with the load generator and the subgraphs: the scaling measured here is a floor.`,
      };
    }

    if (profile) {
      const parts: string[] = [];
      for (const row of w1.rows) {
        const dir = join(profDir, row.key);
        const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
        if (!files.length || !row.measured) {
          parts.push(`#### ${row.label}\n\nno profile (${row.failure ?? 'no .cpuprofile written'})`);
          continue;
        }
        const summary = topSelfTime(join(dir, files[0]!), 25, row.measured.window);
        parts.push(`#### ${row.label}: ${Math.round(row.measured.load.rps)} req/s, ${(row.measured.cpu.server! * 100).toFixed(0)}% CPU under --cpu-prof\n\n${summary}`);
      }
      const text = [
        `### Profile under workload 1 (\`${command}\`, ${startedAt.slice(0, 10)})`,
        '',
        `node --cpu-prof; only the samples of the ${durationSeconds} s measured window (start-up and warm-up excluded); top 25 functions by self time.`,
        '',
        ...parts,
      ].join('\n\n');
      console.log(text);
      if (write) writeSection('gateway-profile', text);
    }
  }

  if ((workloads.includes('2') || workloads.includes('3')) && !profile) {
    // Workloads 2 and 3 share one start of the whole graph.
    const { startGraphStack } = await import('./lib/stack');
    const url = await databaseUrl;
    const stack = await startGraphStack({ tmp, databaseUrl: url, log });
    try {
      if (workloads.includes('2')) {
        const { runWorkload2 } = await import('./workload2/run');
        const w2 = await runWorkload2(
          {
            tmp,
            databaseUrl: url,
            embedded: !!embedded,
            connections,
            warmupSeconds: quick ? 1 : 2,
            durationSeconds: quick ? 3 : 8,
            zeroLatencyOnly: quick,
            quietSeconds: quick ? 0 : 3,
            log,
          },
          stack,
        );
        run.workload2 = { markdown: w2.markdown, measured: w2.results.filter((r) => r.measured).length, failed: w2.results.filter((r) => !r.measured).length };
      }
      if (workloads.includes('3')) {
        const { runWorkload3 } = await import('./workload3/run');
        const w3 = await runWorkload3(
          {
            tmp,
            databaseUrl: url,
            embedded: !!embedded,
            connections,
            warmupSeconds: quick ? 1 : 3,
            durationSeconds: quick ? 3 : 10,
            quietSeconds: quick ? 0 : 3,
            log,
          },
          stack,
        );
        const uncached = w3.rows.find((r) => r.measured && r.hitRate === undefined)?.measured;
        const cached = w3.rows.find((r) => r.measured && r.hitRate !== undefined);
        const failure = w3.rows.find((r) => r.failure)?.failure;
        run.workload3 = {
          markdown: w3.markdown,
          figures: {
            ...(uncached ? { uncached: { rps: uncached.load.rps, p95: uncached.load.p95 } } : {}),
            ...(cached?.measured ? { cached: { rps: cached.measured.load.rps, p95: cached.measured.load.p95, ...(cached.hitRate !== undefined ? { hitRate: cached.hitRate } : {}) } } : {}),
            ...(failure ? { failure } : {}),
          },
        };
      }
    } finally {
      await stack.close();
    }
  }

  if (workloads.includes('audit') && !profile) {
    const { auditMarkdown, auditMissing, runAudit, DEFAULT_COLUMNS } = await import('../audit/audit');
    const missing = auditMissing();
    if (missing) {
      log(`federation audit: not run.\n${missing}`);
      const reason = `not run: no checkout of graphql-hive/federation-gateway-audit (set FEDERATION_AUDIT_DIR; \`npm run audit:federation\` says how)`;
      run.audit = { figures: { ran: false, reason }, markdown: `${reason}.` };
    } else {
      log(`federation audit (${DEFAULT_COLUMNS.join(', ')}) …`);
      try {
        const result = await runAudit({ ...(quick ? { maxSuites: 6 } : {}), log });
        run.audit = {
          figures: { ran: true, version: result.version, scores: result.scores.map((s) => ({ key: s.key, label: s.label, passed: s.passed, total: s.total })) },
          markdown: `${auditMarkdown(result, command)}${quick ? '\n\nSmoke run: the first 6 suites only.' : ''}`,
        };
      } catch (err) {
        log(`federation audit failed: ${(err as Error).message}`);
        run.audit = { figures: { ran: false, reason: `failed: ${(err as Error).message.split('\n')[0]}` }, markdown: `Failed: ${(err as Error).message.split('\n')[0]}` };
      }
    }
  }

  const report = assembleReport({ ...run, seconds: Math.round((Date.now() - started) / 1000) });
  console.log(`\n${report.markdown}\n`);
  if (write && !profile) {
    writeSection('gateway-bench', report.markdown);
    log(`written to ${relative(process.cwd(), join(ROOT, 'BENCHMARKS.md')) || 'BENCHMARKS.md'}`);
  }
  console.log(`\n${report.summary}\n`);
} finally {
  await cleanup();
}
process.exit(0);

function figures(r: Row): { rps?: number; p95?: number; cpuMsPerReq?: number; failure?: string } {
  const m = r.measured;
  if (!m) return { failure: r.failure ?? 'no figures' };
  return { rps: m.load.rps, p95: m.load.p95, cpuMsPerReq: (m.cpu.server! * m.load.seconds * 1000) / Math.max(1, m.load.requests) };
}
