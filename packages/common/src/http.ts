import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import type { GraphQLSchema } from 'graphql';
import type { Caller } from './caller';
import { maskSubgraphError } from './errors';
import { InternalAuthError, RequestVerifier } from './internal-auth';
import { apolloLogger, type Logger } from './logger';
import { runWithRequestId } from './request-context';
import { runChecks, SharedProbe } from './health';
import { shutdownDrainMs } from './config';

export interface RequestInfo {
  requestId: string;
  caller: Caller;
  logger: Logger;
}

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;

export interface SubgraphHttpOptions<TContext extends BaseContext> {
  /** The subgraph's name in the supergraph: the audience every call to it must be signed for. */
  name: string;
  schema: GraphQLSchema;
  logger: Logger;
  /** Verifies the gateway's signature; every GraphQL call without a valid one is refused with 401. */
  verifier: RequestVerifier;
  /** Builds the per-request context (forked EntityManager, DataLoaders, …). */
  context: (info: RequestInfo) => Promise<TContext> | TContext;
  /**
   * Readiness checks: the subgraph's own dependencies, without which it serves nothing (its
   * database), by name; each resolves when it answers. The verifier's nonce store (Redis, when
   * configured) is added to them. Never an agency system: see `status`.
   */
  ready?: Record<string, () => Promise<unknown>>;
  /**
   * For the status document only (GET /health/status): the state of the agency systems the
   * subgraph wraps, its sync loops. It never decides readiness: with its agency system down the
   * subgraph still serves its other fields and answers UPSTREAM_UNAVAILABLE for that system's.
   */
  status?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** How long a readiness result is reused (default 1000 ms): health endpoints answer anyone. */
  healthCacheMs?: number;
  /** Extra routes, e.g. an internal feed endpoint. */
  routes?: Record<string, Route>;
  plugins?: ApolloServerPlugin<TContext>[];
  maxBodyBytes?: number;
  /**
   * How long `close` lets requests in flight finish before their connections are cut (ms). Default:
   * SHUTDOWN_DRAIN_MS of the process's environment (hosted subgraphs: the host's), else 10 s.
   */
  shutdownDrainMs?: number;
}

export interface RunningServer {
  server: http.Server;
  url: string;
  /** A function, not a method: callers keep it apart from the object (`({ url, close } = await app.listen(0))`). */
  close: () => Promise<void>;
}

export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(Object.assign(new Error('request body too large'), { status: 413 }));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const NO_STORE = { 'cache-control': 'no-store' };

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function toHeaderMap(headers: http.IncomingHttpHeaders): HeaderMap {
  const map = new HeaderMap();
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) map.set(k, Array.isArray(v) ? v.join(', ') : v);
  }
  return map;
}

/** Writes an Apollo Server HTTP response (complete or chunked) to a Node response. */
export async function writeGraphQLResponse(res: http.ServerResponse, result: Awaited<ReturnType<ApolloServer['executeHTTPGraphQLRequest']>>, extraHeaders: Record<string, string> = {}): Promise<void> {
  const headers: http.OutgoingHttpHeaders = { ...extraHeaders };
  for (const [k, v] of result.headers) headers[k] = v;
  if (result.body.kind === 'complete') {
    headers['content-length'] = Buffer.byteLength(result.body.string);
    res.writeHead(result.status ?? 200, headers);
    res.end(result.body.string);
    return;
  }
  res.writeHead(result.status ?? 200, headers);
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * A subgraph's HTTP server: POST /graphql (signed by the gateway), the health endpoints (see
 * health.ts: /health/live, /health/ready, /health/status; /health is the status document, as it
 * was before the split), extra routes. Returns an unstarted server; `listen` is called by main.ts
 * or a test.
 */
