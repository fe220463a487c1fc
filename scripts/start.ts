/**
 * npm start: the whole system on one machine with nothing installed but Node.
 * - PostgreSQL: DATABASE_URL, else an embedded PostgreSQL server (real PostgreSQL 17) kept in
 *   DATA_DIR/postgres;
 * - every agency-system simulator, every subgraph and the gateway as child processes, each
 *   logging to DATA_DIR/logs/<process>.log as well as to this terminal;
 * - the demo data seeded once per database;
 * - "Gerbang is up" only once every component is ready (its topology `health` path: /health/ready
 *   of the gateway and each subgraph, /__sim/health of a simulator); a component that fails is
 *   named, with the last lines of its own log, and everything stops (exit code 1);
 * - Ctrl-C stops them all, the database last.
 * PORT and HOST move the gateway (default 127.0.0.1:4000); the other components keep their ports.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { connect } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@gerbang/embedded-postgres';
import { shutdownDrainMs } from '../packages/common/src/config';
import { DEV_AUDIENCE, DEV_ISSUER, loadDevIdp } from '../gateway/src/dev-idp';
import { ensurePortalBuilt } from './portal';
import { seedDemoOnce } from './seed-demo';
import { COMPONENTS, expandEnv, topologyValue, type Component } from './topology';

const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(root, process.env.DATA_DIR ?? '.data');
const logDir = join(dataDir, 'logs');
const t0 = Date.now();
const READY_TIMEOUT_MS = Number(process.env.START_READY_TIMEOUT_MS ?? 120_000);

interface Running {
  name: string;
  script: string;
  env: Record<string, string>;
  child: ChildProcess;
  /** When it crashed lately (for the backoff and the crash-loop limit). */
  crashes: number[];
  logFile: string;
  log: WriteStream;
  /** The end of its output, kept here to quote on failure without waiting for the file. */
  tail: string;
}
const TAIL_BYTES = 16 * 1024;
const running = new Map<string, Running>();
let embedded: EmbeddedPostgres | undefined;
let stopping = false;

const say = (msg: string) => console.log(`[start +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const shown = (file: string) => {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
};

/** The gateway's address: PORT and HOST, as every process of the system reads them. */
function gatewayAddress(): { port: number; host: string; local: string } {
  const raw = process.env.PORT ?? '4000';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65_535) {
    console.error(`[start] PORT must be a port number (1-65535), not "${raw}".`);
    process.exit(2);
  }
  const host = process.env.HOST ?? '127.0.0.1';
  // A wildcard address listens everywhere; this machine reaches it at loopback.
  const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return { port, host, local };
}
const gateway = gatewayAddress();
const portOf = (c: Component) => (c.kind === 'gateway' ? gateway.port : c.port);
const hostOf = (c: Component) => (c.kind === 'gateway' ? gateway.host : '127.0.0.1');
const readyUrl = (c: Component) => `http://${c.kind === 'gateway' ? gateway.local : '127.0.0.1'}:${portOf(c)}${c.health}`;
/** The process that runs a component: the subgraphs share one host process. */
const processOf = (c: Component) => (c.kind === 'subgraph' ? 'subgraphs' : c.name);

function lastLines(text: string, n = 20): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.length
    ? lines
        .slice(-n)
        .map((l) => `    ${l}`)
        .join('\n')
    : '    (nothing logged)';
}

