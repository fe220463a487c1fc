import { defineSubgraph, isMain, runSubgraphMain } from '@gerbang/common';
import { createInsightsServer, insightsConfigFromEnv, insightsEnv, migrations, SCHEMA_NAME } from './server';

export const subgraph = defineSubgraph({
  name: 'insights',
  defaultPort: 4009,
  db: { schema: SCHEMA_NAME, migrations },
  // Every question is recorded (who, what, which cells were suppressed) before it is answered.
  accessLog: true,
  env: insightsEnv,
  createServer: ({ orm, accessLog, logger, verifier, config }) => createInsightsServer({ orm: orm!, accessLog: accessLog!, auditSchema: config.AUDIT_SCHEMA, logger, verifier, config: insightsConfigFromEnv(config) }),
});

if (isMain(import.meta.url)) await runSubgraphMain(subgraph);
