import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloGateway, type SupergraphSdlHook } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Redis } from 'ioredis';
import {
  apolloLogger,
  closeServer,
  encodeCaller,
  ErrorCode,
  listen,
  maskError,
  sendJson,
  toHeaderMap,
  writeGraphQLResponse,
  type Caller,
  type Logger,
  type RunningServer,
} from '@gerbang/common';
import type { GatewayContext } from './context';
import { SignedDataSource } from './data-source';
import type { Identity } from './identity';
import { forApolloGateway, subgraphsOf, supergraphFromFile } from './supergraph';
import { AccessControl, accessPlugin } from './edge/access';
import { Admission, ClientGone, type AdmissionOptions } from './edge/admission';
import { costDirectivesFromSupergraph, OperationAnalyzer } from './edge/analysis';
import { auditPlugin, DEFAULT_PERSONAL_FIELDS, serveAccessLog, type AccessLog } from './edge/audit';
import { RedisKeyValueCache } from './edge/cache';
import { PUBLIC_CACHE_CONTROL, ResponseCache, type ResponseCacheOptions } from './edge/response-cache';
import { Cors } from './edge/cors';
import { checkCsrf } from './edge/csrf';
import { Explorer } from './edge/explorer';
import { GatewayHealth } from './edge/health';
import { INSIGHTS_EXPORT_PATH, proxyInsightsExport } from './edge/insights-export';
import { batchTooLarge, DEFAULT_LIMITS, QueryLimits, type LimitsByRole } from './edge/limits';
import { GatewayMetrics } from './edge/metrics';
import { checkPersistedQuery, PersistedPolicy, Safelist } from './edge/persisted';
import { RateLimitRefusal, RateLimits, type RateLimitOptions } from './edge/rate-limit';
import { EdgeRefusal, graphqlMediaType } from './edge/refusal';
import { clientAddress, compileTrustProxy, deviceIdOf, headerValue, operationsOf, publicAddress, readLimitedBody, resolvePersisted, type TrustProxySetting } from './edge/request';
import { withServerSpan } from './edge/telemetry';
import { executorKindFrom, withExecutor, type ExecutorKind } from './executor';
import { createLiveGateway, type LiveLimits } from './subscriptions';
import type { EventBus } from '@gerbang/common/events';
import type { GraphQLSchema } from 'graphql';

