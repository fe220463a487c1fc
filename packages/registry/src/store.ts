import { createHash } from 'node:crypto';
import pg from 'pg';

/** One published version of one subgraph. */
export interface SubgraphVersion {
  id: number;
  name: string;
  routingUrl: string;
  sdl: string;
  publisher: string;
  commit: string | null;
  publishedAt: Date;
}

/** One composed supergraph: the subgraph versions it was composed from, and its SDL. */
export interface SupergraphVersion {
  id: number;
  sdl: string;
  /** Subgraph name → subgraph version id. */
  subgraphs: Record<string, number>;
  createdAt: Date;
  createdBy: string;
  /** The earlier version this one restores (a rollback), else null. */
  restores: number | null;
}

export type LogAction = 'publish' | 'refuse' | 'force' | 'rollback' | 'seed';

export interface LogEntry {
  id: number;
  at: Date;
  action: LogAction;
  subgraph: string | null;
  actor: string;
  reason: string | null;
  supergraphVersion: number | null;
  report: unknown;
}

export interface ServedOperation {
  hash: string;
  client: string;
  operationName: string | null;
  document: string;
  count: number;
  lastSeen: Date;
}

export const NOTIFY_CHANNEL = 'gerbang_supergraph';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The registry's tables, in a PostgreSQL schema of their own (REGISTRY_SCHEMA, default `registry`).
 * Everything is append-only: a rollback is a new supergraph version that restores an earlier one,
 * and the log refuses UPDATE and DELETE (a trigger), as the access log does.
 */
export class RegistryStore {
  readonly pool: pg.Pool;
  readonly schema: string;

  constructor(readonly options: { url: string; schema?: string; poolMax?: number }) {
    this.schema = options.schema ?? 'registry';
    if (!IDENT.test(this.schema)) throw new Error(`registry schema "${this.schema}" must be a plain lower-case identifier`);
    this.pool = new pg.Pool({ connectionString: options.url, max: options.poolMax ?? 3, connectionTimeoutMillis: 5_000 });
    this.pool.on('error', () => {
      /* an idle client lost: the next query reconnects */
    });
  }

  static async open(options: { url: string; schema?: string; poolMax?: number }): Promise<RegistryStore> {
    const store = new RegistryStore(options);
    await store.migrate();
    return store;
  }

  private get s() {
    return `"${this.schema}"`;
  }

  async migrate(): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      // Replicas starting at once take turns.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`gerbang-registry-migrate:${this.schema}`]);
      await c.query(`
        CREATE SCHEMA IF NOT EXISTS ${this.s};
        CREATE TABLE IF NOT EXISTS ${this.s}.subgraph_version (
          id bigserial PRIMARY KEY,
          name text NOT NULL,
          routing_url text NOT NULL,
          sdl text NOT NULL,
          sdl_hash text NOT NULL,
          publisher text NOT NULL,
          commit text,
          published_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX IF NOT EXISTS subgraph_version_name ON ${this.s}.subgraph_version (name, id DESC);
        CREATE TABLE IF NOT EXISTS ${this.s}.supergraph_version (
          id bigserial PRIMARY KEY,
          sdl text NOT NULL,
          subgraphs jsonb NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          created_by text NOT NULL,
          restores bigint REFERENCES ${this.s}.supergraph_version (id)
        );
        CREATE TABLE IF NOT EXISTS ${this.s}.log (
          id bigserial PRIMARY KEY,
          at timestamptz NOT NULL DEFAULT now(),
          action text NOT NULL CHECK (action IN ('publish', 'refuse', 'force', 'rollback', 'seed')),
          subgraph text,
          actor text NOT NULL,
          reason text,
          supergraph_version bigint,
          report jsonb
        );
        CREATE OR REPLACE FUNCTION ${this.s}.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'the registry log is append-only'; END $$;
        DROP TRIGGER IF EXISTS log_append_only ON ${this.s}.log;
        CREATE TRIGGER log_append_only BEFORE UPDATE OR DELETE ON ${this.s}.log FOR EACH ROW EXECUTE FUNCTION ${this.s}.append_only();
        CREATE TABLE IF NOT EXISTS ${this.s}.served_operation (
          hash text NOT NULL,
          client text NOT NULL,
          operation_name text,
          document text NOT NULL,
          count bigint NOT NULL,
          first_seen timestamptz NOT NULL DEFAULT now(),
          last_seen timestamptz NOT NULL,
          PRIMARY KEY (hash, client)
        );
        CREATE INDEX IF NOT EXISTS served_operation_last_seen ON ${this.s}.served_operation (last_seen);
      `);
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async currentSupergraph(client: pg.PoolClient | pg.Pool = this.pool): Promise<SupergraphVersion | undefined> {
    const { rows } = await client.query<SupergraphRow>(`SELECT * FROM ${this.s}.supergraph_version ORDER BY id DESC LIMIT 1`);
    return rows[0] ? supergraphRow(rows[0]) : undefined;
  }

