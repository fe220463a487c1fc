import { printSubgraphSchema } from '@apollo/subgraph';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@gerbang/common';
import { Registry, RegistryStore, registryHttp, ServedOperations, supergraphFromRegistry } from '@gerbang/registry';
import { TEST_INTERNAL_SECRET, testDatabaseUrl, uniqueSchema, ifStarted } from '@gerbang/testing';
import { Identity } from '../src';
import { startGateway, startSubgraph, type FixtureSubgraph, type TestGateway } from './support/fixtures';

/**
 * The schema registry end to end, in process: fixture subgraphs on port 0, a registry in a schema
 * of its own on the test database, and the real gateway reading its supergraph from the registry
 * (LISTEN/NOTIFY, polling as the fallback) and serving the /registry/ API.
 */
const TICKETS = /* GraphQL */ `
  type Query {
    "Tickets"
    tickets: [Ticket!]!
  }
  type Ticket @key(fields: "id") {
    "Id"
    id: ID!
    "Status"
    status: String!
  }
`;
const TICKETS_DATA = [
  { id: 'kir:1', status: 'SUBMITTED' },
  { id: 'kir:2', status: 'COMPLETED' },
];
const KIR_V1 = /* GraphQL */ `
  type Ticket @key(fields: "id") {
    id: ID!
    "The KIR booking of this ticket"
    kirBooking: KirBooking
  }
  "A vehicle test (KIR) booking"
  type KirBooking {
    "Booking code"
    code: String!
    "Vehicle plate"
    plate: String!
  }
`;
const KIR_BREAKING = KIR_V1.replace('"Vehicle plate"\n    plate: String!', '');
const KIR_ADDITIVE = KIR_V1.replace('"Vehicle plate"\n    plate: String!', '"Vehicle plate"\n    plate: String!\n    "Test station"\n    station: String');
const kirResolvers = {
  Ticket: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    kirBooking: (t: { id: string }) => ({ code: `KIR-${t.id.split(':')[1]}`, plate: 'AG 1234 XY', station: 'UPT PKB Trenggalek' }),
  },
};

const issuer = 'https://idp.gerbang.invalid/test';
const sdlOf = (s: FixtureSubgraph) => printSubgraphSchema(s.schema);

