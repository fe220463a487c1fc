import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBkpsdmSimulator, generateOfficers, ROUTES, type BkpsdmSimulator } from '@gerbang/sim-bkpsdm';
import { SimpegClient } from '@gerbang/bkpsdm-client';

const CLIENT_ID = 'gerbang-contract';
const CLIENT_SECRET = 'contract-bkpsdm-secret-01';
const AGUS = '198703152010011002';
const SRI = '198205102006042001';
const UNKNOWN = '199912312024011999';
/** A roster longer than two pages (200 per page). */
const BIG = generateOfficers('dinsos', 450);

let sim: BkpsdmSimulator;
let client: SimpegClient;
const clientFor = (options: Partial<ConstructorParameters<typeof SimpegClient>[0]> = {}) =>
  new SimpegClient({
    baseUrl: sim.url(),
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    timeoutMs: 300,
    retries: 1,
    retryDelayMs: 10,
    breaker: { volumeThreshold: 3, resetTimeoutMs: 200 },
    ...options,
  });

beforeAll(async () => {
  sim = createBkpsdmSimulator({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, extraOfficers: BIG });
  await sim.listen(0);
  client = clientFor();
});
afterAll(async () => {
  client.upstream.shutdown();
  await sim.close();
});
beforeEach(() => {
  sim.faults.reset();
  sim.stats.reset();
});

