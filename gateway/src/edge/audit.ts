import type http from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import pg from 'pg';
import { ErrorCode, sendJson, type Caller, type Logger } from '@gerbang/common';
import type { GatewayContext } from '../context';
import type { PersonalSelection } from './access';
import { EdgeRefusal } from './refusal';

/**
 * The personal-data access log (UU PDP 27/2022: who read which personal fields, when; a breach
 * must be reported within 3×24 h, so the log must say). Every response that carries a personal
 * field (PERSONAL_FIELDS) appends one entry: subject, roles, client, operation, fields, number of
 * records, request id, time. The table is append-only: a trigger refuses UPDATE, DELETE and
 * TRUNCATE, and PUBLIC has no rights on it.
 *
 * Entries are written in small batches off the response path (flushed every `flushMs` or at
 * `batchSize`), so a read is never slowed by the log; `close()` flushes what is left.
 */
export const DEFAULT_PERSONAL_FIELDS = ['Citizen.nik', 'Citizen.name', 'Citizen.sex', 'Citizen.birthPlace', 'Citizen.birthDate', 'Citizen.address'];

export interface AccessLogEntry {
  at: Date;
  requestId: string;
  subject: string | null;
  roles: string[];
  clientName: string | null;
  operationName: string | null;
  fields: string[];
  records: number;
}

export interface AccessLogRow extends AccessLogEntry {
  id: string;
}

export interface AccessLogQuery {
  subject?: string;
  from?: Date;
  to?: Date;
  /** Entries with an id lower than this (the `next` of the previous page). */
  before?: string;
  limit: number;
}

export interface AccessLog {
  append(entry: AccessLogEntry): void;
  query(q: AccessLogQuery): Promise<{ entries: AccessLogRow[]; next: string | null }>;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Resolves when the log's store answers (the gateway's readiness). */
  ping(): Promise<void>;
}

/** For tests and tools: keeps entries in memory. */
export class MemoryAccessLog implements AccessLog {
  readonly entries: AccessLogRow[] = [];
  append(entry: AccessLogEntry): void {
    this.entries.push({ ...entry, id: String(this.entries.length + 1) });
  }
  async query(q: AccessLogQuery) {
    const rows = this.entries
      .filter((e) => (!q.subject || e.subject === q.subject) && (!q.from || e.at >= q.from) && (!q.to || e.at < q.to) && (!q.before || Number(e.id) < Number(q.before)))
      .reverse();
    const entries = rows.slice(0, q.limit);
    return { entries, next: rows.length > q.limit ? entries.at(-1)!.id : null };
  }
  async flush() {}
  async close() {}
  async ping() {}
}

/** Migrations of the gateway's own schema, applied in order; never edit an applied one. */
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
];

export interface PostgresAccessLogOptions {
  url: string;
  schema?: string;
  logger: Logger;
  poolMax?: number;
  flushMs?: number;
  batchSize?: number;
}

