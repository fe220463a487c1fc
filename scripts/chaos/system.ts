/**
 * The system under test for `npm run chaos`: `npm start` (scripts/start.ts) in a fresh DATA_DIR,
 * its processes found by their parent, its database reached directly for the final count.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { COMPONENTS } from '../topology';

const root = resolve(import.meta.dirname, '../..');

export interface System {
  dataDir: string;
  databaseUrl: string;
  embedded: boolean;
  gateway: string;
  /** The pid of the process that runs `name` (a component or `subgraphs`), now. */
  pidOf(name: string): number | undefined;
  /** The embedded PostgreSQL's postmaster, now. */
  postmasterPid(): number | undefined;
  /** Everything `npm start` printed, for the record. */
  output(): string;
  stop(): Promise<number | null>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolvePort(port));
    });
  });
}

/** The script each process runs, to recognise it among `npm start`'s children. */
const scriptOf = (name: string) => (name === 'subgraphs' ? 'scripts/subgraph-host.ts' : COMPONENTS.find((c) => c.name === name)?.main);

export async function startSystem(dataDir: string, log: (m: string) => void): Promise<System> {
  const pgPort = process.env.DATABASE_URL ? undefined : await freePort();
  const { PORT: _p, HOST: _h, ...env } = process.env;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/start.ts')], {
    cwd: root,
    env: { ...env, DATA_DIR: dataDir, ...(pgPort ? { EMBEDDED_PG_PORT: String(pgPort) } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  let code: number | null | undefined;
  void exited.then((c) => (code = c));
  const deadline = Date.now() + 240_000;
  while (!out.includes('Gerbang is up') && code === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (!out.includes('Gerbang is up')) {
    child.kill('SIGINT');
    throw new Error(`npm start did not come up:\n${out.split('\n').slice(-30).join('\n')}`);
  }
  log('the system is up');

  const pgDir = join(dataDir, 'postgres');
  const databaseUrl = process.env.DATABASE_URL ?? `postgresql://postgres:${encodeURIComponent(readFileSync(join(pgDir, 'superuser-password'), 'utf8').trim())}@127.0.0.1:${pgPort}/gerbang`;

  const pidOf = (name: string) => {
    const script = scriptOf(name);
    if (!script) throw new Error(`no process called ${name}`);
    const children = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)
      .map(Number);
    return children.find((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(script);
      } catch {
        return false;
      }
    });
  };
  const postmasterPid = () => {
    const location = join(pgDir, 'data-location');
    const data = existsSync(location) ? join(readFileSync(location, 'utf8').trim(), 'data') : join(pgDir, 'data');
    try {
      return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return undefined;
    }
  };

  return {
    dataDir,
    databaseUrl,
    embedded: !process.env.DATABASE_URL,
    gateway: 'http://127.0.0.1:4000/graphql',
    pidOf,
    postmasterPid,
    output: () => out,
    async stop() {
      if (code === undefined) child.kill('SIGINT');
      return Promise.race([exited, new Promise<null>((r) => setTimeout(() => (child.kill('SIGKILL'), r(null)), 40_000))]);
    },
  };
}
