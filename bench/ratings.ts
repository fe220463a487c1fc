/**
 * Ratings benchmark (issue 3, point 8): `npm run bench:ratings [-- options]`.
 *
 *   1. tppReport for one agency with 300 officers and 100,000 ratings in the month: live, then
 *      finalised (the stored snapshot), through the ratings subgraph's HTTP server, signed as HR;
 *   2. satisfaction(year, month) (and the whole year, as AgencyPage asks) over 1,000,000 ratings,
 *      with EXPLAIN (ANALYZE, BUFFERS) of the aggregate statements;
 *   3. sustained rateService through the gateway with deliberate retries, verified in SQL.
 *
 * Runs against a real PostgreSQL (DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test),
 * in a fresh schema migrated by the subgraph's own migrations and dropped at the end. Prints the
 * figures and the command, and writes them to BENCHMARKS.md between the ratings markers.
 *
 * Options: --quick (small data, short run: a smoke run in under a minute; writes nothing unless
 * --write), --embedded (a throwaway embedded PostgreSQL server with fsync off; figures are then not comparable), --only
 * reports|throughput|load (load only: with --keep, to look at the data), --ratings N, --tpp-ratings N,
 * --officers N, --runs N, --cold N,
 * --connections N, --duration S, --warmup S, --retry-share F, --tickets N (per target), --pool N,
 * --target gateway|subgraph|gateway,subgraph,
 * --topology split|single, --profile, --log-level L, --quiet-wait S, --write / --no-write, --keep,
 * --target subgraph,gateway,gateway-kill (the last: kill -9 of the subgraphs process mid-run), --kill-at S,
 * --group-commit N (ratings per statement; 1 turns group commit off, to compare).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createOrm, migrate } from '@gerbang/common';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@gerbang/embedded-postgres';
import type { MikroORM } from '@mikro-orm/postgresql';
import { migrations } from '../subgraphs/ratings/src/server';
import { updateBenchmarksMd } from './ratings/benchmarks-md';
import { loadDataset, planDataset, vacuumAnalyze, type DatasetPlan } from './ratings/dataset';
import { describeMachine, waitQuiet, type Machine } from './ratings/machine';
import { benchReports, type ReportsResult } from './ratings/reports';
import { benchThroughput, type Target, type ThroughputResult, type Topology } from './ratings/throughput';

const DEFAULT_URL = 'postgresql://postgres@127.0.0.1:5432/test';
const AIM_REPORT_MS = 200;
const AIM_RATINGS_PER_SEC = 1000;
const root = resolve(import.meta.dirname, '..');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    embedded: { type: 'boolean', default: false },
    only: { type: 'string' },
    ratings: { type: 'string' },
    'tpp-ratings': { type: 'string' },
    officers: { type: 'string' },
    runs: { type: 'string' },
    cold: { type: 'string' },
    connections: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    'retry-share': { type: 'string' },
    tickets: { type: 'string' },
    pool: { type: 'string' },
    topology: { type: 'string' },
    target: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'log-level': { type: 'string' },
    write: { type: 'boolean' },
    'no-write': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'quiet-wait': { type: 'string' },
    'kill-at': { type: 'string' },
    'group-commit': { type: 'string' },
  },
  strict: true,
});

const quick = args.quick;
const num = (v: string | undefined, fallback: number) => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${v}`);
  return n;
};
const settings = {
  totalRatings: num(args.ratings, quick ? 50_000 : 1_000_000),
  tppRatings: num(args['tpp-ratings'], quick ? 5_000 : 100_000),
  officers: num(args.officers, 300),
  runs: num(args.runs, quick ? 10 : 20),
  warmup: 3,
  coldRuns: num(args.cold, quick ? 1 : 5),
  connections: num(args.connections, 50),
  durationSec: num(args.duration, quick ? 4 : 20),
  warmupSec: num(args.warmup, quick ? 2 : 3),
  retryShare: num(args['retry-share'], 0.1),
  poolMax: num(args.pool, 5),
  topology: (args.topology ?? 'split') as Topology,
  logLevel: args['log-level'] ?? 'warn',
  quietWaitSec: num(args['quiet-wait'], quick ? 0 : 300),
};
const tickets = num(args.tickets, Math.ceil(2500 * (settings.durationSec + settings.warmupSec)));
const isTarget = (t: string): t is Target => t === 'gateway' || t === 'subgraph' || t === 'gateway-kill';
const targetArgs = (args.target ?? 'subgraph,gateway,gateway-kill').split(',').map((t) => t.trim());
if (!targetArgs.every(isTarget)) throw new Error('--target is a list of gateway, subgraph, gateway-kill');
const targets: Target[] = targetArgs;
const killAtSec = num(args['kill-at'], Math.max(1, Math.round(settings.durationSec / 3)));
const only = new Set((args.only ?? 'reports,throughput').split(',').map((s) => s.trim()));
const write = args['no-write'] ? false : (args.write ?? !quick);
if (!['single', 'split'].includes(settings.topology)) throw new Error('--topology is split or single');

const t0 = Date.now();
const log = (msg: string) => console.log(`[bench +${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);

/** The command line that reproduces this run (DATABASE_URL without its password). */
function reproduceCommand(): string {
  const url = process.env.DATABASE_URL;
  let env = '';
  if (url) {
    const u = new URL(url);
    if (u.password) u.password = '***';
    env = `DATABASE_URL=${u.toString()} `;
  }
  const passed = process.argv.slice(2);
  return `${env}npm run bench:ratings${passed.length ? ` -- ${passed.join(' ')}` : ''}`;
}

