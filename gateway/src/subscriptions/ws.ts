import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LiveConnection, LiveShared } from './index';
import type { LiveSubscription } from './live-tickets';

/** Close codes besides graphql-ws's own (4400 bad request, 4401 unauthorized before ack, 4403 forbidden, 4408 init timeout, 4409, 4429). */
const LIVE_CLOSE = {
  /** The token expired, or no longer verifies (a key withdrawn): sign in again, reconnect with the new token. */
  tokenExpired: { code: CloseCode.Forbidden, reason: 'Forbidden: token expired or revoked' },
  /** connection_init without a valid token. */
  unauthenticated: { code: CloseCode.Forbidden, reason: 'Forbidden: sign in' },
  /** Over the user's connection limit. */
  tooMany: { code: CloseCode.TooManyInitialisationRequests, reason: 'Too many connections for this user' },
  /** No subscription for LIVE_IDLE_TIMEOUT_MS. */
  idle: { code: 4408, reason: 'Idle: no subscription' },
  /** The gateway is stopping. */
  goingAway: { code: 1001, reason: 'Gateway going away' },
} as const;

interface ConnectionState {
  connection: LiveConnection;
  release: () => void;
  subscriptions: Map<string, LiveSubscription>;
  /** Subscriptions being opened (asked of the ledger): they count towards the limit already. */
  opening: number;
  timers: NodeJS.Timeout[];
  idle?: NodeJS.Timeout;
}

type Extra = { socket: WebSocket; request: http.IncomingMessage; live?: ConnectionState };

const authorizationOf = (params: Readonly<Record<string, unknown>> | undefined, request: http.IncomingMessage): string | undefined => {
  const value = params?.authorization ?? params?.Authorization ?? (typeof params?.token === 'string' ? `Bearer ${params.token}` : undefined);
  if (typeof value === 'string') return value;
  return request.headers.authorization;
};

export function createWsTransport(shared: LiveShared) {
  const { limits, metrics, connections } = shared;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();

  const startIdle = (state: ConnectionState, socket: WebSocket) => {
    clearTimeout(state.idle);
    if (state.subscriptions.size > 0) return;
    state.idle = setTimeout(() => {
      metrics.refused.inc({ reason: 'idle' });
      socket.close(LIVE_CLOSE.idle.code, LIVE_CLOSE.idle.reason);
    }, limits.idleTimeoutMs);
  };

  const server = useServer<Record<string, unknown>, { live?: ConnectionState }>(
    {
      connectionInitWaitTimeout: limits.connectionInitWaitTimeoutMs,
      onConnect: async (ctx) => {
        const extra = ctx.extra as Extra;
        const address = shared.options.clientAddress(extra.request);
        const clientName = typeof extra.request.headers['apollographql-client-name'] === 'string' ? extra.request.headers['apollographql-client-name'] : undefined;
        const connection = await shared.authenticate(authorizationOf(ctx.connectionParams, extra.request), address, clientName);
        if (connection instanceof GraphQLError) {
          metrics.refused.inc({ reason: 'unauthenticated' });
          extra.socket.close(LIVE_CLOSE.unauthenticated.code, `${LIVE_CLOSE.unauthenticated.reason}: ${connection.message}`.slice(0, 120));
          return false;
        }
        const release = connections.acquire(connection.caller.sub ?? 'anonymous', address);
        if (typeof release !== 'function') {
          metrics.refused.inc({ reason: `connections per ${release.full}` });
          extra.socket.close(LIVE_CLOSE.tooMany.code, `${LIVE_CLOSE.tooMany.reason} (at most ${release.max})`);
          return false;
        }
        metrics.connections.inc({ transport: 'ws' });
        const state: ConnectionState = { connection, release, subscriptions: new Map(), opening: 0, timers: [] };
        extra.live = state;
        const closeExpired = () => {
          metrics.refused.inc({ reason: 'token expired' });
          extra.socket.close(LIVE_CLOSE.tokenExpired.code, LIVE_CLOSE.tokenExpired.reason);
        };
        state.timers.push(setTimeout(closeExpired, Math.max(0, Math.min(connection.expiresAt - Date.now(), 2 ** 31 - 1))));
        const revalidate = setInterval(() => {
          shared.options.identity.callerFrom(connection.authorization).catch(closeExpired);
        }, limits.revalidateMs);
        state.timers.push(revalidate);
        startIdle(state, extra.socket);
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const extra = ctx.extra as Extra;
        const state = extra.live;
        if (!state) return [new GraphQLError('Not connected.', { extensions: { code: 'UNAUTHENTICATED' } })];
        if (state.subscriptions.size + state.opening >= limits.subscriptionsPerConnection) {
          metrics.refused.inc({ reason: 'subscriptions per connection' });
          return [
            new GraphQLError(`At most ${limits.subscriptionsPerConnection} subscriptions on one connection.`, {
              extensions: { code: 'RATE_LIMITED', scope: 'subscriptions', max: limits.subscriptionsPerConnection },
            }),
          ];
        }
        state.opening++;
        const opened = await shared.subscribe(state.connection, payload, randomUUID()).finally(() => state.opening--);
        if (Array.isArray(opened)) return opened;
        if (extra.socket.readyState !== extra.socket.OPEN) {
          await opened.return();
          return [new GraphQLError('The connection closed.', { extensions: { code: 'BAD_REQUEST' } })];
        }
        state.subscriptions.set(id, opened);
        clearTimeout(state.idle);
        // The library executes what onSubscribe returns: the contextValue carries the open subscription.
        // `payload.query` is the operation's text, filled in from the safelist when the client sent an id.
        const { parse } = await import('graphql');
        return {
          schema: shared.options.schema()!,
          document: parse(payload.query),
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: opened,
        };
      },
      subscribe: (args) => args.contextValue as never,
      // Events are already formatted (masked) by the gateway's executor: sent as they are.
      onNext: (_ctx, _id, _payload, _args, result) => result,
      onComplete: (ctx, id) => {
        const state = (ctx.extra as Extra).live;
        if (!state) return;
        const sub = state.subscriptions.get(id);
        state.subscriptions.delete(id);
        void sub?.return();
        startIdle(state, (ctx.extra as Extra).socket);
      },
      onClose: (ctx) => {
        const state = (ctx.extra as Extra).live;
        if (!state) return;
        (ctx.extra as Extra).live = undefined;
        for (const t of state.timers) clearTimeout(t);
        clearTimeout(state.idle);
        for (const sub of state.subscriptions.values()) void sub.return();
        state.subscriptions.clear();
        state.release();
        metrics.connections.dec({ transport: 'ws' });
      },
    },
    wss,
    limits.keepAliveMs,
  );

  return {
    handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer) {
      const url = new URL(req.url ?? '/', 'http://gateway.invalid');
      const refuse = (status: number, text: string) => {
        socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      };
      if (url.pathname !== '/graphql') return refuse(404, 'Not Found');
      const address = shared.options.clientAddress(req);
      if (connections.addressFull(address)) {
        metrics.refused.inc({ reason: 'connections per address' });
        return refuse(429, 'Too Many Requests');
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.add(ws);
        ws.once('close', () => sockets.delete(ws));
        wss.emit('connection', ws, req);
      });
    },
    async close() {
      for (const ws of sockets) ws.close(LIVE_CLOSE.goingAway.code, LIVE_CLOSE.goingAway.reason);
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
