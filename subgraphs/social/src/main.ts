import { join } from 'node:path';
import { z } from 'zod';
import { defineSubgraph, isMain, runSubgraphMain, secret, ticketFeedEnv } from '@gerbang/common';
import { AGENCY_ID, createSocialServer, DtksDropFolder, entities, migrations, SCHEMA_NAME, seedSocial } from './server';

/** The DTSEN drop folder: DTKS_DROP_DIR, else DATA_DIR/dtks-drop (a process writes under its DATA_DIR only, never its working directory). */
export const dropDirOf = (config: { DTKS_DROP_DIR?: string | undefined; DATA_DIR: string }) => config.DTKS_DROP_DIR ?? join(config.DATA_DIR, 'dtks-drop');

export const subgraph = defineSubgraph({
  name: 'social',
  defaultPort: 4008,
  db: { schema: SCHEMA_NAME, entities, migrations },
  env: (env) => ({
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
  }),
  seed: (orm) => seedSocial(orm.em.fork() as never),
  createServer: async ({ orm, logger, verifier, config }) => {
    const drop = new DtksDropFolder({ dir: dropDirOf(config), timeoutMs: config.DTKS_TIMEOUT_MS });
    return createSocialServer({
      orm: orm!,
      logger,
      verifier,
      drop,
      exchange: { intervalMs: config.DTKS_POLL_INTERVAL_MS, graceMs: config.DTKS_MANIFEST_GRACE_MS },
      reviewerNip: config.DINSOS_REVIEWER_NIP,
      accessLogKey: config.ACCESS_LOG_HASH_KEY,
      ticketFeed: { ledgerUrl: config.RATINGS_URL, key: config.TICKET_FEED_KEY, intervalMs: config.TICKET_SYNC_INTERVAL_MS },
      dropHealth: () => ({ dir: drop.dir, breaker: drop.upstream.state }),
    });
  },
});

if (isMain(import.meta.url)) await runSubgraphMain(subgraph);
