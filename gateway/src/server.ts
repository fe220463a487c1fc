import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloGateway, type SupergraphSdlHook } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import {
  closeServer,
  encodeCaller,
  ErrorCode,
  listen,
  maskError,
  readBody,
  sendJson,
  toHeaderMap,
  writeGraphQLResponse,
  type Logger,
  type RunningServer,
} from '@gerbang/common';
import type { GatewayContext } from './context';
import { SignedDataSource } from './data-source';
import type { Identity } from './identity';
import { subgraphsOf, supergraphFromFile } from './supergraph';

export interface GatewayOptions {
  logger: Logger;
  identity: Identity;
  /** The file to serve (watched for changes), or the SDL itself (tests). */
  supergraph: { path: string } | { sdl: string };
  /** Overrides of the subgraph URLs written in the supergraph, by subgraph name. */
  subgraphUrls?: Record<string, string>;
  internalSecret: string;
  subgraphTimeoutMs?: number;
  maxBodyBytes?: number;
  introspection?: boolean;
  /** Extra GET routes (e.g. the dev IdP's JWKS). */
  routes?: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>>;
}

export async function createGateway(options: GatewayOptions) {
  const { logger } = options;
  const initialSdl = 'sdl' in options.supergraph ? options.supergraph.sdl : readFileSync(options.supergraph.path, 'utf8');
  const urlOf = (name: string, url: string) => options.subgraphUrls?.[name] ?? url;
  let subgraphs = subgraphsOf(initialSdl).map((s) => ({ ...s, url: urlOf(s.name, s.url) }));

  const staticHook: SupergraphSdlHook = async () => ({ supergraphSdl: initialSdl });
  const gateway = new ApolloGateway({
    supergraphSdl: 'path' in options.supergraph ? supergraphFromFile(options.supergraph.path, logger) : staticHook,
    buildService: ({ name, url }) =>
      new SignedDataSource(name, urlOf(name, url!), {
        secret: options.internalSecret,
        timeoutMs: options.subgraphTimeoutMs ?? 10_000,
        logger,
      }),
  });
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    subgraphs = subgraphsOf(coreSupergraphSdl).map((s) => ({ ...s, url: urlOf(s.name, s.url) }));
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: options.introspection ?? true,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) =>
      maskError(formatted, () => logger.error({ err: error, path: formatted.path }, 'unexpected error')),
  });
  await apollo.start();

  const maxBody = options.maxBodyBytes ?? 1_000_000;

  const health = async () => {
    const results = await Promise.all(
      subgraphs.map(async (s) => {
        try {
          const res = await fetch(s.url.replace(/\/graphql$/, '/health'), { signal: AbortSignal.timeout(2_000) });
          return { name: s.name, ok: res.ok };
        } catch {
          return { name: s.name, ok: false };
        }
      }),
    );
    return { ok: results.every((r) => r.ok), subgraphs: Object.fromEntries(results.map((r) => [r.name, r.ok ? 'up' : 'down'])) };
  };

  const server = http.createServer(async (req, res) => {
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) ?? randomUUID();
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    try {
      if (url.pathname === '/health' && req.method === 'GET') {
        const h = await health();
        return sendJson(res, h.ok ? 200 : 503, { status: h.ok ? 'ok' : 'degraded', subgraphs: h.subgraphs });
      }
      const route = options.routes?.[url.pathname];
      if (route && req.method === 'GET') return await route(req, res);
      if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found' });
      if (req.method !== 'POST' && req.method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET, POST' });

      const log = logger.child({ requestId });
      let caller;
      try {
        caller = await options.identity.callerFrom(req.headers.authorization);
      } catch (err) {
        if (err instanceof GraphQLError) return sendErrors(res, 401, err, requestId);
        throw err;
      }
      let body: unknown;
      if (req.method === 'POST') {
        const raw = await readBody(req, maxBody);
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return sendErrors(res, 400, new GraphQLError('The request body is not valid JSON.', { extensions: { code: 'BAD_REQUEST' } }), requestId);
        }
      }
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method, headers: toHeaderMap(req.headers), search: url.search, body },
        context: async () => ({ requestId, caller, callerHeader: encodeCaller(caller), logger: log }),
      });
      await writeGraphQLResponse(res, result, { 'x-request-id': requestId });
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      if (status === 413) {
        return sendErrors(res, 413, new GraphQLError(`The request body is larger than ${maxBody} bytes.`, { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, maxBodyBytes: maxBody } }), requestId);
      }
      logger.error({ err, requestId }, 'request failed');
      if (!res.headersSent) sendErrors(res, 500, new GraphQLError('Internal error.', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }), requestId);
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 65_000;

  return {
    server,
    apollo,
    gateway,
    health,
    async listen(port = 0, host = '127.0.0.1'): Promise<RunningServer> {
      const url = await listen(server, port, host, 'gateway');
      return { server, url, close: () => this.close() };
    },
    async close() {
      await closeServer(server);
      await apollo.stop();
    },
  };
}

function sendErrors(res: http.ServerResponse, status: number, error: GraphQLError, requestId: string) {
  sendJson(res, status, { errors: [{ message: error.message, extensions: error.extensions }] }, { 'x-request-id': requestId });
}
