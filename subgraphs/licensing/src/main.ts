import { z } from 'zod';
import { defineSubgraph, isMain, runSubgraphMain, secret, ticketFeedEnv, type subgraphEnv } from '@gerbang/common';
import { AGENCY_ID, createLicensingServer, OssClient, PermitSoapClient } from './server';

const licensingEnv = (env: NodeJS.ProcessEnv) => ({
  OSS_URL: z.url().default('http://127.0.0.1:4102'),
  OSS_USER_KEY: secret('dev-oss-key', env),
  OSS_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
  PERMIT_SOAP_URL: z.url().default('http://127.0.0.1:4103/ws/permit'),
  PERMIT_SOAP_USERNAME: z.string().min(1).default('gerbang-hub'),
  PERMIT_SOAP_PASSWORD: secret('dev-permit-password', env),
  PERMIT_SOAP_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  ...ticketFeedEnv(AGENCY_ID, env),
});

/** The environment as the bootstrap parsed it: every subgraph's variables, and licensing's own. */
type Env = z.infer<ReturnType<typeof subgraphEnv>> & z.infer<z.ZodObject<ReturnType<typeof licensingEnv>>>;

export const subgraph = defineSubgraph({
  name: 'licensing',
  defaultPort: 4005,
  // The analysts' PERMITS_ISSUED records its suppressed cells (no tables of its own).
  accessLog: true,
  env: licensingEnv,
  createServer: async ({ logger, verifier, config: parsed, accessLog }) => {
    const config = parsed as Env;
    const oss = new OssClient({ baseUrl: config.OSS_URL, userKey: config.OSS_USER_KEY, timeoutMs: config.OSS_TIMEOUT_MS });
    const permits = new PermitSoapClient({
      endpoint: config.PERMIT_SOAP_URL,
      username: config.PERMIT_SOAP_USERNAME,
      password: config.PERMIT_SOAP_PASSWORD,
      timeoutMs: config.PERMIT_SOAP_TIMEOUT_MS,
    });
    return createLicensingServer({
      registries: { oss, permits },
      logger,
      verifier,
      insights: { statistics: oss, accessLog: accessLog! },
      ticketFeed: { ledgerUrl: config.RATINGS_URL, key: config.TICKET_FEED_KEY, intervalMs: config.TICKET_SYNC_INTERVAL_MS },
      status: () => ({ upstreams: { oss: oss.upstream.snapshot(), simperda: permits.upstream.snapshot() } }),
    });
  },
});

if (isMain(import.meta.url)) await runSubgraphMain(subgraph);
