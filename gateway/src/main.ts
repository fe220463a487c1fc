import v8 from 'node:v8';
import { createLogger, PostgresAccessLog, sendJson, startOwnDatabase } from '@gerbang/common';
import { createEventBus, eventBusSettingsFromEnv } from '@gerbang/common/events';
import { readGatewayConfig, subgraphUrlOverrides, type GatewayConfig } from './config';
import { devTokenRoute, loadDevIdp } from './dev-idp';
import { DevLogin, DEV_LOGIN_PATHS } from './dev-login';
import { documentsFilesUrl, filesProxy } from './edge/files';
import { locatePortal, Portal, type PortalAuthConfig } from './edge/portal';
import { MemoryResponseStore, PgNotifyInvalidation, RedisResponseStore } from './edge/response-cache';
import { startTelemetry } from './edge/telemetry';
import { Identity } from './identity';
import { defaultSeedDir, openGatewayRegistry } from './registry';
import { createGateway } from './server';

const logger = createLogger('gateway');

/** A start-up step that fails is one fatal line naming it (what and why), not a stack trace. */
async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    logger.fatal({ err: (err as Error).message }, `the gateway could not start: ${what}`);
    process.exit(1);
  }
}

let config: GatewayConfig;
try {
  config = readGatewayConfig();
} catch (err) {
  logger.fatal((err as Error).message);
  process.exit(1);
}

// Before the heap fills: V8 grows the old generation by up to 4× its live size between major
// collections; a gateway's live set is small and its garbage large, so that headroom is mostly
// garbage held as RSS (workload 1 of `npm run bench`: 365 → 256 MiB peak at 100 %, +2 % CPU).
if (config.HEAP_GROWING_PERCENT > 0) v8.setFlagsFromString(`--heap-growing-percent=${config.HEAP_GROWING_PERCENT}`);

// First: @apollo/gateway traces through the global tracer, which then delegates to this provider.
const telemetry = await startTelemetry({ serviceName: config.OTEL_SERVICE_NAME, ...(config.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}) });
if (telemetry) logger.info({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }, 'OpenTelemetry traces exported');

