import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDataDir, type ProbeReport } from '../scripts/start-probe';
import { inOwnNetwork } from './support/netns';

/**
 * `npm start` as a new user meets it: the real script, the real processes, the embedded
 * PostgreSQL. Each whole start runs in a network namespace of its own (test/support/netns.ts),
 * so its fixed ports never meet a developer's own `npm start`, nor the machine's services.
 */
const root = resolve(import.meta.dirname, '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const dataDir = () => {
  const d = freshDataDir();
  dirs.push(d);
  return d;
};

function run(argv: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    // Nothing of the test run's own database or Redis: a bare machine.
    const { DATABASE_URL: _d, REDIS_URL: _r, PORT: _p, HOST: _h, ...inherited } = process.env;
    const child = spawn(argv[0]!, argv.slice(1), { cwd: root, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

/** scripts/start-probe.ts in a network namespace of its own (or here, where none can be made). */
async function probe(port: number, env: Record<string, string> = {}, kill?: string): Promise<ProbeReport> {
  const argv = [process.execPath, '--import', 'tsx', 'scripts/start-probe.ts', '--data-dir', dataDir(), '--port', String(port), '--timeout', '200', ...(kill ? ['--kill', kill] : [])];
  const out = await run(inOwnNetwork(argv) ?? argv, env);
  const line = out.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as ProbeReport;
  } catch {
    throw new Error(`start-probe printed no report (exit ${out.code}):\n${out.stdout}\n${out.stderr}`);
  }
}

describe('npm start', () => {
  it('refuses a port that is taken, names it, its component and its holder, and never says it is up', async () => {
    const dir = dataDir();
    // In a namespace of its own too: holding one of the system's fixed ports here would trouble a
    // developer's own `npm start`.
    const hold = `require('node:net').createServer().listen(4003, '127.0.0.1', () => require('node:child_process').spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { stdio: 'inherit' }).once('exit', (c) => process.exit(c)))`;
    const argv = [process.execPath, '-e', hold];
    const out = await run(inOwnNetwork(argv) ?? argv, { DATA_DIR: dir });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/127\.0\.0\.1:4003 \(ratings\): in use( by pid \d+: .*-e)?/);
    expect(out.stdout).not.toContain('is up');
    // Checked before anything started: no database was created.
    expect(existsSync(join(dir, 'postgres'))).toBe(false);
  });

  it("refuses a PORT that is another component's port", async () => {
    const out = await run([process.execPath, '--import', 'tsx', 'scripts/start.ts'], { DATA_DIR: dataDir(), PORT: '4003' });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('PORT=4003 is also the port of ratings');
  });

  it('comes up on the PORT it is given, serves a token minted in another terminal, and stops cleanly on Ctrl-C', async () => {
    const r = await probe(4400);
    expect(r.failure).toBeUndefined();
    expect(r).toMatchObject({ up: true, ok: true, exitCode: 0 });
    expect(r.tail).toContain('GraphQL endpoint   http://127.0.0.1:4400/graphql');
    // The probe also loaded the portal from / (scripts/start-probe.ts).
    expect(r.tail).toContain('Portal             http://127.0.0.1:4400/');
    expect(r.tail).toContain('PORT=4400 npm run -s token -- warga.siti');
  }, 240_000);

  it('starts a process killed with kill -9 again, and still stops cleanly (it used to hang with the database port open)', async () => {
    const r = await probe(4000, {}, 'subgraphs');
    expect(r.failure).toBeUndefined();
    expect(r).toMatchObject({ up: true, ok: true, exitCode: 0 });
    expect(r.restartSeconds).toBeLessThan(60);
    expect(r.tail).toMatch(/\[start\] subgraphs exited \(SIGKILL\); starting it again in 0\.5s/);
    expect(r.tail).toMatch(/subgraphs is back/);
  }, 240_000);

  it('names a component that fails to start, quotes the last lines of its own log, and never says it is up', async () => {
    const r = await probe(4000, { SUPERGRAPH_PATH: '/nonexistent/supergraph.graphql' });
    expect(r).toMatchObject({ up: false, ok: false, exitCode: 1 });
    expect(r.tail).toContain('[start] gateway failed: exited (code 1) while starting');
    expect(r.tail).toMatch(/last lines of its log \(.*gateway\.log\)/);
    expect(r.tail).toContain('/nonexistent/supergraph.graphql');
    expect(r.tail).not.toContain('is up');
  }, 240_000);
});
