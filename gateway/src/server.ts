import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloGateway, type SupergraphSdlHook } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import { apolloLogger, bearerMatches, encodeCaller, ErrorCode, listen, maskError, sendJson, type AccessLog, type Logger, type RunningServer } from '@gerbang/common';
import type { EventBus } from '@gerbang/common/events';
import { DEFAULT_PERSONAL_FIELDS, DEFAULT_RATE_LIMITS } from './config';
import { GATEWAY_DEFAULTS } from './defaults';
import type { GatewayContext } from './context';
import { SignedDataSource } from './data-source';
import type { Identity } from './identity';
import { forApolloGateway, subgraphsOf, supergraphFromFile } from './supergraph';
import { AccessControl, accessPlugin } from './edge/access';
import { ACCESS_LOG_PATH, serveAccessLog } from './edge/access-log-route';
import { Admission, ClientGone, type AdmissionOptions } from './edge/admission';
import { costDirectivesFromSupergraph, OperationAnalyzer } from './edge/analysis';
import { auditPlugin } from './edge/audit';
import { RedisKeyValueCache } from './edge/cache';
import { Cors } from './edge/cors';
import { Explorer } from './edge/explorer';
import { GatewayHealth } from './edge/health';
import { INSIGHTS_EXPORT_PATH, proxyInsightsExport } from './edge/insights-export';
import { DEFAULT_LIMITS, QueryLimits, type LimitsByRole } from './edge/limits';
import { GatewayMetrics } from './edge/metrics';
import { PersistedPolicy, Safelist } from './edge/persisted';
import { RateLimitRefusal, RateLimits, type RateLimitOptions } from './edge/rate-limit';
import { EdgeRefusal, graphqlMediaType } from './edge/refusal';
import { clientAddress, compileTrustProxy, headerValue, type TrustProxySetting } from './edge/request';
import { ResponseCache, type ResponseCacheOptions } from './edge/response-cache';
import { executorKindFrom, withExecutor, type ExecutorKind } from './executor';
import type { SharingRules } from './executor/sharing';
import { admissionStep } from './pipeline/admission';
import { analysisStep, budgetsStep } from './pipeline/analysis';
import { bodyStep } from './pipeline/body';
import { clientContext } from './pipeline/client-context';
import { executeStep } from './pipeline/execute';
import { csrf, httpMethod, serverSpan } from './pipeline/http';
import { identify, identityStep } from './pipeline/identity';
import { operationStep } from './pipeline/operation';
import { persistedOperations, safelistPolicy } from './pipeline/persisted';
import { batchRateLimit, callerRateLimit, clientBudget } from './pipeline/rate-limit';
import { responseCacheStep } from './pipeline/response-cache';
import { batchRefusals, composeSteps, newEdgeContext, type EdgeContext } from './pipeline/step';
import { createLiveGateway, type LiveLimits } from './subscriptions';

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
  /**
   * Share them between callers too where that is sound (SUBGRAPH_SHARING=public; default on; with
   * Gerbang's executor only): see data-source.ts and executor/sharing.ts.
   */
  shareAcrossCallers?: boolean;
  /** Subgraphs whose answers the operator declares the same for every caller (SUBGRAPH_CALLER_INDEPENDENT). */
  callerIndependentSubgraphs?: string[];
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
  pages?: ((req: http.IncomingMessage, res: http.ServerResponse, url: URL, headers: Record<string, string>) => boolean | Promise<boolean>)[];
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
  /**
   * How long `close` (a shutdown) lets requests in flight, streamed exports included, finish before
   * their connections are cut (SHUTDOWN_DRAIN_MS; default 10 s).
   */
  shutdownDrainMs?: number;
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

/**
 * The one endpoint: HTTP routing (health, metrics, the access log, pages) and, on /graphql, the
 * edge pipeline below (one list of steps, gateway/src/pipeline), then Apollo Server: parse,
 * validate, @authenticated/@requiresScopes/@policy (UNAUTHENTICATED / FORBIDDEN) → query plan → signed subgraph calls → access
 * log. The edge steps run on cached analyses of the operation text, so a repeated operation costs
 * Map lookups, not schema walks.
 */
