import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PEOPLE_SDL, peopleResolvers, PLACES_SDL, placesResolvers, startGateway, startSubgraph, type FixtureSubgraph, type TestGateway } from './support/fixtures';
import { ifStarted } from '@gerbang/testing';

describe('partial results with a subgraph down', () => {
  let places: FixtureSubgraph;
  let people: FixtureSubgraph;
  let gw: TestGateway;
  beforeAll(async () => {
    places = await startSubgraph('places', PLACES_SDL, placesResolvers());
    people = await startSubgraph('people', PEOPLE_SDL, peopleResolvers);
    // Long enough for the open state to be observed (a fail-fast call, /metrics) on a loaded machine.
    gw = await startGateway([places, people], { breaker: { volumeThreshold: 3, resetTimeoutMs: 1_500 } });
  });
  afterAll(async () => {
    await ifStarted(gw)?.close();
    await ifStarted(places)?.stop();
    await ifStarted(people)
      ?.stop()
      .catch(() => undefined);
  });

  it('nulls the fields of the unreachable subgraph, names it, and keeps the rest', async () => {
    await people.stop();
    try {
      const { status, body } = await gw.gql('{ agencies { id name } me { name } }', { login: 'warga.siti' });
      expect(status).toBe(200);
      expect(body.data).toEqual({ agencies: [{ id: 'dispendukcapil', name: 'Dinas Kependudukan dan Pencatatan Sipil' }], me: null });
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]).toMatchObject({ message: 'people is not available right now. Try again later.', extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'people' } });
    } finally {
      await people.start();
    }
  });

  it('opens the circuit after repeated failures, fails fast, then recovers', async () => {
    const source = gw.app.dataSources.find((s) => s.serviceName === 'people')!;
    await people.stop();
    try {
      for (let i = 0; i < 3; i++) await gw.gql('{ me { name } }', { login: 'warga.siti' });
      expect(source.upstream.state).toBe('open');
      // Fails fast: the open breaker answers without a call reaching the subgraph.
      const attempts = source.upstream.attempts;
      const { body } = await gw.gql('{ me { name } agencies { id } }', { login: 'warga.siti' });
      expect(source.upstream.attempts).toBe(attempts);
      expect(body.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'people', reason: 'circuit open' });
      expect(body.data.agencies).toHaveLength(1);
      const metrics = await (await fetch(gw.url.replace('/graphql', '/metrics'))).text();
      expect(metrics).toMatch(/gerbang_gateway_circuit_state\{subgraph="people"\} 2/);
    } finally {
      await people.start();
    }
    // Past resetTimeoutMs the breaker lets one probe through: wait for that state, not for a fixed time.
    await vi.waitFor(() => expect(source.upstream.state).toBe('half-open'), { timeout: 5_000, interval: 10 });
    const { body } = await gw.gql('{ me { name } }', { login: 'warga.siti' });
    expect(body).toEqual({ data: { me: { name: 'Siti Rahayu' } } });
    expect(source.upstream.state).toBe('closed');
  });
});

describe('subgraph timeout and in-flight deduplication', () => {
  let slow: FixtureSubgraph;
  let people: FixtureSubgraph;
  let gw: TestGateway;
  beforeAll(async () => {
    slow = await startSubgraph('places', PLACES_SDL, placesResolvers({ delayMs: 150 }));
    people = await startSubgraph('people', PEOPLE_SDL, peopleResolvers);
    // Five concurrent operations below must run together to share one fetch: admission control's floor above five.
    gw = await startGateway([slow, people], { subgraphTimeoutMs: 1_000, admission: { min: 8 } });
  });
  afterAll(async () => {
    await ifStarted(gw)?.close();
    await ifStarted(slow)?.stop();
    await ifStarted(people)?.stop();
  });
  afterEach(() => {
    slow.calls.length = 0;
    people.calls.length = 0;
  });

  it('sends identical concurrent queries of one caller to the subgraph once', async () => {
    const token = await gw.idp.issue('warga.siti');
    const results = await Promise.all(Array.from({ length: 5 }, () => gw.gql('{ agencies { id } }', { token })));
    for (const r of results) expect(r.body).toEqual({ data: { agencies: [{ id: 'dispendukcapil' }] } });
    expect(slow.calls).toHaveLength(1);
  });

  it('never shares a fetch between two callers when the subgraph does not answer it public', async () => {
    await Promise.all([gw.gql('{ agencies { id } }', { login: 'warga.siti' }), gw.gql('{ agencies { id } }', { login: 'warga.budi' })]);
    expect(slow.calls).toHaveLength(2);
    expect(new Set(slow.calls.map((c) => c.caller.sub))).toEqual(new Set(['usr-warga-siti', 'usr-warga-budi']));
  });

  it('never deduplicates mutations', async () => {
    const token = await gw.idp.issue('warga.budi');
    await Promise.all([1, 2, 3].map(() => gw.gql('mutation { requestDocument(type: "KK") }', { token })));
    expect(people.calls.filter((c) => c.query.startsWith('mutation'))).toHaveLength(3);
  });

  it('gives up on a subgraph slower than its timeout with UPSTREAM_UNAVAILABLE', async () => {
    const again = await startGateway([slow, people], { subgraphTimeoutMs: 50 });
    try {
      // agencies is non-null at the root, so the whole data is null.
      const { body } = await again.gql('{ agencies { id } }');
      expect(body.data).toBeNull();
      expect(body.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'places', reason: 'timed out after 50 ms' });
    } finally {
      await again.close();
    }
  });

  it('reaches subgraphs only signed, with the caller inside the envelope and the request id', async () => {
    await gw.gql('{ me { name } }', { login: 'warga.siti', headers: { 'x-request-id': 'req-test-1' } });
    expect(people.calls[0]!.caller).toMatchObject({ sub: 'usr-warga-siti', roles: ['citizen'] });
  });
});