export interface GatewayOptions {
  logger: Logger;
  identity: Identity;
  /**
   * The file to serve (watched for changes), the SDL itself (tests), or a hook that serves and
   * updates it (the schema registry: @gerbang/registry's supergraphFromRegistry) with its first SDL.
   */
  supergraph: { path: string } | { sdl: string } | { sdl: string; hook: SupergraphSdlHook };
  /** Overrides of the subgraph URLs written in the supergraph, by subgraph name. */
  subgraphUrls?: Record<string, string>;
  internalSecret: string;
  subgraphTimeoutMs?: number;
  breaker?: { errorThresholdPercentage?: number; resetTimeoutMs?: number; volumeThreshold?: number };
  /** Share identical in-flight subgraph queries (default on). */
  dedupSubgraphFetches?: boolean;
  maxBodyBytes?: number;
  maxBatchSize?: number;
  /** Introspection for every caller; admins may always introspect. */
  introspection?: boolean;
  /** Query budgets per role (QUERY_LIMITS). */
  limits?: LimitsByRole;
  listSizeDefault?: number;
  /** Where personal-field reads are recorded. Required: there is no gateway without an access log. */
  accessLog: AccessLog;
  personalFields?: string[];
  /** Roles that pass the `owner` policy (`@policy(policies: [["owner"]])`). */
  ownerRoles?: string[];
  persisted?: { enforce: boolean; safelistClients?: string[]; adhocRoles?: string[]; safelist?: Safelist; apqTtlSeconds?: number };
  /** Rate limits; `false` turns them off (tests of other features only). */
  rateLimit?: Omit<RateLimitOptions, 'redis'> | false;
  /** Shared store for APQ and rate limits (REDIS_URL); memory when absent. */
  redis?: Redis;
  /** CORS allowlist; `*` for any origin. */
  corsOrigins?: string[];
  /** Bearer token required by GET /metrics, when set. */
  metricsToken?: string;
  /** Process metrics (CPU, memory, event loop) on /metrics: main.ts turns them on. */
  defaultMetrics?: boolean;
  /**
   * Which proxies in front are ours (TRUST_PROXY): the client address is then read from
   * X-Forwarded-For, from the right (edge/request.ts). `true` is one proxy.
   */
  trustProxy?: TrustProxySetting;
  /** How long one round of subgraph health probes is reused by every health request (default 5000 ms). */
  healthCacheMs?: number;
  /**
   * Other handlers, asked in order after the gateway's own paths (the portal's files, the dev IdP's
   * login page): each returns true once it has answered.
   */
  pages?: Array<(req: http.IncomingMessage, res: http.ServerResponse, url: URL, headers: Record<string, string>) => boolean | Promise<boolean>>;
  /** Extra handler tried before the GET routes (the schema registry's /registry/ API); true when it answered. */
  http?: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>;
  /** Extra GET routes (e.g. the dev IdP's JWKS). */
  routes?: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>>;
  /**
   * Admission control: operations execute at most `limit` at once, the limit adapted to the
   * event loop's load (edge/admission.ts). On by default; `false` turns it off.
   */
  admission?: AdmissionOptions | false;
  /** Extra Apollo Server plugins. */
  plugins?: ApolloServerPlugin<GatewayContext>[];
  /**
   * GraphiQL, served from the gateway's own origin at GET /graphql to browsers (edge/explorer.ts):
   * development only (EXPLORER). Off: no landing page at all (Apollo's loads from a CDN).
   */
  explorer?: boolean;
  /** Which executor runs query plans (GATEWAY_EXECUTOR; default: that variable, else `gerbang`). */
  executor?: ExecutorKind;
  /** The response cache for public reads (edge/response-cache.ts): where invalidations come from, the store; none when absent. */
  responseCache?: Omit<ResponseCacheOptions, 'logger' | 'registry'>;
  /**
   * The event bus the ticket ledger publishes on: turns on subscriptions (graphql-ws over WebSocket,
   * graphql-sse) on /graphql, with these limits (src/subscriptions; gateway/README.md § Subscriptions).
   */
  events?: EventBus;
  live?: Partial<LiveLimits>;
}

/**
 * common's maskError, plus: an error whose code is INTERNAL_SERVER_ERROR is unexpected whatever
 * its message (Apollo Server gives that code to every plain Error, and subgraphs pass theirs on),
 * so its message never reaches a client.
 */