const routes: Parameters<typeof createGateway>[0]['routes'] = {};
const pages: NonNullable<Parameters<typeof createGateway>[0]['pages']> = [];
let identity: Identity;
if (config.devIdp) {
  const idp = await step(`the development IdP's key in ${config.DATA_DIR}/dev-idp`, () => loadDevIdp({ dataDir: config.DATA_DIR, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }));
  identity = Identity.fromJwks(idp.jwks(), { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  routes['/.well-known/jwks.json'] = (_req, res) => sendJson(res, 200, idp.jwks());
  routes['/dev/token'] = devTokenRoute(idp);
  const login = new DevLogin(idp);
  pages.push((req, res, url) => login.serve(req, res, url));
  logger.warn('development identity provider enabled: tokens come from `npm run -s token -- <login>`');
} else {
  identity = Identity.fromJwksUrl(config.JWT_JWKS_URL!, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
}

// Attachments' signed file links at /files (edge/files.ts), before the portal's pages.
pages.push(filesProxy(documentsFilesUrl(subgraphUrlOverrides())));

// The citizens' portal at / (edge/portal.ts): signs in at the development IdP's login page, or at
// the identity provider PORTAL_OIDC_* names.
if (config.PORTAL ?? true) {
  const dir = locatePortal(config.PORTAL_DIR);
  if (!dir) {
    if (config.PORTAL_DIR) {
      logger.fatal(`the gateway could not start: PORTAL_DIR ${config.PORTAL_DIR} holds no index.html (build it: npm run -w @gerbang/web build)`);
      process.exit(1);
    }
    logger.warn('the portal is not built (npm run -w @gerbang/web build): / serves nothing');
  } else {
    const auth: PortalAuthConfig | undefined =
      config.PORTAL_OIDC_AUTHORIZATION_URL && config.PORTAL_OIDC_TOKEN_URL
        ? {
            issuer: config.JWT_ISSUER,
            authorizationEndpoint: config.PORTAL_OIDC_AUTHORIZATION_URL,
            tokenEndpoint: config.PORTAL_OIDC_TOKEN_URL,
            clientId: config.PORTAL_OIDC_CLIENT_ID,
            scope: config.PORTAL_OIDC_SCOPE,
            ...(config.PORTAL_OIDC_END_SESSION_URL ? { endSessionEndpoint: config.PORTAL_OIDC_END_SESSION_URL } : {}),
          }
        : config.devIdp
          ? {
              issuer: config.JWT_ISSUER,
              authorizationEndpoint: DEV_LOGIN_PATHS.authorize,
              tokenEndpoint: DEV_LOGIN_PATHS.token,
              clientId: config.PORTAL_OIDC_CLIENT_ID,
              scope: config.PORTAL_OIDC_SCOPE,
            }
          : undefined;
    const portal = await step(`the portal's files in ${dir}`, async () => new Portal({ dir, ...(auth ? { auth } : {}), connectSrc: config.PORTAL_CONNECT_SRC }));
    pages.push((req, res, url, headers) => portal.serve(req, res, url.pathname, headers));
  }
}

// The access log's database: DATABASE_URL, else (development only; config refuses it in
// production) an embedded PostgreSQL server of the gateway's own, like the subgraphs'.
let embedded: { close(): Promise<void> } | undefined;
let databaseUrl = config.DATABASE_URL;
if (!databaseUrl) {
  const own = await step('an embedded PostgreSQL for the access log', () => startOwnDatabase(`${config.DATA_DIR}/postgres-gateway`, logger));
  embedded = own;
  databaseUrl = own.url;
}
const accessLog = await step('the access log database (DATABASE_URL)', () => PostgresAccessLog.open({ url: databaseUrl, schema: config.AUDIT_SCHEMA, logger }));

let redis: import('ioredis').Redis | undefined;
if (config.REDIS_URL) {
  const { Redis } = await import('ioredis');
  redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error (rate limits fall back to memory, APQ misses)'));
}

// The response cache for public reads, invalidated by the subgraphs' database (its NOTIFYs): only
// when that database is known; the gateway's own embedded database hears no subgraph.
const cacheDatabase = config.RESPONSE_CACHE_DATABASE_URL ?? config.DATABASE_URL;
const responseCache =
  config.RESPONSE_CACHE !== false && cacheDatabase
    ? {
        invalidation: new PgNotifyInvalidation(cacheDatabase, logger),
        store: redis ? new RedisResponseStore(redis) : new MemoryResponseStore(config.RESPONSE_CACHE_MAX_ENTRIES),
        maxTtlSeconds: config.RESPONSE_CACHE_MAX_TTL_SECONDS,
      }
    : undefined;
if (!responseCache) logger.info('response cache off (RESPONSE_CACHE=false, or no RESPONSE_CACHE_DATABASE_URL / DATABASE_URL to hear invalidations from)');
// Live ticket status: the bus the ticket ledger publishes on (with the PostgreSQL transport, the
// ratings subgraph's database must be this one: npm start and docker-compose.yml share DATABASE_URL).
const events = config.SUBSCRIPTIONS !== false ? createEventBus({ ...eventBusSettingsFromEnv(), databaseUrl, logger }) : undefined;

// The schema registry (gateway/src/registry.ts): the supergraph from its PostgreSQL schema, new
// versions heard within moments; else the file SUPERGRAPH_PATH, watched.
const registry =
  config.supergraphSource === 'registry'
    ? await step(`the schema registry (schema ${config.REGISTRY_SCHEMA})`, () =>
        openGatewayRegistry({
          databaseUrl: databaseUrl,
          schema: config.REGISTRY_SCHEMA,
          internalSecret: config.INTERNAL_SIGNING_SECRET.split(',')[0]!.trim(),
          identity,
          logger,
          pollMs: config.REGISTRY_POLL_MS,
          usageDays: config.REGISTRY_USAGE_DAYS,
          personalFields: config.PERSONAL_FIELDS,
          safelistClients: config.SAFELIST_CLIENTS,
          ...(config.registrySeed
            ? { seedFrom: { supergraphPath: config.SUPERGRAPH_PATH, dir: config.REGISTRY_SEED_DIR ?? defaultSeedDir(config.SUPERGRAPH_PATH), urls: subgraphUrlOverrides() } }
            : {}),
        }),
      )
    : undefined;

const app = await step(`the supergraph ${registry ? `from the registry` : config.SUPERGRAPH_PATH}`, () =>
  createGateway({
    logger,
    identity,
    supergraph: registry ? registry.supergraph : { path: config.SUPERGRAPH_PATH },
    ...(registry ? { http: registry.http, plugins: [registry.plugin] } : {}),
    subgraphUrls: subgraphUrlOverrides(),
    internalSecret: config.INTERNAL_SIGNING_SECRET.split(',')[0]!.trim(),
    subgraphTimeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    dedupSubgraphFetches: config.SUBGRAPH_SHARING !== 'off',
    shareAcrossCallers: config.SUBGRAPH_SHARING === 'public',
    callerIndependentSubgraphs: config.SUBGRAPH_CALLER_INDEPENDENT,
    breaker: { errorThresholdPercentage: config.BREAKER_ERROR_PERCENT, resetTimeoutMs: config.BREAKER_RESET_MS, volumeThreshold: config.BREAKER_VOLUME },
    maxBodyBytes: config.MAX_BODY_BYTES,
    maxBatchSize: config.MAX_BATCH_SIZE,
    introspection: config.introspection,
    explorer: config.explorer,
    limits: config.QUERY_LIMITS,
    listSizeDefault: config.LIST_SIZE_DEFAULT,
    accessLog,
    personalFields: config.PERSONAL_FIELDS,
    ownerRoles: config.ACCESS_OWNER_ROLES,
    persisted: { enforce: config.persistedOnly, safelistClients: config.SAFELIST_CLIENTS, adhocRoles: config.ADHOC_ROLES, apqTtlSeconds: config.APQ_TTL_SECONDS },
    rateLimit: {
      userPerMinute: config.RATE_LIMIT_USER_PER_MINUTE,
      userBurst: config.RATE_LIMIT_USER_BURST,
      anonymousPerMinute: config.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
      clientPerMinute: config.RATE_LIMIT_CLIENT_PER_MINUTE,
    },
    ...(redis ? { redis } : {}),
    corsOrigins: config.corsOrigins,
    ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
    healthCacheMs: config.HEALTH_CACHE_MS,
    shutdownDrainMs: config.SHUTDOWN_DRAIN_MS,
    defaultMetrics: true,
    trustProxy: config.TRUST_PROXY,
    admission: config.admission,
    executor: config.GATEWAY_EXECUTOR,
    ...(responseCache ? { responseCache } : {}),
    routes,
    pages,
    ...(events ? { events, live: config.live } : {}),
  }),
);

let running: Awaited<ReturnType<typeof app.listen>>;
try {
  running = await app.listen(config.PORT, config.HOST);
  logger.info({ url: `${running.url}/graphql`, production: config.production, persistedOnly: config.persistedOnly }, 'gateway listening');
} catch (err) {
  logger.fatal((err as Error).message);
  process.exit(1);
}
// SIGTERM/SIGINT: drain (not ready at once, no new connections, requests in flight finish within
// SHUTDOWN_DRAIN_MS: server.ts close), then the pools and clients, then exit 0. A second signal
// kills at once (the handlers are `once`); a close that hangs is cut 5 s after the deadline (exit 1).
const stop = async (signal: NodeJS.Signals) => {
  logger.info({ signal, drainMs: config.SHUTDOWN_DRAIN_MS }, 'shutting down: draining requests in flight');
  setTimeout(() => {
    logger.error('shutdown did not finish in time; exiting');
    process.exit(1);
  }, config.SHUTDOWN_DRAIN_MS + 5_000).unref();
  try {
    await app.close();
    await events?.close();
    await registry?.close();
    await accessLog.close();
    redis?.disconnect();
    await embedded?.close();
    await telemetry?.shutdown();
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'shutdown failed');
    process.exit(1);
  }
  process.exit(0);
};
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