describe('SIMPEG adapter over the wire (JSON-RPC 2.0)', () => {
  it('authenticates with Basic client credentials and maps the wire format', async () => {
    const found = await client.byNip([AGUS, SRI, UNKNOWN, 'not-a-nip']);
    expect(sim.stats.calls(ROUTES.http)).toBe(1);
    expect(sim.stats.calls(ROUTES.unauthorized)).toBe(0);
    expect(found.get(AGUS)).toEqual({
      nip: AGUS,
      name: 'Agus Prasetyo',
      agencyId: 'dispendukcapil',
      position: 'Pengadministrasi Kependudukan',
      grade: 'III/a',
      employmentStatus: 'PNS',
      unit: 'Bidang Pelayanan Pendaftaran Penduduk',
      jobClass: 6,
      tppBase: 1_875_000,
    });
    expect(found.get(SRI)).toMatchObject({ agencyId: 'bkpsdm', grade: 'III/d', jobClass: 9, tppBase: 2_900_000 });
    expect(found.has(UNKNOWN)).toBe(false);
    expect(found.size).toBe(2);
  });

  it("reports refused credentials as UPSTREAM_UNAVAILABLE, never as the caller's fault", async () => {
    const wrong = clientFor({ clientSecret: 'not-the-secret-at-all', retries: 0 });
    try {
      await expect(wrong.byNip([AGUS])).rejects.toMatchObject({
        extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'BKPSDM SIMPEG', reason: expect.stringMatching(/credentials/) },
      });
      expect(sim.stats.calls(ROUTES.unauthorized)).toBe(1);
      expect(sim.stats.calls(ROUTES.getByNip)).toBe(0);
    } finally {
      wrong.upstream.shutdown();
    }
  });

  it('asks nothing for an empty list and sends each NIP once', async () => {
    expect((await client.byNip([])).size).toBe(0);
    expect(sim.stats.calls()).toBe(0);
    await client.byNip([AGUS, AGUS, SRI]);
    expect(sim.stats.snapshot().routes[ROUTES.getByNip]).toEqual({ calls: 1, items: 2 });
  });

  it('splits more than 200 NIPs into calls of 200, sent together in one HTTP request', async () => {
    const nips = BIG.map((o) => o.nip);
    const found = await client.byNip(nips);
    expect(found.size).toBe(450);
    expect(found.get(BIG[449]!.nip)?.tppBase).toBe(BIG[449]!.tppBase);
    expect(sim.stats.calls(ROUTES.http)).toBe(1);
    expect(sim.stats.calls(ROUTES.getByNip)).toBe(3);
    expect(sim.stats.snapshot().routes[ROUTES.getByNip]!.items).toBe(450);
  });

  it('keeps to 50 calls per JSON-RPC batch', async () => {
    // 10,001 NIPs = 51 calls of ≤200: two HTTP requests.
    const nips = Array.from({ length: 10_000 }, (_, i) => `unknown-${i}`);
    const found = await client.byNip([AGUS, ...nips]);
    expect(found.has(AGUS)).toBe(true);
    expect(sim.stats.calls(ROUTES.getByNip)).toBe(51);
    expect(sim.stats.calls(ROUTES.http)).toBe(2);
  });

  it('pages through an agency: the first page, then every other page in one batch', async () => {
    const roster = await client.listByAgency('dinsos');
    const total = sim.store.listByAgency('dinsos', 0, 10_000)!.total;
    expect(total).toBeGreaterThan(400);
    expect(roster).toHaveLength(total);
    expect(new Set(roster.map((o) => o.nip)).size).toBe(total);
    expect(roster.map((o) => o.nip)).toEqual([...roster.map((o) => o.nip)].sort());
    expect(roster.every((o) => o.agencyId === 'dinsos')).toBe(true);
    expect(sim.stats.calls(ROUTES.listByOpd)).toBe(Math.ceil(total / 200));
    expect(sim.stats.calls(ROUTES.http)).toBe(2);
  });

  it('reads a small agency in one call', async () => {
    const roster = await client.listByAgency('bkpsdm');
    expect(roster.map((o) => o.nip)).toContain(SRI);
    expect(sim.stats.calls(ROUTES.http)).toBe(1);
  });

  it('maps -32004 (unknown agency) to NOT_FOUND and -32602 (invalid params) to BAD_USER_INPUT, without tripping the breaker', async () => {
    await expect(client.listByAgency('dinas-yang-tidak-ada')).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND', service: 'BKPSDM SIMPEG', upstreamCode: 'NOT_FOUND' },
    });
    await expect(client.listByAgency('')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', upstreamCode: 'INVALID_PARAMS' } });
    // Refusals are not retried: one HTTP request each.
    expect(sim.stats.calls(ROUTES.http)).toBe(2);
    for (let i = 0; i < 4; i++) await client.listByAgency('dinas-yang-tidak-ada').catch(() => undefined);
    expect(client.upstream.state).toBe('closed');
  });

  it('retries a read once on a 5xx, then reports UPSTREAM_UNAVAILABLE naming BKPSDM SIMPEG', async () => {
    sim.faults.set({ errorRate: 1 });
    await expect(client.byNip([AGUS])).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'BKPSDM SIMPEG' } });
    expect(sim.stats.calls('!fault')).toBe(2);
  });

  it('times out a slow register', async () => {
    sim.faults.set({ latencyMs: 1_000 });
    await expect(client.byNip([AGUS])).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: expect.stringMatching(/timed out/) } });
  });

  it('opens the circuit when the register is down, then fails fast, then recovers', async () => {
    client.upstream.shutdown();
    client = clientFor({ retries: 0 });
    sim.faults.set({ down: true });
    for (let i = 0; i < 3; i++) await client.byNip([AGUS]).catch(() => undefined);
    expect(client.upstream.state).toBe('open');
    const attempts = client.upstream.attempts;
    await expect(client.listByAgency('bkpsdm')).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'BKPSDM SIMPEG', reason: 'circuit open' } });
    expect(client.upstream.attempts).toBe(attempts);
    sim.faults.reset();
    // Past resetTimeoutMs the breaker lets one probe through: wait for that state, not for a fixed time.
    await vi.waitFor(() => expect(client.upstream.state).toBe('half-open'), { timeout: 5_000, interval: 10 });
    await expect(client.byNip([AGUS])).resolves.toBeInstanceOf(Map);
    expect(client.upstream.state).toBe('closed');
  });
});