export class PostgresAccessLog implements AccessLog {
  private readonly pool: pg.Pool;
  private readonly s: string;
  private buffer: AccessLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly options: PostgresAccessLogOptions) {
    this.s = `"${options.schema ?? 'audit'}"`;
    // A bounded wait for a connection: with the database unreachable, a write fails (and its
    // entries go to the structured log) and a readiness check answers, instead of both hanging.
    this.pool = new pg.Pool({ connectionString: options.url, max: options.poolMax ?? 2, connectionTimeoutMillis: 5_000 });
    this.pool.on('error', (err) => options.logger.error({ err }, 'access log connection error'));
  }

  /** Connects and migrates (idempotent, safe with several gateways starting together). */
  static async open(options: PostgresAccessLogOptions): Promise<PostgresAccessLog> {
    const log = new PostgresAccessLog(options);
    await log.migrate();
    return log;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
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
    this.buffer.push(entry);
    if (this.buffer.length >= (this.options.batchSize ?? 100)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs ?? 200).unref();
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    if (!batch.length) return this.writing;
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  private async write(batch: AccessLogEntry[]): Promise<void> {
    const values: unknown[] = [];
    const rows = batch.map((e, i) => {
      values.push(e.at, e.requestId, e.subject, e.roles, e.clientName, e.operationName, e.fields, e.records);
      const b = i * 8;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8})`;
    });
    try {
      await this.pool.query(
        `insert into ${this.s}.access_log (at, request_id, subject, roles, client_name, operation_name, fields, records) values ${rows.join(', ')}`,
        values,
      );
    } catch (err) {
      // Never lose an entry silently: the structured log keeps it for recovery.
      this.options.logger.error({ err, entries: batch }, 'access log write failed');
    }
  }

  async query(q: AccessLogQuery): Promise<{ entries: AccessLogRow[]; next: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.subject) add('subject = ?', q.subject);
    if (q.from) add('at >= ?', q.from);
    if (q.to) add('at < ?', q.to);
    if (q.before) add('id < ?', q.before);
    params.push(q.limit + 1);
    const { rows } = await this.pool.query<{
      id: string; at: Date; request_id: string; subject: string | null; roles: string[]; client_name: string | null; operation_name: string | null; fields: string[]; records: number;
    }>(
      `select id::text, at, request_id, subject, roles, client_name, operation_name, fields, records from ${this.s}.access_log
       ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit $${params.length}`,
      params,
    );
    const entries = rows.slice(0, q.limit).map((r) => ({
      id: r.id, at: r.at, requestId: r.request_id, subject: r.subject, roles: r.roles, clientName: r.client_name, operationName: r.operation_name, fields: r.fields, records: r.records,
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

/** Records in the response that carry at least one personal value, per parent object. */
export function countPersonalRecords(data: unknown, selections: PersonalSelection[]): number {
  let n = 0;
  for (const sel of selections) {
    let level: unknown[] = [data];
    for (const key of sel.path) {
      const next: unknown[] = [];
      for (const v of level) collect((v as Record<string, unknown> | null)?.[key], next);
      level = next;
    }
    for (const obj of level) {
      if (obj && typeof obj === 'object' && sel.keys.some((k) => (obj as Record<string, unknown>)[k] != null)) n++;
    }
  }
  return n;
}

function collect(v: unknown, into: unknown[]): void {
  if (Array.isArray(v)) for (const x of v) collect(x, into);
  else if (v !== null && v !== undefined) into.push(v);
}

/** Appends an entry for every response that returned personal fields. */
export function auditPlugin(log: AccessLog): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          const access = rc.contextValue.access;
          if (!access?.personal.length || rc.response.body.kind !== 'single') return;
          const data = rc.response.body.singleResult.data;
          if (!data) return;
          const records = countPersonalRecords(data, access.personal);
          if (!records) return;
          const { caller, requestId, clientName } = rc.contextValue;
          const entry: AccessLogEntry = {
            at: new Date(),
            requestId,
            subject: caller.sub ?? null,
            roles: caller.roles,
            clientName: clientName ?? null,
            operationName: rc.operationName ?? null,
            fields: access.personalFields,
            records,
          };
          log.append(entry);
          rc.contextValue.logger.info({ audit: 'personal-data-read', fields: entry.fields, records, subject: entry.subject }, 'personal data read');
        },
      };
    },
  };
}

/**
 * GET /admin/access-log?subject=&from=&to=&before=&limit= (admin token). Newest first; `next` is
 * the `before` of the following page. Reading the log is itself logged.
 */
export async function serveAccessLog(req: http.IncomingMessage, res: http.ServerResponse, log: AccessLog, caller: Caller, requestId: string): Promise<void> {
  if (!caller.sub) throw new EdgeRefusal(401, ErrorCode.UNAUTHENTICATED, 'Sign in first.');
  if (!caller.roles.includes('admin')) throw new EdgeRefusal(403, ErrorCode.FORBIDDEN, 'Only administrators may read the access log.');
  const url = new URL(req.url ?? '/', 'http://gateway.invalid');
  const p = url.searchParams;
  const date = (name: string) => {
    const v = p.get(name);
    if (!v) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw new EdgeRefusal(400, ErrorCode.BAD_USER_INPUT, `${name} must be an ISO-8601 date or time.`, { field: name });
    return d;
  };
  const limit = p.get('limit') ? Number(p.get('limit')) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new EdgeRefusal(400, ErrorCode.BAD_USER_INPUT, 'limit must be between 1 and 500.', { field: 'limit' });
  const before = p.get('before') ?? undefined;
  if (before !== undefined && !/^\d{1,19}$/.test(before)) throw new EdgeRefusal(400, ErrorCode.BAD_USER_INPUT, 'before must be an entry id.', { field: 'before' });
  const q: AccessLogQuery = { limit };
  const subject = p.get('subject');
  if (subject) q.subject = subject;
  const from = date('from');
  const to = date('to');
  if (from) q.from = from;
  if (to) q.to = to;
  if (before) q.before = before;
  const page = await log.query(q);
  log.append({
    at: new Date(),
    requestId,
    subject: caller.sub,
    roles: caller.roles,
    clientName: null,
    operationName: 'GET /admin/access-log',
    fields: ['AccessLog.entries'],
    records: page.entries.length,
  });
  sendJson(res, 200, page, { 'x-request-id': requestId, 'cache-control': 'no-store' });
}
