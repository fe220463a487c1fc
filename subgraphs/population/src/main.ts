import { z } from 'zod';
import { defineSubgraph, isMain, runSubgraphMain, secret, ticketFeedEnv, type subgraphEnv } from '@gerbang/common';
import { AGENCY_ID, createPopulationServer, SiakClient } from './server';

const populationEnv = (env: NodeJS.ProcessEnv) => ({
  SIAK_URL: z.url().default('http://127.0.0.1:4101'),
  SIAK_API_KEY: secret('dev-siak-key', env),
  SIAK_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
  ...ticketFeedEnv(AGENCY_ID, env),
  /** Key of the NIK hashes in the access log; give social the same key to find one NIK's reads in both. */
  ACCESS_LOG_HASH_KEY: secret('dev-access-log-hash-key', env),
});

/** The environment as the bootstrap parsed it: every subgraph's variables, and population's own. */
type Env = z.infer<ReturnType<typeof subgraphEnv>> & z.infer<z.ZodObject<ReturnType<typeof populationEnv>>>;

export const subgraph = defineSubgraph({
  name: 'population',
  defaultPort: 4002,
  accessLog: true,
  env: populationEnv,
  createServer: async ({ logger, verifier, config: parsed, accessLog }) => {
    const config = parsed as Env;
    const registry = new SiakClient({ baseUrl: config.SIAK_URL, apiKey: config.SIAK_API_KEY, timeoutMs: config.SIAK_TIMEOUT_MS });
    return createPopulationServer({
      registry,
      logger,
      verifier,
      accessLog: accessLog!,
      nikHashKey: config.ACCESS_LOG_HASH_KEY,
      ticketFeed: { ledgerUrl: config.RATINGS_URL, key: config.TICKET_FEED_KEY, intervalMs: config.TICKET_SYNC_INTERVAL_MS },
      status: () => ({ upstreams: { siak: registry.upstream.snapshot() } }),
    });
  },
});

if (isMain(import.meta.url)) await runSubgraphMain(subgraph);
