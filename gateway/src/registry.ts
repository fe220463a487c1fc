import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type http from 'node:http';
import type { Logger } from '@gerbang/common';
import { describeFailure, Registry, RegistryStore, registryHttp, ServedOperations, supergraphFromRegistry, type Actor, type UsageOperation } from '@gerbang/registry';
import type { GatewayContext } from './context';
import type { Identity } from './identity';
import { Safelist } from './edge/persisted';
import { subgraphsOf } from './supergraph';

export interface GatewayRegistryOptions {
  databaseUrl: string;
  schema: string;
  internalSecret: string;
  identity: Identity;
  logger: Logger;
  pollMs: number;
  usageDays: number;
  personalFields: string[];
  safelistClients: string[];
  /** The persisted-operation manifest the usage check reads (default: the gateway's own). */
  safelistPath?: string | URL;
  /** How often served operations are written (default 10 s). */
  servedFlushMs?: number;
  /** Bring the registry in line with the subgraph SDL files beside this supergraph file (the local stack). */
  seedFrom?: { supergraphPath: string; dir: string; urls?: Record<string, string> };
}

/**
 * The schema registry inside the gateway's process (its own PostgreSQL schema): where the gateway
 * reads its supergraph (and hears of new versions), where it records the operations it serves,
 * and the /registry/ API that the `gerbang` CLI calls.
 */
export async function openGatewayRegistry(o: GatewayRegistryOptions): Promise<{
  registry: Registry;
  supergraph: { sdl: string; hook: SupergraphSdlHook };
  plugin: ApolloServerPlugin<GatewayContext>;
  http: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>;
  /** Writes the served operations counted so far (they are written every `servedFlushMs` anyway). */
  flushServed(): Promise<void>;
  close(): Promise<void>;
}> {
  const store = await RegistryStore.open({ url: o.databaseUrl, schema: o.schema });
  const safelist = Safelist.fromFile(o.safelistPath);
  const operations: UsageOperation[] = safelist.manifest.operations.map((op) => ({ source: 'safelist', name: op.name, hash: op.id, document: op.body, clients: [...o.safelistClients] }));
  const registry = new Registry(store, { internalSecret: o.internalSecret, safelist: () => operations, usageDays: o.usageDays, personalFields: o.personalFields });
  registry.warm();
  if (o.seedFrom) {
    const local = subgraphsOf(readFileSync(o.seedFrom.supergraphPath, 'utf8')).map(({ name, url }) => {
      const file = join(o.seedFrom!.dir, `${name}.graphql`);
      if (!existsSync(file)) throw new Error(`${file} is missing: the registry is seeded from each subgraph's SDL beside ${o.seedFrom!.supergraphPath} (npm run compose writes them)`);
      // SUBGRAPH_<NAME>_URL (docker-compose.yml's service names) over the file's local addresses.
      return { name, routingUrl: o.seedFrom!.urls?.[name] ?? url, sdl: readFileSync(file, 'utf8') };
    });
    try {
      const seeded = await registry.seed(local);
      if (seeded.changed.length) o.logger.info({ changed: seeded.changed, version: seeded.supergraphVersion }, 'registry seeded from the local schema files');
      if (seeded.report && !seeded.report.ok)
        o.logger.warn({ failed: describeFailure(seeded.report), version: seeded.supergraphVersion }, 'local schema files seeded although the registry checks failed (npx gerbang subgraph log)');
    } catch (err) {
      // E.g. the local files no longer compose with an agency subgraph published since: the graph
      // the registry holds stays served (the seed is an update, not the source of truth).
      const current = await store.currentSupergraphId();
      if (current === undefined) throw err;
      o.logger.error({ err: (err as Error).message, version: current }, 'local schema files not seeded into the registry; serving its current version');
    }
  }
  const source = supergraphFromRegistry(store, o.logger, { pollMs: o.pollMs });
  const initial = await source.initial();
  const served = new ServedOperations(store, o.logger, o.servedFlushMs ? { flushMs: o.servedFlushMs } : {});
  const actorOf = async (req: http.IncomingMessage): Promise<Actor | undefined> => {
    const caller = await o.identity.callerFrom(req.headers.authorization);
    return caller.sub ? { sub: caller.sub, roles: caller.roles, ...(caller.subgraph ? { subgraph: caller.subgraph } : {}) } : undefined;
  };
  return {
    registry,
    supergraph: { sdl: initial.sdl, hook: source.hook },
    plugin: served.plugin<GatewayContext>(),
    http: registryHttp(registry, actorOf, o.logger),
    flushServed: () => served.flush(),
    async close() {
      await served.close();
      await registry.close();
      await store.close();
    },
  };
}

export const defaultSeedDir = (supergraphPath: string) => dirname(supergraphPath);
