/**
 * One `npm start` tried as a new user would, checked from outside:
 *   start → wait for "Gerbang is up" → a token from another terminal (another DATA_DIR, so it can
 *   only come from the running gateway) → MyTickets with it → FindAgency anonymously → /health/ready and /health →
 *   Ctrl-C → exit code 0 and every port released.
 * `scripts/start-loop.ts` runs it many times; the end-to-end test of `npm start` runs it in a
 * network namespace of its own. Run alone it prints its report as JSON:
 *   npx tsx scripts/start-probe.ts [--data-dir DIR] [--port 4000] [--timeout 240]
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { COMPONENTS } from './topology';

const root = resolve(import.meta.dirname, '..');

export interface ProbeReport {
  /** With `kill`: seconds from the kill until the gateway's /health answered 200 again. */
  restartSeconds?: number;
  /** "Gerbang is up" was printed. */
  up: boolean;
  /** Seconds from the start to "Gerbang is up". */
  upSeconds?: number;
  /** Every check after "up" passed, and the stop was clean. */
  ok: boolean;
  /** What failed, in a line. */
  failure?: string;
  exitCode: number | null;
  /** The last lines `npm start` printed. */
  tail: string;
}

export interface ProbeOptions {
  dataDir: string;
  port?: number;
  timeoutSeconds?: number;
  /** Extra environment for `npm start` (e.g. a fault to inject). */
  env?: Record<string, string>;
  /**
   * Once up, kill -9 this process of npm start's (`gateway`, `subgraphs`, a simulator's name) and
   * expect npm start to start it again: the checks below then run on the restarted process.
   */
  kill?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

const listening = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });

async function graphql(endpoint: string, query: string, variables: Record<string, unknown>, token?: string) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  // The answers of the two operations the probe sends (MyTickets, FindAgency).
  type Data = { me?: { name: string; tickets: unknown[] } | null; agencies?: { id: string }[] | null } | null;
  return { status: res.status, body: (await res.json()) as { data?: Data; errors?: { message: string; extensions?: { code?: string } }[] } };
}

/** A new DATA_DIR, open like a checkout's folder (mkdtemp makes it 0700, which as root would move the database's files elsewhere). */
export function freshDataDir(): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'gerbang-start-'));
  chmodSync(dir, 0o755);
  return dir;
}

