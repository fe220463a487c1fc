import type { MikroORM } from '@mikro-orm/postgresql';
import { createSubgraphHttpServer, type Logger, type RequestVerifier } from '@gerbang/common';
import { entities } from './entities';
import { migrations } from './migrations';
import { DirectoryService } from './modules/directory.service';
import { createLoaders } from './modules/loaders';
import type { DirectoryContext } from './modules/context';
import { buildDirectorySchema } from './schema';

export { entities, migrations };
export { seedDirectory } from './seed/seed';
export { buildDirectorySchema };
export const SCHEMA_NAME = 'directory';

export interface DirectoryServerOptions {
  orm: MikroORM;
  logger: Logger;
  verifier: RequestVerifier;
}

/** Builds the directory subgraph's HTTP server; starts nothing until `listen`. */
export async function createDirectoryServer(options: DirectoryServerOptions) {
  const schema = await buildDirectorySchema();
  return createSubgraphHttpServer<DirectoryContext>({
    name: 'directory',
    schema,
    logger: options.logger,
    verifier: options.verifier,
    context: ({ requestId, caller, logger }) => {
      const directory = new DirectoryService(options.orm.em.fork());
      return { requestId, caller, logger, directory, loaders: createLoaders(directory) };
    },
    // Everything it serves comes from its own tables.
    ready: { database: () => options.orm.em.getConnection().execute('select 1') },
  });
}
