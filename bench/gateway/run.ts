/**
 * `npm run bench` — Gerbang's gateway side by side with vanilla @apollo/gateway and Hive Gateway
 * (workload 1, the public federation benchmark's shape), and Gerbang's own operations
 * (workload 2). Writes the tables to BENCHMARKS.md between the gateway-bench markers and prints them.
 *
 *   npm run bench                      full run (< 10 min)
 *   npm run bench -- --quick           short run (< 2 min)
 *   npm run bench -- --only=gerbang,vanilla --workload=1 --no-write
 *   npm run bench -- --profile         Gerbang's gateway under --cpu-prof on workload 1: top 25 by self time
 *
 * Options: --connections=N (50), --warmup=S, --duration=S, --workload=1|2|3 (3: the portal's public pages with and without the response cache), --only=KEYS,
 * --no-write (print only), --gerbang-main=PATH (a prototype copy of gateway/src/main.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@gerbang/embedded-postgres';
import { BENCH_DIR, GATEWAY_CPU, LOAD_CPU, pinning, ROOT, stopAll } from './lib/proc';
import { machine, versions, writeSection } from './lib/report';
import { runWorkload1 } from './workload1/run';
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
const warmupSeconds = Number(args.get('warmup') ?? (quick ? 1 : 8));
const durationSeconds = Number(args.get('duration') ?? (quick ? 3 : 25));
const quietSeconds = Number(args.get('quiet') ?? (quick ? 0 : 10));
const workloads = args.get('workload')?.split(',') ?? (profile ? ['1'] : ['1', '2', '3']);
const profiled = profile ? (args.get('profile') === 'true' ? ['gerbang'] : args.get('profile')!.split(',')) : [];
const only = profile ? profiled : args.get('only')?.split(',');
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

const started = Date.now();
const sections: string[] = [];
try {
  // The gateway's access log needs PostgreSQL: DATABASE_URL, else a throwaway embedded PostgreSQL
  // server started while the subgraphs start, awaited only by the gateways that need it.
  let databaseUrl: Promise<string>;
  if (process.env.DATABASE_URL) databaseUrl = Promise.resolve(process.env.DATABASE_URL);
  else {
    log('DATABASE_URL not set: a throwaway embedded PostgreSQL server for the access log …');
    databaseUrl = startEmbeddedPostgres({ maxConnections: 64 }).then((e) => {
      embedded = e;
      return e.url;
    });
    databaseUrl.catch(() => undefined); // reported where it is awaited
  }
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
      ...(only ? { only } : {}),
      nodeFlags,
      quietSeconds,
      ...(args.get('rounds') ? { rounds: Number(args.get('rounds')) } : {}),
      ...(args.has('hop') ? { hop: true } : {}),
      ...(args.get('gerbang-main') ? { gerbangMain: join(ROOT, args.get('gerbang-main')!) } : {}),
      log,
    });
    const text = [
      `### Workload 1: the public federation benchmark's shape`,
      '',
      `Four subgraphs (accounts, inventory, products, reviews; @apollo/subgraph on plain node http, keep-alive) and one heavy query`,
      `(users → reviews → product → reviews → author → reviews → product, plus topProducts with reviews and authors: ${w1.subgraphCalls ?? 'several'} subgraph calls per request).`,
      `${connections} connections, ${warmupSeconds} s warm-up, then ${durationSeconds} s measured per server. Every response is checked byte for byte against a body`,
      `verified equal to the monolith's answer (errors = any other status or body). Arrangement: ${arrangement}.`,
      `Gerbang runs its own gateway/src/main.ts with NODE_ENV=production: JWT verification (JWKS over HTTP), rate limits (memory), query limits,`,
      `persisted-operation policy, @requiresScopes/@policy, access log (PostgreSQL), metrics, pino logs (info, to a file), signed subgraph calls verified by the subgraphs,`,
      `admission control and the heap setting at their defaults (gateway/README.md § Admission control and memory);`,
      `one token per connection (distinct users, role analyst so an ad-hoc operation is allowed in production), with`,
      `rate limits raised and the analyst cost budget set to 150 000 (the query's estimated cost is 102 927) so that the load is admitted.`,
      `The other gateways get the same requests (their subgraph calls go to the same subgraphs, unsigned).`,
      '',
      w1.markdown,
      '',
      `"server CPU": CPU time of the server process over the measured window (100% = one core); "ms per req": CPU per answered request, the figure least`,
      `disturbed by the rest of the machine. "other processes": CPU used meanwhile by processes outside the benchmark (100% = one core of ${cpus().length}): noise.`,
    ].join('\n');
    sections.push(text);

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
        `### Profile under workload 1 (\`${command}\`, ${new Date().toISOString().slice(0, 10)})`,
        '',
        `node --cpu-prof; only the samples of the ${durationSeconds} s measured window (start-up and warm-up excluded); top 25 functions by self time.`,
        '',
        ...parts,
      ].join('\n\n');
      console.log(text);
      if (write) writeSection('gateway-profile', text);
    }
  }

  if (workloads.includes('2') && !profile) {
    const { runWorkload2 } = await import('./workload2/run');
    sections.push(
      await runWorkload2({
        tmp,
        databaseUrl: await databaseUrl,
        embedded: !!embedded,
        connections,
        warmupSeconds: quick ? 1 : 3,
        durationSeconds: quick ? 3 : 12,
        zeroLatencyOnly: quick,
        quietSeconds: quick ? 0 : 5,
        log,
      }),
    );
  }

  if (workloads.includes('3') && !profile) {
    const { runWorkload3 } = await import('./workload3/run');
    sections.push(
      await runWorkload3({
        tmp,
        databaseUrl: await databaseUrl,
        embedded: !!embedded,
        connections,
        warmupSeconds: quick ? 1 : 3,
        durationSeconds: quick ? 3 : 12,
        quietSeconds: quick ? 0 : 5,
        log,
      }),
    );
  }

  const header = [
    `## Gateway performance (issue 6)`,
    '',
    `Latest run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`${command}\` (${Math.round((Date.now() - started) / 1000)} s).`,
    `Machine: ${machine()}.`,
    `Versions: ${versions()}.`,
  ].join('\n');
  const out = [header, ...sections].join('\n\n');
  console.log(`\n${out}\n`);
  if (write && !profile) {
    writeSection('gateway-bench', out);
    log(`written to ${relative(process.cwd(), join(ROOT, 'BENCHMARKS.md')) || 'BENCHMARKS.md'}`);
  }
} finally {
  await cleanup();
}
process.exit(0);
