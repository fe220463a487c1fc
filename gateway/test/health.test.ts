import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAccessLog } from '../src';
import { startGateway, startPlacesAndPeople, startSubgraph, PEOPLE_SDL, PLACES_SDL, peopleResolvers, placesResolvers } from './support/fixtures';
import { ifStarted } from '@gerbang/testing';

/**
 * Liveness is not readiness: one subgraph down leaves every gateway live and ready (a load
 * balancer keeps it), the status document names the subgraph, and every other subgraph's fields
 * still answer. Health hits are answered from shared probe rounds, so a flood of them does not
 * reach the subgraphs.
 */
const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
};

describe('gateway health with one subgraph down', () => {
  let graph: Awaited<ReturnType<typeof startPlacesAndPeople>>;
  let base: string;
  beforeAll(async () => {
    graph = await startPlacesAndPeople({ gateway: { healthCacheMs: 0 } });
    base = graph.gw.url.replace('/graphql', '');
  });
  afterAll(() => ifStarted(graph)?.close());

  it('is live, ready and ok while every subgraph answers', async () => {
    expect(await get(`${base}/health/live`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await get(`${base}/health/ready`)).toMatchObject({ status: 200, body: { status: 'ok', checks: { supergraph: 'up', accessLog: 'up' } } });
    const status = await get(`${base}/health/status`);
    expect(status).toMatchObject({ status: 200, body: { status: 'ok', live: true, ready: true, subgraphs: { places: { status: 'up', circuit: 'closed' }, people: { status: 'up' } } } });
    // The subgraph's own document comes along: its readiness checks.
    expect(status.body.subgraphs.places.detail).toMatchObject({ status: 'ok', ready: true });
    expect(await get(`${base}/health`)).toMatchObject({ status: 200, body: { status: 'ok', subgraphs: { places: 'up', people: 'up' } } });
  });

  it('stays live and ready with the people subgraph down; the status names it; places still answers', async () => {
    await graph.people.stop();
    try {
      expect((await get(`${base}/health/live`)).status).toBe(200);
      expect(await get(`${base}/health/ready`)).toMatchObject({ status: 200, body: { status: 'ok' } });

      const status = await get(`${base}/health/status`);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ status: 'degraded', ready: true, subgraphs: { places: { status: 'up' }, people: { status: 'down' } } });
      expect(status.body.subgraphs.people.reason).toEqual(expect.any(String));

      // The clients' /health keeps its contract: 200 only once every subgraph is reachable.
      expect(await get(`${base}/health`)).toMatchObject({ status: 503, body: { status: 'degraded', subgraphs: { places: 'up', people: 'down' } } });

      // Every other agency answers: places in full, people's fields null with UPSTREAM_UNAVAILABLE.
      const placesOnly = await graph.gw.gql('{ agencies { id name } }');
      expect(placesOnly.body).toEqual({ data: { agencies: [{ id: 'dispendukcapil', name: 'Dinas Kependudukan dan Pencatatan Sipil' }] } });
      const both = await graph.gw.gql('{ agencies { id } me { name } }', { login: 'warga.siti' });
      expect(both.body.data.agencies).toEqual([{ id: 'dispendukcapil' }]);
      expect(both.body.data.me).toBeNull();
      expect(both.body.errors.map((e: any) => e.extensions.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    } finally {
      await graph.people.start();
    }
    expect((await get(`${base}/health`)).status).toBe(200);
  });
});

describe('gateway readiness is its own dependencies', () => {
  let places: Awaited<ReturnType<typeof startSubgraph>>;
  beforeAll(async () => {
    places = await startSubgraph('places', PLACES_SDL, placesResolvers());
  });
  afterAll(() => ifStarted(places)?.stop());

  it('is not ready while the access log store does not answer, but stays live; reasons only in the status document', async () => {
    const accessLog = new MemoryAccessLog();
    accessLog.ping = () => Promise.reject(new Error('connect ECONNREFUSED 10.9.8.7:5432'));
    const gw = await startGateway([places], { accessLog, healthCacheMs: 0 });
    const base = gw.url.replace('/graphql', '');
    try {
      expect((await get(`${base}/health/live`)).status).toBe(200);
      const ready = await get(`${base}/health/ready`);
      expect(ready).toMatchObject({ status: 503, body: { status: 'unavailable', checks: { supergraph: 'up', accessLog: 'down' } } });
      expect(JSON.stringify(ready.body)).not.toContain('10.9.8.7');
      const status = await get(`${base}/health/status`);
      expect(status).toMatchObject({ status: 503, body: { status: 'unavailable', ready: false, gateway: { accessLog: { status: 'down', reason: 'connect ECONNREFUSED 10.9.8.7:5432' } } } });
      expect((await get(`${base}/health`)).status).toBe(503);
    } finally {
      await gw.close();
    }
  });

  it('reports Redis but stays ready without it (rate limits fall back to memory)', async () => {
    const redis = { ping: () => Promise.reject(new Error('Connection is closed.')) };
    const gw = await startGateway([places], { redis: redis as never, healthCacheMs: 0 });
    const base = gw.url.replace('/graphql', '');
    try {
      expect((await get(`${base}/health/ready`)).status).toBe(200);
      expect((await get(`${base}/health/status`)).body).toMatchObject({ ready: true, gateway: { redis: { status: 'down', reason: 'Connection is closed.' } } });
    } finally {
      await gw.close();
    }
  });

  it('keeps the status document behind METRICS_TOKEN when one is set; live, ready and /health stay public', async () => {
    const token = 'status-token-0123456789';
    const gw = await startGateway([places], { metricsToken: token });
    const base = gw.url.replace('/graphql', '');
    try {
      expect((await get(`${base}/health/status`)).status).toBe(401);
      expect((await get(`${base}/health/status`, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
      expect((await get(`${base}/health/status`, { authorization: `Bearer ${token}` })).status).toBe(200);
      for (const path of ['/health/live', '/health/ready', '/health']) expect((await get(`${base}${path}`)).status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});

describe('health requests do not multiply into subgraph probes', () => {
  /** Stand-ins at the subgraphs' addresses that count the health probes reaching them. */
  const hits = new Map<string, number>();
  const servers: http.Server[] = [];
  const urls: Record<string, string> = {};
  let fixtures: Awaited<ReturnType<typeof startSubgraph>>[] = [];

  beforeAll(async () => {
    fixtures = [await startSubgraph('places', PLACES_SDL, placesResolvers()), await startSubgraph('people', PEOPLE_SDL, peopleResolvers)];
    for (const name of ['places', 'people']) {
      const server = http.createServer((req, res) => {
        if (req.url === '/health/status') hits.set(name, (hits.get(name) ?? 0) + 1);
        // Slow enough that concurrent hits overlap one round in flight.
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'), 50);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      servers.push(server);
      urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    }
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    for (const f of fixtures) await f.stop();
  });

  it('probes each subgraph at most once per interval, whatever the number of concurrent hits', async () => {
    const intervalMs = 1_500;
    const gw = await startGateway(fixtures, { subgraphUrls: urls, healthCacheMs: intervalMs });
    const base = gw.url.replace('/graphql', '');
    try {
      const flood = () => Promise.all(Array.from({ length: 100 }, (_, i) => get(`${base}${i % 2 ? '/health' : '/health/status'}`)));
      const first = await flood();
      expect(first.every((r) => r.status === 200)).toBe(true);
      expect(Object.fromEntries(hits)).toEqual({ places: 1, people: 1 });

      // Within the interval: answered from the last round.
      await flood();
      expect(Object.fromEntries(hits)).toEqual({ places: 1, people: 1 });

      // After it: one new round, shared again by all 100.
      await new Promise((r) => setTimeout(r, intervalMs + 100));
      await flood();
      expect(Object.fromEntries(hits)).toEqual({ places: 2, people: 2 });
      expect(gw.app.health.subgraphRounds).toBe(2);
    } finally {
      await gw.close();
    }
  });

  it('never probes a subgraph for liveness or readiness', async () => {
    hits.clear();
    const gw = await startGateway(fixtures, { subgraphUrls: urls });
    const base = gw.url.replace('/graphql', '');
    try {
      await Promise.all(Array.from({ length: 100 }, (_, i) => get(`${base}${i % 2 ? '/health/live' : '/health/ready'}`)));
      expect(hits.size).toBe(0);
    } finally {
      await gw.close();
    }
  });
});