describe('schema registry (gateway)', () => {
  let store: RegistryStore;
  let registry: Registry;
  let served: ServedOperations;
  let gw: TestGateway;
  const subgraphs: FixtureSubgraph[] = [];
  let tickets: FixtureSubgraph;
  let kir: FixtureSubgraph;
  let kirBreaking: FixtureSubgraph;
  let kirAdditive: FixtureSubgraph;
  const versions: number[] = [];

  const api = async (path: string, body: unknown, login?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (login)
      headers.authorization = `Bearer ${await gw.idp.issue(login.startsWith('publisher:') ? 'admin' : login, login.startsWith('publisher:') ? { claims: { roles: ['publisher'], subgraph: login.slice(10) } } : {})}`;
    const res = await fetch(gw.url.replace('/graphql', `/registry${path}`), body === undefined ? { headers } : { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const until = async (what: () => Promise<boolean>, ms = 10_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await what()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('timed out');
  };
  const kirQuery = '{ tickets { id status kirBooking { code plate } } }';

  beforeAll(async () => {
    tickets = await startSubgraph('tickets', TICKETS, { Query: { tickets: () => TICKETS_DATA }, Ticket: { __resolveReference: (ref: { id: string }) => TICKETS_DATA.find((t) => t.id === ref.id) } });
    kir = await startSubgraph('kir', KIR_V1, kirResolvers);
    kirBreaking = await startSubgraph('kir', KIR_BREAKING, kirResolvers);
    kirAdditive = await startSubgraph('kir', KIR_ADDITIVE, kirResolvers);
    subgraphs.push(tickets, kir, kirBreaking, kirAdditive);
    const logger = createLogger('registry', 'silent');
    store = await RegistryStore.open({ url: testDatabaseUrl(), schema: uniqueSchema('registry') });
    registry = new Registry(store, { internalSecret: TEST_INTERNAL_SECRET, usageDays: 30 });
    await registry.seed([{ name: 'tickets', routingUrl: tickets.url, sdl: sdlOf(tickets) }]);
    served = new ServedOperations(store, logger, { flushMs: 60_000 });
    const source = supergraphFromRegistry(store, logger, { pollMs: 1_000, onVersion: (v) => versions.push(v) });
    gw = await startGateway({ sdl: '' }, { supergraph: { ...(await source.initial()), hook: source.hook }, plugins: [served.plugin()], http: (req, res, url) => handler(req, res, url) });
    const identity = Identity.fromJwks(gw.idp.jwks(), { issuer, audience: 'gerbang' });
    const handler = registryHttp(
      registry,
      async (req) => {
        const c = await identity.callerFrom(req.headers.authorization);
        return c.sub ? { sub: c.sub, roles: c.roles, ...(c.subgraph ? { subgraph: c.subgraph } : {}) } : undefined;
      },
      logger,
    );
  });
  afterAll(async () => {
    await ifStarted(gw)?.close();
    await ifStarted(served)?.close();
    await ifStarted(store)?.pool.query(`DROP SCHEMA IF EXISTS "${store.schema}" CASCADE`);
    await ifStarted(store)?.close();
    for (const s of subgraphs) await s.stop();
  });

  it('publishes a new agency subgraph through the API; the running gateway serves its fields without a restart', async () => {
    const before = await gw.gql(kirQuery);
    expect(before.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const published = await api('/publish', { name: 'kir', sdl: sdlOf(kir), routingUrl: kir.url, commit: 'abc123' }, 'publisher:kir');
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', report: { ok: true } });
    const started = Date.now();
    await until(async () => (await gw.gql(kirQuery)).body.data?.tickets?.[0]?.kirBooking?.code === 'KIR-1');
    // LISTEN/NOTIFY: well before the 1 s poll would have.
    expect(Date.now() - started).toBeLessThan(3_000);
    const list = await api('/subgraphs', undefined, 'publisher:kir');
    expect(list.body.subgraphs.map((s: { name: string }) => s.name).sort()).toEqual(['kir', 'tickets']);
    expect(list.body.subgraphs.find((s: { name: string }) => s.name === 'kir')).toMatchObject({ publisher: expect.stringContaining('usr-'), commit: 'abc123', routingUrl: kir.url });
    // Publishing the same again changes nothing.
    expect((await api('/publish', { name: 'kir', sdl: sdlOf(kir), routingUrl: kir.url }, 'publisher:kir')).body.status).toBe('unchanged');
  });

  it('lets an agency publish only its own subgraph, and only an admin force or roll back', async () => {
    const other = await api('/publish', { name: 'tickets', sdl: sdlOf(tickets), routingUrl: tickets.url }, 'publisher:kir');
    expect(other).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(other.body.error.message).toMatch(/publishes subgraph "kir" only/);
    expect((await api('/check', { name: 'tickets', sdl: sdlOf(tickets) }, 'publisher:kir')).status).toBe(403);
    expect((await api('/publish', { name: 'kir', sdl: sdlOf(kir), routingUrl: kir.url }, undefined)).status).toBe(401);
    expect((await api('/publish', { name: 'kir', sdl: sdlOf(kir), routingUrl: kir.url }, 'warga.siti')).status).toBe(403);
    expect((await api('/publish', { name: 'kir', sdl: sdlOf(kirBreaking), routingUrl: kirBreaking.url, force: true, reason: 'x' }, 'publisher:kir')).body.error.code).toBe('FORBIDDEN');
    expect((await api('/rollback', { version: 1, reason: 'x' }, 'publisher:kir')).body.error.code).toBe('FORBIDDEN');
    expect((await api('/publish', { name: 'Bad Name', sdl: 'type Query { a: Int }', routingUrl: kir.url }, 'admin')).body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });

  it('refuses a routing URL that is unreachable or serves another SDL (asked with a signed _service { sdl })', async () => {
    const different = await api('/publish', { name: 'kir', sdl: sdlOf(kirAdditive), routingUrl: kir.url }, 'publisher:kir');
    expect(different).toMatchObject({ status: 422, body: { error: { code: 'SUBGRAPH_UNVERIFIED', reason: 'different' } } });
    const unreachable = await api('/publish', { name: 'kir', sdl: sdlOf(kir), routingUrl: 'http://127.0.0.1:9/graphql' }, 'publisher:kir');
    expect(unreachable).toMatchObject({ status: 422, body: { error: { code: 'SUBGRAPH_UNVERIFIED', reason: 'unreachable' } } });
    const log = await store.logEntries({ subgraph: 'kir' });
    expect(log.filter((e) => e.action === 'refuse').map((e) => e.reason)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^routing URL different/), expect.stringMatching(/^routing URL unreachable/)]),
    );
  });

  it('refuses a breaking change naming the operations and clients it would break; an admin forces it with a reason, logged', async () => {
    // A client the gateway served reads KirBooking.plate.
    for (let i = 0; i < 3; i++)
      expect((await gw.gql('query KioskBookings { tickets { kirBooking { plate } } }', { headers: { 'apollographql-client-name': 'kiosk-uptd' } })).body.errors).toBeUndefined();
    await served.flush();
    const check = await api('/check', { name: 'kir', sdl: sdlOf(kirBreaking) }, 'publisher:kir');
    expect(check.status).toBe(200);
    expect(check.body.report).toMatchObject({ ok: false, forcible: true, changes: { breaking: 1 } });
    // The operation served above to the kiosk, and the first test's (a client that sent no name).
    expect(check.body.report.usage.failing).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'served', operation: 'KioskBookings', clients: ['kiosk-uptd'], count: 3 }),
        expect.objectContaining({ source: 'served', clients: ['unknown'] }),
      ]),
    );

    const refused = await api('/publish', { name: 'kir', sdl: sdlOf(kirBreaking), routingUrl: kirBreaking.url }, 'publisher:kir');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'SCHEMA_CHECK_FAILED', report: { ok: false } });
    expect(refused.body.error.message).toMatch(/1 breaking change\(s\), 2 operation\(s\) in use would fail \(clients: (kiosk-uptd, unknown|unknown, kiosk-uptd)\)/);
    expect((await api('/publish', { name: 'kir', sdl: sdlOf(kirBreaking), routingUrl: kirBreaking.url, force: true }, 'admin')).body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });

    const forced = await api('/publish', { name: 'kir', sdl: sdlOf(kirBreaking), routingUrl: kirBreaking.url, force: true, reason: 'kiosk retired on 2026-12-01' }, 'admin');
    expect(forced.body).toMatchObject({ status: 'forced' });
    await until(async () => (await gw.gql('{ tickets { kirBooking { plate } } }')).body.errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED');
    const log = await store.logEntries({ subgraph: 'kir', limit: 10 });
    expect(log[0]).toMatchObject({ action: 'force', actor: 'usr-admin', reason: expect.stringMatching(/^kiosk retired on 2026-12-01 \(overriding: 1 breaking change/) });
    expect(log.find((e) => e.action === 'refuse' && (e.report as { usage?: unknown } | null)?.usage)).toBeDefined();
    // The log cannot be rewritten.
    await expect(store.pool.query(`DELETE FROM "${store.schema}".log`)).rejects.toThrow(/append-only/);
  });

  it('rolls back to an earlier version with one call: the gateway serves the earlier graph again', async () => {
    const history = await api('/supergraphs', undefined, 'admin');
    const withPlate = history.body.versions.find((v: { id: number; subgraphs: Record<string, number> }) => 'kir' in v.subgraphs && v.id < history.body.versions[0].id)!;
    expect((await api('/rollback', { version: withPlate.id }, 'admin')).body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const rolled = await api('/rollback', { version: withPlate.id, reason: 'the kiosk is back' }, 'admin');
    expect(rolled.body).toMatchObject({ restores: withPlate.id });
    await until(async () => (await gw.gql('{ tickets { kirBooking { plate } } }')).body.data?.tickets?.[0]?.kirBooking?.plate === 'AG 1234 XY');
    expect((await store.logEntries({ limit: 1 }))[0]).toMatchObject({ action: 'rollback', reason: expect.stringMatching(/^the kiosk is back \(restores version/) });
    expect((await api('/rollback', { version: 999_999, reason: 'x' }, 'admin')).body.error.code).toBe('NOT_FOUND');
  });

  it('switches versions under load with no failed request (in-flight operations finish on the old graph)', async () => {
    // kir v1 (with plate) is current (the rollback above restored it; run alone, this publishes it);
    // publish the additive version while 8 clients query without pause.
    const v1 = await api('/publish', { name: 'kir', sdl: sdlOf(kir), routingUrl: kir.url, force: true, reason: 'the load test starts from kir v1' }, 'admin');
    expect(['unchanged', 'published', 'forced']).toContain(v1.body.status);
    await until(async () => (await gw.gql('{ tickets { kirBooking { plate } } }')).body.data?.tickets?.[0]?.kirBooking?.plate === 'AG 1234 XY');
    let stop = false;
    let ok = 0;
    let switched = false;
    let okBefore = 0;
    let okAfter = 0;
    const failures: unknown[] = [];
    const client = async () => {
      while (!stop) {
        try {
          const r = await gw.gql('query Load { tickets { id status kirBooking { code plate } } }', { headers: { 'apollographql-client-name': 'load' } });
          if (r.status !== 200 || r.body.errors || r.body.data?.tickets?.length !== 2) failures.push(r.body);
          else {
            ok++;
            if (switched) okAfter++;
            else okBefore++;
          }
        } catch (err) {
          failures.push(String(err));
          return;
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await new Promise((r) => setTimeout(r, 500));
    const seen = versions.length;
    const published = await api('/publish', { name: 'kir', sdl: sdlOf(kirAdditive), routingUrl: kirAdditive.url }, 'publisher:kir');
    if (published.body.status !== 'published') stop = true;
    expect(published.body.status).toBe('published');
    await until(async () => versions.length > seen);
    switched = true;
    await until(async () => (await gw.gql('{ tickets { kirBooking { station } } }')).body.data?.tickets?.[0]?.kirBooking?.station === 'UPT PKB Trenggalek');
    await until(async () => okAfter >= 20, 20_000);
    stop = true;
    await Promise.all(clients);
    expect(failures).toEqual([]);
    // Served on the old graph while the publish ran, and on the new one after it.
    expect(okBefore).toBeGreaterThan(8);
    expect(okAfter).toBeGreaterThanOrEqual(20);
    expect(ok).toBe(okBefore + okAfter);
    // Polling alone (no NOTIFY heard) would also have found it: the version is what the store says.
    const direct = new pg.Client({ connectionString: testDatabaseUrl() });
    await direct.connect();
    const { rows } = await direct.query(`SELECT max(id)::int AS id FROM "${store.schema}".supergraph_version`);
    await direct.end();
    expect(versions.at(-1)).toBe(rows[0].id);
  });
});
