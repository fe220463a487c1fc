import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { manifestText } from '../scripts/manifest';
import { memoryLogger, ifStarted } from '@gerbang/testing';
import { buildManifest, checkPersistedQuery, Safelist } from '../src/edge/persisted';
import { RedisKeyValueCache } from '../src/edge/cache';
import { apqRoundTrip } from './support/apq';
import { deepQuery, PLACES_SDL, placesResolvers, startGateway, startPlacesAndPeople, startSubgraph, type FixtureSubgraph, type TestGateway } from './support/fixtures';

const FIND = `query FindAgency($q: String!) {
  agencies(search: $q, first: 5) { id name abbreviation }
}`;
const safelist = new Safelist(buildManifest([FIND, 'query Me { me { name } }']));
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('the persisted-operation manifest', () => {
  it('is generated from gateway/operations and up to date', () => {
    expect(readFileSync(new URL('../operations/manifest.json', import.meta.url), 'utf8')).toBe(manifestText());
  });

  it('holds every contract operation with ids that are the sha256 of their normalised text', () => {
    const manifest = Safelist.fromFile().manifest;
    expect(manifest.operations.map((o) => o.name)).toEqual(expect.arrayContaining(['AgencyPage', 'FinalizeTpp', 'FindAgency', 'MyTickets', 'RateService', 'TppReport']));
    for (const op of manifest.operations) expect(op.id).toBe(sha256(op.body));
  });

  it('holds every operation of the portal (web/), by the id the portal sends', () => {
    const ids = new Set(Safelist.fromFile().manifest.operations.map((o) => o.id));
    const portal = JSON.parse(readFileSync(new URL('../../web/src/gql/persisted-documents.json', import.meta.url), 'utf8')) as Record<string, string>;
    expect(Object.keys(portal).length).toBeGreaterThan(10);
    for (const id of Object.keys(portal)) expect(ids.has(id)).toBe(true);
  });

  it('keeps ids stable across whitespace and comments', () => {
    const a = buildManifest([FIND]).operations[0]!;
    const b = buildManifest([`# the portal's search\n${FIND.replace(/\n\s*/g, ' ')}`]).operations[0]!;
    expect(b.id).toBe(a.id);
  });
});

