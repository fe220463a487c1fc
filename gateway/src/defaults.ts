/*
 * The gateway's default settings, in a module that imports nothing, so that config.ts (the
 * environment) and the classes with defaults of their own (edge/admission.ts,
 * edge/response-cache.ts) read the same numbers without importing each other.
 */

/** The longest a cached answer may live, whatever RESPONSE_CACHE_MAX_TTL_SECONDS says (edge/response-cache.ts). */
export const RESPONSE_CACHE_TTL_CEILING_SECONDS = 3600;

/**
 * The gateway's defaults, once: the environment's (gatewayEnv in config.ts) and createGateway's for an
 * option left out (tests, embedders). Settings whose default depends on production (introspection,
 * CORS, the explorer, persisted-only) take these values outside production.
 */
export const GATEWAY_DEFAULTS = {
  subgraphTimeoutMs: 10_000,
  // Half-open after 5 s: a subgraph back from an outage answers within about 5 s of its return
  // (npm run chaos measured 10 s breakers as most of the recovery time), for one probe call per 5 s to one still down.
  breaker: { errorThresholdPercentage: 50, resetTimeoutMs: 5_000, volumeThreshold: 5 },
  dedupSubgraphFetches: true,
  shareAcrossCallers: true,
  maxBodyBytes: 1_000_000,
  maxBatchSize: 10,
  introspection: true,
  listSizeDefault: 10,
  ownerRoles: ['citizen', 'officer', 'hr'],
  safelistClients: ['portal', 'mobile'],
  adhocRoles: ['analyst', 'admin'],
  apqTtlSeconds: 86_400,
  /** The APQ cache in memory when there is no Redis: bytes of operation text. */
  apqMemoryBytes: 16 * 1024 * 1024,
  corsOrigins: ['*'],
  healthCacheMs: 5_000,
  /** A shutdown's deadline for requests in flight (SHUTDOWN_DRAIN_MS). */
  shutdownDrainMs: 10_000,
  executor: 'gerbang' as const,
  admission: { min: 4, max: 512, maxQueue: 1_000, queueTimeoutMs: 10_000 },
  responseCache: { maxTtlSeconds: 60, maxEntries: 10_000 },
};
