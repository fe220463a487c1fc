import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import pg from 'pg';
import { createLogger, devFeedKey, verifierFromSecret, type Logger, type TicketSync } from '@gerbang/common';
import { TEST_INTERNAL_SECRET, testDatabaseUrl, testOrm, uniqueSchema } from '@gerbang/testing';
import { createGateway, Identity, loadDevIdp, PostgresAccessLog, type DevIdp } from '@gerbang/gateway';
import type { EventBus } from '@gerbang/common/events';
import type { LiveLimits } from '../../gateway/src/subscriptions';
import { openGatewayRegistry } from '../../gateway/src/registry';
import { DEFAULT_PERSONAL_FIELDS, inlineRunner, Registry, RegistryStore } from '@gerbang/registry';
import type { CallStats, Simulator } from '@gerbang/simkit';
import { createSiakSimulator } from '@gerbang/sim-siak';
import { createBkpsdmSimulator } from '@gerbang/sim-bkpsdm';
import { createOssSimulator } from '@gerbang/sim-oss';
import { createPermitSoapSimulator } from '@gerbang/sim-permit-soap';
import { createClinicQueueSimulator } from '@gerbang/sim-clinic-queue';
import { createDtksDropSimulator } from '@gerbang/sim-dtks-drop';
import * as directory from '../../subgraphs/directory/src/server';
import * as ratings from '../../subgraphs/ratings/src/server';
import * as population from '../../subgraphs/population/src/server';
import * as staff from '../../subgraphs/staff/src/server';
import * as licensing from '../../subgraphs/licensing/src/server';
import * as landTax from '../../subgraphs/land-tax/src/server';
import * as health from '../../subgraphs/health/src/server';
import * as social from '../../subgraphs/social/src/server';
import * as insights from '../../subgraphs/insights/src/server';
import { parseAgencyK } from '../../subgraphs/insights/src/config';
import * as documents from '../../subgraphs/documents/src/server';
import { filesProxy } from '../../gateway/src/edge/files';
import { sismiopFixture } from '../../subgraphs/land-tax/test/fixture';

/**
 * The whole graph in one process for end-to-end tests: every agency-system simulator on port 0,
 * every subgraph on its own port and fresh schemas of the run's database, and the gateway composed
 * in memory from the subgraphs' schemas (what `npm run compose` writes). Ticket feeds do not poll:
 * `syncTickets()` drains every agency's feed into the ledger when a test wants it.
 */
export interface Stack {
  gatewayUrl: string;
  idp: DevIdp;
  logger: Logger;
  /** The append-only access log the gateway and the subgraphs that record reads (population, staff, land-tax; licensing and health for agency insights) share. */
  accessLog: PostgresAccessLog;
  subgraphUrls: Record<string, string>;
  simulators: Record<'siak' | 'bkpsdm' | 'oss' | 'permits' | 'clinics', Simulator>;
  /** Takes the legacy SISMIOP database down (or back up) at its TCP proxy. */
  sismiopDown(down: boolean): void;
  /** What the legacy SISMIOP database's TCP proxy saw (statements, request ids from sqlcommenter comments). */
  sismiopStats: CallStats;
  /** The schema the legacy SISMIOP tables are installed in (tests compute expected figures from them). */
  sismiopSchema: string;
  /** Every agency's ticket sync, or only the named subgraph's (e.g. `population`). */
  syncTickets(subgraph?: string): Promise<void>;
  /** One run of the ratings subgraph's register check of held ratings (it does not run by itself here). */
  registerCheckNow(): Promise<unknown>;
  /** One run of the ratings subgraph's notification sender (it does not run by itself here). */
  notifyNow(): Promise<number>;
  /** The insights subgraph: the ledger schema it reads, its own schema, and a rollup rebuild (no timer here). */
  insights: { ledgerSchema: string; schema: string; refresh(): Promise<unknown> };
  token(login: string): Promise<string>;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the answer's type, as callSubgraph's callers do
  graphql<T = any>(
    query: string,
    options?: { variables?: Record<string, unknown>; login?: string; token?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; body: { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] } }>;
  close(): Promise<void>;
  /** With `events`: the gateway (subscriptions on), and another replica on its own bus connection. */
  gateway: Awaited<ReturnType<typeof createGateway>>;
  addGateway(): Promise<{ url: string; gateway: Awaited<ReturnType<typeof createGateway>>; close(): Promise<void> }>;
  /** With `registry`: its PostgreSQL schema, and a write of every gateway's served operations now. */
  registry?: { schema: string; flushServed(): Promise<void> };
}

