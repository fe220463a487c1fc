import { z } from 'zod';
import { defineSubgraph, isMain, runSubgraphMain, secret, ticketFeedEnv, type subgraphEnv } from '@gerbang/common';
import { AGENCY_ID, ClinicQueueClient, createHealthServer, DEFAULT_MAX_DAYS_AHEAD } from './server';

const healthEnv = (env: NodeJS.ProcessEnv) => ({
  CLINIC_URL: z.url().default('http://127.0.0.1:4104'),
  CLINIC_CONS_ID: z.string().min(1).default('dev-cons-3503'),
  CLINIC_CONS_SECRET: secret('dev-clinic-cons-secret-change-me', env),
  CLINIC_USER_KEY: secret('dev-clinic-user-key', env),
  CLINIC_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
  CLINIC_MAX_DAYS_AHEAD: z.coerce.number().int().min(0).max(30).default(DEFAULT_MAX_DAYS_AHEAD),
  ...ticketFeedEnv(AGENCY_ID, env),
});

/** The environment as the bootstrap parsed it: every subgraph's variables, and health's own. */
type Env = z.infer<ReturnType<typeof subgraphEnv>> & z.infer<z.ZodObject<ReturnType<typeof healthEnv>>>;

export const subgraph = defineSubgraph({
  name: 'health',
  defaultPort: 4007,
  // The analysts' CLINIC_BOOKINGS records its suppressed cells (no tables of its own).
  accessLog: true,
  env: healthEnv,
  createServer: async ({ logger, verifier, config: parsed, accessLog }) => {
    const config = parsed as Env;
    const registry = new ClinicQueueClient({
      baseUrl: config.CLINIC_URL,
      consId: config.CLINIC_CONS_ID,
      consSecret: config.CLINIC_CONS_SECRET,
      userKey: config.CLINIC_USER_KEY,
      timeoutMs: config.CLINIC_TIMEOUT_MS,
    });
    return createHealthServer({
      registry,
      logger,
      verifier,
      insights: { statistics: registry, accessLog: accessLog! },
      maxDaysAhead: config.CLINIC_MAX_DAYS_AHEAD,
      ticketFeed: { ledgerUrl: config.RATINGS_URL, key: config.TICKET_FEED_KEY, intervalMs: config.TICKET_SYNC_INTERVAL_MS },
      status: () => ({ upstreams: { clinicQueue: registry.upstream.snapshot() } }),
    });
  },
});

if (isMain(import.meta.url)) await runSubgraphMain(subgraph);
