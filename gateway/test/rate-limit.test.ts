import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLACES_SDL, placesResolvers, startGateway, startSubgraph, type FixtureSubgraph, type TestGateway } from './support/fixtures';
import { ifStarted } from '@gerbang/testing';

let places: FixtureSubgraph;
beforeAll(async () => {
  places = await startSubgraph('places', PLACES_SDL, placesResolvers());
});
afterAll(async () => ifStarted(places)?.stop());

const limits = { userPerMinute: 5, userBurst: 3, anonymousPerMinute: 4, clientPerMinute: 1_000 };

describe('rate limits (memory)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway([places], { rateLimit: limits });
  });
  afterAll(async () => ifStarted(gw)?.close());

  it('refuses a burst over the limit with 429, RATE_LIMITED, Retry-After and no data', async () => {
    const token = await gw.idp.issue('warga.siti');
    const before = places.calls.length;
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await gw.gql('{ agencies { id } }', { token }));
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 429);
    // Sustained 5 plus a burst of 3.
    expect(ok).toHaveLength(8);
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      expect(r.body.data).toBeUndefined();
      expect(r.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', scope: 'user' });
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(places.calls.length - before).toBe(8);
  });

  it('limits each user on their own, and anonymous callers by address', async () => {
    expect((await gw.gql('{ agencies { id } }', { login: 'warga.budi' })).status).toBe(200);
    const anon = [];
    for (let i = 0; i < 8; i++) anon.push((await gw.gql('{ agencies { id } }')).status);
    expect(anon.filter((s) => s === 429).length).toBeGreaterThan(0);
  });

  it('counts every operation of a batch', async () => {
    const token = await gw.idp.issue('petugas.dukcapil');
    const { status } = await gw.post(
      Array.from({ length: 9 }, () => ({ query: '{ agencies { id } }' })),
      { token },
    );
    expect(status).toBe(429);
  });

  it('counts refusals in /metrics', async () => {
    const text = await (await fetch(gw.url.replace('/graphql', '/metrics'))).text();
    expect(text).toMatch(/gerbang_gateway_rate_limited_total\{scope="user"\} [1-9]/);
    expect(text).toMatch(/gerbang_gateway_errors_total\{code="RATE_LIMITED"\} [1-9]/);
  });
});

describe('rate limits per client application', () => {
  it('refuses a client name over its own budget', async () => {
    const gw = await startGateway([places], { rateLimit: { ...limits, userPerMinute: 100, clientPerMinute: 3 } });
    try {
      const statuses = [];
      for (const login of ['warga.siti', 'warga.budi', 'analis', 'admin']) {
        statuses.push((await gw.gql('{ agencies { id } }', { login, headers: { 'apollographql-client-name': 'kiosk' } })).status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await gw.close();
    }
  });
});