/** Live ticket status: each process (the ratings subgraph, every gateway) gets a bus of its own from `events`. */
export interface StackOptions {
  events?: () => EventBus;
  live?: Partial<LiveLimits>;
  /** The regency's SMS/WhatsApp gateway the ratings subgraph's notification sender sends to. */
  notifications?: { url: string; apiKey: string };
  /** More gateway options (the portal's browser tests add the portal and the dev IdP's login page). */
  gateway?: (idp: DevIdp) => Partial<Parameters<typeof createGateway>[0]>;
  /**
   * The gateways read their supergraph from a schema registry in a schema of its own of the run's
   * database (seeded with the stack's subgraphs), hear its new versions and serve its /registry/
   * API, as `npm start`'s gateway does (gateway/src/registry.ts). `safelistPath`: the
   * persisted-operation manifest its usage check reads.
   */
  registry?: { safelistPath?: string; pollMs?: number };
  /** Ticket feed keys of more agencies (agency=key) for the ledger, beside the demo agencies'. */
  feedKeys?: Record<string, string>;
  /**
   * The subgraph-call signing secret (default: TEST_INTERNAL_SECRET). The benchmark draws one per
   * run so that a production gateway, which refuses every secret this repository publishes, can call the stack.
   */
  internalSecret?: string;
  /** The ledger's FEED_KEY_SECRET: with it, administrators issue feed keys to new agencies. */
  feedKeySecret?: string;
  /** The insights subgraph's INSIGHTS_AGENCY_K (k per agency measure; default 10 for each). */
  insightsAgencyK?: string;
}

