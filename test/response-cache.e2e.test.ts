import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import pg from 'pg';
import { createLogger, devFeedKey, signRequest, TICKET_FEED_AUDIENCE, TICKET_FEED_PATH, verifierFromSecret } from '@gerbang/common';
import { createGateway, Identity, loadDevIdp, MemoryResponseStore, PgNotifyInvalidation, PostgresAccessLog, type DevIdp } from '@gerbang/gateway';
import { TEST_INTERNAL_SECRET, testDatabaseUrl, testOrm, uniqueSchema } from '@gerbang/testing';
import * as directory from '../subgraphs/directory/src/server';
import * as ratings from '../subgraphs/ratings/src/server';

/**
 * The gateway's response cache for public reads (gateway/src/edge/response-cache.ts) over the
 * directory and ratings subgraphs: what is cached (public answers only, per kind of caller), and
 * that a committed change empties what it touches before the next read.
 */
const FIND = `query FindAgency($q: String!) { agencies(search: $q, first: 5) { id name abbreviation rating { average count } } }`;
const PAGE = `query AgencyPage($id: ID!) {
  agency(id: $id) {
    id name abbreviation
    services { id name slaDays fee requirements }
    officers { id name position rating { average count } }
    rating { average count distribution { stars count } }
    satisfaction(year: 2026) { respondents index category provisional elements { element value } }
  }
}`;
const MY_TICKETS = `query MyTickets { me { id tickets(first: 20) { id status canRate } } }`;
const RATE = `mutation RateService($input: RateServiceInput!) { rateService(input: $input) { id stars ticket { id canRate } } }`;

const closers: (() => Promise<void>)[] = [];
let gatewayUrl: string;
let ratingsUrl: string;
let idp: DevIdp;
let store: MemoryResponseStore;
let directorySchema: string;
const NIK = '3503115708900001'; // warga.siti (docs/DEMO-DATA.md)

async function call(query: string, variables: Record<string, unknown>, token?: string) {
  const res = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { cache: res.headers.get('gerbang-cache'), cacheControl: res.headers.get('cache-control'), body: (await res.json()) as any };
}