async function serverInfo(orm: MikroORM) {
  const conn = orm.em.fork().getConnection();
  const [v] = await conn.execute<{ version: string; short: string }[]>(`select version() as version, current_setting('server_version') as short`, [], 'all');
  const settingsRows = await conn.execute<
    {
      name: string;
      setting: string;
      unit: string | null;
    }[]
  >(`select name, setting, unit from pg_settings where name in ('shared_buffers', 'synchronous_commit', 'max_connections', 'work_mem', 'jit')`, [], 'all');
  const fmt = (r: { name: string; setting: string; unit: string | null }) =>
    r.unit === '8kB' ? `${r.name}=${(Number(r.setting) * 8) / 1024} MB` : r.unit === 'kB' ? `${r.name}=${Number(r.setting) / 1024} MB` : `${r.name}=${r.setting}`;
  return { version: v!.version, short: v!.short, settings: settingsRows.map(fmt).join(', ') };
}

const fmtMs = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v < 10 ? v.toFixed(1) : v.toFixed(0));

function renderReports(r: ReportsResult): string[] {
  const lines = ['| measurement | result of one call | warm p50 | warm p95 | cold: first call of a freshly started server, p50 / max | aim < 200 ms |', '|---|---|---:|---:|---:|:---:|'];
  for (const t of r.timings) {
    const meets = t.warm.p95 < AIM_REPORT_MS && (!t.cold || t.cold.p50 < AIM_REPORT_MS);
    lines.push(`| ${t.label} | ${t.note} | ${fmtMs(t.warm.p50)} ms | ${fmtMs(t.warm.p95)} ms | ${t.cold ? `${fmtMs(t.cold.p50)} / ${fmtMs(t.cold.max)} ms` : '–'} | ${meets ? 'yes' : '**no**'} |`);
  }
  return lines;
}

function renderThroughput(t: ThroughputResult): string[] {
  const lines = [
    '| sent to | ratings/s (new, measured window) | requests/s (with retries) | p50 | p95 | p99 | max | errors | connections × duration | aim ≥ 1,000/s |',
    '|---|---:|---:|---:|---:|---:|---:|---|---|:---:|',
  ];
  for (const r of t.targets) {
    const errors =
      Object.entries(r.errors)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none';
    const where =
      r.target === 'gateway'
        ? '**gateway** (bearer token)'
        : r.target === 'gateway-kill'
          ? `gateway, with kill -9 of the subgraphs process at ${r.kill?.atSec.toFixed(0) ?? '?'} s (back after ${r.kill?.downSec.toFixed(1) ?? '?'} s; clients retry)`
          : 'ratings subgraph directly (signed as the gateway signs)';
    lines.push(
      `| ${where} | **${Math.round(r.ratingsPerSec).toLocaleString('en')}** | ${Math.round(r.requestsPerSec).toLocaleString('en')} | ${fmtMs(r.latency.p50)} ms | ${fmtMs(r.latency.p95)} ms | ${fmtMs(r.latency.p99)} ms | ${fmtMs(r.latency.max)} ms | ${errors} | ${r.connections} × ${r.durationSec.toFixed(0)} s | ${r.target === 'gateway' ? (r.ratingsPerSec >= AIM_RATINGS_PER_SEC ? 'yes' : '**no**') : '–'} |`,
    );
  }
  return lines;
}

