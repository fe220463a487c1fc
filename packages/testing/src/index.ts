import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { createLogger, createOrm, migrate, signRequest, type Caller, type Logger, type OrmOptions, type TicketFeedBatch } from '@gerbang/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@gerbang/embedded-postgres';

export const TEST_INTERNAL_SECRET = 'test-internal-signing-secret-0123456789';

/** The run's database URL (see global-setup.ts). */
export const testDatabaseUrl = (): string => inject('databaseUrl');

/** The Redis of the `redis` test project (vitest.config.ts runs it only when REDIS_URL is set). */
export const testRedisUrl = (): string => {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: the *.redis.test.ts suites need a Redis server (npm test runs them only when REDIS_URL is set)');
  return url;
};

/** A schema name no other test file uses, so files can run in parallel against one database. */
/**
 * A binding that `beforeAll` assigns, as `afterAll` may find it: still unset when the setup failed
 * before assigning it (`let gw: TestGateway` is typed as always set). `await ifStarted(gw)?.close()`.
 */
export const ifStarted = <T>(value: T): T | undefined => value;

export const uniqueSchema = (prefix: string) => `${prefix}_t${randomBytes(4).toString('hex')}`;

/** A migrated ORM on a fresh schema; `drop()` removes the schema and closes. */
export async function testOrm(options: Omit<OrmOptions, 'url' | 'schema'> & { schemaPrefix: string }): Promise<{ orm: MikroORM; schema: string; drop(): Promise<void> }> {
  const schema = uniqueSchema(options.schemaPrefix);
  const orm = await createOrm({ ...options, url: testDatabaseUrl(), schema, poolMax: options.poolMax ?? 3 });
  await migrate(orm);
  return {
    orm,
    schema,
    async drop() {
      await orm.em.getConnection().execute(`drop schema if exists "${schema}" cascade`);
      await orm.close(true);
    },
  };
}

export interface CallSubgraphOptions {
  /** The subgraph's name: calls are signed for it (the audience), as the gateway signs them. */
  audience: string;
  variables?: Record<string, unknown>;
  caller?: Caller;
  secret?: string;
  unsigned?: boolean;
}

export type SubgraphResponse<T = any> = { status: number; body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] } };

/** Sends a GraphQL operation to a subgraph as the gateway would: signed for it, with a caller. */
export async function callSubgraph<T = any>(url: string, query: string, options: CallSubgraphOptions): Promise<SubgraphResponse<T>> {
  const body = JSON.stringify({ query, variables: options.variables ?? {} });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!options.unsigned) Object.assign(headers, signRequest(options.secret ?? TEST_INTERNAL_SECRET, body, options.caller ?? { roles: [] }, options.audience));
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as never };
}

/** `callSubgraph` for one subgraph: a test file of the `population` subgraph binds `subgraphCaller('population')` once. */
export const subgraphCaller =
  (audience: string) =>
  <T = any>(url: string, query: string, options: Omit<CallSubgraphOptions, 'audience'> & { audience?: string } = {}): Promise<SubgraphResponse<T>> =>
    callSubgraph<T>(url, query, { audience, ...options });

export const DEMO = {
  siti: { sub: 'usr-warga-siti', roles: ['citizen'], name: 'Siti Rahayu', nik: '3503115708900001' } as Caller,
  budi: { sub: 'usr-warga-budi', roles: ['citizen'], name: 'Budi Santoso', nik: '3503120203850002' } as Caller,
  petugasDukcapil: { sub: 'usr-petugas-dukcapil', roles: ['officer'], name: 'Agus Prasetyo', nip: '198703152010011002', agencyId: 'dispendukcapil' } as Caller,
  hr: { sub: 'usr-hr-bkpsdm', roles: ['hr', 'officer'], name: 'Sri Wahyuni', nip: '198205102006042001', agencyId: 'bkpsdm' } as Caller,
  analyst: { sub: 'usr-analis', roles: ['analyst'], name: 'Dewi Lestari' } as Caller,
  admin: { sub: 'usr-admin', roles: ['admin'], name: 'Admin Gerbang' } as Caller,
};

/**
 * A stand-in for the ratings subgraph's ticket ledger: records every feed batch an agency
 * subgraph publishes, so its tests can check what reached the ledger without running ratings.
 */
export class FakeLedger {
  readonly published: TicketFeedBatch[] = [];
  private readonly server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      this.published.push(JSON.parse(body) as TicketFeedBatch);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":1}');
    });
  });

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  /** The `ticketFeed` option of an agency subgraph pointing here (polling off: tests call syncNow). */
  feed(): { ledgerUrl: string; key: string; intervalMs: number } {
    return { ledgerUrl: `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`, key: 'feed-key-for-tests-0001', intervalMs: 0 };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface LogLine {
  level: string;
  msg?: string;
  [key: string]: unknown;
}

/**
 * A logger in the processes' own format whose lines a test reads back: `lines` holds every line
 * at `level` or above, `at('error')` those of one level (e.g. "nothing was logged as an error").
 */
export function memoryLogger(name: string, level = 'info'): { logger: Logger; lines: LogLine[]; at(level: string): LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger(name, level, {
    write(chunk: string) {
      for (const line of chunk.split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
    },
  });
  return { logger, lines, at: (l) => lines.filter((line) => line.level === l) };
}

/**
 * A PostgreSQL server of its own that a test can stop and start again (same folder, same port,
 * same URL): for what a subgraph does while its database is down, and after it is back.
 */
export async function restartableDatabase(): Promise<{ url: string; stop(): Promise<void>; start(): Promise<void>; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'gerbang-outage-pg-'));
  let server: EmbeddedPostgres | undefined = await startEmbeddedPostgres({ dir });
  const { url, port } = server;
  return {
    url,
    async stop() {
      await server?.close();
      server = undefined;
    },
    async start() {
      server ??= await startEmbeddedPostgres({ dir, port });
    },
    async close() {
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
