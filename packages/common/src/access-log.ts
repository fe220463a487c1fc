import { createHmac } from 'node:crypto';
import pg from 'pg';
import type { Caller } from './caller';
import { UpstreamUnavailableError } from './errors';
import type { Logger } from './logger';

/**
 * The personal-data access log (UU PDP 27/2022: who read which personal fields of whom, when; a
 * breach must be reported within 3×24 h, so the log must say). One append-only table, written by
 * the gateway (one entry per response that carried a personal field) and by the subgraphs that
 * serve personal data to someone other than its owner (one entry per field read, naming the
 * records). It is a table and not log lines: log lines depend on the log level (`npm start` runs
 * at `warn`, where every info-level "audit" line used to vanish) and can be shipped, rotated or
 * dropped by anyone; this table refuses UPDATE, DELETE and TRUNCATE and grants PUBLIC nothing.
 *
 * Two ways to write, one per promise made to the reader:
 * - `append` (the gateway's): off the response path, batched (every `flushMs` or `batchSize`); a
 *   failed write is logged at error level with the entries, and the response is already gone.
 * - `record` (the subgraphs'): resolves once the entry is committed, so a resolver serves the value
 *   only after its record exists, and rejects (UPSTREAM_UNAVAILABLE, service "access log") when it
 *   cannot be written within `recordTimeoutMs`. Entries recorded in the same tick go out in one
 *   INSERT (group commit): a page of fifty records costs one round trip, not fifty.
 */
export interface AccessLogEntry {
  at: Date;
  requestId: string;
  subject: string | null;
  roles: string[];
  clientName: string | null;
  operationName: string | null;
  /** Field coordinates, e.g. `Citizen.nik`. */
  fields: string[];
  /** How many records carried them. */
  records: number;
  /** Who wrote the entry: `gateway` (the default) or a subgraph's name. */
  source?: string;
  /** In what capacity or for what purpose the reader read, e.g. `hr`, `officer of bpkpd`. */
  purpose?: string | null;
  /**
   * Which records were read, as typed references: `nip:…`, `nop:…`, `agency:…`, and for a NIK only
   * `nik-hmac:` + its keyed hash (`nikRef`), never the NIK itself.
   */
  recordRefs?: string[];
}

export interface AccessLogRow extends AccessLogEntry {
  id: string;
  source: string;
  purpose: string | null;
  recordRefs: string[];
}

export interface AccessLogQuery {
  subject?: string;
  /** Entries naming this record reference (e.g. `nop:350311000500100120`). */
  record?: string;
  from?: Date;
  to?: Date;
  /** Entries with an id lower than this (the `next` of the previous page). */
  before?: string;
  limit: number;
}

export interface AccessLog {
  /** Writes the entry soon, off the caller's path; a failure is logged with the entry. */
  append(entry: AccessLogEntry): void;
  /** Resolves once the entry is committed; rejects with `AccessLogUnavailableError` otherwise. */
  record(entry: AccessLogEntry): Promise<void>;
  query(q: AccessLogQuery): Promise<{ entries: AccessLogRow[]; next: string | null }>;
  flush(): Promise<void>;
  close(): Promise<void>;
  /**
   * Resolves when the log's store answers: part of the readiness of every process that keeps the
   * log (the gateway, and the subgraphs that record reads before serving them).
   */
  ping(): Promise<void>;
}

/** The access log cannot be written: the read it was to record is refused (fail closed). */
export class AccessLogUnavailableError extends UpstreamUnavailableError {
  constructor(reason: string) {
    super('access log', reason);
  }
}

/** The reference of a NIK in the access log: a keyed hash, so the log is no list of NIKs. */
export const nikRef = (key: string, nik: string) => `nik-hmac:${createHmac('sha256', key).update(nik).digest('hex')}`;

const rowOf = (e: AccessLogEntry, id: string): AccessLogRow => ({ ...e, id, source: e.source ?? 'gateway', purpose: e.purpose ?? null, recordRefs: e.recordRefs ?? [] });

/** For tests and tools: keeps entries in memory. `failWith` makes every `record` refuse. */
export class MemoryAccessLog implements AccessLog {
  readonly entries: AccessLogRow[] = [];
  failWith: string | null = null;
  append(entry: AccessLogEntry): void {
    this.entries.push(rowOf(entry, String(this.entries.length + 1)));
  }
  async record(entry: AccessLogEntry): Promise<void> {
    if (this.failWith) throw new AccessLogUnavailableError(this.failWith);
    this.append(entry);
  }
  async query(q: AccessLogQuery) {
    const rows = this.entries
      .filter(
        (e) =>
          (!q.subject || e.subject === q.subject) &&
          (!q.record || e.recordRefs.includes(q.record)) &&
          (!q.from || e.at >= q.from) &&
          (!q.to || e.at < q.to) &&
          (!q.before || Number(e.id) < Number(q.before)),
      )
      .reverse();
    const entries = rows.slice(0, q.limit);
    return { entries, next: rows.length > q.limit ? entries.at(-1)!.id : null };
  }
  async flush() {
    // Nothing is buffered.
  }
  async close() {
    // Nothing to release.
  }
  async ping() {
    if (this.failWith) throw new AccessLogUnavailableError(this.failWith);
  }
}