function render(ctx: {
  machine: Machine;
  pg: { version: string; settings: string };
  plan: DatasetPlan;
  loaded?: { tickets: number; ratings: number; seconds: number };
  busy: Record<string, number>;
  reports?: ReportsResult;
  throughput?: ThroughputResult;
  command: string;
}): string {
  const { machine, plan } = ctx;
  const out: string[] = [];
  out.push('## Ratings benchmarks', '');
  out.push(`Measured by \`bench/ratings.ts\` on ${new Date().toISOString().slice(0, 10)}${quick ? ' (**--quick smoke run: small data, not the recorded figures**)' : ''}. Reproduce with:`, '');
  out.push('```sh', ctx.command, '```', '');
  out.push(
    `- **Machine:** ${machine.cpus} CPUs (nproc), ${machine.cpuModel}, ${machine.memory} RAM, ${machine.os}; Node ${machine.node}; ${ctx.pg.version}` +
      ` on the same machine (${ctx.pg.settings}). Load generator, stack and PostgreSQL share the ${machine.cpus} cores.`,
  );
  if (ctx.loaded) {
    out.push(
      `- **Data:** ${ctx.loaded.ratings.toLocaleString('en')} ratings and ${ctx.loaded.tickets.toLocaleString('en')} completed tickets over ${plan.agencies.length} agencies × 12 months ` +
        `(${plan.months[0]} … ${plan.months.at(-1)}), bulk-loaded in ${ctx.loaded.seconds.toFixed(0)} s with SQL into a fresh schema made by the subgraph's migrations, then VACUUM ANALYZE. ` +
        `TPP cell: ${plan.tppAgency} ${plan.tppMonth}, ${plan.tppRatings.toLocaleString('en')} ratings over ${plan.officersPerTppAgency} officers (generated NIPs, MemoryStaffDirectory). ` +
        '60 % of ratings answer the SKM, ~2 % are flagged or rejected.',
    );
  }
  const busy = Object.entries(ctx.busy).map(([label, pct]) => `${pct.toFixed(0)} % before ${label}`);
  if (busy.length) out.push(`- **Other work on the machine** (CPU busy while the benchmark idled, /proc/stat): ${busy.join(', ')}.`);
  out.push('');
  // The verdict on the issue's aims, from the figures below.
  if (ctx.reports || ctx.throughput) out.push('**Aims (issue 3, point 8):**', '');
  if (ctx.reports) {
    const worstWarm = ctx.reports.timings.reduce((a, t) => (t.warm.p95 > a.warm.p95 ? t : a));
    const colds = ctx.reports.timings.filter((t) => t.cold);
    const worstCold = colds.reduce((a, t) => (t.cold!.max > a.cold!.max ? t : a), colds[0]!);
    const met = ctx.reports.timings.every((t) => t.warm.p95 < AIM_REPORT_MS);
    out.push(
      `- each report under ${AIM_REPORT_MS} ms: **${met ? 'met' : 'not met'}**: slowest warm p95 ${fmtMs(worstWarm.warm.p95)} ms (${worstWarm.label}); ` +
        `slowest first call of a freshly started server ${fmtMs(worstCold.cold?.max)} ms (${worstCold.label}).`,
    );
  }
  if (ctx.throughput) {
    const gw = ctx.throughput.targets.find((r) => r.target === 'gateway');
    const sub = ctx.throughput.targets.find((r) => r.target === 'subgraph');
    const total = (r: { cpuPerRating: Record<string, number> }) => Object.values(r.cpuPerRating).reduce((a, b) => a + b, 0);
    if (gw) {
      out.push(
        `- at least ${AIM_RATINGS_PER_SEC.toLocaleString('en')} ratings/s through the gateway: **${gw.ratingsPerSec >= AIM_RATINGS_PER_SEC ? 'met' : 'not met'}**: ${Math.round(gw.ratingsPerSec)}/s` +
          `${sub ? ` (${Math.round(sub.ratingsPerSec)}/s straight to the ratings subgraph)` : ''}. One rating through the gateway costs ${total(gw).toFixed(1)} ms of CPU in all, ` +
          `${(gw.cpuPerRating.gateway ?? 0).toFixed(1)} ms of it in the gateway process: ${ctx.machine.cpus} cores cannot do more than ~${Math.round((ctx.machine.cpus * 1000) / total(gw))}/s at that cost` +
          `${sub ? `, and the subgraph and PostgreSQL alone (${total(sub).toFixed(1)} ms with the load generator) not more than ~${Math.round((ctx.machine.cpus * 1000) / total(sub))}/s` : ''}.`,
      );
    }
  }
  out.push('');
  if (ctx.reports) {
    out.push('### Reports (ratings subgraph over HTTP, signed as the gateway signs; HR caller for TPP)', '');
    out.push(...renderReports(ctx.reports), '');
    for (const c of ctx.reports.checks) out.push(`- ${c}`);
    out.push('');
    for (const e of ctx.reports.explains) {
      out.push(`<details><summary>EXPLAIN (ANALYZE, BUFFERS): ${e.label} — ${e.executionMs.toFixed(1)} ms, indexes: ${e.indexes.join(', ') || 'none'}</summary>`, '');
      out.push('```sql', e.sql, '```', '```', e.plan, '```', '</details>', '');
    }
  }
  if (ctx.throughput) {
    const t = ctx.throughput;
    out.push(
      `### rateService (contract operation RateService; ${t.topology === 'split' ? 'gateway process + subgraph process, as npm start runs them' : 'gateway and subgraphs in one process'}; DB_POOL_MAX=${t.poolMax}; autocannon)`,
      '',
      `${t.publish.tickets.toLocaleString('en')} completed tickets of ${t.publish.citizens.toLocaleString('en')} generated citizens published through the signed ticket feed (${t.publish.seconds.toFixed(0)} s); one dev-IdP token per citizen.`,
      '',
    );
    out.push(...renderThroughput(t), '');
    out.push(
      'Latency is per request (retries included). At these rates most officers of the six publishing agencies get eight or more ratings within ten minutes, ' +
        "so the anomaly rules flag nearly every rating as a BURST: the write then also stores flags and re-flags the officer's recent ratings, " +
        'in the same statement. Through the gateway every request also comes from one public address (X-Forwarded-For 203.0.113.10, TRUST_PROXY on: ' +
        "a carrier's shared address), so the address rule (IP_SPREAD) fires on every rating too. That heavier path is what is measured.",
      '',
    );
    out.push(
      `CPU time per rating stored in the measured window (from /proc; PostgreSQL = the backends serving the stack${args.embedded ? '; with --embedded, a throwaway server with fsync off' : ''}), and the rate the machine's cores could sustain at that cost:`,
      '',
    );
    out.push(`| sent to | ${Object.keys(t.targets[0]?.cpuPerRating ?? {}).join(' | ')} | total | ceiling on ${ctx.machine.cpus} cores |`);
    out.push(
      '|---|' +
        Object.keys(t.targets[0]?.cpuPerRating ?? {})
          .map(() => '---:|')
          .join('') +
        '---:|---:|',
    );
    for (const r of t.targets) {
      // The killed process's CPU is gone with it: no per-rating figure for that run.
      if (r.target === 'gateway-kill') continue;
      const total = Object.values(r.cpuPerRating).reduce((a, b) => a + b, 0);
      out.push(
        `| ${r.target} | ${Object.values(r.cpuPerRating)
          .map((v) => `${v.toFixed(2)} ms`)
          .join(' | ')} | ${total.toFixed(2)} ms | ~${Math.round((ctx.machine.cpus * 1000) / total).toLocaleString('en')}/s |`,
      );
    }
    out.push('');
    for (const r of t.targets) {
      out.push(`Verified in SQL after the ${r.target} run: **${r.ok ? 'nothing lost, nothing duplicated, every retry answered with the first rating' : 'FAILED'}**.`, '');
      for (const c of r.checks) out.push(`- ${c}`);
      out.push('');
    }
  }
  out.push('### History (before/after of performance work)', '', '{{history}}', '');
  return out.join('\n');
}