/** Stops with exit code 1, naming what failed and quoting the last lines of its own log. */
async function fail(component: string, reason: string, processName = component): Promise<never> {
  if (stopping) return stop(1);
  console.error(`[start] ${component} failed: ${reason}`);
  const r = running.get(processName);
  if (r) console.error(`[start] last lines of ${processName === component ? 'its' : `${processName}'s`} log (${shown(r.logFile)}):\n${lastLines(r.tail)}`);
  return stop(1);
}

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (code === 0) say('stopping…');
    // In order: the gateway stops taking requests, then the subgraphs, then the agency systems
    // they call; the database last.
    const stages = [['gateway'], ['subgraphs'], [...running.keys()].filter((n) => n !== 'gateway' && n !== 'subgraphs')];
    for (const stage of stages) {
      await Promise.all(
        stage.map((name) => {
          const child = running.get(name)?.child;
          return new Promise<void>((done) => {
            if (child?.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            // Each drains for up to SHUTDOWN_DRAIN_MS (requests in flight), then closes its pools.
            setTimeout(() => child.kill('SIGKILL'), shutdownDrainMs().parse(process.env.SHUTDOWN_DRAIN_MS || undefined) + 5_000).unref();
          });
        }),
      );
    }
    // Last: the subgraphs and the gateway close their pools first.
    await embedded?.close().catch((err: unknown) => console.error(`[start] stopping PostgreSQL: ${err instanceof Error ? err.message : String(err)}`));
    for (const r of running.values()) r.log.end();
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/**
 * Who listens on a port, where the machine can tell (Linux with iproute2's `ss`): "pid 1234: node
 * …/scripts/subgraph-host.ts". Best effort; empty when unknown.
 */
function holderOf(port: number): string {
  const ss = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const output: { stdout: string | null } = ss; // null when ss could not be started (Node's types say string)
  const pid = /pid=(\d+)/.exec(output.stdout ?? '')?.[1];
  if (!pid) return '';
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return ` by pid ${pid}: ${cmd.length > 120 ? `${cmd.slice(0, 117)}…` : cmd}`;
  } catch {
    return ` by pid ${pid}`;
  }
}

/**
 * Every port the system listens on, checked before anything starts: one taken port names itself.
 * Checked by connecting, not by binding: a check that bound each port for a moment could take it
 * from another copy starting at the same time.
 */
async function checkPorts(): Promise<void> {
  const wanted = COMPONENTS.flatMap((c) => [{ c, port: portOf(c), host: hostOf(c) }, ...(c.extraPorts ?? []).map((port) => ({ c, port, host: '127.0.0.1' }))]);
  const clash = wanted.find((w, i) => wanted.findIndex((o) => o.port === w.port) !== i);
  if (clash) {
    const first = wanted.find((o) => o.port === clash.port)!;
    console.error(`[start] PORT=${gateway.port} is also the port of ${first.c.name === 'gateway' ? clash.c.name : first.c.name}: choose another PORT for the gateway.`);
    process.exit(2);
  }
  const taken: string[] = [];
  await Promise.all(
    wanted.map(
      ({ c, port, host }) =>
        new Promise<void>((done) => {
          // A wildcard address is reached at loopback.
          const socket = connect({ port, host: host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, timeout: 2_000 });
          const inUse = () => {
            socket.destroy();
            taken.push(`${host}:${port} (${c.name}): in use${holderOf(port)}`);
            done();
          };
          socket.once('connect', inUse);
          socket.once('timeout', inUse);
          socket.once('error', () => done());
        }),
    ),
  );
  if (taken.length) {
    console.error(
      `[start] cannot start: ${taken.length === 1 ? 'a port is' : 'ports are'} not available:\n${taken.map((t) => `  ${t}`).join('\n')}\n` +
        '[start] Is another Gerbang (npm start) running? Stop it, give the gateway another PORT, or run this copy in a network namespace of its own (see README: Running two copies).',
    );
    process.exit(1);
  }
}

function envOf(component: Component, databaseUrl: string): Record<string, string> {
  const env: Record<string, string> = {
    ...Object.fromEntries(Object.entries(component.env).map(([k, v]) => [k, process.env[k] ?? expandEnv(v, { dataDir, databaseUrl, lookup: topologyValue })])),
    PORT: String(portOf(component)),
    HOST: hostOf(component),
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  if (component.usesDatabase) env.DATABASE_URL = databaseUrl;
  return env;
}

function spawnChild(name: string, script: string, env: Record<string, string>, previous?: Running): void {
  // PORT and HOST are the gateway's; every process gets its own in `env`.
  const { PORT: _port, HOST: _host, ...inherited } = process.env;
  const logFile = join(logDir, `${name}.log`);
  // A restarted process appends: the lines before its crash are the interesting ones.
  const log = previous?.log ?? createWriteStream(logFile, { flags: 'w' });
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', join(root, 'scripts/exit-with-parent.ts'), join(root, script)], {
    cwd: root,
    env: { ...inherited, ...env },
    // A process group of its own (Ctrl-C reaches npm start alone, which stops everything in
    // order), and an IPC channel whose end tells the child that npm start is gone.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  const entry: Running = { name, script, env, child, crashes: previous?.crashes ?? [], logFile, log, tail: previous?.tail ?? '' };
  const output = (to: NodeJS.WriteStream) => (chunk: Buffer) => {
    log.write(chunk);
    to.write(chunk);
    entry.tail = (entry.tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout!.on('data', output(process.stdout));
  child.stderr!.on('data', output(process.stderr));
  running.set(name, entry);
  // 'close': after the exit and the last of its output.
  child.once('close', (code, signal) => {
    if (stopping) return;
    // A Ctrl-C reaches the children too; give our own handler the moment to mark the stop.
    setTimeout(() => {
      if (stopping) return;
      const how = signal ?? `code ${code}`;
      if (!ready) return void fail(name, `exited (${how}) while starting`);
      void restartChild(entry, how);
    }, 150);
  });
}
let ready = false;

const CRASH_WINDOW_MS = 60_000;
const CRASH_LIMIT = 5;

/**
 * After "up", a process that dies is started again, after 0.5 s, then 1, 2, 4… up to 10 s if it
 * keeps dying; the rest of the system keeps serving meanwhile (the gateway answers
 * UPSTREAM_UNAVAILABLE for what the dead process served). Five crashes in a minute is a crash
 * loop: everything stops, naming it, exit code 1.
 */
/** The embedded PostgreSQL, supervised like the other processes (same port, same folder). */
const databaseCrashes: number[] = [];
async function restartDatabase(code: number | null): Promise<void> {
  if (stopping || !embedded) return;
  const log = shown(embedded.logFile);
  if (!ready) return void fail('PostgreSQL', `exited (code ${code}) while starting; see ${log}`);
  const now = Date.now();
  databaseCrashes.splice(0, databaseCrashes.length, ...databaseCrashes.filter((t) => now - t < CRASH_WINDOW_MS), now);
  if (databaseCrashes.length >= CRASH_LIMIT) return void fail('PostgreSQL', `exited ${databaseCrashes.length} times within a minute; see ${log}`);
  console.error(`[start] PostgreSQL exited (code ${code}); starting it again`);
  const t = Date.now();
  try {
    await embedded.restart();
    say(`PostgreSQL is back (${((Date.now() - t) / 1000).toFixed(1)}s)`);
  } catch (err) {
    void fail('PostgreSQL', `could not be started again: ${(err as Error).message}`);
  }
}

async function restartChild(entry: Running, how: string): Promise<void> {
  const now = Date.now();
  entry.crashes = [...entry.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
  if (entry.crashes.length >= CRASH_LIMIT) return void fail(entry.name, `exited (${how}) ${entry.crashes.length} times within a minute; not restarting it again`);
  const delay = Math.min(10_000, 500 * 2 ** (entry.crashes.length - 1));
  console.error(`[start] ${entry.name} exited (${how}); starting it again in ${delay / 1000}s`);
  await new Promise((r) => setTimeout(r, delay));
  if (stopping) return;
  const t = Date.now();
  spawnChild(entry.name, entry.script, entry.env, entry);
  const components = COMPONENTS.filter((c) => processOf(c) === entry.name);
  try {
    await Promise.all(components.map((c) => waitFor(c)));
    say(`${entry.name} is back (${((Date.now() - t) / 1000).toFixed(1)}s after its restart)`);
  } catch {
    /* stopping, or it failed again: its own exit handler reports */
  }
}

async function waitFor(component: Component): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const url = readyUrl(component);
  while (Date.now() < deadline) {
    if (stopping) throw new Error('stopping');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return fail(component.name, `not ready at ${url} within ${READY_TIMEOUT_MS / 1000}s`, processOf(component));
}

async function main() {
  await checkPorts();
  // The portal's static files, rebuilt when missing or older than web/'s sources (never served stale).
  if (ensurePortalBuilt()) say('built the portal (web/dist)');
  mkdirSync(logDir, { recursive: true });
  if (existsSync(join(dataDir, 'pg'))) say(`note: ${shown(join(dataDir, 'pg'))} holds the PGlite database of an earlier version and is no longer used; delete it.`);

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    try {
      embedded = await startEmbeddedPostgres({
        dir: join(dataDir, 'postgres'),
        database: 'gerbang',
        port: Number(process.env.EMBEDDED_PG_PORT ?? 0),
        onNote: (m) => say(m),
      });
    } catch (err) {
      console.error(`[start] PostgreSQL failed: ${(err as Error).message}`);
      return stop(1);
    }
    databaseUrl = embedded.url;
    embedded.onExit((code) => void restartDatabase(code));
    say(`PostgreSQL ${embedded.version} (embedded) in ${shown(embedded.dir)} on 127.0.0.1:${embedded.port}, log ${shown(embedded.logFile)}`);
  } else {
    say('using PostgreSQL from DATABASE_URL');
  }

  // Everything starts at once: no process needs another at boot (ticket feeds retry, the gateway
  // reads the supergraph file). Simulators and the gateway run as processes of their own; the
  // subgraphs share one host process (scripts/subgraph-host.ts), so their libraries load once.
  const subgraphs = COMPONENTS.filter((c) => c.kind === 'subgraph');
  for (const c of COMPONENTS.filter((c) => c.kind !== 'subgraph')) spawnChild(c.name, c.main, envOf(c, databaseUrl));
  spawnChild('subgraphs', 'scripts/subgraph-host.ts', {
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    GERBANG_HOSTED: JSON.stringify(subgraphs.map((c) => ({ name: c.name, main: c.main, env: envOf(c, databaseUrl) }))),
  });
  say(`starting ${COMPONENTS.length} components (logs in ${shown(logDir)}/)`);
  await Promise.all(COMPONENTS.map((c) => waitFor(c)));
  ready = true;
  say(`ready: ${COMPONENTS.map((c) => c.name).join(', ')}`);

  const endpoint = `http://${gateway.local}:${gateway.port}/graphql`;
  // Loaded only when a seed is due, as before.
  let idp: Awaited<ReturnType<typeof loadDevIdp>> | undefined;
  const token = async (login: string) => (idp ??= await loadDevIdp({ dataDir, issuer: process.env.JWT_ISSUER ?? DEV_ISSUER, audience: process.env.JWT_AUDIENCE ?? DEV_AUDIENCE })).issue(login);
  await seedDemoOnce({ endpoint, dataDir, databaseUrl, token, say });
  if (stopping) return;

  const portEnv = gateway.port === 4000 ? '' : `PORT=${gateway.port} `;
  say(`Gerbang is up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  console.log(`
  Portal             ${endpoint.replace('/graphql', '/')}   (sign in as warga.siti, hr.bkpsdm, admin …)
  GraphQL endpoint   ${endpoint}   (opened in a browser: the GraphiQL explorer)
  Health             ${endpoint.replace('/graphql', '/health/status')}   (each subgraph and agency system)
  A token            ${portEnv}npm run -s token -- warga.siti      (also: warga.budi, petugas.dukcapil, petugas.dpmptsp, petugas.bpkpd, hr.bkpsdm, analis, admin)
  Try it             curl -s ${endpoint} -H 'content-type: application/json' \\
                       -H "authorization: Bearer $(${portEnv}npm run -s token -- warga.siti)" \\
                       -d '{"query":"{ me { name tickets(first: 5) { id status agency { name } canRate } } }"}'
  Logs               ${shown(logDir)}/
  Stop               Ctrl-C
`);
}

main().catch((err: unknown) => {
  if (stopping) return;
  void fail('start', err instanceof Error ? err.message : String(err));
});
