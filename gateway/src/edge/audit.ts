import type http from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode, sendJson, type AccessLog, type AccessLogEntry, type AccessLogQuery, type Caller } from '@gerbang/common';
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
 * `batchSize`), so a read is never slowed by the log; `close()` flushes what is left. The response
 * has gone by then, so a failed write cannot refuse it: the entry goes to the error log instead
 * (fail open). The subgraphs' own entries, which name each record read by someone other than its
 * owner, are written before the value is served and refuse it when they cannot be (fail closed).
 */
export const DEFAULT_PERSONAL_FIELDS = ['Citizen.nik', 'Citizen.name', 'Citizen.sex', 'Citizen.birthPlace', 'Citizen.birthDate', 'Citizen.address'];

// The log itself (the table, its migrations, the batched writer) is shared with the subgraphs that
// record their own reads of personal data: @gerbang/common's access-log.ts.
export { MemoryAccessLog, PostgresAccessLog, type AccessLog, type AccessLogEntry, type AccessLogQuery, type AccessLogRow, type PostgresAccessLogOptions } from '@gerbang/common';

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
            source: 'gateway',
          };
          log.append(entry);
          rc.contextValue.logger.info({ audit: 'personal-data-read', fields: entry.fields, records, subject: entry.subject }, 'personal data read');
        },
      };
    },
  };
}

/**
 * GET /admin/access-log?subject=&record=&from=&to=&before=&limit= (admin token). Newest first; `next` is
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
  const record = p.get('record');
  if (record) q.record = record;
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
    source: 'gateway',
  });
  sendJson(res, 200, page, { 'x-request-id': requestId, 'cache-control': 'no-store' });
}