/** Migrations of the access log's schema, applied in order; never edit an applied one. */
const MIGRATIONS: { version: string; sql: (s: string) => string }[] = [
  {
    version: '20261130000001_access_log',
    sql: (s) => `
      create table ${s}.access_log (
        id bigint generated always as identity primary key,
        at timestamptz not null default now(),
        request_id text not null,
        subject text,
        roles text[] not null,
        client_name text,
        operation_name text,
        fields text[] not null,
        records integer not null check (records >= 0)
      );
      create index access_log_subject_idx on ${s}.access_log (subject, id desc);
      create index access_log_at_idx on ${s}.access_log (at);
      create function ${s}.access_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'the access log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
      end $$;
      create trigger access_log_no_update before update or delete on ${s}.access_log
        for each row execute function ${s}.access_log_append_only();
      create trigger access_log_no_truncate before truncate on ${s}.access_log
        for each statement execute function ${s}.access_log_append_only();
      revoke all on ${s}.access_log from public;
    `,
  },
  {
    // The subgraphs write here too: who wrote, in what capacity, and which records.
    version: '20261208000001_access_log_records',
    sql: (s) => `
      alter table ${s}.access_log
        add column source text not null default 'gateway',
        add column purpose text,
        add column record_refs text[] not null default '{}';
      create index access_log_record_refs_idx on ${s}.access_log using gin (record_refs);
    `,
  },
];

export interface PostgresAccessLogOptions {
  url: string;
  schema?: string;
  logger: Logger;
  poolMax?: number;
  /** `append`: how long an entry may wait for a batch (ms). */
  flushMs?: number;
  batchSize?: number;
  /** `record`: how long a reader may be kept waiting for the entry's commit before the read is refused (ms). */
  recordTimeoutMs?: number;
}

interface Pending {
  entry: AccessLogEntry;
  done?: { resolve(): void; reject(err: Error): void };
}

const COLUMNS = 11;

export class PostgresAccessLog implements AccessLog {
  private readonly pool: pg.Pool;
  private readonly s: string;
  private buffer: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly options: PostgresAccessLogOptions) {
    this.s = `"${options.schema ?? 'audit'}"`;
    // Bounded waits: a database that hangs must refuse readers (recordTimeoutMs), not pile up writes forever.
    this.pool = new pg.Pool({ connectionString: options.url, max: options.poolMax ?? 2, connectionTimeoutMillis: 5_000, query_timeout: 10_000 });
    this.pool.on('error', (err) => options.logger.error({ err }, 'access log connection error'));
  }

  /** Connects and migrates (idempotent, safe with several processes starting together). */
  static async open(options: PostgresAccessLogOptions): Promise<PostgresAccessLog> {
    const log = new PostgresAccessLog(options);
    try {
      await log.migrate();
    } catch (err) {
      await log.pool.end().catch(() => undefined);
      throw err;
    }
    return log;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      // The lock's name predates the subgraphs writing here; kept so old and new processes still serialise.
      await client.query(`select pg_advisory_xact_lock(hashtext('gerbang-gateway-audit-migrations'))`);
      await client.query(`create schema if not exists ${this.s}`);
      await client.query(`create table if not exists ${this.s}.schema_migrations (version text primary key, applied_at timestamptz not null default now())`);
      const { rows } = await client.query<{ version: string }>(`select version from ${this.s}.schema_migrations`);
      const applied = new Set(rows.map((r) => r.version));
      for (const m of MIGRATIONS) {
        if (applied.has(m.version)) continue;
        await client.query(m.sql(this.s));
        await client.query(`insert into ${this.s}.schema_migrations (version) values ($1)`, [m.version]);
        this.options.logger.info({ migration: m.version }, 'access log migrated');
      }
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  append(entry: AccessLogEntry): void {
    this.buffer.push({ entry });
    if (this.buffer.length >= (this.options.batchSize ?? 100)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs ?? 200).unref();
  }

  record(entry: AccessLogEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timeoutMs = this.options.recordTimeoutMs ?? 2_000;
      const timer = setTimeout(() => reject(new AccessLogUnavailableError(`timed out after ${timeoutMs} ms`)), timeoutMs);
      this.buffer.push({
        entry,
        done: {
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (err) => {
            clearTimeout(timer);
            reject(err);
          },
        },
      });
      // Whoever waits is written at the end of this tick, with everything else recorded in it.
      this.immediate ??= setImmediate(() => void this.flush());
    });
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    const batch = this.buffer;
    this.buffer = [];
    if (!batch.length) return this.writing;
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  private async write(batch: Pending[]): Promise<void> {
    const values: unknown[] = [];
    const rows = batch.map(({ entry: e }, i) => {
      values.push(e.at, e.requestId, e.subject, e.roles, e.clientName, e.operationName, e.fields, e.records, e.source ?? 'gateway', e.purpose ?? null, e.recordRefs ?? []);
      return `(${Array.from({ length: COLUMNS }, (_, c) => `$${i * COLUMNS + c + 1}`).join(', ')})`;
    });
    try {
      await this.pool.query(
        `insert into ${this.s}.access_log (at, request_id, subject, roles, client_name, operation_name, fields, records, source, purpose, record_refs) values ${rows.join(', ')}`,
        values,
      );
    } catch (err) {
      // Never lose an entry silently: the structured log keeps it (at error level, which every
      // configured level but silent writes), and whoever waits for it is refused.
      this.options.logger.error({ err, entries: batch.map((p) => p.entry) }, 'access log write failed');
      // The database's own message stays in this log line: it may name hosts, which clients never see.
      const refusal = new AccessLogUnavailableError('write failed');
      for (const p of batch) p.done?.reject(refusal);
      return;
    }
    for (const p of batch) p.done?.resolve();
  }

  async query(q: AccessLogQuery): Promise<{ entries: AccessLogRow[]; next: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.subject) add('subject = ?', q.subject);
    if (q.record) add('record_refs @> array[?::text]', q.record);
    if (q.from) add('at >= ?', q.from);
    if (q.to) add('at < ?', q.to);
    if (q.before) add('id < ?', q.before);
    params.push(q.limit + 1);
    const { rows } = await this.pool.query<{
      id: string;
      at: Date;
      request_id: string;
      subject: string | null;
      roles: string[];
      client_name: string | null;
      operation_name: string | null;
      fields: string[];
      records: number;
      source: string;
      purpose: string | null;
      record_refs: string[];
    }>(
      `select id::text, at, request_id, subject, roles, client_name, operation_name, fields, records, source, purpose, record_refs from ${this.s}.access_log
       ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit $${params.length}`,
      params,
    );
    const entries = rows.slice(0, q.limit).map((r) => ({
      id: r.id,
      at: r.at,
      requestId: r.request_id,
      subject: r.subject,
      roles: r.roles,
      clientName: r.client_name,
      operationName: r.operation_name,
      fields: r.fields,
      records: r.records,
      source: r.source,
      purpose: r.purpose,
      recordRefs: r.record_refs,
    }));
    return { entries, next: rows.length > q.limit ? entries.at(-1)!.id : null };
  }

  async close(): Promise<void> {
    await this.flush();
    await this.pool.end();
  }

  async ping(): Promise<void> {
    await this.pool.query('select 1');
  }
}

