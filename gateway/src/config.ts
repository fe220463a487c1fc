import { z } from 'zod';
import { DEV_AUDIENCE, DEV_ISSUER } from './dev-idp';
import { DEFAULT_PERSONAL_FIELDS, developmentValueProblem, INTERNAL_SECRET_DEV, isProduction, parseConfig, port, secret, ROLES, shutdownDrainMs, urlPasswordProblem } from '@gerbang/common';
import { DEFAULT_LIMITS, type LimitsByRole } from './edge/limits';
import { compileTrustProxy, type TrustProxySetting } from './edge/request';
import { GATEWAY_DEFAULTS, RESPONSE_CACHE_TTL_CEILING_SECONDS } from './defaults';

/** Personal fields whose reads the access log records (PERSONAL_FIELDS; edge/audit.ts): common's list, which the registry's policy check reads too. */
export { DEFAULT_PERSONAL_FIELDS };

/** Per-minute rate limits (RATE_LIMIT_*; edge/rate-limit.ts). */
export const DEFAULT_RATE_LIMITS = { userPerMinute: 120, userBurst: 60, anonymousPerMinute: 60, clientPerMinute: 6_000 };

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const budgetShape = z
  .object({
    // The analyzer parses nothing nested deeper than 4× the largest depth budget; past a few
    // thousand levels graphql's recursive parser overflows the stack.
    depth: z.number().int().positive().max(100),
    aliases: z.number().int().min(0),
    rootFields: z.number().int().positive(),
    tokens: z.number().int().positive(),
    cost: z.number().int().positive(),
  })
  .partial()
  .strict();

/**
 * TRUST_PROXY: `false`/`0`/`no` (the default: no proxy, the connection's address); `true`/`yes` or
 * a number N: the N proxies nearest the gateway write X-Forwarded-For (true = 1, the usual single
 * reverse proxy); otherwise a comma-separated list of the proxies' addresses or CIDR ranges.
 */
const trustProxy = z
  .string()
  .default('false')
  .transform((raw, ctx): TrustProxySetting => {
    const v = raw.trim().toLowerCase();
    if (v === '' || v === 'false' || v === 'no' || v === '0') return false;
    if (v === 'true' || v === 'yes') return 1;
    if (/^[0-9]+$/.test(v)) {
      const hops = Number(v);
      if (hops > 10) ctx.addIssue({ code: 'custom', message: `${hops} proxies in front of the gateway is not plausible; give a number of proxies (1 for one reverse proxy) or their addresses` });
      return hops;
    }
    const list = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    try {
      compileTrustProxy(list);
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        message: `is true/false, a number of proxies, or a comma-separated list of proxy addresses and CIDR ranges (or loopback, linklocal, uniquelocal): ${(err as Error).message}`,
      });
      return z.NEVER;
    }
    return list;
  });

/** QUERY_LIMITS: JSON overrides per role (and `default`), merged over DEFAULT_LIMITS. */
const queryLimits = z
  .string()
  .optional()
  .transform((raw, ctx): LimitsByRole => {
    if (!raw) return DEFAULT_LIMITS;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not JSON, e.g. {"analyst":{"cost":80000}}' });
      return z.NEVER;
    }
    const shape = z.partialRecord(z.enum(['default', ...ROLES]), budgetShape).safeParse(parsed);
    if (!shape.success) {
      ctx.addIssue({ code: 'custom', message: `keys are "default" or a role, values {depth, aliases, rootFields, tokens, cost}: ${shape.error.issues[0]?.message}` });
      return z.NEVER;
    }
    const out: LimitsByRole = { ...DEFAULT_LIMITS };
    for (const [k, v] of Object.entries(shape.data)) out[k as keyof LimitsByRole] = { ...(DEFAULT_LIMITS[k as keyof LimitsByRole] ?? DEFAULT_LIMITS.default), ...v };
    return out;
  });

/**
 * The gateway's whole configuration, from the environment. Built per environment (not once at
 * import) so that `secret()` judges production from the same variables it validates.
 */
