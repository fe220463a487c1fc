/**
 * npm run bench:start [-- --runs 7] [--idle-ms 5000] [--no-build] [--write]
 *
 * Start time and idle memory of the gateway as the image ran it before (`node --import tsx
 * gateway/src/main.ts`: TypeScript compiled at run time, every dependency from node_modules) and
 * as it runs it now (`node dist/gateway.js`, the esbuild bundle of `npm run build`), side by side
 * in one run: the variants take turns, run after run, so the machine's load falls on each alike.
 * A third variant adds --enable-source-maps (stack traces mapped back to the TypeScript sources).
 *
 * The gateway runs with a production configuration (NODE_ENV=production, JWKS URL, secrets,
 * DATABASE_URL of an embedded PostgreSQL started once beforehand), as a container runs it.
 * - start: from spawning node to the gateway's "gateway listening" line (it has read its
 *   configuration, loaded the supergraph, migrated the access log and listens);
 * - CPU: the user + system CPU time the process used by then (less disturbed by other load);
 * - idle RSS: resident memory after --idle-ms of idling once it listens.
 * --write puts the table into BENCHMARKS.md between its markers.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres } from '@gerbang/embedded-postgres';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RUNS = opt('--runs', 7);
const IDLE_MS = opt('--idle-ms', 5_000);
const CLOCK_TICK_MS = 1000 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);

interface Variant {
  name: string;
  argv: string[];
}
const VARIANTS: Variant[] = [
  { name: 'before: node --import tsx gateway/src/main.ts', argv: ['--import', 'tsx', 'gateway/src/main.ts'] },
  { name: 'after: node dist/gateway.js', argv: ['dist/gateway.js'] },
  { name: 'after, with --enable-source-maps', argv: ['--enable-source-maps', 'dist/gateway.js'] },
];

interface Sample {
  startMs: number;
  cpuMs: number;
  rssMiB: number;
}

/** user + system CPU of a process so far, from /proc/<pid>/stat (fields 14 and 15, in clock ticks). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
}
const rssMiBOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function once(variant: Variant, env: Record<string, string>): Promise<Sample> {
  const t0 = performance.now();
  const child = spawn(process.execPath, variant.argv, { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  try {
    const startMs = await new Promise<number>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`${variant.name}: not listening within 60 s:\n${out}`)), 60_000);
      const onData = (c: Buffer) => {
        out += c.toString();
        if (out.includes('"msg":"gateway listening"')) {
          clearTimeout(timer);
          done(performance.now() - t0);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`${variant.name} exited (${code}):\n${out}`));
      });
    });
    const cpuMs = cpuMsOf(child.pid!);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { startMs, cpuMs, rssMiB: rssMiBOf(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (xs: number[], digits = 0) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

function duMiB(path: string): number {
  return Number(spawnSync('du', ['-sk', path], { encoding: 'utf8' }).stdout.split('\t')[0]) / 1024;
}

async function main() {
  if (!args.includes('--no-build') || !existsSync(join(root, 'dist/gateway.js'))) {
    if (spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
  }
  const work = mkdtempSync(join(tmpdir(), 'gerbang-bench-start-'));
  const pg = await startEmbeddedPostgres();
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: work,
    DATABASE_URL: pg.url,
    INTERNAL_SIGNING_SECRET: randomBytes(24).toString('hex'),
    METRICS_TOKEN: randomBytes(24).toString('hex'),
    JWT_ISSUER: 'https://idp.bench.invalid',
    JWT_AUDIENCE: 'gerbang',
    // Fetched on the first token, never at start.
    JWT_JWKS_URL: 'https://idp.bench.invalid/jwks.json',
  };
  const started = Date.now();
  const samples = new Map<string, Sample[]>(VARIANTS.map((v) => [v.name, []]));
  try {
    // A first start of each, not counted: the access log's tables get made, the disk cache warms.
    for (const v of VARIANTS) await once(v, env);
    for (let run = 1; run <= RUNS; run++) {
      for (const v of VARIANTS) {
        const s = await once(v, env);
        samples.get(v.name)!.push(s);
        console.log(`[bench:start] run ${run}/${RUNS} ${v.name}: listening after ${s.startMs.toFixed(0)} ms, ${s.cpuMs.toFixed(0)} ms CPU, idle RSS ${s.rssMiB.toFixed(1)} MiB`);
      }
    }
  } finally {
    await pg.close();
    rmSync(work, { recursive: true, force: true });
  }

  const base = samples.get(VARIANTS[0]!.name)!;
  const rows = VARIANTS.map((v) => {
    const s = samples.get(v.name)!;
    const ratio = (pick: (x: Sample) => number) => `${(median(s.map(pick)) / median(base.map(pick))).toFixed(2)}×`;
    return `| ${v.name} | ${fmt(s.map((x) => x.startMs))} | ${ratio((x) => x.startMs)} | ${fmt(s.map((x) => x.cpuMs))} | ${fmt(
      s.map((x) => x.rssMiB),
      1,
    )} | ${ratio((x) => x.rssMiB)} |`;
  });
  const jsMiB = Number(spawnSync('sh', ['-c', `cat ${join(root, 'dist')}/*.js | wc -c`], { encoding: 'utf8' }).stdout.trim()) / 1024 / 1024;
  const section = [
    '<!-- gateway-start:start -->',
    '## Gateway start and idle memory: tsx before, compiled after (issue 11)',
    '',
    `Latest run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`npm run bench:start -- --runs ${RUNS}\` (${Math.round((Date.now() - started) / 1000)} s).`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, load average ${loadavg()[0]!.toFixed(1)} at the end (the machine is shared). Node ${process.version}.`,
    '',
    'The gateway with a production configuration (NODE_ENV=production, JWKS URL, secrets, the access log on an embedded PostgreSQL',
    'started beforehand), as a container runs it. The variants take turns, run after run; one uncounted start of each first.',
    `"start": spawn → the "gateway listening" line (configuration read, supergraph loaded, access log migrated, listening); "CPU": user + system CPU`,
    `time of the process by then; "idle RSS": resident memory ${IDLE_MS / 1000} s after it listens. Median (min–max) of ${RUNS} runs.`,
    '',
    '| gateway | start ms | start vs before | CPU ms to start | idle RSS MiB | RSS vs before |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `What the runtime image carries: dist/ is ${duMiB(join(root, 'dist')).toFixed(0)} MiB (${jsMiB.toFixed(1)} MiB of JavaScript for all 18 entry points, the rest source maps,`,
    `the explorer's files and the WSDL); the image before carried the repository with every dependency, node_modules alone ${duMiB(join(root, 'node_modules')).toFixed(0)} MiB.`,
    '<!-- gateway-start:end -->',
  ].join('\n');
  console.log(`\n${section}\n`);
  if (args.includes('--write')) {
    const file = join(root, 'BENCHMARKS.md');
    const md = readFileSync(file, 'utf8');
    const re = /<!-- gateway-start:start -->[\s\S]*?<!-- gateway-start:end -->/;
    writeFileSync(file, re.test(md) ? md.replace(re, section) : md.replace('<!-- gateway-bench:start -->', `${section}\n\n<!-- gateway-bench:start -->`));
    console.log('[bench:start] BENCHMARKS.md updated');
  }
}

await main();
