import { join } from 'node:path';
import { z } from 'zod';
import { defineSubgraph, isMain, runSubgraphMain, secret, ticketFeedEnv, type subgraphEnv } from '@gerbang/common';
import { AGENCY_ID, createSocialServer, DtksDropFolder, entities, migrations, SCHEMA_NAME, seedSocial } from './server';

/** The DTSEN drop folder: DTKS_DROP_DIR, else DATA_DIR/dtks-drop (a process writes under its DATA_DIR only, never its working directory). */
export const dropDirOf = (config: { DTKS_DROP_DIR?: string | undefined; DATA_DIR: string }) => config.DTKS_DROP_DIR ?? join(config.DATA_DIR, 'dtks-drop');

/** Social's own variables. */
const socialEnv = (env: NodeJS.ProcessEnv) => ({
  DTKS_DROP_DIR: z.string().min(1).optional(),
  DTKS_POLL_INTERVAL_MS: z.coerce.number().int().min(0).default(10_000),
  DTKS_MANIFEST_GRACE_MS: z.coerce.number().int().min(0).default(300_000),
  DTKS_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  DINSOS_REVIEWER_NIP: z
    .string()
    .regex(/^\d{18}$/, 'must be an 18-digit NIP')
    .default('198602142011012005'),
  ACCESS_LOG_HASH_KEY: secret('dev-social-access-log-hash-key', env),
  ...ticketFeedEnv(AGENCY_ID, env),
});

/** The environment as the bootstrap parsed it: every subgraph's variables, and social's own. */
type Env = z.infer<ReturnType<typeof subgraphEnv>> & z.infer<z.ZodObject<ReturnType<typeof socialEnv>>>;

export const subgraph = defineSubgraph({
  name: 'social',
  defaultPort: 4008,
  db: { schema: SCHEMA_NAME, entities, migrations },
  env: socialEnv,
  seed: (orm) => seedSocial(orm.em.fork() as never),
  createServer: async ({ orm, logger, verifier, config }) => {
    const env = config as Env;
    const drop = new DtksDropFolder({ dir: dropDirOf(env), timeoutMs: env.DTKS_TIMEOUT_MS });
    return createSocialServer({
      orm: orm!,
      logger,
      verifier,
      drop,
      exchange: { intervalMs: env.DTKS_POLL_INTERVAL_MS, graceMs: env.DTKS_MANIFEST_GRACE_MS },
      reviewerNip: env.DINSOS_REVIEWER_NIP,
      accessLogKey: env.ACCESS_LOG_HASH_KEY,
      ticketFeed: { ledgerUrl: env.RATINGS_URL, key: env.TICKET_FEED_KEY, intervalMs: env.TICKET_SYNC_INTERVAL_MS },
      dropHealth: () => ({ dir: drop.dir, breaker: drop.upstream.state }),
    });
  },
});

if (isMain(import.meta.url)) await runSubgraphMain(subgraph);
