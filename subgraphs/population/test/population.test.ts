import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, MemoryAccessLog, verifierFromSecret } from '@gerbang/common';
import { subgraphCaller, DEMO, TEST_INTERNAL_SECRET, FakeLedger } from '@gerbang/testing';
import { createSiakSimulator, generateRequestsFor, type SiakSimulator } from '@gerbang/sim-siak';
import { createPopulationServer, SiakClient } from '../src/server';

/** Calls signed for this subgraph, as the gateway signs them (the audience is its name). */
const callSubgraph = subgraphCaller('population');

const SITI = DEMO.siti.nik!;
let sim: SiakSimulator;
let app: Awaited<ReturnType<typeof createPopulationServer>>;
let url: string;
let close: () => Promise<void>;
const ledger = new FakeLedger();
const published = ledger.published;

beforeAll(async () => {
  sim = createSiakSimulator({ apiKey: 'k', extraRequests: generateRequestsFor(SITI, 60) });
  const simUrl = await sim.listen(0);
  await ledger.listen();
  app = await createPopulationServer({
    registry: new SiakClient({ baseUrl: simUrl, apiKey: 'k', timeoutMs: 2_000 }),
    logger: createLogger('population', 'silent'),
    verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
    accessLog: new MemoryAccessLog(),
    nikHashKey: 'access-log-key-for-tests-0001',
    ticketFeed: ledger.feed(),
  });
  ({ url, close } = await app.listen(0));
});
afterAll(async () => {
  await close();
  await sim.close();
  await ledger.close();
});
beforeEach(() => sim.stats.reset());

describe('population subgraph', () => {
  it('resolves me for the signed-in citizen with their full NIK', async () => {
    const { body } = await callSubgraph(url, '{ me { id name nik kecamatan } }', { caller: DEMO.siti });
    expect(body.data.me).toEqual({ id: 'usr-warga-siti', name: 'Siti Rahayu', nik: SITI, kecamatan: 'Trenggalek' });
  });

  it('passes the request id on to SIAK', async () => {
    await callSubgraph(url, '{ me { name } }', { caller: DEMO.siti });
    expect(sim.stats.requestIds).toHaveLength(1);
    expect(sim.stats.requestIds[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses me to anonymous callers', async () => {
    const { body } = await callSubgraph(url, '{ me { id } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('resolves the live view of 50 tickets with one SIAK call', async () => {
    const mine = await new SiakClient({ baseUrl: sim.url(), apiKey: 'k' }).requestsOf(SITI);
    sim.stats.reset();
    const reps = mine.slice(0, 50).map((r) => ({ __typename: 'Ticket', id: `dispendukcapil:${r.id}` }));
    reps.push({ __typename: 'Ticket', id: 'dpmptsp:PRM-2026-00001' });
    const { body } = await callSubgraph(url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Ticket { id populationRequest { number type status officer { id } } } } }', {
      variables: { r: reps },
      caller: DEMO.siti,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toHaveLength(51);
    expect(body.data._entities[0].populationRequest.number).toBe(mine[0]!.id);
    expect(body.data._entities[50].populationRequest).toBeNull();
    expect(sim.stats.calls()).toBe(1);
    expect(sim.stats.calls('permohonan.batch')).toBe(1);
  });

  it("does not show one citizen another's ticket", async () => {
    const mine = await new SiakClient({ baseUrl: sim.url(), apiKey: 'k' }).requestsOf(SITI);
    const { body } = await callSubgraph(url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Ticket { id populationRequest { number } } } }', {
      variables: { r: [{ __typename: 'Ticket', id: `dispendukcapil:${mine[0]!.id}` }] },
      caller: DEMO.budi,
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(body.data._entities[0].populationRequest).toBeNull();
  });

  it('files a document request idempotently and publishes it to the ledger', async () => {
    const m = 'mutation($i: RequestDocumentInput!) { requestDocument(input: $i) { id number type status } }';
    const input = { type: 'AKTA_LAHIR', note: 'Akta kelahiran anak kedua', idempotencyKey: 'mobile-7f3a9c21' };
    const a = await callSubgraph(url, m, { variables: { i: input }, caller: DEMO.siti });
    const b = await callSubgraph(url, m, { variables: { i: input }, caller: DEMO.siti });
    expect(a.body.data.requestDocument.status).toBe('SUBMITTED');
    expect(b.body.data.requestDocument.id).toBe(a.body.data.requestDocument.id);
    await app.sync!.syncNow();
    const events = published.flatMap((p) => p.events);
    const event = events.find((e) => e.ticketId === a.body.data.requestDocument.id);
    expect(event).toMatchObject({ citizenNik: SITI, serviceId: 'dispendukcapil.akta-kelahiran', status: 'SUBMITTED' });
    expect(published.every((p) => p.agencyId === 'dispendukcapil')).toBe(true);
  });

  it('refuses bad input with BAD_USER_INPUT', async () => {
    const { body } = await callSubgraph(url, 'mutation { requestDocument(input: { type: KK, idempotencyKey: "x" }) { id } }', { caller: DEMO.siti });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers UPSTREAM_UNAVAILABLE when SIAK is down', async () => {
    sim.faults.set({ down: true });
    try {
      // The citizen still resolves (their tickets live elsewhere); only the registry's fields fail.
      const { body } = await callSubgraph(url, '{ me { id nik name } }', { caller: DEMO.budi });
      expect(body.data.me).toEqual({ id: 'usr-warga-budi', nik: DEMO.budi.nik, name: null });
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]).toMatchObject({ path: ['me', 'name'], extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'Dispendukcapil SIAK' } });
      // Still ready: readiness is the access log it writes (its database), never the agency system.
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: Record<string, unknown> }).checks).toMatchObject({ accessLog: { status: 'up' } });
    } finally {
      sim.faults.reset();
    }
  });
});