beforeAll(async () => {
  const logger = createLogger('cache-test', 'silent');
  const verifier = () => verifierFromSecret(TEST_INTERNAL_SECRET);
  const dataDir = mkdtempSync(join(tmpdir(), 'gerbang-cache-'));
  closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));

  const dirDb = await testOrm({ schemaPrefix: 'directory', entities: directory.entities, migrations: directory.migrations });
  closers.push(() => dirDb.drop());
  directorySchema = dirDb.schema;
  await directory.seedDirectory(dirDb.orm.em.fork());
  const dirApp = await directory.createDirectoryServer({ orm: dirDb.orm, logger, verifier: verifier() });
  const dirRunning = await dirApp.listen(0);
  closers.unshift(() => dirRunning.close());

  const ratingsDb = await testOrm({ schemaPrefix: 'ratings', migrations: ratings.migrations });
  closers.push(() => ratingsDb.drop());
  const ratingsApp = await ratings.createRatingsServer({
    orm: ratingsDb.orm,
    logger,
    verifier: verifier(),
    config: ratings.defaultRatingsConfig({ registerCheck: { ...ratings.defaultRatingsConfig().registerCheck, intervalMs: 0 } }),
    staff: new ratings.MemoryStaffDirectory([]),
  });
  const ratingsRunning = await ratingsApp.listen(0);
  closers.unshift(() => ratingsRunning.close());
  ratingsUrl = ratingsRunning.url;

  const composed = composeServices([
    { name: 'directory', url: `${dirRunning.url}/graphql`, typeDefs: parse(printSubgraphSchema(dirApp.schema)) },
    { name: 'ratings', url: `${ratingsRunning.url}/graphql`, typeDefs: parse(printSubgraphSchema(ratingsApp.schema)) },
  ]);
  if (composed.errors?.length) throw new Error(composed.errors.map((e) => e.message).join('; '));

  const auditSchema = uniqueSchema('audit');
  const accessLog = await PostgresAccessLog.open({ url: testDatabaseUrl(), schema: auditSchema, logger });
  closers.push(async () => {
    await accessLog.close();
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query(`drop schema if exists "${auditSchema}" cascade`).finally(() => client.end());
  });
  const issuer = 'https://idp.gerbang.invalid/test';
  idp = await loadDevIdp({ dataDir, issuer, audience: 'gerbang' });
  store = new MemoryResponseStore();
  const gateway = await createGateway({
    logger,
    accessLog,
    identity: Identity.fromJwks(idp.jwks(), { issuer, audience: 'gerbang' }),
    supergraph: { sdl: composed.supergraphSdl! },
    internalSecret: TEST_INTERNAL_SECRET,
    rateLimit: false,
    // Only this file's schemas: other test files write ratings to the same server meanwhile.
    responseCache: { invalidation: new PgNotifyInvalidation(testDatabaseUrl(), logger, [dirDb.schema, ratingsDb.schema]), store },
  });
  const running = await gateway.listen(0);
  closers.unshift(() => running.close());
  gatewayUrl = `${running.url}/graphql`;
  for (let i = 0; i < 200 && !gateway.responseCache?.serving; i++) await new Promise((done) => setTimeout(done, 50));
  expect(gateway.responseCache?.serving).toBe(true);

  // A completed ticket of one citizen at Dispendukcapil, through the signed ticket feed.
  const body = JSON.stringify({
    agencyId: 'dispendukcapil',
    events: [1, 2].map((n) => ({
      ticketId: `dispendukcapil:CACHE-${n}`,
      citizenNik: NIK,
      serviceId: 'dispendukcapil.ktp-el',
      officerId: '198703152010011002',
      status: 'COMPLETED',
      submittedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      completedAt: new Date(Date.now() - 3_600_000).toISOString(),
      version: 1,
    })),
  });
  const res = await fetch(`${ratingsUrl}${TICKET_FEED_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signRequest(devFeedKey('dispendukcapil'), body, { roles: [], sub: 'feed:dispendukcapil', agencyId: 'dispendukcapil' }, TICKET_FEED_AUDIENCE) },
    body,
  });
  expect(res.status).toBe(200);
}, 120_000);

afterAll(async () => {
  for (const close of closers) await close().catch(() => undefined);
});

describe('response cache', () => {
  it('answers FindAgency and AgencyPage from the cache the second time, byte for byte, with no-cache for clients', async () => {
    const first = await call(FIND, { q: 'dukcapil' });
    expect(first.body.errors).toBeUndefined();
    expect(first.cache).toBe('miss');
    expect(first.cacheControl).toBe('no-cache');
    const second = await call(FIND, { q: 'dukcapil' });
    expect(second.cache).toBe('hit');
    expect(second.body).toEqual(first.body);
    // Another search is another entry.
    expect((await call(FIND, { q: 'capil' })).cache).toBe('miss');

    const page = await call(PAGE, { id: 'dispendukcapil' });
    expect(page.body.errors).toBeUndefined();
    expect(page.cache).toBe('miss');
    const again = await call(PAGE, { id: 'dispendukcapil' });
    expect(again.cache).toBe('hit');
    expect(again.body).toEqual(page.body);
  });

  it('keeps kinds of callers apart, and never stores personal answers', async () => {
    const token = await idp.issue('warga.siti');
    // A signed-in citizen reading a public page: an entry of its own kind (roles), not the anonymous one.
    expect((await call(PAGE, { id: 'dpmptsp' })).cache).toBe('miss');
    expect((await call(PAGE, { id: 'dpmptsp' }, token)).cache).toBe('miss');
    expect((await call(PAGE, { id: 'dpmptsp' }, token)).cache).toBe('hit');
    // Personal: not looked up as public, not stored, no-store for clients.
    const mine = await call(MY_TICKETS, {}, token);
    expect(mine.cache).toBeNull();
    expect(mine.cacheControl).toBe('no-store');
    expect((await call(MY_TICKETS, {}, token)).cache).toBeNull();
  });

  it('a committed rating empties the answers that show its agency or officer before the next read', async () => {
    const before = await call(PAGE, { id: 'dispendukcapil' });
    expect(before.cache).toBe('hit');
    const search = await call(FIND, { q: 'dukcapil' });
    expect(search.cache).toBe('hit');
    const other = await call(FIND, { q: 'perizinan' });
    expect(other.cache).toBe('miss');
    expect((await call(FIND, { q: 'perizinan' })).cache).toBe('hit');

    const token = await idp.issue('warga.siti');
    const rated = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: RATE, variables: { input: { ticketId: 'dispendukcapil:CACHE-1', stars: 5 } } }),
    });
    expect(((await rated.json()) as any).errors).toBeUndefined();

    // NOTIFY is delivered at commit; the gateway drops the entries as it arrives (milliseconds).
    await expect.poll(async () => (await call(PAGE, { id: 'dispendukcapil' })).body.data.agency.rating.count, { timeout: 2_000, interval: 20 }).toBe(before.body.data.agency.rating.count + 1);
    const after = await call(FIND, { q: 'dukcapil' });
    expect(after.body.data.agencies.find((a: { id: string }) => a.id === 'dispendukcapil').rating.count).toBe(before.body.data.agency.rating.count + 1);
    // An answer that does not show Dispendukcapil stays.
    expect((await call(FIND, { q: 'perizinan' })).cache).toBe('hit');
  });

  it('a directory change empties everything', async () => {
    expect((await call(FIND, { q: 'perizinan' })).cache).toBe('hit');
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query(`update "${directorySchema}".agency set phone = phone where id = 'dpmptsp'`).finally(() => client.end());
    await expect.poll(async () => (await call(FIND, { q: 'perizinan' })).cache, { timeout: 2_000, interval: 20 }).toBe('miss');
    expect(store.size).toBeGreaterThan(0); // refilled by the read above
  });
});
