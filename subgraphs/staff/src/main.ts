import { z } from 'zod';
import { defineSubgraph, isMain, runSubgraphMain, secret, type subgraphEnv } from '@gerbang/common';
import { createStaffServer, SimpegClient } from './server';

const staffEnv = (env: NodeJS.ProcessEnv) => ({
  BKPSDM_URL: z.url().default('http://127.0.0.1:4106'),
  BKPSDM_CLIENT_ID: z.string().min(1).default('gerbang-dev'),
  BKPSDM_CLIENT_SECRET: secret('dev-bkpsdm-secret', env),
  BKPSDM_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
});

/** The environment as the bootstrap parsed it: every subgraph's variables, and staff's own. */
type Env = z.infer<ReturnType<typeof subgraphEnv>> & z.infer<z.ZodObject<ReturnType<typeof staffEnv>>>;

export const subgraph = defineSubgraph({
  name: 'staff',
  defaultPort: 4004,
  accessLog: true,
  env: staffEnv,
  createServer: async ({ logger, verifier, config: parsed, accessLog }) => {
    const config = parsed as Env;
    const register = new SimpegClient({
      baseUrl: config.BKPSDM_URL,
      clientId: config.BKPSDM_CLIENT_ID,
      clientSecret: config.BKPSDM_CLIENT_SECRET,
      timeoutMs: config.BKPSDM_TIMEOUT_MS,
    });
    register.upstream.onStateChange((state) => logger.warn({ service: register.upstream.service, state }, 'circuit breaker state changed'));
    return createStaffServer({ register, logger, verifier, accessLog: accessLog!, status: () => ({ upstreams: { simpeg: register.upstream.snapshot() } }) });
  },
});

if (isMain(import.meta.url)) await runSubgraphMain(subgraph);
