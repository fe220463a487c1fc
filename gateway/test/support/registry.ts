import { createLogger } from '@gerbang/common';
import { Registry, RegistryStore, registryHttp, ServedOperations, supergraphFromRegistry, type SubgraphInput } from '@gerbang/registry';
import { TEST_INTERNAL_SECRET, testDatabaseUrl, uniqueSchema } from '@gerbang/testing';
import { Identity } from '../../src';
import { startGateway, type TestGateway } from './fixtures';

/**
 * The real gateway reading its supergraph from a registry in a schema of its own on the test
 * database (seeded with `seed`), serving the /registry/ API and recording served operations.
 */
export async function startRegistryGateway(
  seed: SubgraphInput[],
): Promise<{ gw: TestGateway; store: RegistryStore; registry: Registry; served: ServedOperations; versions: number[]; token(login: string): Promise<string>; close(): Promise<void> }> {
  const logger = createLogger('registry', 'silent');
  const store = await RegistryStore.open({ url: testDatabaseUrl(), schema: uniqueSchema('registry') });
  const registry = new Registry(store, { internalSecret: TEST_INTERNAL_SECRET, usageDays: 30 });
  await registry.seed(seed);
  const served = new ServedOperations(store, logger, { flushMs: 60_000 });
  const versions: number[] = [];
  const source = supergraphFromRegistry(store, logger, { pollMs: 1_000, onVersion: (v) => versions.push(v) });
  const gw = await startGateway({ sdl: '' }, { supergraph: { ...(await source.initial()), hook: source.hook }, plugins: [served.plugin()], http: (req, res, url) => handler(req, res, url) });
  const identity = Identity.fromJwks(gw.idp.jwks(), { issuer: 'https://idp.gerbang.invalid/test', audience: 'gerbang' });
  const handler = registryHttp(
    registry,
    async (req) => {
      const c = await identity.callerFrom(req.headers.authorization);
      return c.sub ? { sub: c.sub, roles: c.roles, ...(c.subgraph ? { subgraph: c.subgraph } : {}) } : undefined;
    },
    logger,
  );
  return {
    gw,
    store,
    registry,
    served,
    versions,
    token: (login) => (login.startsWith('publisher:') ? gw.idp.issue('admin', { claims: { roles: ['publisher'], subgraph: login.slice(10) } }) : gw.idp.issue(login)),
    async close() {
      await gw.close();
      await served.close();
      await registry.close();
      await store.pool.query(`DROP SCHEMA IF EXISTS "${store.schema}" CASCADE`);
      await store.close();
    },
  };
}
