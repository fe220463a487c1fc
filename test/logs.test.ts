import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * What a process writes at the default level, read from a real process as `npm start` runs it
 * (node --import tsx <main>): one JSON format with the level as a label, start-up lines, warnings
 * and errors; nothing for routine periodic work.
 */
const root = resolve(import.meta.dirname, '..');
const LABELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Line {
  level: string;
  msg: string;
  service: string;
  [key: string]: unknown;
}
interface Output {
  lines: Line[];
  /** Lines that are not JSON, from stdout or stderr. */
  stray: string[];
}

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });

/** Runs a main.ts until `ready` holds (or it exits), stops it with SIGTERM as npm start does, returns what it wrote. */
async function run(main: string, env: Record<string, string>, ready: (out: Output) => boolean | Promise<boolean>): Promise<Output> {
  // Not the test runner's environment: under VITEST the logger defaults to silent.
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, main)], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? root, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Output = { lines: [], stray: [] };
  const collect = (buffer: { rest: string }) => (chunk: Buffer) => {
    const text = buffer.rest + chunk.toString('utf8');
    const parts = text.split('\n');
    buffer.rest = parts.pop()!;
    for (const part of parts.filter((p) => p.trim())) {
      try {
        out.lines.push(JSON.parse(part) as Line);
      } catch {
        out.stray.push(part);
      }
    }
  };
  child.stdout.on('data', collect({ rest: '' }));
  child.stderr.on('data', collect({ rest: '' }));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const deadline = Date.now() + 30_000;
  while (child.exitCode === null && Date.now() < deadline && !(await ready(out))) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGTERM');
  await exited;
  return out;
}

const expectOneFormat = (out: Output) => {
  expect(out.stray).toEqual([]);
  for (const line of out.lines) {
    expect(LABELS, JSON.stringify(line)).toContain(line.level);
    expect(line).toMatchObject({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), service: expect.any(String), msg: expect.any(String) });
  }
};

describe('logs at the default level', () => {
  const dtks = async (env: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'gerbang-logs-'));
    dirs.push(dir);
    const batches = () => readdirSync(dir).filter((f) => f.endsWith('.csv')).length;
    // The start-up batch and three periodic ones.
    const out = await run('simulators/dtks-drop/src/main.ts', { DTKS_DROP_DIR: dir, DTKS_DROP_INTERVAL_MS: '150', PORT: '0', ...env }, () => batches() >= 4);
    expect(batches()).toBeGreaterThanOrEqual(4);
    return out;
  };

  it('the drop-folder simulator: start-up lines only, in the one format; its batch every interval is a debug line', async () => {
    const quiet = await dtks({});
    expectOneFormat(quiet);
    expect(quiet.lines.map((l) => [l.level, l.service, l.msg])).toEqual([
      ['info', 'sim-dtks-drop', 'dtks-drop batch written'],
      ['info', 'sim-dtks-drop', 'dtks-drop control plane listening'],
    ]);
    const verbose = await dtks({ LOG_LEVEL: 'debug' });
    expectOneFormat(verbose);
    const periodic = verbose.lines.filter((l) => l.msg === 'dtks-drop batch written' && typeof l.revision === 'number');
    expect(periodic.length).toBeGreaterThanOrEqual(3);
    expect(new Set(periodic.map((l) => l.level))).toEqual(new Set(['debug']));
  });

  it('a simulator on development credentials: a warning in the one format, still shown at the level npm start uses (warn)', async () => {
    const port = String(await freePort());
    const listening = async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/__sim/health`)).ok;
      } catch {
        return false;
      }
    };
    const atDefault = await run('simulators/bkpsdm/src/main.ts', { PORT: port, SIM_LATENCY_MS: '0' }, listening);
    expectOneFormat(atDefault);
    expect(atDefault.lines.map((l) => [l.level, l.service, l.msg])).toEqual([
      ['warn', 'sim-bkpsdm', 'BKPSDM credentials not set; using the development client "gerbang-dev"'],
      ['info', 'sim-bkpsdm', 'bkpsdm simulator listening'],
    ]);
    const underStart = await run('simulators/bkpsdm/src/main.ts', { PORT: port, SIM_LATENCY_MS: '0', LOG_LEVEL: 'warn' }, listening);
    expectOneFormat(underStart);
    expect(underStart.lines.map((l) => l.level)).toEqual(['warn']);
  });

  it('a subgraph (Apollo Server inside): its start-up lines only (and the drain on SIGTERM), in the same format as the simulators', async () => {
    // Every subgraph now keeps an access log, so run alone without DATABASE_URL it starts a
    // PostgreSQL server of its own (in a throwaway DATA_DIR here) and says so; no ticket feed polling
    // a ledger that is not there. Nothing but start-up lines at the default level.
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'gerbang-logs-'));
    chmodSync(dataDir, 0o755); // run as root, the server runs as "postgres", which must reach it
    dirs.push(dataDir);
    const out = await run('subgraphs/health/src/main.ts', { PORT: String(port), DATA_DIR: dataDir, CLINIC_URL: 'http://127.0.0.1:9/', TICKET_SYNC_INTERVAL_MS: '0' }, (o) =>
      o.lines.some((l) => l.msg === 'health subgraph listening'),
    );
    expectOneFormat(out);
    expect(out.lines.every((l) => l.level === 'info' && l.service === 'health')).toBe(true);
    // run() stops it with SIGTERM: the one line that says it drains comes last.
    const messages = out.lines.map((l) => l.msg);
    expect(messages.at(-1)).toBe('shutting down: draining requests in flight');
    messages.pop();
    expect(messages.at(-1)).toBe('health subgraph listening');
    const startUp = [/^initialising PostgreSQL [\d.]+ in /, /^DATABASE_URL not set: using an embedded PostgreSQL server$/, /^access log migrated$/];
    expect(messages.slice(0, -1).filter((m) => !startUp.some((re) => re.test(m)))).toEqual([]);
    expect(messages).toContain('DATABASE_URL not set: using an embedded PostgreSQL server');
  });
});
