import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createLogger, createOrm, migrate, verifierFromSecret } from '@gerbang/common';
import { createGateway, DEV_AUDIENCE, DEV_ISSUER, Identity, loadDevIdp, PostgresAccessLog } from '@gerbang/gateway';
import * as directory from '../../subgraphs/directory/src/server';
import * as ratings from '../../subgraphs/ratings/src/server';
import type { StaffMember } from '../../subgraphs/ratings/src/server';
import { BENCH_INTERNAL_SECRET } from './reports';

/**
 * The smallest graph that serves rateService: the directory and ratings subgraphs and the gateway
 * composed from those two, on the benchmark's schemas of the real PostgreSQL. The parts can run in
 * one process ("single") or as npm start runs them: subgraphs in one process, the gateway in
 * another ("split"); bench/ratings/stack-process.ts is the process entry.
 */
export interface StackConfig {
  databaseUrl: string;
  /** Migrated and loaded by the benchmark. */
  ratingsSchema: string;
  /** Created, migrated and seeded here. */
  directorySchema: string;
  auditSchema: string;
  /** Holds the dev IdP's key (dev-idp/key.json). */
  dataDir: string;
  /** Connections per subgraph pool (DB_POOL_MAX; production default 5). */
  poolMax: number;
  logLevel: string;
  staff: (StaffMember & { agencyId: string })[];
  /** rateService's group commit: most ratings per statement (1: none); default as in production. */
  groupCommitMax?: number;
  /** Fixed ports for the subgraphs (a restart after kill -9 comes back where the gateway expects it). */
  ports?: { directory: number; ratings: number };
}

interface SubgraphsStarted {
  urls: { directory: string; ratings: string };
  supergraphSdl: string;
  close(): Promise<void>;
}

export async function startSubgraphs(config: StackConfig): Promise<SubgraphsStarted> {
  const closers: (() => Promise<void>)[] = [];
  const verifier = () => verifierFromSecret(BENCH_INTERNAL_SECRET);
  try {
    const dirOrm = await createOrm({ url: config.databaseUrl, schema: config.directorySchema, entities: directory.entities, migrations: directory.migrations, poolMax: config.poolMax });
    closers.push(() => dirOrm.close(true));
    await migrate(dirOrm);
    await directory.seedDirectory(dirOrm.em.fork());
    const dirApp = await directory.createDirectoryServer({ orm: dirOrm, logger: createLogger('directory', config.logLevel), verifier: verifier() });
    const dirRunning = await dirApp.listen(config.ports?.directory ?? 0);
    closers.unshift(() => dirRunning.close());

    const ratingsOrm = await createOrm({ url: config.databaseUrl, schema: config.ratingsSchema, migrations: ratings.migrations, poolMax: config.poolMax });
    closers.push(() => ratingsOrm.close(true));
    await migrate(ratingsOrm);
    const ratingsApp = await ratings.createRatingsServer({
      orm: ratingsOrm,
      logger: createLogger('ratings', config.logLevel),
      verifier: verifier(),
      config: ratings.defaultRatingsConfig(config.groupCommitMax ? { groupCommit: { ...ratings.DEFAULT_GROUP_COMMIT, maxBatch: config.groupCommitMax } } : {}),
      staff: new ratings.MemoryStaffDirectory(config.staff),
    });
    const ratingsRunning = await ratingsApp.listen(config.ports?.ratings ?? 0);
    closers.unshift(() => ratingsRunning.close());

    const urls = { directory: `${dirRunning.url}/graphql`, ratings: `${ratingsRunning.url}/graphql` };
    const composed = composeServices([
      { name: 'directory', url: urls.directory, typeDefs: parse(printSubgraphSchema(dirApp.schema)) },
      { name: 'ratings', url: urls.ratings, typeDefs: parse(printSubgraphSchema(ratingsApp.schema)) },
    ]);
    if (composed.errors?.length) throw new Error(`composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);
    return {
      urls,
      supergraphSdl: composed.supergraphSdl!,
      async close() {
        for (const c of closers) await c().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const c of closers) await c().catch(() => undefined);
    throw err;
  }
}

interface GatewayStarted {
  url: string;
  close(): Promise<void>;
}

/** The gateway as main.ts builds it (access log in PostgreSQL, default rate limits and edge), on the dev IdP's key. */
export async function startGatewayPart(config: StackConfig, supergraphSdl: string): Promise<GatewayStarted> {
  const logger = createLogger('gateway', config.logLevel);
  const idp = await loadDevIdp({ dataDir: config.dataDir, issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
  const accessLog = await PostgresAccessLog.open({ url: config.databaseUrl, schema: config.auditSchema, logger });
  const app = await createGateway({
    logger,
    accessLog,
    identity: Identity.fromJwks(idp.jwks(), { issuer: DEV_ISSUER, audience: DEV_AUDIENCE }),
    supergraph: { sdl: supergraphSdl },
    internalSecret: BENCH_INTERNAL_SECRET,
    subgraphTimeoutMs: 10_000,
    // The load generator sends X-Forwarded-For, as a reverse proxy would.
    trustProxy: true,
  });
  const running = await app.listen(0);
  return {
    url: `${running.url}/graphql`,
    async close() {
      await running.close();
      await accessLog.close();
    },
  };
}
