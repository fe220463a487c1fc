import { z } from 'zod';
import { databaseUrl, isProduction, defineSubgraph, isMain, runSubgraphMain, ticketFeedEnv, type subgraphEnv } from '@gerbang/common';
import { AGENCY_ID, createLandTaxServer, SismiopClient } from './server';

/** Where `npm start` serves SISMIOP: the simulator's fault-injecting proxy (scripts/topology.ts). */
const DEV_SISMIOP_URL = 'postgresql://gerbang_sismiop_reader@127.0.0.1:4115/postgres';

const landTaxEnv = (env: NodeJS.ProcessEnv) => ({
  // The read-only role's URL. Unset: DATABASE_URL (then nothing but this adapter keeps it read-only).
  SISMIOP_DATABASE_URL: databaseUrl(env),
  SISMIOP_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a plain lower-case identifier')
    .default('sismiop'),
  SISMIOP_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
  SISMIOP_POOL_MAX: z.coerce.number().int().min(1).max(50).default(4),
  ...ticketFeedEnv(AGENCY_ID, env),
});

/** The environment as the bootstrap parsed it: every subgraph's variables, and land-tax's own. */
type Env = z.infer<ReturnType<typeof subgraphEnv>> & z.infer<z.ZodObject<ReturnType<typeof landTaxEnv>>>;

export const subgraph = defineSubgraph({
  name: 'land-tax',
  defaultPort: 4006,
  accessLog: true,
  env: landTaxEnv,
  createServer: async ({ logger, verifier, config: parsed, accessLog }) => {
    const config = parsed as Env;
    let connectionString: string | undefined = config.SISMIOP_DATABASE_URL;
    if (!connectionString && config.DATABASE_URL) {
      connectionString = config.DATABASE_URL;
      logger.warn('SISMIOP_DATABASE_URL not set: reading SISMIOP through DATABASE_URL, not through a read-only role (sessions are still opened read-only)');
    }
    if (!connectionString) {
      if (isProduction()) throw new Error("SISMIOP_DATABASE_URL (the read-only role's URL) is required in production");
      connectionString = DEV_SISMIOP_URL;
      logger.info({ sismiop: '127.0.0.1:4115' }, "SISMIOP_DATABASE_URL not set: using the SISMIOP simulator's proxy");
    }
    const registry = new SismiopClient({
      connectionString,
      schema: config.SISMIOP_SCHEMA,
      timeoutMs: config.SISMIOP_TIMEOUT_MS,
      poolMax: config.SISMIOP_POOL_MAX,
      logger,
    });
    // Say once, at boot, what the connection may do; a database that is down now is not fatal.
    registry
      .access()
      .then((a) =>
        a.canWrite || !a.readOnlySession
          ? logger.warn(
              { user: a.user, readOnlySession: a.readOnlySession, canWrite: a.canWrite },
              'the SISMIOP connection is not fenced read-only by the database (SISMIOP_DATABASE_URL names a user who may write); the adapter still only reads',
            )
          : logger.info({ user: a.user }, 'SISMIOP connection is read-only'),
      )
      .catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'SISMIOP not reachable at boot; will retry per request'));
    return createLandTaxServer({
      registry,
      logger,
      verifier,
      accessLog: accessLog!,
      ticketFeed: { ledgerUrl: config.RATINGS_URL, key: config.TICKET_FEED_KEY, intervalMs: config.TICKET_SYNC_INTERVAL_MS },
      status: () => ({ upstreams: { sismiop: registry.upstream.snapshot() } }),
    });
  },
});

if (isMain(import.meta.url)) await runSubgraphMain(subgraph);