export async function probeStart(options: ProbeOptions): Promise<ProbeReport> {
  const port = options.port ?? 4000;
  const endpoint = `http://127.0.0.1:${port}/graphql`;
  const t0 = Date.now();
  const { PORT: _p, HOST: _h, DATABASE_URL: _d, REDIS_URL: _r, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/start.ts')], {
    cwd: root,
    env: { ...env, DATA_DIR: options.dataDir, PORT: String(port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let upAt: number | undefined;
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    output += c;
    if (upAt === undefined && output.includes('Gerbang is up')) upAt = Date.now();
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  let restartSecondsSeen: number | undefined; // with `kill`
  const report = (r: Omit<ProbeReport, 'tail' | 'exitCode' | 'up' | 'upSeconds' | 'restartSeconds'>): ProbeReport => ({
    ...(restartSecondsSeen !== undefined ? { restartSeconds: restartSecondsSeen } : {}),
    up: upAt !== undefined,
    ...(upAt !== undefined ? { upSeconds: Math.round((upAt - t0) / 100) / 10 } : {}),
    exitCode: exitCode ?? null,
    tail: output
      .split('\n')
      .filter((l) => l.trim())
      .slice(-25)
      .join('\n'),
    ...r,
  });
  const kill = async () => {
    if (exitCode === undefined) {
      child.kill('SIGINT');
      await Promise.race([exited, sleep(30_000)]);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the exit callback sets it during the await; TypeScript keeps the narrowing from above
      if (exitCode === undefined) child.kill('SIGKILL');
      await exited;
    }
  };

  const deadline = t0 + (options.timeoutSeconds ?? 240) * 1000;
  while (upAt === undefined && exitCode === undefined && Date.now() < deadline) await sleep(100);
  if (upAt === undefined) {
    await kill();
    return report({ ok: false, failure: exitCode === undefined ? `not up within ${options.timeoutSeconds ?? 240}s` : `npm start exited with code ${exitCode} before it was up` });
  }

  if (options.kill) {
    const script = options.kill === 'subgraphs' ? 'scripts/subgraph-host.ts' : COMPONENTS.find((c) => c.name === options.kill)?.main;
    const pid = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)
      .map(Number)
      .find((p) => {
        try {
          return !!script && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(script);
        } catch {
          return false;
        }
      });
    if (!pid) {
      await kill();
      return report({ ok: false, failure: `no process of npm start runs ${options.kill}` });
    }
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    await sleep(300);
    while (Date.now() - killedAt < 60_000) {
      const h = await fetch(endpoint.replace('/graphql', '/health'), { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
      if (h?.status === 200) break;
      await sleep(200);
    }
    restartSecondsSeen = Math.round((Date.now() - killedAt) / 100) / 10;
  }

  try {
    // A token minted in another terminal, whose DATA_DIR is not the gateway's.
    const elsewhere = mkdtempSync(join(os.tmpdir(), 'gerbang-token-'));
    const token = await run(process.execPath, ['--import', 'tsx', join(root, 'scripts/token.ts'), 'warga.siti'], { ...env, PORT: String(port), DATA_DIR: elsewhere });
    rmSync(elsewhere, { recursive: true, force: true });
    if (token.code !== 0) throw new Error(`npm run token failed: ${token.stderr.trim()}`);
    const mine = await graphql(endpoint, 'query MyTickets { me { id name tickets(first: 20) { id status agency { id name } canRate } } }', {}, token.stdout.trim());
    if (mine.body.data?.me?.name !== 'Siti Rahayu' || !(mine.body.data.me.tickets.length > 0))
      throw new Error(`MyTickets with that token answered ${mine.status} ${JSON.stringify(mine.body).slice(0, 300)}`);
    const found = await graphql(endpoint, 'query FindAgency($q: String!) { agencies(search: $q, first: 5) { id name } }', { q: 'pendudukan sipil' });
    if (found.body.data?.agencies?.[0]?.id !== 'dispendukcapil') throw new Error(`FindAgency answered ${found.status} ${JSON.stringify(found.body).slice(0, 300)}`);
    // The portal at / (its built files, served by the gateway).
    const portal = await fetch(endpoint.replace('/graphql', '/'), { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(5_000) });
    const page = await portal.text();
    if (portal.status !== 200 || !page.includes('<div id="root">')) throw new Error(`the portal at / answered ${portal.status} ${page.slice(0, 200)}`);
    // Readiness (what load balancers use) and the clients' /health (every subgraph reachable).
    for (const path of ['/health/ready', '/health']) {
      const health = await fetch(endpoint.replace('/graphql', path), { signal: AbortSignal.timeout(5_000) });
      if (health.status !== 200) throw new Error(`${path} answered ${health.status}`);
    }
  } catch (err) {
    await kill();
    return report({ ok: false, failure: (err as Error).message });
  }

  await kill();
  if (exitCode !== 0) return report({ ok: false, failure: `stopping with Ctrl-C exited with code ${exitCode}` });
  const ports = [port, ...COMPONENTS.filter((c) => c.kind !== 'gateway').flatMap((c) => [c.port, ...(c.extraPorts ?? [])])];
  const held = [];
  for (const p of ports) if (await listening(p)) held.push(p);
  if (held.length) return report({ ok: false, failure: `ports still listening after the stop: ${held.join(', ')}` });
  return report({ ok: true });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, timeout: { type: 'string' }, keep: { type: 'boolean' }, kill: { type: 'string' } } });
  const fresh = !values['data-dir'];
  const dataDir = values['data-dir'] ?? freshDataDir();
  const r = await probeStart({ dataDir, port: Number(values.port ?? 4000), timeoutSeconds: Number(values.timeout ?? 240), ...(values.kill ? { kill: values.kill } : {}) });
  if (fresh && !values.keep) rmSync(dataDir, { recursive: true, force: true });
  console.log(JSON.stringify(r));
  process.exit(r.ok ? 0 : 1);
}
