import { defineSubgraph, isMain, runSubgraphMain } from '@gerbang/common';
import { createDocumentsServer, documentsConfigFromEnv, documentsEnv, migrations, SCHEMA_NAME } from './server';
import type { DocumentsEnv } from './config';

export const subgraph = defineSubgraph({
  name: 'documents',
  defaultPort: 4010,
  db: { schema: SCHEMA_NAME, migrations },
  // Officers' and admins' downloads of a citizen's files are recorded before the link is handed out.
  accessLog: true,
  env: documentsEnv,
  // The bootstrap hands every subgraph its parsed environment untyped; it was parsed with documentsEnv.
  createServer: ({ orm, accessLog, logger, verifier, config }) => createDocumentsServer({ orm: orm!, accessLog: accessLog!, logger, verifier, config: documentsConfigFromEnv(config as DocumentsEnv) }),
});

if (isMain(import.meta.url)) await runSubgraphMain(subgraph);