export async function createSubgraphHttpServer<TContext extends BaseContext>(options: SubgraphHttpOptions<TContext>) {
  const { logger } = options;
  const limit = options.maxBodyBytes ?? 1_000_000;
  const drainMs = options.shutdownDrainMs ?? shutdownDrainMs().parse(process.env.SHUTDOWN_DRAIN_MS || undefined);
  // Created before Apollo Server, whose drain plugin watches it; the request handler is added below.
  const server = http.createServer();
  /** A shutdown has begun: not ready from now on (load balancers send nothing new). */
  let draining = false;
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    logger: apolloLogger(logger),
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // The process's main (runSubgraphMain, scripts/subgraph-host.ts) owns SIGINT/SIGTERM; Apollo
    // Server's own handlers would stop it a second time and re-raise the signal mid-close.
    stopOnTerminationSignals: false,
    // Federated tracing (ftv1) only when the caller asks with `apollo-federation-include-trace: ftv1`
    // (a gateway or router that reports traces); nothing is recorded otherwise. Error messages in a
    // trace are masked: the response carries them, masked as formatError says.
    plugins: [
      ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }),
      // close: no new connections, requests in flight finish (up to drainMs), then the rest are cut.
      ApolloServerPluginDrainHttpServer({ httpServer: server, stopGracePeriodMillis: drainMs }),
      ...(options.plugins ?? []),
    ],
    formatError: (formatted, error) => maskSubgraphError(formatted, error, options.name, logger),
  });
  await apollo.start();

  const readiness = new SharedProbe(() => runChecks({ ...options.verifier.dependencyChecks(), ...options.ready }), options.healthCacheMs ?? 1_000);
  const serveHealth = async (path: string, res: http.ServerResponse): Promise<boolean> => {
    if (path === '/health/live') {
      sendJson(res, 200, { status: 'ok', service: options.name }, NO_STORE);
      return true;
    }
    if (path !== '/health/ready' && path !== '/health/status' && path !== '/health') return false;
    const ready = await readiness.get();
    const ok = ready.ok && !draining;
    const body: Record<string, unknown> = { status: draining ? 'draining' : ready.ok ? 'ok' : 'unavailable', service: options.name, ready: ok, checks: ready.checks };
    if (path !== '/health/ready') {
      try {
        Object.assign(body, await options.status?.());
      } catch (err) {
        // The status details are for people; a failure to gather them is reported, not fatal.
        body.statusError = (err as Error).message;
      }
    }
    sendJson(res, ok ? 200 : 503, body, NO_STORE);
    return true;
  };

  server.on('request', async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const requestId = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
    const url = new URL(req.url ?? '/', 'http://subgraph.invalid');
    try {
      if (req.method === 'GET' && (await serveHealth(url.pathname, res))) return;
      const route = options.routes?.[url.pathname];
      if (route) return await route(req, res);
      if (url.pathname !== '/graphql' || req.method !== 'POST') {
        return sendJson(res, url.pathname === '/graphql' ? 405 : 404, { error: 'not found' });
      }
      const body = await readBody(req, limit);
      let caller: Caller;
      try {
        // Signed for this subgraph by name: a call signed for another one is refused here.
        caller = await options.verifier.verify(req.headers, body, options.name);
      } catch (err) {
        if (err instanceof InternalAuthError) {
          logger.warn({ requestId, reason: err.reason, remote: req.socket.remoteAddress }, 'refused unsigned or invalid internal call');
          return sendJson(res, 401, {
            errors: [{ message: 'This service answers only the Gerbang gateway.', extensions: { code: 'UNAUTHENTICATED', reason: err.reason } }],
          });
        }
        throw err;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, 400, { errors: [{ message: 'Body is not JSON.', extensions: { code: 'BAD_REQUEST' } }] });
      }
      const child = logger.child({ requestId });
      const result = await runWithRequestId(requestId, () =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: 'POST', headers: toHeaderMap(req.headers), search: url.search, body: parsed },
          context: async () => options.context({ requestId, caller, logger: child }),
        }),
      );
      await writeGraphQLResponse(res, result, { 'x-request-id': requestId });
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      if (status >= 500) logger.error({ err, requestId }, 'request failed');
      if (!res.headersSent)
        sendJson(res, status, {
          errors: [{ message: status === 413 ? 'Request body too large.' : 'Internal error.', extensions: { code: status === 413 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }],
        });
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 65_000;

  /**
   * Not ready at once, then Apollo Server's drain (the plugin above), then Apollo Server stops. Once:
   * a second apollo.stop() while the first drains never resolves (@apollo/server 5.5.1), so every
   * caller shares the first.
   */
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    draining = true;
    closing ??= apollo.stop();
    return closing;
  };
  return {
    server,
    apollo,
    schema: options.schema,
    async listen(port = 0, host = '127.0.0.1'): Promise<RunningServer> {
      const url = await listen(server, port, host, options.name);
      return { server, url, close };
    },
    close,
  };
}

/** What a subgraph runs beside its HTTP server: timers, pollers, sweeps, and what they hold. */
export interface BackgroundWork {
  /** Starts the work once the server listens (never before: a server built for a test stays idle). */
  start(): void;
  /** Stops starting new runs; called before the server drains. */
  stop?(): void;
  /** Ends what the work and the resolvers held (pools, clients); called after the server has drained. */
  release?(): Promise<void>;
}

/**
 * A subgraph server with background work: started when it listens; on close the work stops first,
 * then requests in flight drain, then its resources are released. The same order whether the
 * caller closes the running server or the app.
 */
export function withBackgroundWork<T extends { listen(port?: number, host?: string): Promise<RunningServer>; close(): Promise<void> }>(app: T, work: BackgroundWork) {
  const shutDown = async (closeServer: () => Promise<void>) => {
    work.stop?.();
    await closeServer();
    await work.release?.();
  };
  return {
    ...app,
    async listen(port = 0, host = '127.0.0.1'): Promise<RunningServer> {
      const running = await app.listen(port, host);
      work.start();
      return { ...running, close: () => shutDown(running.close) };
    },
    close: () => shutDown(() => app.close()),
  };
}

/** Listens and turns "port taken" into a message a person can act on. */
export function listen(server: http.Server, port: number, host: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new Error(`${name}: port ${port} on ${host} is already in use. Stop the other process or set PORT to a free port.`));
      } else reject(err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const addr = server.address() as AddressInfo;
      resolve(`http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`);
    });
  });
}
