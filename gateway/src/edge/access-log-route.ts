import type http from 'node:http';
import { ErrorCode, sendJson, type AccessLog, type AccessLogQuery, type Caller } from '@gerbang/common';
import { EdgeRefusal } from './refusal';

export const ACCESS_LOG_PATH = '/admin/access-log';

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
