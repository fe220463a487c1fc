import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { createHandler, type Response as SseResponse } from 'graphql-sse';
import { ErrorCode } from '@gerbang/common';
import { readLimitedBody } from '../edge/request';
import type { LiveConnection, LiveShared } from './index';
import type { LiveSubscription } from './live-tickets';

interface SseContext {
  connection?: LiveConnection;
  release?: () => void;
  subscription?: LiveSubscription;
}

const json = (status: number, code: string, message: string, extensions: Record<string, unknown> = {}): SseResponse => [
  JSON.stringify({ errors: [{ message, extensions: { ...extensions, code } }] }),
  { status, statusText: String(status), headers: { 'content-type': 'application/json; charset=utf-8' } },
];
const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, QUERY_TOO_COMPLEX: 400, UPSTREAM_UNAVAILABLE: 503 };

/**
 * The event's id line: its change cursor, so a browser's EventSource (or any client) that
 * reconnects sends it back as Last-Event-ID and resumes after it. graphql-sse writes no ids.
 */
function withEventId(chunk: string): string {
  if (!chunk.startsWith('event: next\ndata: ')) return chunk;
  try {
    const data = JSON.parse(chunk.slice('event: next\ndata: '.length)) as { extensions?: { cursor?: unknown } };
    const cursor = data.extensions?.cursor;
    return typeof cursor === 'string' && /^\d+$/.test(cursor) ? `id: ${cursor}\n${chunk}` : chunk;
  } catch {
    return chunk;
  }
}

/** GraphQL over SSE (graphql-sse), distinct connections mode: one stream per subscription. */
export function createSseTransport(shared: LiveShared) {
  const { metrics, connections } = shared;
  const open = new Set<http.ServerResponse>();

  const handler = createHandler<http.IncomingMessage, SseContext>({
    schema: () => shared.options.schema()!,
    // Distinct connections only: no stream reservations (single connection mode) are handed out.
    authenticate: () => undefined,
    onConnect: async (req) => {
      const address = shared.options.clientAddress(req.raw);
      const connection = await shared.authenticate(req.headers.get('authorization') ?? undefined, address, req.headers.get('apollographql-client-name') ?? undefined);
      if (!('caller' in connection)) {
        metrics.refused.inc({ reason: 'unauthenticated' });
        return json(401, typeof connection.extensions.code === 'string' ? connection.extensions.code : ErrorCode.UNAUTHENTICATED, connection.message);
      }
      const release = connections.acquire(connection.caller.sub ?? 'anonymous', address);
      if (typeof release !== 'function') {
        metrics.refused.inc({ reason: `connections per ${release.full}` });
        return json(429, ErrorCode.RATE_LIMITED, `Too many open subscription connections (at most ${release.max} per ${release.full}).`, {
          scope: `connections per ${release.full}`,
          max: release.max,
        });
      }
      req.context.connection = connection;
      req.context.release = release;
      return undefined;
    },
    onSubscribe: async (req, params) => {
      const connection = req.context.connection!;
      const opened = await shared.subscribe(connection, { ...params, lastEventId: req.headers.get('last-event-id') ?? undefined }, randomUUID());
      if (Array.isArray(opened)) {
        const first = opened[0]!;
        const code = typeof first.extensions.code === 'string' ? first.extensions.code : 'BAD_REQUEST';
        return json(STATUS[code] ?? 400, code, first.message, Object.fromEntries(Object.entries(first.extensions).filter(([k]) => k !== 'code')));
      }
      req.context.subscription = opened;
      return opened as never;
    },
  });

  return {
    wants(req: http.IncomingMessage): boolean {
      return (req.method === 'GET' || req.method === 'POST') && req.headers.accept === 'text/event-stream';
    },
    async serve(req: http.IncomingMessage, res: http.ServerResponse, baseHeaders: Record<string, string>): Promise<void> {
      const context: SseContext = {};
      const timers: NodeJS.Timeout[] = [];
      try {
        const [body, init] = await handler({
          method: req.method!,
          url: req.url ?? '/',
          headers: {
            get: (key: string) => {
              const v = req.headers[key.toLowerCase()];
              return Array.isArray(v) ? v.join(', ') : v;
            },
          },
          body: async () => (req.method === 'POST' ? (await readLimitedBody(req, 64 * 1024)).toString('utf8') : null),
          raw: req,
          context,
        });
        res.writeHead(init.status, { ...baseHeaders, ...(init.headers ?? {}) });
        if (body === null || typeof body === 'string') return void res.end(body ?? undefined);
        open.add(res);
        metrics.connections.inc({ transport: 'sse' });
        const sub = context.subscription;
        const connection = context.connection;
        if (sub && connection) {
          const expire = () => {
            metrics.refused.inc({ reason: 'token expired' });
            sub.end({ errors: [{ message: 'Your session has expired. Sign in again and resume with Last-Event-ID.', extensions: { code: ErrorCode.UNAUTHENTICATED } }] });
          };
          timers.push(setTimeout(expire, Math.max(0, Math.min(connection.expiresAt - Date.now(), 2 ** 31 - 1))));
          timers.push(setInterval(() => shared.options.identity.callerFrom(connection.authorization).catch(expire), shared.limits.revalidateMs));
        }
        res.on('close', () => void body.return(undefined));
        for await (const chunk of body) {
          if (res.destroyed) break;
          res.write(withEventId(chunk));
        }
        res.end();
      } finally {
        for (const t of timers) clearTimeout(t);
        if (open.delete(res)) metrics.connections.dec({ transport: 'sse' });
        await context.subscription?.return();
        context.release?.();
      }
    },
    close() {
      for (const res of open) res.end();
    },
  };
}
