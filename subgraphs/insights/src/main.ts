import type { z } from 'zod';
import { defineSubgraph, isMain, runSubgraphMain, type subgraphEnv } from '@gerbang/common';
import { createInsightsServer, insightsConfigFromEnv, insightsEnv, migrations, SCHEMA_NAME } from './server';
import type { InsightsEnv } from './config';

/** The environment as the bootstrap parsed it: every subgraph's variables, and insights' own. */
type Env = z.infer<ReturnType<typeof subgraphEnv>> & InsightsEnv;

export const subgraph = defineSubgraph({
  name: 'insights',
  defaultPort: 4009,
  db: { schema: SCHEMA_NAME, migrations },
  // Every question is recorded (who, what, which cells were suppressed) before it is answered.
  accessLog: true,
  env: insightsEnv,
  createServer: ({ orm, accessLog, logger, verifier, config }) => {
    const env = config as Env;
    return createInsightsServer({ orm: orm!, accessLog: accessLog!, auditSchema: env.AUDIT_SCHEMA, logger, verifier, config: insightsConfigFromEnv(env) });
  },
});

if (isMain(import.meta.url)) await runSubgraphMain(subgraph);