describe('safelist in production mode', () => {
  let graph: Awaited<ReturnType<typeof startPlacesAndPeople>>;
  let places: FixtureSubgraph;
  let gw: TestGateway;
  beforeAll(async () => {
    graph = await startPlacesAndPeople({ gateway: { persisted: { enforce: true, safelist } } });
    ({ places, gw } = graph);
  });
  afterAll(() => ifStarted(graph)?.close());

  const mobile = { 'apollographql-client-name': 'mobile' };
  const findId = safelist.manifest.operations.find((o) => o.name === 'FindAgency')!.id;

  it('refuses a non-safelisted operation from the mobile client with PERSISTED_QUERY_REQUIRED, before any subgraph call', async () => {
    const before = places.calls.length;
    const { status, body } = await gw.gql('{ agencies { id name } }', { headers: mobile, login: 'warga.siti' });
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{ message: expect.any(String), extensions: { code: 'PERSISTED_QUERY_REQUIRED', clientName: 'mobile' } }]);
    expect(places.calls.length).toBe(before);
  });

  it('refuses it even to an analyst using the mobile client', async () => {
    const { body } = await gw.gql('{ agencies { id } }', { headers: mobile, login: 'analis' });
    expect(body.errors[0].extensions.code).toBe('PERSISTED_QUERY_REQUIRED');
  });

  it('accepts a safelisted operation by text, whatever its formatting', async () => {
    const { body } = await gw.gql(`# search\n${FIND.replace(/\s+/g, ' ')}`, { headers: mobile, variables: { q: 'capil' } });
    expect(body.errors).toBeUndefined();
    expect(body.data.agencies[0].id).toBe('dispendukcapil');
  });

  it("accepts a safelisted operation with the __typename fields clients' caches add, and nothing else added", async () => {
    const withTypename = FIND.replace('abbreviation }', 'abbreviation __typename }');
    const { body } = await gw.gql(withTypename, { headers: mobile, variables: { q: 'capil' } });
    expect(body.errors).toBeUndefined();
    expect(body.data.agencies[0]).toEqual({ id: 'dispendukcapil', name: 'Dinas Kependudukan dan Pencatatan Sipil', abbreviation: 'Dispendukcapil', __typename: 'Agency' });
    for (const changed of [FIND.replace('abbreviation }', 'abbreviation kind: __typename }'), FIND.replace('abbreviation }', 'abbreviation __typename services { id } }')]) {
      const refused = await gw.gql(changed, { headers: mobile, variables: { q: 'capil' } });
      expect(refused.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_REQUIRED');
    }
  });

  it('accepts a safelisted operation by id alone', async () => {
    const { body } = await gw.post(
      { variables: { q: 'capil' }, extensions: { persistedQuery: { version: 1, sha256Hash: findId } } },
      { headers: { ...mobile, 'apollographql-client-name': 'portal' } },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.agencies[0].abbreviation).toBe('Dispendukcapil');
  });

  it('lets analysts send ad-hoc queries from their own tools, within their budget', async () => {
    expect((await gw.gql('{ residentCount }', { login: 'analis' })).body.data.residentCount).toBe(2);
    const deep = await gw.gql(deepQuery(20), { login: 'analis' });
    expect(deep.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('does not let a citizen around the safelist by dropping the client name', async () => {
    const { body } = await gw.gql('{ agencies { id } }', { login: 'warga.siti' });
    expect(body.errors[0].extensions.code).toBe('PERSISTED_QUERY_REQUIRED');
    expect((await gw.gql('{ agencies { id } }')).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_REQUIRED');
  });
});

describe('automatic persisted queries (APQ)', () => {
  let places: FixtureSubgraph;
  beforeAll(async () => {
    places = await startSubgraph('places', PLACES_SDL, placesResolvers());
  });
  afterAll(async () => ifStarted(places)?.stop());

  it('works with the in-memory cache', async () => {
    const gw = await startGateway([places]);
    try {
      await apqRoundTrip(gw);
    } finally {
      await gw.close();
    }
  });

  // Before: Apollo Server's "provided sha does not match query" has no code, so the gateway answered
  // 400 "Internal error." and logged a stack trace at error level on every such request.
  it('refuses a hash that is not the SHA-256 of the text sent with it: PERSISTED_QUERY_HASH_MISMATCH, no error logged', async () => {
    const log = memoryLogger('gateway');
    const gw = await startGateway([places], { logger: log.logger });
    try {
      const query = '{ agencies { id } }';
      const wrong = { persistedQuery: { version: 1, sha256Hash: sha256(`${query} `) } };
      const expected = [{ message: 'The persisted-query hash is not the SHA-256 of the query text sent with it.', extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' } }];
      const post = await gw.post({ query, extensions: wrong });
      expect(post.status).toBe(400);
      expect(post.body).toEqual({ errors: expected });
      const get = await fetch(`${gw.url}?query=${encodeURIComponent(query)}&extensions=${encodeURIComponent(JSON.stringify(wrong))}`);
      expect(get.status).toBe(400);
      expect(await get.json()).toEqual({ errors: expected });
      const batch = await gw.post([{ query }, { query, extensions: wrong }]);
      expect(batch.status).toBe(400);
      expect(batch.body).toEqual({ errors: [{ ...expected[0], extensions: { ...expected[0]!.extensions, batchIndex: 1 } }] });
      // Not a version this protocol knows: Apollo Server's error had no code either.
      const version = await gw.post({ query, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(query) } } });
      expect(version.status).toBe(400);
      expect(version.body.errors[0].extensions).toEqual({ code: 'BAD_REQUEST', version: 2 });
      // The right hash still registers, and nothing above was stored under the wrong one.
      expect((await gw.post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } })).body.data.agencies[0].id).toBe('dispendukcapil');
      expect((await gw.post({ extensions: wrong })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(log.at('error')).toEqual([]);
    } finally {
      await gw.close();
    }
  });

  it('checks a registration as Apollo Server does (lower-case hex of the raw text)', () => {
    const query = '{ agencies { id } }';
    expect(() => checkPersistedQuery({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } })).not.toThrow();
    expect(() => checkPersistedQuery({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256('other') } } })).not.toThrow();
    expect(() => checkPersistedQuery({ query })).not.toThrow();
    for (const sha256Hash of [sha256(query).toUpperCase(), sha256(`${query}\n`), undefined, 42]) {
      expect(() => checkPersistedQuery({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } })).toThrow(expect.objectContaining({ status: 400, code: 'PERSISTED_QUERY_HASH_MISMATCH' }));
    }
  });

  it('treats a Redis failure as a cache miss', async () => {
    const broken = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    broken.on('error', () => undefined);
    const cache = new RedisKeyValueCache(broken);
    expect(await cache.get('x')).toBeUndefined();
    await expect(cache.set('x', 'y')).resolves.toBeUndefined();
    broken.disconnect();
  });
});
