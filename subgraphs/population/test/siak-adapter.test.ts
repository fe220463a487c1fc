import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSiakSimulator, generateRequestsFor, type SiakSimulator } from '@gerbang/sim-siak';
import { SiakClient } from '../src/adapters/siak/siak-client';

const SITI = '3503115708900001';
let sim: SiakSimulator;
let client: SiakClient;

beforeAll(async () => {
  sim = createSiakSimulator({ apiKey: 'contract-test-key', extraRequests: generateRequestsFor(SITI, 120) });
  const url = await sim.listen(0);
  client = new SiakClient({ baseUrl: url, apiKey: 'contract-test-key', timeoutMs: 300, retries: 1, retryDelayMs: 10, breaker: { volumeThreshold: 3, resetTimeoutMs: 200 } });
});
afterAll(async () => {
  client.upstream.shutdown();
  await sim.close();
});
beforeEach(() => {
  sim.faults.reset();
  sim.stats.reset();
});

describe('SIAK adapter over the wire', () => {
  it('looks residents up in one call and maps the wire format', async () => {
    const found = await client.residents([SITI, '3503120203850002', '3503110101010001']);
    expect(sim.stats.calls()).toBe(1);
    expect(found.get(SITI)).toMatchObject({ nik: SITI, fullName: 'Siti Rahayu', sex: 'F', birthDate: '1990-08-17' });
    expect(found.has('3503110101010001')).toBe(false);
  });

  it('splits more than 100 ids into SIAK-sized batches', async () => {
    const mine = await client.requestsOf(SITI);
    expect(mine.length).toBeGreaterThan(100);
    sim.stats.reset();
    const found = await client.requests(mine.map((r) => r.id));
    expect(found.size).toBe(mine.length);
    expect(sim.stats.calls('permohonan.batch')).toBe(Math.ceil(mine.length / 100));
  });

  it('follows the change feed with its cursor', async () => {
    const first = await client.changes(0, 10);
    expect(first.items).toHaveLength(10);
    const second = await client.changes(first.next, 10);
    expect(second.items[0]!.sequence).toBeGreaterThan(first.items[9]!.sequence);
  });

  it('creates idempotently by client reference', async () => {
    const a = await client.createRequest({ nik: SITI, type: 'KK', note: 'Tambah anggota keluarga', clientRef: 'usr-warga-siti:contract-1' });
    const b = await client.createRequest({ nik: SITI, type: 'KK', note: 'Tambah anggota keluarga', clientRef: 'usr-warga-siti:contract-1' });
    expect(b.id).toBe(a.id);
    expect(a.status).toBe('SUBMITTED');
  });

  it('maps a refusal to a typed error that does not trip the breaker', async () => {
    await expect(client.createRequest({ nik: '3503110101010001', type: 'KK', note: null, clientRef: 'x-unknown-nik' })).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    expect(client.upstream.state).toBe('closed');
  });

  it('retries an idempotent read once, then reports UPSTREAM_UNAVAILABLE', async () => {
    sim.faults.set({ errorRate: 1 });
    await expect(client.residents([SITI])).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'Dispendukcapil SIAK' } });
    expect(sim.stats.calls('!fault')).toBe(2);
  });

  it('times out a slow system', async () => {
    sim.faults.set({ latencyMs: 1_000 });
    await expect(client.residents([SITI])).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: expect.stringMatching(/timed out/) } });
  });

  it('opens the circuit when the system is down, then fails fast, then recovers', async () => {
    // A fresh client, so the breaker's rolling window holds only this test's calls.
    client.upstream.shutdown();
    client = new SiakClient({ baseUrl: sim.url(), apiKey: 'contract-test-key', timeoutMs: 300, retries: 0, breaker: { volumeThreshold: 3, resetTimeoutMs: 200 } });
    sim.faults.set({ down: true });
    for (let i = 0; i < 3; i++) await client.residents([SITI]).catch(() => undefined);
    expect(client.upstream.state).toBe('open');
    const attempts = client.upstream.attempts;
    await expect(client.residents([SITI])).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: 'circuit open' } });
    expect(client.upstream.attempts).toBe(attempts);
    sim.faults.reset();
    // Past resetTimeoutMs the breaker lets one probe through: wait for that state, not for a fixed time.
    await vi.waitFor(() => expect(client.upstream.state).toBe('half-open'), { timeout: 5_000, interval: 10 });
    await expect(client.residents([SITI])).resolves.toBeInstanceOf(Map);
    expect(client.upstream.state).toBe('closed');
  });
});
