/**
 * npm run start:loop -- [--runs 20] [--restart] [--beside-tests] [--port 4000]
 *
 * Tries `npm start` again and again as a new user would (scripts/start-probe.ts: fresh DATA_DIR,
 * up, a token from another terminal, queries, Ctrl-C, ports released) and prints a table.
 * --restart   also starts each run's DATA_DIR a second time (a restart on existing data)
 * --beside-tests   runs `npm test` over and over at the same time, as a busy machine would
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freshDataDir, probeStart, type ProbeReport } from './start-probe';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, restart: { type: 'boolean', default: false }, 'beside-tests': { type: 'boolean', default: false }, port: { type: 'string', default: '4000' } },
});
const runs = Number(values.runs);
const root = resolve(import.meta.dirname, '..');
const log = (m: string) => console.log(`[start-loop] ${m}`);

let tests: ChildProcess | undefined;
let testRuns = 0;
const testFailures: string[] = [];
let stopped = false;
function testsBeside(): void {
  const logFile = join(os.tmpdir(), `gerbang-start-loop-tests-${process.pid}-${testRuns + 1}.log`);
  const out = createWriteStream(logFile);
  tests = spawn('npm', ['test'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', NO_COLOR: '1' } });
  tests.stdout!.pipe(out);
  tests.stderr!.pipe(out);
  tests.once('close', (code, signal) => {
    if (signal) return; // stopped at the end of the loop, not finished
    testRuns++;
    if (code !== 0) {
      // Name what failed: vitest's "FAIL <project> <file> > <test>" lines.
      const failed = [
        ...new Set(
          readFileSync(logFile, 'utf8')
            .split('\n')
            .filter((l) => /^\s*FAIL\s/.test(l))
            .map((l) => l.trim()),
        ),
      ];
      testFailures.push(`run ${testRuns} (${logFile}): ${failed.join('; ') || `exit code ${code}`}`);
    } else {
      rmSync(logFile, { force: true });
    }
    if (!stopped) testsBeside();
  });
}
if (values['beside-tests']) testsBeside();

const rows: { run: number; kind: string; r: ProbeReport }[] = [];
for (let run = 1; run <= runs; run++) {
  const dataDir = freshDataDir();
  const kinds = values.restart ? ['fresh', 'restart'] : ['fresh'];
  for (const kind of kinds) {
    const r = await probeStart({ dataDir, port: Number(values.port) });
    rows.push({ run, kind, r });
    log(`run ${run} ${kind}: ${r.ok ? `ok, up in ${r.upSeconds}s` : `FAILED: ${r.failure}`}`);
    if (!r.ok) console.log(r.tail.replace(/^/gm, '    '));
  }
  rmSync(dataDir, { recursive: true, force: true });
}
stopped = true;
tests?.kill('SIGINT');

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : NaN;
};
console.log(`\n| start | ok | median s to "up" | p95 s | max s |\n|---|---|---|---|---|`);
for (const kind of values.restart ? ['fresh', 'restart'] : ['fresh']) {
  const of = rows.filter((x) => x.kind === kind);
  const ups = of.filter((x) => x.r.ok).map((x) => x.r.upSeconds!);
  console.log(`| ${kind} DATA_DIR | ${ups.length}/${of.length} | ${quantile(ups, 0.5)} | ${quantile(ups, 0.95)} | ${quantile(ups, 1)} |`);
}
if (values['beside-tests']) {
  console.log(`\nBeside it: ${testRuns} runs of npm test finished (${testFailures.length} failed).`);
  for (const f of testFailures) console.log(`  ${f}`);
}
console.log(
  `\n${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}; command: npm run start:loop -- --runs ${runs}${values.restart ? ' --restart' : ''}${values['beside-tests'] ? ' --beside-tests' : ''}`,
);
process.exit(rows.every((x) => x.r.ok) ? 0 : 1);