export function gatewayEnv(env: NodeJS.ProcessEnv = process.env) {
  return z
    .object({
      NODE_ENV: z.string().default('development'),
      PORT: port(4000),
      HOST: z.string().default('127.0.0.1'),
      SUPERGRAPH_PATH: z.string().default('schema/supergraph.graphql'),
      /** Where the supergraph comes from: the schema registry (its PostgreSQL schema) or SUPERGRAPH_PATH (the default of a bare gateway; `npm start` and docker-compose.yml set registry: scripts/topology.ts). */
      SUPERGRAPH_SOURCE: z.enum(['registry', 'file']).optional(),
      REGISTRY_SCHEMA: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/)
        .default('registry'),
      /** How often a gateway asks the registry for a new version besides LISTEN/NOTIFY (ms). */
      REGISTRY_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
      /** The usage check counts operations served in the last N days. */
      REGISTRY_USAGE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
      /** At start, publish the subgraph SDL files beside SUPERGRAPH_PATH that differ from the registry's (default: outside production). */
      REGISTRY_SEED: bool.optional(),
      REGISTRY_SEED_DIR: z.string().optional(),
      // A rotation list (the gateway signs with the first): every key is checked, not only the whole string.
      INTERNAL_SIGNING_SECRET: secret(INTERNAL_SECRET_DEV, env, { list: true }),
      /** Token verification: issuer and audience always checked; keys from JWT_JWKS_URL or the dev IdP. */
      JWT_ISSUER: z.string().default(DEV_ISSUER),
      JWT_AUDIENCE: z.string().default(DEV_AUDIENCE),
      JWT_JWKS_URL: z.url().optional(),
      DEV_IDP: bool.optional(),
      DATA_DIR: z.string().default('.data'),
      /** PostgreSQL of the access log (schema AUDIT_SCHEMA). Unset: an embedded PostgreSQL server in development, refused in production. */
      DATABASE_URL: z.url().optional(),
      AUDIT_SCHEMA: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/)
        .default('audit'),
      PERSONAL_FIELDS: list(DEFAULT_PERSONAL_FIELDS.join(',')),
      /** Redis for the APQ cache and the rate limiter (memory when unset). */
      REDIS_URL: z.url().optional(),
      SUBGRAPH_TIMEOUT_MS: positiveInt(GATEWAY_DEFAULTS.subgraphTimeoutMs),
      /**
       * In-flight sharing of identical subgraph queries (data-source.ts): `public` (default) also
       * between callers where sound (executor/sharing.ts), `caller` only among one caller's, `off` none.
       */
      SUBGRAPH_SHARING: z.enum(['public', 'caller', 'off']).default('public'),
      /** Subgraphs the operator declares caller-independent: shareable calls are shared without a `public` answer. */
      SUBGRAPH_CALLER_INDEPENDENT: list(''),
      BREAKER_ERROR_PERCENT: z.coerce.number().min(1).max(100).default(GATEWAY_DEFAULTS.breaker.errorThresholdPercentage),
      BREAKER_RESET_MS: positiveInt(GATEWAY_DEFAULTS.breaker.resetTimeoutMs),
      BREAKER_VOLUME: positiveInt(GATEWAY_DEFAULTS.breaker.volumeThreshold),
      MAX_BODY_BYTES: positiveInt(GATEWAY_DEFAULTS.maxBodyBytes),
      MAX_BATCH_SIZE: z.coerce.number().int().min(1).max(100).default(GATEWAY_DEFAULTS.maxBatchSize),
      QUERY_LIMITS: queryLimits,
      LIST_SIZE_DEFAULT: positiveInt(GATEWAY_DEFAULTS.listSizeDefault),
      /** Persisted operations: only safelisted operations for the listed clients (default: in production). */
      PERSISTED_ONLY: bool.optional(),
      SAFELIST_CLIENTS: list(GATEWAY_DEFAULTS.safelistClients.join(',')),
      ADHOC_ROLES: list(GATEWAY_DEFAULTS.adhocRoles.join(',')),
      APQ_TTL_SECONDS: positiveInt(GATEWAY_DEFAULTS.apqTtlSeconds),
      RATE_LIMIT_USER_PER_MINUTE: positiveInt(DEFAULT_RATE_LIMITS.userPerMinute),
      RATE_LIMIT_USER_BURST: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMITS.userBurst),
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: positiveInt(DEFAULT_RATE_LIMITS.anonymousPerMinute),
      RATE_LIMIT_CLIENT_PER_MINUTE: positiveInt(DEFAULT_RATE_LIMITS.clientPerMinute),
      /** Admission control (edge/admission.ts): adaptive limit of operations executing at once; MAX 0 turns it off. */
      ADMISSION_MIN_CONCURRENCY: positiveInt(GATEWAY_DEFAULTS.admission.min),
      ADMISSION_MAX_CONCURRENCY: z.coerce.number().int().min(0).default(GATEWAY_DEFAULTS.admission.max),
      ADMISSION_MAX_QUEUE: z.coerce.number().int().min(0).default(GATEWAY_DEFAULTS.admission.maxQueue),
      ADMISSION_QUEUE_TIMEOUT_MS: positiveInt(GATEWAY_DEFAULTS.admission.queueTimeoutMs),
      /** V8's old-generation growth per major GC, in percent (0: V8's own heuristic, up to 4×). */
      HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(1_000).default(100),
      // Which executor runs query plans (gateway/src/executor): @apollo/gateway's or Gerbang's.
      GATEWAY_EXECUTOR: z.enum(['apollo', 'gerbang']).default(GATEWAY_DEFAULTS.executor),
      /**
       * Which proxies in front are ours: false/0 none; true/1 or N, the N nearest; or a list of
       * addresses, CIDR ranges, loopback/linklocal/uniquelocal (edge/request.ts).
       */
      TRUST_PROXY: trustProxy,
      /** Field authorization: roles that may pass an `owner: true` rule (the subgraph then checks ownership). */
      ACCESS_OWNER_ROLES: list(GATEWAY_DEFAULTS.ownerRoles.join(',')),
      /**
       * Response cache for public reads (edge/response-cache.ts): on by default when the subgraphs'
       * database is known (RESPONSE_CACHE_DATABASE_URL, else DATABASE_URL), whose NOTIFYs invalidate it.
       */
      RESPONSE_CACHE: bool.optional(),
      RESPONSE_CACHE_DATABASE_URL: z.url().optional(),
      RESPONSE_CACHE_MAX_TTL_SECONDS: z.coerce.number().int().min(1).max(RESPONSE_CACHE_TTL_CEILING_SECONDS).default(GATEWAY_DEFAULTS.responseCache.maxTtlSeconds),
      RESPONSE_CACHE_MAX_ENTRIES: positiveInt(GATEWAY_DEFAULTS.responseCache.maxEntries),
      INTROSPECTION: bool.optional(),
      /** GraphiQL served by the gateway at GET /graphql to browsers (default: outside production; refused in production). */
      EXPLORER: bool.optional(),
      CORS_ORIGINS: z.string().optional(),
      METRICS_TOKEN: z.string().min(16).optional(),
      /** How long one round of subgraph health probes answers every health request (ms). */
      HEALTH_CACHE_MS: z.coerce.number().int().min(0).max(300_000).default(GATEWAY_DEFAULTS.healthCacheMs),
      /** On SIGTERM/SIGINT: how long requests in flight may take to finish before their connections are cut (ms). */
      SHUTDOWN_DRAIN_MS: shutdownDrainMs(GATEWAY_DEFAULTS.shutdownDrainMs),
      OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
      OTEL_SERVICE_NAME: z.string().default('gerbang-gateway'),
      /** The citizens' portal (web/) at `/` (edge/portal.ts): its built files, and where it signs in (OIDC code flow with PKCE). */
      PORTAL: bool.optional(),
      PORTAL_DIR: z.string().optional(),
      // Empty is unset: docker-compose passes every setting, empty when not given.
      PORTAL_OIDC_AUTHORIZATION_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
      PORTAL_OIDC_TOKEN_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
      PORTAL_OIDC_END_SESSION_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
      PORTAL_OIDC_CLIENT_ID: z.string().min(1).catch('portal'),
      PORTAL_OIDC_SCOPE: z.string().default('openid'),
      /** Origins the portal's pages may also connect to (CSP connect-src), comma-separated: the S3 bucket of attachments (DOCUMENTS_STORE=s3). */
      PORTAL_CONNECT_SRC: z
        .string()
        .default('')
        .transform((v) =>
          v
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean),
        )
        .pipe(z.array(z.url())),
      /** Live ticket status (src/subscriptions): on unless false; the event bus is EVENT_BUS / NATS_URL / REDIS_URL / the database. */
      SUBSCRIPTIONS: bool.optional(),
      EVENT_BUS: z.enum(['postgres', 'redis', 'nats']).optional(),
      NATS_URL: z.string().optional(),
      LIVE_CONNECTIONS_PER_USER: positiveInt(10),
      LIVE_CONNECTIONS_PER_ADDRESS: positiveInt(200),
      LIVE_SUBSCRIPTIONS_PER_CONNECTION: positiveInt(20),
      LIVE_IDLE_TIMEOUT_MS: positiveInt(300_000),
      LIVE_KEEPALIVE_MS: positiveInt(12_000),
      LIVE_REVALIDATE_MS: positiveInt(60_000),
    })
    .transform((c, ctx) => {
      const production = isProduction({ NODE_ENV: c.NODE_ENV });
      const devIdp = c.DEV_IDP ?? !production;
      if (production && devIdp) {
        ctx.addIssue({ code: 'custom', path: ['DEV_IDP'], message: 'the development identity provider must not run in production' });
      }
      const explorer = c.EXPLORER ?? !production;
      if (production && explorer) {
        ctx.addIssue({ code: 'custom', path: ['EXPLORER'], message: 'is a development tool (its files are development dependencies); it must not run in production' });
      }
      if (!devIdp && !c.JWT_JWKS_URL) {
        ctx.addIssue({ code: 'custom', path: ['JWT_JWKS_URL'], message: 'is required when the development identity provider is off' });
      }
      if (c.ADMISSION_MAX_CONCURRENCY > 0 && c.ADMISSION_MAX_CONCURRENCY < c.ADMISSION_MIN_CONCURRENCY) {
        ctx.addIssue({ code: 'custom', path: ['ADMISSION_MAX_CONCURRENCY'], message: 'is below ADMISSION_MIN_CONCURRENCY (0 turns admission control off)' });
      }
      if (production && !c.DATABASE_URL) {
        ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required in production (the personal-data access log lives there)' });
      }
      const metricsDev = production && c.METRICS_TOKEN ? developmentValueProblem(c.METRICS_TOKEN) : undefined;
      if (metricsDev) ctx.addIssue({ code: 'custom', path: ['METRICS_TOKEN'], message: `${metricsDev}; set a real secret in production` });
      for (const key of ['DATABASE_URL', 'REDIS_URL'] as const) {
        const problem = urlPasswordProblem(c[key], { NODE_ENV: c.NODE_ENV });
        if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
      }
      for (const r of [...c.ACCESS_OWNER_ROLES, ...c.ADHOC_ROLES]) {
        if (!(ROLES as readonly string[]).includes(r)) ctx.addIssue({ code: 'custom', path: ['ACCESS_OWNER_ROLES'], message: `unknown role "${r}"` });
      }
      const corsOrigins =
        c.CORS_ORIGINS === undefined
          ? production
            ? []
            : GATEWAY_DEFAULTS.corsOrigins
          : c.CORS_ORIGINS.split(',')
              .map((s) => s.trim())
              .filter(Boolean);
      return {
        ...c,
        production,
        devIdp,
        persistedOnly: c.PERSISTED_ONLY ?? production,
        supergraphSource: c.SUPERGRAPH_SOURCE ?? ('file' as const),
        registrySeed: c.REGISTRY_SEED ?? !production,
        introspection: c.INTROSPECTION ?? (production ? false : GATEWAY_DEFAULTS.introspection),
        explorer,
        corsOrigins,
        live: {
          connectionsPerUser: c.LIVE_CONNECTIONS_PER_USER,
          connectionsPerAddress: c.LIVE_CONNECTIONS_PER_ADDRESS,
          subscriptionsPerConnection: c.LIVE_SUBSCRIPTIONS_PER_CONNECTION,
          idleTimeoutMs: c.LIVE_IDLE_TIMEOUT_MS,
          keepAliveMs: c.LIVE_KEEPALIVE_MS,
          revalidateMs: c.LIVE_REVALIDATE_MS,
        },
        admission:
          c.ADMISSION_MAX_CONCURRENCY === 0
            ? (false as const)
            : { min: c.ADMISSION_MIN_CONCURRENCY, max: c.ADMISSION_MAX_CONCURRENCY, maxQueue: c.ADMISSION_MAX_QUEUE, queueTimeoutMs: c.ADMISSION_QUEUE_TIMEOUT_MS },
      };
    });
}

export type GatewayConfig = z.infer<ReturnType<typeof gatewayEnv>>;

/** Per-subgraph URL overrides: SUBGRAPH_<NAME>_URL (e.g. SUBGRAPH_DIRECTORY_URL). */
export function subgraphUrlOverrides(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    const m = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(k);
    if (m && v) out[m[1]!.toLowerCase().replace(/_/g, '-')] = v;
  }
  return out;
}

export const readGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig => parseConfig(gatewayEnv(env), env, 'gateway configuration');