  async currentSupergraphId(): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ id: string | null }>(`SELECT max(id) AS id FROM ${this.s}.supergraph_version`);
    return rows[0]?.id == null ? undefined : Number(rows[0].id);
  }

  async supergraph(id: number, client: pg.PoolClient | pg.Pool = this.pool): Promise<SupergraphVersion | undefined> {
    const { rows } = await client.query<SupergraphRow>(`SELECT * FROM ${this.s}.supergraph_version WHERE id = $1`, [id]);
    return rows[0] ? supergraphRow(rows[0]) : undefined;
  }

  async supergraphs(limit = 50): Promise<Omit<SupergraphVersion, 'sdl'>[]> {
    const { rows } = await this.pool.query<SupergraphRow>(`SELECT id, subgraphs, created_at, created_by, restores, '' AS sdl FROM ${this.s}.supergraph_version ORDER BY id DESC LIMIT $1`, [limit]);
    return rows.map((r) => {
      const { sdl: _sdl, ...rest } = supergraphRow(r);
      return rest;
    });
  }

  async subgraphVersions(ids: number[], client: pg.PoolClient | pg.Pool = this.pool): Promise<SubgraphVersion[]> {
    if (!ids.length) return [];
    const { rows } = await client.query<SubgraphRow>(`SELECT * FROM ${this.s}.subgraph_version WHERE id = ANY($1::bigint[]) ORDER BY name`, [ids]);
    return rows.map(subgraphRow);
  }

  /** The subgraphs of the current supergraph. */
  async currentSubgraphs(client: pg.PoolClient | pg.Pool = this.pool): Promise<SubgraphVersion[]> {
    const current = await this.currentSupergraph(client);
    return current ? this.subgraphVersions(Object.values(current.subgraphs), client) : [];
  }

  async history(name: string, limit = 20): Promise<SubgraphVersion[]> {
    const { rows } = await this.pool.query<SubgraphRow>(`SELECT * FROM ${this.s}.subgraph_version WHERE name = $1 ORDER BY id DESC LIMIT $2`, [name, limit]);
    return rows.map(subgraphRow);
  }

  /**
   * Runs `fn` in a transaction holding the registry's publish lock: publishes, rollbacks and seeds
   * happen one at a time across every replica, each against the current state it read under the lock.
   */
  async exclusive<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`gerbang-registry-publish:${this.schema}`]);
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async insertSubgraph(c: pg.PoolClient, v: { name: string; routingUrl: string; sdl: string; publisher: string; commit?: string | undefined }): Promise<SubgraphVersion> {
    const { rows } = await c.query<SubgraphRow>(`INSERT INTO ${this.s}.subgraph_version (name, routing_url, sdl, sdl_hash, publisher, commit) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`, [
      v.name,
      v.routingUrl,
      v.sdl,
      sha256(v.sdl),
      v.publisher,
      v.commit ?? null,
    ]);
    return subgraphRow(rows[0]!);
  }

  /** A new supergraph version; every gateway listening is told (NOTIFY is delivered at commit). */
  async insertSupergraph(c: pg.PoolClient, v: { sdl: string; subgraphs: Record<string, number>; createdBy: string; restores?: number }): Promise<SupergraphVersion> {
    const { rows } = await c.query<SupergraphRow>(`INSERT INTO ${this.s}.supergraph_version (sdl, subgraphs, created_by, restores) VALUES ($1, $2, $3, $4) RETURNING *`, [
      v.sdl,
      JSON.stringify(v.subgraphs),
      v.createdBy,
      v.restores ?? null,
    ]);
    const row = supergraphRow(rows[0]!);
    await c.query('SELECT pg_notify($1, $2)', [this.channel, String(row.id)]);
    return row;
  }

  get channel(): string {
    return this.schema === 'registry' ? NOTIFY_CHANNEL : `${NOTIFY_CHANNEL}_${this.schema}`;
  }

  async log(
    c: pg.PoolClient | pg.Pool,
    e: { action: LogAction; subgraph?: string | undefined; actor: string; reason?: string | undefined; supergraphVersion?: number | undefined; report?: unknown },
  ): Promise<number> {
    const { rows } = await c.query<{ id: string }>(`INSERT INTO ${this.s}.log (action, subgraph, actor, reason, supergraph_version, report) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, [
      e.action,
      e.subgraph ?? null,
      e.actor,
      e.reason ?? null,
      e.supergraphVersion ?? null,
      e.report === undefined ? null : JSON.stringify(e.report),
    ]);
    return Number(rows[0]!.id);
  }

  async logEntries(options: { subgraph?: string; limit?: number } = {}): Promise<LogEntry[]> {
    const { rows } = await this.pool.query<LogRow>(`SELECT * FROM ${this.s}.log WHERE ($1::text IS NULL OR subgraph = $1) ORDER BY id DESC LIMIT $2`, [options.subgraph ?? null, options.limit ?? 50]);
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      action: r.action,
      subgraph: r.subgraph,
      actor: r.actor,
      reason: r.reason,
      supergraphVersion: r.supergraph_version == null ? null : Number(r.supergraph_version),
      report: r.report,
    }));
  }

  /** Adds counts of served operations (the gateway's recorder flushes its batch here). */
  async recordServed(batch: { hash: string; client: string; operationName: string | null; document: string; count: number; lastSeen: Date }[]): Promise<void> {
    if (!batch.length) return;
    await this.pool.query(
      `INSERT INTO ${this.s}.served_operation (hash, client, operation_name, document, count, last_seen)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[])
       ON CONFLICT (hash, client) DO UPDATE SET count = served_operation.count + EXCLUDED.count,
         last_seen = greatest(served_operation.last_seen, EXCLUDED.last_seen), operation_name = EXCLUDED.operation_name`,
      [batch.map((b) => b.hash), batch.map((b) => b.client), batch.map((b) => b.operationName), batch.map((b) => b.document), batch.map((b) => b.count), batch.map((b) => b.lastSeen)],
    );
  }

  async servedSince(days: number): Promise<ServedOperation[]> {
    const { rows } = await this.pool.query<ServedRow>(
      `SELECT hash, client, operation_name, document, count, last_seen FROM ${this.s}.served_operation WHERE last_seen > now() - make_interval(days => $1) ORDER BY count DESC LIMIT 5000`,
      [days],
    );
    return rows.map((r) => ({ hash: r.hash, client: r.client, operationName: r.operation_name, document: r.document, count: Number(r.count), lastSeen: r.last_seen }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

// Rows as node-postgres hands them back: bigint as text, timestamptz as Date, jsonb parsed.
interface SupergraphRow {
  id: string;
  sdl: string;
  subgraphs: Record<string, number>;
  created_at: Date;
  created_by: string;
  restores: string | null;
}

interface SubgraphRow {
  id: string;
  name: string;
  routing_url: string;
  sdl: string;
  publisher: string;
  commit: string | null;
  published_at: Date;
}

interface LogRow {
  id: string;
  at: Date;
  action: LogAction;
  subgraph: string | null;
  actor: string;
  reason: string | null;
  supergraph_version: string | null;
  report: unknown;
}

interface ServedRow {
  hash: string;
  client: string;
  operation_name: string | null;
  document: string;
  count: string;
  last_seen: Date;
}

function supergraphRow(r: SupergraphRow): SupergraphVersion {
  return { id: Number(r.id), sdl: r.sdl, subgraphs: r.subgraphs, createdAt: r.created_at, createdBy: r.created_by, restores: r.restores == null ? null : Number(r.restores) };
}

function subgraphRow(r: SubgraphRow): SubgraphVersion {
  return { id: Number(r.id), name: r.name, routingUrl: r.routing_url, sdl: r.sdl, publisher: r.publisher, commit: r.commit, publishedAt: r.published_at };
}
