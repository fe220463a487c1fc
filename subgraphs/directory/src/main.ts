import { defineSubgraph, isMain, runSubgraphMain } from '@gerbang/common';
import { createDirectoryServer, entities, migrations, SCHEMA_NAME, seedDirectory } from './server';

export const subgraph = defineSubgraph({
  name: 'directory',
  defaultPort: 4001,
  db: { schema: SCHEMA_NAME, entities, migrations },
  seed: (orm) => seedDirectory(orm.em.fork() as never),
  createServer: ({ orm, logger, verifier }) => createDirectoryServer({ orm: orm!, logger, verifier }),
});

if (isMain(import.meta.url)) await runSubgraphMain(subgraph);
