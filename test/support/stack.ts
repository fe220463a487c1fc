import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createLogger, verifierFromSecret, type Logger } from '@gerbang/common';
import { TEST_INTERNAL_SECRET, testOrm } from '@gerbang/testing';
import { createGateway, Identity, loadDevIdp, type DevIdp } from '@gerbang/gateway';
import * as directory from '../../subgraphs/directory/src/server';

/**
 * The whole graph in one process for end-to-end tests: every subgraph on its own port and
 * fresh schema of the run's database, the agency simulators on port 0, the gateway composed
 * in memory from the subgraphs' schemas (what `npm run compose` would write).
 */
export interface Stack {
  gatewayUrl: string;
  idp: DevIdp;
  logger: Logger;
  subgraphUrls: Record<string, string>;
  token(login: string): Promise<string>;
  graphql<T = any>(query: string, options?: { variables?: Record<string, unknown>; login?: string; token?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] } }>;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const logger = createLogger('e2e', process.env.E2E_LOG_LEVEL ?? 'silent');
  const verifier = () => verifierFromSecret(TEST_INTERNAL_SECRET);
  const closers: (() => Promise<void>)[] = [];
  const subgraphUrls: Record<string, string> = {};
  const sdls: { name: string; sdl: string }[] = [];

  // directory
  {
    const db = await testOrm({ schemaPrefix: 'directory', entities: directory.entities, migrations: directory.migrations });
    await directory.seedDirectory(db.orm.em.fork() as never);
    const app = await directory.createDirectoryServer({ orm: db.orm, logger, verifier: verifier() });
    const running = await app.listen(0);
    subgraphUrls.directory = `${running.url}/graphql`;
    sdls.push({ name: 'directory', sdl: printSubgraphSchema(app.schema) });
    closers.push(async () => { await running.close(); await db.drop(); });
  }

  const composed = composeServices(sdls.map(({ name, sdl }) => ({ name, url: subgraphUrls[name]!, typeDefs: parse(sdl) })));
  if (composed.errors?.length) throw new Error(`composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);

  const dataDir = mkdtempSync(join(tmpdir(), 'gerbang-e2e-'));
  const issuer = 'https://idp.gerbang.invalid/test';
  const idp = await loadDevIdp({ dataDir, issuer, audience: 'gerbang' });
  const gateway = await createGateway({
    logger,
    identity: Identity.fromJwks(idp.jwks(), { issuer, audience: 'gerbang' }),
    supergraph: { sdl: composed.supergraphSdl },
    internalSecret: TEST_INTERNAL_SECRET,
    subgraphTimeoutMs: 3_000,
  });
  const running = await gateway.listen(0);
  closers.unshift(async () => running.close());

  const stack: Stack = {
    gatewayUrl: `${running.url}/graphql`,
    idp,
    logger,
    subgraphUrls,
    token: (login) => idp.issue(login),
    async graphql(query, options = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
      const token = options.token ?? (options.login ? await idp.issue(options.login) : undefined);
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(stack.gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables: options.variables ?? {} }) });
      return { status: res.status, headers: res.headers, body: (await res.json()) as never };
    },
    async close() {
      for (const close of closers) await close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}