async function main() {
  let embedded: EmbeddedPostgres | undefined;
  let url: string;
  if (args.embedded) {
    embedded = await startEmbeddedPostgres({ maxConnections: 200 });
    url = embedded.url;
    log('a throwaway embedded PostgreSQL server (fsync off): figures are not comparable with a durable server');
  } else {
    url = process.env.DATABASE_URL ?? DEFAULT_URL;
  }
  const schema = `bench_ratings_${randomBytes(4).toString('hex')}`;
  const orm = await createOrm({ url, schema, migrations, poolMax: 4 });
  const schemas = [schema, `${schema}_directory`, `${schema}_audit`];
  let dropped = false;
  const drop = async () => {
    if (dropped || args.keep) return;
    dropped = true;
    for (const s of schemas)
      await orm.em
        .getConnection()
        .execute(`drop schema if exists "${s}" cascade`)
        .catch(() => undefined);
  };
  process.once('SIGINT', () => {
    log('interrupted: dropping the benchmark schemas');
    void drop().finally(() => process.exit(130));
  });
  try {
    const pg = await serverInfo(orm);
    const machine = describeMachine(pg.short);
    log(`PostgreSQL ${pg.short} at ${new URL(url).host}; Node ${machine.node}; ${machine.cpus} × ${machine.cpuModel}; ${machine.memory}`);
    log(`schema ${schema}: migrating with the ratings subgraph's migrations`);
    await migrate(orm);

    const plan = planDataset({ totalRatings: settings.totalRatings, tppRatings: settings.tppRatings, officers: settings.officers, now: new Date() });
    const loadStart = Date.now();
    log(`loading ${plan.totalRatings.toLocaleString('en')} ratings (${plan.cells.length} agency-months)…`);
    const counts = await loadDataset(orm, schema, plan);
    await vacuumAnalyze(orm, schema);
    const loaded = { ...counts, seconds: (Date.now() - loadStart) / 1000 };
    log(`loaded ${counts.ratings.toLocaleString('en')} ratings, ${counts.tickets.toLocaleString('en')} tickets in ${loaded.seconds.toFixed(1)} s`);

    const busy: Record<string, number> = {};
    const quiet = async (label: string) => {
      busy[label] = await waitQuiet({ threshold: 25, maxWaitSec: settings.quietWaitSec, log, label });
    };
    let reports: ReportsResult | undefined;
    if (only.has('reports')) {
      await quiet('the reports');
      reports = await benchReports({ url, schema, plan, runs: settings.runs, warmup: settings.warmup, coldRuns: settings.coldRuns, poolMax: settings.poolMax, log });
    }

    let throughput: ThroughputResult | undefined;
    let profileDir: string | undefined;
    if (only.has('throughput')) {
      await quiet('the throughput run');
      if (args.profile) {
        profileDir = resolve(root, 'bench', 'ratings', '.profiles', new Date().toISOString().replace(/[:.]/g, '-'));
        mkdirSync(profileDir, { recursive: true });
      }
      throughput = await benchThroughput(orm, {
        databaseUrl: url,
        schema,
        plan,
        connections: settings.connections,
        durationSec: settings.durationSec,
        warmupSec: settings.warmupSec,
        retryShare: settings.retryShare,
        killAtSec,
        ...(args['group-commit'] ? { groupCommitMax: num(args['group-commit'], 64) } : {}),
        tickets,
        ticketsPerCitizen: 3,
        poolMax: settings.poolMax,
        topology: settings.topology,
        targets,
        logLevel: settings.logLevel,
        ...(profileDir ? { profileDir } : {}),
        log,
      });
    }

    const command = reproduceCommand();
    const markdown = render({ machine, pg, plan, loaded, busy, ...(reports ? { reports } : {}), ...(throughput ? { throughput } : {}), command });
    console.log(`\n${markdown.replace('{{history}}', '(kept in BENCHMARKS.md)')}`);
    if (throughput?.profiles) console.log(`\nCPU profiles of the measured windows (${profileDir}):\n\n${throughput.profiles}\n`);
    console.log(`Reproduce: ${command}`);
    if (write) {
      updateBenchmarksMd(resolve(root, 'BENCHMARKS.md'), markdown);
      log('BENCHMARKS.md: ratings section updated');
    }
    if (throughput?.targets.some((t) => !t.ok)) process.exitCode = 1;
  } finally {
    await drop();
    await orm.close(true);
    await embedded?.close();
  }
  log(args.keep ? `done (schemas kept: ${schemas.join(', ')})` : 'done (benchmark schemas dropped)');
}

main().catch((err: unknown) => {
  console.error(`bench:ratings failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