const KEYS = {
  siak: 'e2e-siak-key',
  bkpsdm: { clientId: 'e2e-hub', clientSecret: 'e2e-bkpsdm-secret' },
  oss: 'e2e-oss-user-key',
  permits: { username: 'e2e-hub', password: 'e2e-permit-password' },
  clinic: { consId: 'e2e-cons', consSecret: 'e2e-clinic-secret', userKey: 'e2e-clinic-user-key' },
};

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const logger = createLogger('e2e', process.env.E2E_LOG_LEVEL ?? 'silent');
  const internalSecret = options.internalSecret ?? TEST_INTERNAL_SECRET;
  const verifier = () => verifierFromSecret(internalSecret);
  const closers: (() => Promise<void>)[] = [];
  const subgraphUrls: Record<string, string> = {};
  const schemas: Record<string, GraphQLSchema> = {};
  const syncs: (TicketSync & { subgraph?: string })[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'gerbang-e2e-'));
  closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));

  async function serve(name: string, app: { schema: GraphQLSchema; listen(port: number): Promise<{ url: string; close(): Promise<void> }>; sync?: TicketSync }) {
    const running = await app.listen(0);
    subgraphUrls[name] = `${running.url}/graphql`;
    schemas[name] = app.schema;
    if (app.sync) syncs.push(Object.assign(app.sync, { subgraph: name }));
    closers.unshift(() => running.close());
    return running.url;
  }

  // The agencies' existing systems.
  const sims = {
    siak: createSiakSimulator({ apiKey: KEYS.siak }),
    bkpsdm: createBkpsdmSimulator(KEYS.bkpsdm),
    oss: createOssSimulator({ userKey: KEYS.oss }),
    permits: createPermitSoapSimulator(KEYS.permits),
    clinics: createClinicQueueSimulator(KEYS.clinic),
  };
  const simUrls: Record<string, string> = {};
  for (const [name, sim] of Object.entries(sims)) {
    simUrls[name] = await sim.listen(0);
    closers.push(() => sim.close());
  }
  const sismiop = await sismiopFixture();
  closers.push(() => sismiop.close());
  const dropDir = join(dataDir, 'dtks-drop');
  const dtks = createDtksDropSimulator({ dir: dropDir });
  await dtks.writeBatch();

  // One access log for the gateway and the subgraphs, as `npm start` has it (one database, schema audit).
  const auditSchema = uniqueSchema('audit');
  const accessLog = await PostgresAccessLog.open({ url: testDatabaseUrl(), schema: auditSchema, logger, flushMs: 20 });
  closers.push(async () => {
    await accessLog.close();
    // The table refuses TRUNCATE and DELETE; a test's schema goes whole.
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query(`drop schema if exists "${auditSchema}" cascade`).finally(() => client.end());
  });

  // Subgraphs with their own tables.
  const directoryDb = await testOrm({ schemaPrefix: 'directory', entities: directory.entities, migrations: directory.migrations });
  await directory.seedDirectory(directoryDb.orm.em.fork());
  closers.push(() => directoryDb.drop());
  await serve('directory', await directory.createDirectoryServer({ orm: directoryDb.orm, logger, verifier: verifier() }));

  const ratingsDb = await testOrm({ schemaPrefix: 'ratings', migrations: ratings.migrations });
  closers.push(() => ratingsDb.drop());
  const ratingsServer = await ratings.createRatingsServer({
    orm: ratingsDb.orm,
    logger,
    verifier: verifier(),
    // The register check and the notification sender run when a test drives them.
    config: ratings.defaultRatingsConfig({
      registerCheck: { ...ratings.defaultRatingsConfig().registerCheck, intervalMs: 0 },
      feedKeys: new Map([...ratings.defaultRatingsConfig().feedKeys, ...Object.entries(options.feedKeys ?? {})]),
      ...(options.feedKeySecret ? { feedKeySecret: options.feedKeySecret } : {}),
      notifications: {
        ...(options.notifications ? { channel: { ...options.notifications, timeoutMs: 1_000 } } : {}),
        sender: { ...ratings.defaultRatingsConfig().notifications!.sender, intervalMs: 0, backoffMs: 1, backoffMaxMs: 1 },
      },
    }),
    staff: new ratings.BkpsdmStaffDirectory({ url: simUrls.bkpsdm!, clientId: KEYS.bkpsdm.clientId, clientSecret: KEYS.bkpsdm.clientSecret }),
    ...(options.events ? { events: options.events() } : {}),
  });
  const ledgerUrl = await serve('ratings', ratingsServer);
  const feed = (agency: string) => ({ ledgerUrl, key: devFeedKey(agency), intervalMs: 0 });

  // Agency subgraphs.
  await serve(
    'population',
    await population.createPopulationServer({
      registry: new population.SiakClient({ baseUrl: simUrls.siak!, apiKey: KEYS.siak, timeoutMs: 5_000, retries: 1 }),
      logger,
      verifier: verifier(),
      accessLog,
      nikHashKey: 'e2e-access-log-hash-key',
      ticketFeed: feed(population.AGENCY_ID),
    }),
  );
  await serve(
    'staff',
    await staff.createStaffServer({
      register: new staff.SimpegClient({ baseUrl: simUrls.bkpsdm!, ...KEYS.bkpsdm, timeoutMs: 5_000 }),
      logger,
      verifier: verifier(),
      accessLog,
    }),
  );
  const oss = new licensing.OssClient({ baseUrl: simUrls.oss!, userKey: KEYS.oss, timeoutMs: 5_000, retries: 1 });
  await serve(
    'licensing',
    await licensing.createLicensingServer({
      registries: {
        oss,
        permits: new licensing.PermitSoapClient({ endpoint: sims.permits.endpoint(), ...KEYS.permits, timeoutMs: 5_000, retries: 1 }),
      },
      logger,
      verifier: verifier(),
      insights: { statistics: oss, accessLog },
      ticketFeed: feed(licensing.AGENCY_ID),
    }),
  );
  await serve(
    'land-tax',
    await landTax.createLandTaxServer({
      registry: new landTax.SismiopClient({ connectionString: sismiop.readerUrl, schema: sismiop.schema, timeoutMs: 5_000, retries: 1 }),
      logger,
      verifier: verifier(),
      accessLog,
      ticketFeed: feed(landTax.AGENCY_ID),
    }),
  );
  const clinics = new health.ClinicQueueClient({ baseUrl: simUrls.clinics!, ...KEYS.clinic, timeoutMs: 5_000, retries: 1 });
  await serve(
    'health',
    await health.createHealthServer({
      registry: clinics,
      logger,
      verifier: verifier(),
      insights: { statistics: clinics, accessLog },
      ticketFeed: feed(health.AGENCY_ID),
    }),
  );
  const socialDb = await testOrm({ schemaPrefix: 'social', entities: social.entities, migrations: social.migrations });
  await social.seedSocial(socialDb.orm.em.fork());
  closers.push(() => socialDb.drop());
  const socialApp = await social.createSocialServer({
    orm: socialDb.orm,
    logger,
    verifier: verifier(),
    drop: new social.DtksDropFolder({ dir: dropDir, timeoutMs: 5_000 }),
    exchange: { intervalMs: 0, graceMs: 60_000 },
    reviewerNip: '198602142011012005',
    accessLogKey: 'e2e-access-log-hash-key',
    ticketFeed: feed(social.AGENCY_ID),
  });
  await serve('social', socialApp);

  // Analysts' insights over the ledger's tables (its rollups are rebuilt only when a test asks).
  const insightsDb = await testOrm({ schemaPrefix: 'insights', migrations: insights.migrations });
  closers.push(() => insightsDb.drop());
  const insightsServer = await insights.createInsightsServer({
    orm: insightsDb.orm,
    accessLog,
    auditSchema,
    logger,
    verifier: verifier(),
    schema: insightsDb.schema,
    config: {
      ...insights.defaultInsightsConfig({ ledgerSchema: ratingsDb.schema, refreshIntervalMs: 0, demoHistory: null }),
      ...(options.insightsAgencyK ? { agencyK: parseAgencyK(options.insightsAgencyK) } : {}),
    },
  });
  await serve('insights', insightsServer);

  // Attachments: the local store in this run's folder, its /files passed through by the gateway.
  const documentsDb = await testOrm({ schemaPrefix: 'documents', migrations: documents.migrations });
  closers.push(() => documentsDb.drop());
  await serve(
    'documents',
    await documents.createDocumentsServer({
      orm: documentsDb.orm,
      accessLog,
      logger,
      verifier: verifier(),
      schema: documentsDb.schema,
      config: {
        store: { kind: 'local', dir: join(dataDir, 'documents'), secrets: ['e2e-documents-url-secret'], publicUrl: '' },
        maxBytes: 5 * 1024 * 1024,
        uploadTtlSeconds: 300,
        downloadTtlSeconds: 60,
        // Whose a ticket is: this stack's ledger, asked as the caller.
        ledger: { ratingsUrl: ledgerUrl, secret: TEST_INTERNAL_SECRET, timeoutMs: 5_000, waitMs: 2_000 },
        sweep: { intervalMs: 0, pendingTtlSeconds: 24 * 3600, unlinkedTtlSeconds: 7 * 24 * 3600 },
      },
    }),
  );
  await socialApp.exchangeNow();

  const composed = composeServices(Object.entries(schemas).map(([name, schema]) => ({ name, url: subgraphUrls[name]!, typeDefs: parse(printSubgraphSchema(schema)) })));
  if (composed.errors?.length) throw new Error(`composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);

  const issuer = 'https://idp.gerbang.invalid/test';
  const idp = await loadDevIdp({ dataDir, issuer, audience: 'gerbang' });
  const identity = Identity.fromJwks(idp.jwks(), { issuer, audience: 'gerbang' });
  const registries: Awaited<ReturnType<typeof openGatewayRegistry>>[] = [];
  const registrySchema = options.registry ? uniqueSchema('registry') : undefined;
  if (registrySchema) {
    const store = await RegistryStore.open({ url: testDatabaseUrl(), schema: registrySchema });
    closers.push(async () => {
      await store.pool.query(`DROP SCHEMA IF EXISTS "${registrySchema}" CASCADE`);
      await store.close();
    });
    // Set-up, in this thread (the gateways' registries check in their worker).
    const registry = new Registry(store, { internalSecret, checks: inlineRunner() });
    await registry.seed(Object.entries(schemas).map(([name, schema]) => ({ name, routingUrl: subgraphUrls[name]!, sdl: printSubgraphSchema(schema) })));
    await registry.close();
  }
  const addGateway = async () => {
    const bus = options.events?.();
    const extra = options.gateway?.(idp) ?? {};
    const registry = registrySchema
      ? await openGatewayRegistry({
          databaseUrl: testDatabaseUrl(),
          schema: registrySchema,
          internalSecret,
          identity,
          logger,
          pollMs: options.registry?.pollMs ?? 1_000,
          usageDays: 30,
          personalFields: DEFAULT_PERSONAL_FIELDS,
          safelistClients: ['portal', 'mobile'],
          ...(options.registry?.safelistPath ? { safelistPath: options.registry.safelistPath } : {}),
          servedFlushMs: 60_000,
        })
      : undefined;
    if (registry) registries.push(registry);
    const gateway = await createGateway({
      logger,
      accessLog,
      identity,
      supergraph: registry ? registry.supergraph : { sdl: composed.supergraphSdl! },
      ...(registry ? { http: registry.http, plugins: [registry.plugin] } : {}),
      internalSecret,
      subgraphTimeoutMs: 10_000,
      ...(bus ? { events: bus, ...(options.live ? { live: options.live } : {}) } : {}),
      ...extra,
      pages: [filesProxy(`${subgraphUrls.documents!.replace(/\/graphql$/, '')}/files`), ...(extra.pages ?? [])],
    });
    const running = await gateway.listen(0);
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await running.close();
      await bus?.close();
      await registry?.close();
    };
    closers.unshift(close);
    return { url: `${running.url}/graphql`, gateway, close };
  };
  const first = await addGateway();
  const running = { url: first.url.replace(/\/graphql$/, '') };

  const stack: Stack = {
    gatewayUrl: `${running.url}/graphql`,
    idp,
    logger,
    accessLog,
    subgraphUrls,
    simulators: sims,
    sismiopDown: (down) => sismiop.proxy.faults.set({ down }),
    sismiopStats: sismiop.proxy.stats,
    sismiopSchema: sismiop.schema,
    async syncTickets(subgraph) {
      await Promise.all(syncs.filter((s) => subgraph === undefined || s.subgraph === subgraph).map((s) => s.syncNow()));
    },
    registerCheckNow: () => ratingsServer.registerCheckNow(),
    notifyNow: () => ratingsServer.notifyNow(),
    insights: { ledgerSchema: ratingsDb.schema, schema: insightsDb.schema, refresh: () => insightsServer.refreshNow() },
    token: (login) => idp.issue(login),
    gateway: first.gateway,
    addGateway,
    ...(registrySchema
      ? {
          registry: {
            schema: registrySchema,
            flushServed: async () => {
              await Promise.all(registries.map((r) => r.flushServed()));
            },
          },
        }
      : {}),
    async graphql(query, options = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
      const token = options.token ?? (options.login ? await idp.issue(options.login) : undefined);
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(stack.gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables: options.variables ?? {} }) });
      return { status: res.status, headers: res.headers, body: (await res.json()) as never };
    },
    async close() {
      for (const close of closers) await close().catch(() => undefined);
    },
  };
  await stack.syncTickets();
  return stack;
}