/**
 * One request's reads of personal data in a subgraph, recorded before they are served. Reads of the
 * same field in the same capacity within one tick (a list of fifty officers' TPP bases, say) become
 * one entry naming every record, and every resolver that took part waits for that one entry:
 * `await ctx.reads.read('Officer.tppBase', 'nip:…', 'hr')`, then return the value.
 */
export class ReadRecorder {
  private pending = new Map<string, { field: string; purpose: string | null; refs: Set<string>; records: number; waiters: { resolve(): void; reject(err: unknown): void }[] }>();
  private scheduled = false;

  constructor(
    private readonly log: AccessLog,
    private readonly who: { source: string; requestId: string; caller: Caller },
  ) {}

  /**
   * Resolves once the read is recorded; rejects with `AccessLogUnavailableError` when it cannot be.
   * `refs` name what was read; `records` is how many people's data that is (default: one per ref).
   */
  read(field: string, refs: string | readonly string[], purpose: string | null, records?: number): Promise<void> {
    const list = typeof refs === 'string' ? [refs] : refs;
    const key = `${field}\u0000${purpose ?? ''}`;
    let group = this.pending.get(key);
    if (!group) {
      group = { field, purpose, refs: new Set(), records: 0, waiters: [] };
      this.pending.set(key, group);
    }
    const before = group.refs.size;
    for (const r of list) group.refs.add(r);
    // The same record read twice in one tick (two aliases) counts once.
    group.records += records ?? group.refs.size - before;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    const waiters = group.waiters;
    return new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
  }

  private flush(): void {
    this.scheduled = false;
    const groups = [...this.pending.values()];
    this.pending.clear();
    const { caller, requestId, source } = this.who;
    for (const g of groups) {
      this.log
        .record({
          at: new Date(),
          requestId,
          subject: caller.sub ?? null,
          roles: caller.roles,
          clientName: null,
          operationName: null,
          fields: [g.field],
          records: g.records,
          source,
          purpose: g.purpose,
          recordRefs: [...g.refs],
        })
        .then(
          () => g.waiters.forEach((w) => w.resolve()),
          (err: unknown) => g.waiters.forEach((w) => w.reject(err instanceof AccessLogUnavailableError ? err : new AccessLogUnavailableError('write failed'))),
        );
    }
  }
}
