import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { binaries, EmbeddedPostgresError, startEmbeddedPostgres } from '../src';
import { hydrateSymlinks, locate } from '../src/binaries';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'gerbang-ep-test-'));
// Open like a checkout's folder (mkdtemp makes it 0700): one test below closes a folder on purpose.
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function query<T = Record<string, unknown>>(url: string, sql: string, values?: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

async function refuses(port: number): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: 'x', connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('embedded PostgreSQL', () => {
  it('is real PostgreSQL 17 with pg_trgm, password authentication and roles that are enforced; a throwaway cluster is removed on close', async () => {
    const db = await startEmbeddedPostgres();
    try {
      const [v] = await query<{ server_version_num: string; fsync: string }>(db.url, "select current_setting('server_version_num') as server_version_num, current_setting('fsync') as fsync");
      expect(Number(v!.server_version_num)).toBeGreaterThanOrEqual(170000);
      expect(v!.fsync).toBe('off'); // throwaway: speed over durability
      await query(db.url, 'create extension if not exists pg_trgm');
      const [sim] = await query<{ s: number }>(db.url, "select similarity('dukcapil', 'dispendukcapil') as s");
      expect(sim!.s).toBeGreaterThan(0.3);

      // A wrong password is refused: authentication is on, not trust.
      const wrong = new URL(db.url);
      wrong.password = 'not-the-password';
      await expect(query(wrong.toString(), 'select 1')).rejects.toMatchObject({ code: '28P01' });

      // A read-only role really cannot write.
      await query(db.url, "create table t (x int); create role reader login password 'reader-pw'; grant select on t to reader");
      const reader = new URL(db.url);
      reader.username = 'reader';
      reader.password = 'reader-pw';
      expect(await query(reader.toString(), 'select count(*)::int as n from t')).toEqual([{ n: 0 }]);
      await expect(query(reader.toString(), 'insert into t values (1)')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await db.close();
    }
    expect(existsSync(db.dir)).toBe(false);
    expect(await refuses(db.port)).toBe(true);
  });

  it('keeps a cluster between runs: its data, its password, its database', async () => {
    const dir = path.join(scratch, 'kept');
    const first = await startEmbeddedPostgres({ dir, database: 'gerbang' });
    await query(first.url, "create table kept (note text); insert into kept values ('Trenggalek')");
    await first.close();
    expect(existsSync(path.join(dir, 'data', 'PG_VERSION'))).toBe(true);

    const second = await startEmbeddedPostgres({ dir, database: 'gerbang' });
    try {
      expect(new URL(second.url).password).toBe(new URL(first.url).password);
      expect(await query(second.url, 'select note from kept')).toEqual([{ note: 'Trenggalek' }]);
      expect(await query(second.url, "select current_setting('fsync') as f")).toEqual([{ f: 'on' }]);
    } finally {
      await second.close();
    }
    expect(existsSync(dir)).toBe(true);
  });

  it('keeps the data where PostgreSQL can reach it when the folder is behind a closed parent (as root: PostgreSQL runs as its own user)', async () => {
    const closed = path.join(scratch, 'closed');
    mkdirSync(closed, { mode: 0o700 });
    chmodSync(closed, 0o700);
    const dir = path.join(closed, 'cluster');
    const db = await startEmbeddedPostgres({ dir });
    const relocated = existsSync(path.join(dir, 'data-location')) ? readFileSync(path.join(dir, 'data-location'), 'utf8').trim() : undefined;
    try {
      expect(await query(db.url, 'select 1 as one')).toEqual([{ one: 1 }]);
      const [where] = await query<{ data_directory: string }>(db.url, 'show data_directory');
      if (process.getuid?.() === 0) {
        // The user "postgres" cannot enter a root-only folder: the data lives where it can, and the folder says where.
        expect(where!.data_directory).toBe(path.join(relocated!, 'data'));
        expect(relocated!.startsWith(closed)).toBe(false);
      } else {
        expect(where!.data_directory).toBe(path.join(dir, 'data'));
        expect(relocated).toBeUndefined();
      }
      expect(existsSync(path.join(dir, 'superuser-password'))).toBe(true);
    } finally {
      await db.close();
      if (relocated) rmSync(relocated, { recursive: true, force: true });
    }
  });

  it('stops the server when the process that started it is killed, and the folder starts again at once', async () => {
    const dir = path.join(scratch, 'orphan');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'hold.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const started = await new Promise<{ url: string; port: number }>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
      });
      child.once('exit', (code) => reject(new Error(`hold.ts exited with ${code}`)));
    });
    expect(await query(started.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    child.kill('SIGKILL');
    expect(await until(() => refuses(started.port), 15_000)).toBe(true);

    const again = await startEmbeddedPostgres({ dir, lockWaitMs: 15_000 });
    try {
      expect(await query(again.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await again.close();
    }
  }, 40_000);

  it('names a server still running on the same folder instead of starting a second one', async () => {
    const dir = path.join(scratch, 'shared');
    const first = await startEmbeddedPostgres({ dir });
    try {
      const second = startEmbeddedPostgres({ dir, lockWaitMs: 300 });
      await expect(second).rejects.toBeInstanceOf(EmbeddedPostgresError);
      await expect(second).rejects.toThrow(/already running on .*same DATA_DIR/);
      expect(await query(first.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await first.close();
    }
  });

  it('says so when a fixed port is taken', async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      await expect(startEmbeddedPostgres({ port })).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port}: the port is in use`));
    } finally {
      taken.close();
    }
  });

  it('initialises again a folder whose first initialisation never finished', async () => {
    const dir = path.join(scratch, 'half');
    mkdirSync(path.join(dir, 'data'), { recursive: true });
    writeFileSync(path.join(dir, 'data', 'PG_VERSION'), '17\n'); // initdb killed half way: no marker
    const db = await startEmbeddedPostgres({ dir });
    try {
      expect(await query(db.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('recreates the library links that an install without install scripts leaves out', () => {
    const copy = path.join(scratch, 'native');
    cpSync(binaries().root, copy, { recursive: true, verbatimSymlinks: true });
    const links = readdirSync(path.join(copy, 'lib')).filter((f) => lstatSync(path.join(copy, 'lib', f)).isSymbolicLink());
    if (process.platform === 'linux') expect(links.length).toBeGreaterThan(0);
    for (const f of links) unlinkSync(path.join(copy, 'lib', f));
    // What `npm ci --ignore-scripts` gives: postgres cannot load its libraries.
    const broken = spawnSync(path.join(copy, 'bin', 'postgres'), ['--version'], { encoding: 'utf8' });
    if (process.platform === 'linux') expect(broken.status).not.toBe(0);
    expect(hydrateSymlinks(copy)).toBe(true);
    const fixed = spawnSync(path.join(copy, 'bin', 'postgres'), ['--version'], { encoding: 'utf8' });
    expect(fixed.stdout).toMatch(/PostgreSQL\) 17\./);
  });

  it('names DATABASE_URL when this platform has no binaries', () => {
    expect(() => locate('aix-ppc64')).toThrow(EmbeddedPostgresError);
    expect(() => locate('aix-ppc64')).toThrow(/No embedded PostgreSQL for this platform \(aix-ppc64\).*DATABASE_URL=postgresql:\/\//);
  });
});