export async function createGateway(options: GatewayOptions) {
  const { logger } = options;
  const initialSdl = 'sdl' in options.supergraph ? options.supergraph.sdl : readFileSync(options.supergraph.path, 'utf8');
  const urlOf = (name: string, url: string) => options.subgraphUrls?.[name] ?? url;
  let subgraphs = subgraphsOf(initialSdl).map((s) => ({ ...s, url: urlOf(s.name, s.url) }));

  const defaults = GATEWAY_DEFAULTS;
  const safelist = options.persisted?.safelist ?? Safelist.fromFile();
  const metrics = new GatewayMetrics({ knownOperations: safelist.names(), defaultMetrics: options.defaultMetrics ?? false });
  const limits = new QueryLimits(options.limits ?? DEFAULT_LIMITS);
  const analyzer = new OperationAnalyzer({ maxTokens: limits.maxTokens, maxNesting: limits.maxNesting, listSizeDefault: options.listSizeDefault ?? defaults.listSizeDefault });
  const policy = new PersistedPolicy(safelist, {
    enforce: options.persisted?.enforce ?? false,
    safelistClients: options.persisted?.safelistClients ?? defaults.safelistClients,
    adhocRoles: options.persisted?.adhocRoles ?? defaults.adhocRoles,
  });
  const personalFields = new Set(options.personalFields ?? DEFAULT_PERSONAL_FIELDS);
  const access = new AccessControl({
    ownerRoles: options.ownerRoles ?? defaults.ownerRoles,
    introspection: options.introspection ?? defaults.introspection,
    personalFields: [...personalFields],
  });
  /** What the executor reads to mark fetches shareable between callers (replaced with each supergraph). */
  let sharingRules: SharingRules | undefined;
  const rateLimits = options.rateLimit === false ? undefined : new RateLimits({ ...(options.rateLimit ?? DEFAULT_RATE_LIMITS), ...(options.redis ? { redis: options.redis } : {}) });
  const apqTtl = options.persisted?.apqTtlSeconds ?? defaults.apqTtlSeconds;
  const apqCache: KeyValueCache = options.redis
    ? new RedisKeyValueCache(options.redis, 'gerbang:', apqTtl)
    : new InMemoryLRUCache<string>({ maxSize: defaults.apqMemoryBytes, sizeCalculation: (v) => v.length || 1 });
  const cors = new Cors(options.corsOrigins ?? defaults.corsOrigins);
  const trustProxy = compileTrustProxy(options.trustProxy);
  const admission = options.admission === false ? undefined : new Admission(options.admission ?? defaults.admission);
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
        timeoutMs: options.subgraphTimeoutMs ?? defaults.subgraphTimeoutMs,
        logger,
        metrics,
        breaker: { ...defaults.breaker, ...options.breaker },
        dedup: options.dedupSubgraphFetches ?? defaults.dedupSubgraphFetches,
        shareAcrossCallers: options.shareAcrossCallers ?? defaults.shareAcrossCallers,
        callerIndependent: (options.callerIndependentSubgraphs ?? []).includes(name),
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
    sharingRules = { access: access.loadedRules, personal: personalFields };
    analyzer.setSchema(apiSchema, costDirectivesFromSupergraph(fullSdl));
  });

  // Created before Apollo Server, whose drain plugin watches it; the request handler is added below.
  const server = http.createServer();
  const apollo = new ApolloServer<GatewayContext>({
    gateway: withExecutor(gateway, options.executor ?? executorKindFrom(process.env.GATEWAY_EXECUTOR), () => sharingRules),
    logger: apolloLogger(logger),
    // Introspection is decided per caller by the access plugin (admins may, others per setting).
    introspection: true,
    // CSRF is judged at the edge (edge/csrf.ts): Apollo Server's check refuses every GET that lacks
    // a special header, i.e. every query of a standard GET client (urql 6), while the gateway's
    // identity comes only from a bearer token no browser attaches by itself.
    csrfPrevention: false,
    allowBatchedHttpRequests: true,
    parseOptions: { maxLexicalTokens: limits.maxTokens },
    persistedQueries: { cache: apqCache, ttl: apqTtl },
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGINT/SIGTERM (drain, then close the pools, then exit 0); Apollo Server's own
    // handlers would stop it a second time and re-raise the signal, killing the process mid-close.
    stopOnTerminationSignals: false,
    // No Apollo landing page: its Sandbox loads from a CDN (useless offline) and production needs
    // none; in development the edge serves GraphiQL from the gateway itself (options.explorer).
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // apollo.stop() (close below): the server stops accepting connections, idle keep-alive ones
      // are closed, each busy one once its answer is sent; at the deadline the rest are cut.
      ApolloServerPluginDrainHttpServer({ httpServer: server, stopGracePeriodMillis: options.shutdownDrainMs ?? defaults.shutdownDrainMs }),
      accessPlugin(access),
      auditPlugin(options.accessLog),
      ...(options.plugins ?? []),
    ],
    formatError: (formatted, error) => {
      const out = maskGatewayError(formatted, () => logger.error({ err: error, path: formatted.path }, 'unexpected error'));
      metrics.errors.inc({ code: typeof out.extensions?.code === 'string' ? out.extensions.code : ErrorCode.INTERNAL_SERVER_ERROR });
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

  /**
   * The edge, in order: each step refuses with a stable code and no data (in the media type the
   * client accepts), answers, or passes the request on (pipeline/step.ts).
   */
  const pipeline = composeSteps([
    httpMethod,
    csrf,
    serverSpan,
    identityStep(options.identity),
    rateLimits && callerRateLimit(rateLimits),
    bodyStep({ maxBodyBytes: options.maxBodyBytes ?? defaults.maxBodyBytes, maxBatchSize: options.maxBatchSize ?? defaults.maxBatchSize }),
    rateLimits && batchRateLimit(rateLimits),
    persistedOperations(safelist, apqCache),
    analysisStep(analyzer),
    safelistPolicy(policy),
    budgetsStep(analyzer, limits),
    operationStep(metrics),
    batchRefusals,
    clientContext,
    rateLimits && clientBudget(rateLimits),
    cache && responseCacheStep(cache),
    admission && admissionStep(admission),
    executeStep(apollo, logger),
  ]);

  server.on('request', async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const started = performance.now();
    const requestId = headerValue(req, 'x-request-id', 100) ?? randomUUID();
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const baseHeaders: Record<string, string> = { 'x-request-id': requestId, ...cors.headers(req) };
    const explorerPage = explorer !== undefined && url.pathname === '/graphql' && Explorer.wantsPage(req);
    const isGraphQL = url.pathname === '/graphql' && !explorerPage;
    let ctx: EdgeContext | undefined;
    try {
      if (req.method === 'OPTIONS') return cors.preflight(req, res);
      if (explorerPage) return explorer.servePage(req, res, baseHeaders);
      if (explorer && req.method === 'GET' && explorer.serveAsset(req, res, url.pathname, baseHeaders)) return;
      if (req.method === 'GET' && (url.pathname === '/health' || url.pathname.startsWith('/health/')) && (await health.serve(url.pathname, req, res, baseHeaders))) return;
      if (url.pathname === '/metrics' && req.method === 'GET') {
        if (options.metricsToken && !bearerMatches(req.headers.authorization, options.metricsToken)) return sendJson(res, 401, { error: 'unauthorized' });
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        return res.end(text);
      }
      if (url.pathname === ACCESS_LOG_PATH && req.method === 'GET') {
        return await serveAccessLog(req, res, options.accessLog, await identify(options.identity, req.headers.authorization), requestId);
      }
      if (url.pathname === INSIGHTS_EXPORT_PATH) {
        // Analysts' streamed exports: the same identity, rate limit and admission control as /graphql (edge/insights-export.ts).
        const caller = await identify(options.identity, req.headers.authorization);
        await rateLimits?.consumeCaller(caller, clientAddress(req, trustProxy));
        return await proxyInsightsExport(req, res, {
          caller,
          subgraphUrl: subgraphs.find((s) => s.name === 'insights')?.url,
          secret: options.internalSecret,
          requestId,
          baseHeaders,
          logger,
          admission,
          execute: async (query, operationName, variables) => {
            // The same query budget as /graphql's operations for the caller's roles, then the same executor, plugins and signed subgraph calls.
            limits.check(analyzer, analyzer.analyze(query), operationName, variables, caller.roles);
            const response = await apollo.executeOperation(
              { query, operationName, variables },
              { contextValue: { requestId, caller, callerHeader: encodeCaller(caller), logger: logger.child({ requestId }) } },
            );
            if (response.body.kind !== 'single') throw new Error('incremental delivery is not used for exports');
            return response.body.singleResult;
          },
        });
      }
      if (options.http && (await options.http(req, res, url))) return;
      const route = options.routes?.[url.pathname];
      if (route && req.method === 'GET') return await route(req, res);
      if (!isGraphQL) for (const page of options.pages ?? []) if (await page(req, res, url, baseHeaders)) return;
      if (!isGraphQL) return sendJson(res, 404, { error: 'not found' });
      if (live?.wantsSse(req)) return await live.serveSse(req, res, baseHeaders);
      ctx = newEdgeContext({ req, res, url, requestId, baseHeaders, address: clientAddress(req, trustProxy), clientName: headerValue(req, 'apollographql-client-name') });
      await pipeline(ctx);
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
      if (!res.headersSent)
        sendJson(
          res,
          500,
          { errors: [{ message: 'Internal error.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] },
          { ...baseHeaders, 'content-type': graphqlMediaType(req.headers.accept) },
        );
      else res.destroy();
    } finally {
      if (isGraphQL && req.method !== 'OPTIONS') {
        const operation = ctx?.operationLabel ?? 'anonymous';
        const seconds = (performance.now() - started) / 1000;
        metrics.requests.inc({ operation, status: String(res.statusCode) });
        metrics.duration.observe({ operation }, seconds);
        logger.info({ requestId, operation, status: res.statusCode, ms: Math.round(seconds * 1000), client: headerValue(req, 'apollographql-client-name') }, 'graphql request');
      }
    }
  });
  server.keepAliveTimeout = 65_000;
  let closing: Promise<void> | undefined;
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
    /**
     * A shutdown (main.ts on SIGTERM/SIGINT): not ready at once (/health/ready 503); subscriptions
     * end with "going away" (WebSocket 1001, the end of the SSE stream), their clients resubscribe
     * elsewhere from their last cursor; then Apollo Server's drain: no new connections, requests in
     * flight and streamed exports finish, up to `shutdownDrainMs`; then the rest is released.
     */
    close(): Promise<void> {
      // Once: a second apollo.stop() while the first drains never resolves (@apollo/server 5.5.1
      // resolves its stop barrier only on failure), so every caller shares the first close.
      closing ??= (async () => {
        health.drain();
        await live?.close();
        await apollo.stop();
        admission?.close();
        await cache?.close();
        for (const s of dataSources) s.shutdown();
        await options.accessLog.flush();
      })();
      return closing;
    },
  };
}