export function maskGatewayError(formatted: GraphQLFormattedError, onUnexpected: () => void): GraphQLFormattedError {
  if (formatted.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR || formatted.extensions?.code === undefined) {
    onUnexpected();
    return {
      message: 'Internal error.',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  }
  return maskError(formatted, onUnexpected);
}

/** Callers come from the identity cache (the same object per token): encode each once. */
const encodedCallers = new WeakMap<Caller, string>();
function callerHeaderOf(caller: Caller): string {
  let header = encodedCallers.get(caller);
  if (!header) encodedCallers.set(caller, (header = encodeCaller(caller)));
  return header;
}

function withClient(caller: Caller, ip: string | undefined, deviceId: string | undefined): Caller {
  return { ...caller, ...(ip ? { ip } : {}), ...(deviceId ? { deviceId } : {}) };
}

export const DEFAULT_RATE_LIMITS: Omit<RateLimitOptions, 'redis'> = { userPerMinute: 120, userBurst: 60, anonymousPerMinute: 60, clientPerMinute: 6_000 };

/**
 * The one endpoint. Per request, in this order, each step refusing with a stable code and no data,
 * in the media type the client accepts (application/graphql-response+json when it does):
 *   CORS → method and CSRF (METHOD_NOT_ALLOWED, 405; a simple POST: BAD_REQUEST) → identity
 *   (UNAUTHENTICATED) → the caller's rate limit (RATE_LIMITED, 429) → body size and batch size
 *   (QUERY_TOO_COMPLEX) → persisted-operation safelist (PERSISTED_QUERY_REQUIRED) → query budget
 *   of the caller's roles (QUERY_TOO_COMPLEX) → the operation to run (OPERATION_RESOLUTION_FAILURE;
 *   a mutation over GET: METHOD_NOT_ALLOWED, 405) → on mutations, the client's device id
 *   (BAD_USER_INPUT if malformed) → the client application's budget, past it only for callers
 *   over their share (RATE_LIMITED, 429) → admission: a slot to execute in (OVERLOADED, 503) → Apollo
 *   Server: parse, validate, @authenticated/@requiresScopes/@policy (UNAUTHENTICATED / FORBIDDEN) → query plan → signed subgraph
 *   calls → access log.
 * The edge steps run on cached analyses of the operation text, so a repeated operation costs
 * Map lookups, not schema walks.
 */
export async function createGateway(options: GatewayOptions) {
  const { logger } = options;
  const initialSdl = 'sdl' in options.supergraph ? options.supergraph.sdl : readFileSync(options.supergraph.path, 'utf8');
  const urlOf = (name: string, url: string) => options.subgraphUrls?.[name] ?? url;
  let subgraphs = subgraphsOf(initialSdl).map((s) => ({ ...s, url: urlOf(s.name, s.url) }));

  const safelist = options.persisted?.safelist ?? Safelist.fromFile();
  const metrics = new GatewayMetrics({ knownOperations: safelist.names(), defaultMetrics: options.defaultMetrics ?? false });
  const limits = new QueryLimits(options.limits ?? DEFAULT_LIMITS);
  const analyzer = new OperationAnalyzer({ maxTokens: limits.maxTokens, maxNesting: limits.maxNesting, listSizeDefault: options.listSizeDefault ?? 10 });
  const policy = new PersistedPolicy(safelist, {
    enforce: options.persisted?.enforce ?? false,
    safelistClients: options.persisted?.safelistClients ?? ['portal', 'mobile'],
    adhocRoles: options.persisted?.adhocRoles ?? ['analyst', 'admin'],
  });
  const access = new AccessControl({
    ownerRoles: options.ownerRoles ?? ['citizen', 'officer', 'hr'],
    introspection: options.introspection ?? true,
    personalFields: options.personalFields ?? DEFAULT_PERSONAL_FIELDS,
  });
  const rateLimits = options.rateLimit === false ? undefined : new RateLimits({ ...(options.rateLimit ?? DEFAULT_RATE_LIMITS), ...(options.redis ? { redis: options.redis } : {}) });
  const apqTtl = options.persisted?.apqTtlSeconds ?? 86_400;
  const apqCache: KeyValueCache<string> = options.redis
    ? new RedisKeyValueCache(options.redis, 'gerbang:', apqTtl)
    : new InMemoryLRUCache<string>({ maxSize: 16 * 1024 * 1024, sizeCalculation: (v) => v.length || 1 });
  const cors = new Cors(options.corsOrigins ?? ['*']);
  const trustProxy = compileTrustProxy(options.trustProxy);
  const maxBody = options.maxBodyBytes ?? 1_000_000;
  const maxBatch = options.maxBatchSize ?? 10;
  const admission = options.admission === false ? undefined : new Admission(options.admission ?? {});
  const explorer = options.explorer ? new Explorer() : undefined;
  if (admission) metrics.watchAdmission(admission);
  const cache = options.responseCache ? new ResponseCache({ ...options.responseCache, logger, registry: metrics.registry }) : undefined;

  const dataSources: SignedDataSource[] = [];
  const staticHook: SupergraphSdlHook = async () => ({ supergraphSdl: initialSdl });
  // @apollo/gateway otherwise reports usage metrics to Apollo's servers from every process, probing
  // the cloud-metadata addresses of AWS, GCP and Azure first (the stray non-JSON
  // "MetadataLookupWarning" at start): a regency's hub sends nothing abroad that nobody decided on.
  // An operator who wants it sets APOLLO_TELEMETRY_DISABLED=false explicitly.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  // @apollo/gateway gets the supergraph without the authorization directives it refuses; the full
  // one feeds the access rules and the cost analysis.
  const supergraph = forApolloGateway('path' in options.supergraph ? supergraphFromFile(options.supergraph.path, logger) : 'hook' in options.supergraph ? options.supergraph.hook : staticHook);
  const gateway = new ApolloGateway({
    logger: apolloLogger(logger),
    supergraphSdl: supergraph.hook,
    buildService: ({ name, url }) => {
      const source = new SignedDataSource(name, urlOf(name, url!), {
        secret: options.internalSecret,
        timeoutMs: options.subgraphTimeoutMs ?? 10_000,
        logger,
        metrics,
        ...(options.breaker ? { breaker: options.breaker } : {}),
        dedup: options.dedupSubgraphFetches ?? true,
      });
      dataSources.push(source);
      return source;
    },
  });
  let supergraphLoaded = false;
  let currentApiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl, apiSchema }) => {
    supergraphLoaded = true;
    currentApiSchema = apiSchema;
    subgraphs = subgraphsOf(coreSupergraphSdl).map((s) => ({ ...s, url: urlOf(s.name, s.url) }));
    const fullSdl = supergraph.full(coreSupergraphSdl);
    access.load(fullSdl);
    analyzer.setSchema(apiSchema, costDirectivesFromSupergraph(fullSdl));
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway: withExecutor(gateway, options.executor ?? executorKindFrom(process.env.GATEWAY_EXECUTOR)),
    logger: apolloLogger(logger),
    // Introspection is decided per caller by the access plugin (admins may, others per setting).
    introspection: true,
    // CSRF is judged at the edge (edge/csrf.ts): Apollo Server's check refuses every GET that lacks
    // a special header, i.e. every query of a standard GET client (urql 6), while the gateway's
    // identity comes only from a bearer token no browser attaches by itself.
    csrfPrevention: false,
    allowBatchedHttpRequests: true,
    parseOptions: { maxTokens: limits.maxTokens },
    persistedQueries: { cache: apqCache, ttl: apqTtl },
    includeStacktraceInErrorResponses: false,
    // No Apollo landing page: its Sandbox loads from a CDN (useless offline) and production needs
    // none; in development the edge serves GraphiQL from the gateway itself (options.explorer).
    plugins: [ApolloServerPluginLandingPageDisabled(), accessPlugin(access), auditPlugin(options.accessLog), ...(options.plugins ?? [])],
    formatError: (formatted, error) => {
      const out = maskGatewayError(formatted, () => logger.error({ err: error, path: formatted.path }, 'unexpected error'));
      metrics.errors.inc({ code: String(out.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR) });
      return out;
    },
  });
  await apollo.start();

  const live = options.events
    ? await createLiveGateway({
        bus: options.events,
        identity: options.identity,
        apollo,
        schema: () => currentApiSchema,
        access,
        analyzer,
        limits,
        safelist,
        policy,
        ratingsUrl: () => subgraphs.find((s) => s.name === 'ratings')?.url.replace(/\/graphql\/?$/, ''),
        internalSecret: options.internalSecret,
        registry: metrics.registry,
        logger,
        clientAddress: (req) => clientAddress(req, trustProxy),
        ...(options.live ? { live: options.live } : {}),
      })
    : undefined;

  const health = new GatewayHealth({
    subgraphs: () => subgraphs,
    // The newest data source of that name: a supergraph reload builds new ones.
    circuitOf: (name) => dataSources.findLast((d) => d.serviceName === name)?.upstream.state,
    ready: {
      supergraph: async () => {
        if (!supergraphLoaded) throw new Error('no supergraph loaded yet');
      },
      accessLog: () => options.accessLog.ping(),
    },
    optional: options.redis ? { redis: () => options.redis!.ping() } : {},
    ...(options.healthCacheMs !== undefined ? { subgraphCacheMs: options.healthCacheMs } : {}),
    ...(options.metricsToken ? { token: options.metricsToken } : {}),
  });

  const callerOf = async (req: http.IncomingMessage): Promise<Caller> => {
    try {
      return await options.identity.callerFrom(req.headers.authorization);
    } catch (err) {
      if (err instanceof GraphQLError) throw new EdgeRefusal(401, String(err.extensions.code ?? ErrorCode.UNAUTHENTICATED), err.message);
      throw err;
    }
  };

  /** Everything the edge checks before Apollo Server sees the request. */
  const handleGraphQL = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL, requestId: string, baseHeaders: Record<string, string>, track: { operation: string }) => {
    const log = logger.child({ requestId });
    const caller = await callerOf(req);
    const clientName = headerValue(req, 'apollographql-client-name');
    const address = clientAddress(req, trustProxy);
    await rateLimits?.consumeCaller(caller, address);

    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readLimitedBody(req, maxBody);
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new EdgeRefusal(400, 'BAD_REQUEST', 'The request body is not valid JSON.');
      }
    }
    const { ops, batch } = operationsOf(req.method!, url.searchParams, body);
    if (batch && ops.length > maxBatch) throw batchTooLarge(ops.length, maxBatch);
    if (batch && ops.length > 1) await rateLimits?.consumeCaller(caller, address, ops.length - 1);

    let mutation = false;
    for (const op of ops) {
      checkPersistedQuery(op);
      const filled = await resolvePersisted(op, safelist, apqCache);
      if (filled && req.method === 'GET') url.searchParams.set('query', op.query as string);
      if (typeof op.query !== 'string') continue;
      const analysis = analyzer.analyze(op.query);
      policy.check(analysis, caller, clientName);
      const operationName = typeof op.operationName === 'string' ? op.operationName : undefined;
      const variables = op.variables && typeof op.variables === 'object' ? (op.variables as Record<string, unknown>) : undefined;
      limits.check(analyzer, analysis, operationName, variables, caller.roles);
      // The operation that runs: the one named, or the document's only one.
      const name = operationName ?? (analysis.operations.size === 1 ? analysis.operations.keys().next().value : undefined);
      // A client's mistake, refused here: Apollo Server leaves it to the executor, and
      // @apollo/gateway's error for it has no client code (it would be masked as a 500).
      if (analysis.document && (name === undefined ? analysis.operations.size > 1 : !analysis.operations.has(name))) {
        throw new EdgeRefusal(400, 'OPERATION_RESOLUTION_FAILURE', name === undefined ? 'Name the operation to run: the document holds more than one.' : `The document holds no operation named "${name.slice(0, 100)}".`);
      }
      if (name !== undefined && analysis.operations.get(name)?.subscription) {
        throw new EdgeRefusal(400, 'BAD_REQUEST', 'Subscriptions are served over WebSocket (graphql-ws) or SSE (Accept: text/event-stream) on /graphql.');
      }
      if (name !== undefined && analysis.operations.get(name)?.mutation) {
        // GraphQL over HTTP: GET is safe and may be cached or prefetched, so it carries queries only.
        if (req.method === 'GET') throw new EdgeRefusal(405, ErrorCode.METHOD_NOT_ALLOWED, 'Mutations must be sent with POST.', { method: 'GET' }, { allow: 'POST' });
        mutation = true;
      }
      if (track.operation === 'anonymous') track.operation = metrics.operationLabel(name);
    }

    // Mutations tell subgraphs where they came from (Caller.deviceId / ip); queries do not.
    const callerHeader = mutation ? encodeCaller(withClient(caller, publicAddress(address), deviceIdOf(req))) : callerHeaderOf(caller);

    // The client application's budget counts what will run: an operation the edge refused above
    // costs the subgraphs nothing (and a caller flooding under a client's name is refused alone:
    // ClientBudget).
    await rateLimits?.consumeClient(clientName, caller, address, Math.max(1, ops.length));

    // A public read may be answered from the response cache (edge/response-cache.ts): after every
    // check above, so budgets and limits count it as any other request.
    const cacheKey = cache && !mutation && !batch && ops.length === 1 && typeof ops[0]!.query === 'string' ? cache.keyOf(ops[0] as { query: string }, caller) : undefined;
    let filled: ((stored: string | undefined) => void) | undefined;
    if (cacheKey) {
      let hit = await cache!.lookup(cacheKey);
      if (hit === undefined) {
        // The same answer being built for another request: wait for it rather than build it again.
        const joined = cache!.join(cacheKey);
        if ('wait' in joined) hit = await joined.wait;
        else filled = joined.done;
      }
      if (hit !== undefined) {
        res.writeHead(200, { ...baseHeaders, 'content-type': graphqlMediaType(req.headers.accept), 'content-length': Buffer.byteLength(hit), 'cache-control': 'no-cache', 'gerbang-cache': 'hit' });
        res.end(hit);
        return;
      }
    }
    const cacheBegan = cache?.begin() ?? 0;

    let stored: string | undefined;
    // Every check above is cheap and refuses at once; execution waits for a slot.
    let release: Awaited<ReturnType<Admission['acquire']>> | undefined;
    try {
      release = await admission?.acquire(() => req.socket.destroyed);
    } catch (err) {
      filled?.(undefined);
      throw err;
    }
    try {
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method!, headers: toHeaderMap(req.headers), search: url.search, body },
        context: async () => ({
          requestId,
          caller,
          callerHeader,
          logger: log,
          ...(clientName ? { clientName } : {}),
        }),
      });
      if (cache) {
        const cacheControl = result.headers.get('cache-control');
        if (cacheControl && PUBLIC_CACHE_CONTROL.test(cacheControl)) {
          if (cacheKey && result.body.kind === 'complete' && cache.offer(cacheKey, cacheBegan, cacheControl, result.body.string)) stored = result.body.string;
          // Reused by the gateway, invalidated on change: clients ask again rather than keep a copy.
          result.headers.set('cache-control', 'no-cache');
          if (cacheKey) result.headers.set('gerbang-cache', 'miss');
        }
      }
      await writeGraphQLResponse(res, result, baseHeaders);
    } finally {
      release?.();
      // Requests waiting for this answer get it (or build their own).
      filled?.(stored);
    }
  };

  const server = http.createServer(async (req, res) => {
    const started = performance.now();
    const requestId = headerValue(req, 'x-request-id', 100) ?? randomUUID();
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const baseHeaders: Record<string, string> = { 'x-request-id': requestId, ...cors.headers(req) };
    const track = { operation: 'anonymous' };
    const explorerPage = explorer !== undefined && url.pathname === '/graphql' && Explorer.wantsPage(req);
    const isGraphQL = url.pathname === '/graphql' && !explorerPage;
    try {
      if (req.method === 'OPTIONS') return cors.preflight(req, res);
      if (explorerPage) return explorer.servePage(req, res, baseHeaders);
      if (explorer && req.method === 'GET' && explorer.serveAsset(req, res, url.pathname, baseHeaders)) return;
      if (req.method === 'GET' && (url.pathname === '/health' || url.pathname.startsWith('/health/')) && (await health.serve(url.pathname, req, res, baseHeaders))) return;
      if (url.pathname === '/metrics' && req.method === 'GET') {
        if (options.metricsToken && req.headers.authorization !== `Bearer ${options.metricsToken}`) return sendJson(res, 401, { error: 'unauthorized' });
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        return res.end(text);
      }
      if (url.pathname === '/admin/access-log' && req.method === 'GET') {
        return await serveAccessLog(req, res, options.accessLog, await callerOf(req), requestId);
      }
      if (url.pathname === INSIGHTS_EXPORT_PATH) {
        // Analysts' streamed exports: the same identity and rate limit as /graphql (edge/insights-export.ts).
        const caller = await callerOf(req);
        await rateLimits?.consumeCaller(caller, clientAddress(req, trustProxy));
        return await proxyInsightsExport(req, res, { caller, subgraphUrl: subgraphs.find((s) => s.name === 'insights')?.url, secret: options.internalSecret, requestId, baseHeaders, logger });
      }
      if (options.http && (await options.http(req, res, url))) return;
      const route = options.routes?.[url.pathname];
      if (route && req.method === 'GET') return await route(req, res);
      if (!isGraphQL) for (const page of options.pages ?? []) if (await page(req, res, url, baseHeaders)) return;
      if (!isGraphQL) return sendJson(res, 404, { error: 'not found' });
      if (live?.wantsSse(req)) return await live.serveSse(req, res, baseHeaders);
      if (req.method !== 'POST' && req.method !== 'GET') throw new EdgeRefusal(405, ErrorCode.METHOD_NOT_ALLOWED, 'GraphQL requests use GET (queries) or POST.', { method: req.method }, { allow: 'GET, POST' });
      checkCsrf(req);
      await withServerSpan(`${req.method} /graphql`, { 'http.method': req.method, 'gerbang.request_id': requestId }, () =>
        handleGraphQL(req, res, url, requestId, baseHeaders, track),
      );
    } catch (err) {
      if (err instanceof ClientGone) {
        // Nobody to answer: recorded as nginx's 499 (client closed request).
        res.statusCode = 499;
        res.destroy();
        return;
      }
      if (err instanceof EdgeRefusal) {
        metrics.errors.inc({ code: err.code });
        if (err instanceof RateLimitRefusal) metrics.rateLimited.inc({ scope: err.scope });
        logger.info({ requestId, code: err.code, ...err.extensions }, 'request refused at the edge');
        if (!res.headersSent) err.send(res, baseHeaders, req.headers.accept);
        return;
      }
      logger.error({ err, requestId }, 'request failed');
      metrics.errors.inc({ code: ErrorCode.INTERNAL_SERVER_ERROR });
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal error.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] }, { ...baseHeaders, 'content-type': graphqlMediaType(req.headers.accept) });
      else res.destroy();
    } finally {
      if (isGraphQL && req.method !== 'OPTIONS') {
        const seconds = (performance.now() - started) / 1000;
        metrics.requests.inc({ operation: track.operation, status: String(res.statusCode) });
        metrics.duration.observe({ operation: track.operation }, seconds);
        logger.info({ requestId, operation: track.operation, status: res.statusCode, ms: Math.round(seconds * 1000), client: headerValue(req, 'apollographql-client-name') }, 'graphql request');
      }
    }
  });
  server.keepAliveTimeout = 65_000;
  server.on('upgrade', (req, socket, head) => (live ? live.handleUpgrade(req, socket, head) : socket.destroy()));

  return {
    server,
    apollo,
    gateway,
    health,
    metrics,
    access,
    admission,
    dataSources,
    responseCache: cache,
    live,
    async listen(port = 0, host = '127.0.0.1'): Promise<RunningServer> {
      const url = await listen(server, port, host, 'gateway');
      return { server, url, close: () => this.close() };
    },
    async close() {
      await live?.close();
      await closeServer(server);
      admission?.close();
      await cache?.close();
      await apollo.stop();
      for (const s of dataSources) s.shutdown();
      await options.accessLog.flush();
    },
  };
}
