import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUSINESSES, createOssSimulator, NIB_BUDI_BAKSO, NIB_BUDI_BENGKEL, NIB_SITI_KERIPIK, NIK_BUDI, NIK_SITI } from '@gerbang/sim-oss';
import { OssClient } from '../src/adapters/oss/oss-client';

const KEY = 'contract-test-oss-key';
let sim: ReturnType<typeof createOssSimulator>;
let client: OssClient;

const fastClient = (options: Partial<ConstructorParameters<typeof OssClient>[0]> = {}) =>
  new OssClient({ baseUrl: sim.url(), userKey: KEY, timeoutMs: 300, retries: 1, retryDelayMs: 10, breaker: { volumeThreshold: 3, resetTimeoutMs: 200 }, ...options });

beforeAll(async () => {
  sim = createOssSimulator({ userKey: KEY });
  await sim.listen(0);
  client = fastClient();
});
afterAll(async () => {
  client.upstream.shutdown();
  await sim.close();
});
beforeEach(() => {
  sim.faults.reset();
  sim.stats.reset();
});

describe('OSS RBA adapter over the wire', () => {
  it("finds a person's businesses by NIK in one call and maps OSS's wire format", async () => {
    const siti = await client.businessesOf(NIK_SITI);
    expect(siti).toEqual([
      {
        nib: NIB_SITI_KERIPIK,
        name: 'Keripik Tempe Bu Siti',
        issuedOn: '2022-02-21',
        status: 'AKTIF',
        scale: 'MICRO',
        activities: [{ code: '10794', description: 'INDUSTRI KERUPUK, KERIPIK, PEYEK DAN SEJENISNYA', risk: 'MEDIUM_LOW' }],
      },
    ]);
    expect((await client.businessesOf(NIK_BUDI)).map((b) => b.nib).sort()).toEqual([NIB_BUDI_BAKSO, NIB_BUDI_BENGKEL].sort());
    expect(sim.stats.calls('inqueryNIBByNIK')).toBe(2);
    expect(await client.businessesOf('3503110101010001')).toEqual([]);
  });

  it('reads full NIB records and licences in one batched call each', async () => {
    const nibs = [NIB_SITI_KERIPIK, NIB_BUDI_BAKSO, NIB_BUDI_BENGKEL, '9999999999999'];
    const details = await client.businesses(nibs);
    expect(details.get(NIB_SITI_KERIPIK)).toMatchObject({ address: expect.stringContaining('Jl. Panglima Sudirman No. 21'), responsibleNiks: [NIK_SITI] });
    expect(details.has('9999999999999')).toBe(false);
    const licences = await client.licences(nibs);
    expect(licences.get(NIB_SITI_KERIPIK)!.map((l) => [l.kind, l.status, l.authority])).toEqual([
      ['STANDARD_CERTIFICATE', 'ISSUED', 'REGENCY'],
      ['SUPPORTING_LICENCE', 'ISSUED', 'REGENCY'],
    ]);
    expect(licences.get(NIB_BUDI_BAKSO)!.find((l) => l.status === 'IN_PROCESS')).toMatchObject({ number: null, authority: 'NATIONAL', issuedOn: null });
    expect(licences.get(NIB_BUDI_BENGKEL)).toEqual([]);
    expect(licences.has('9999999999999')).toBe(false);
    expect(sim.stats.snapshot().routes).toEqual({ inqueryNIB: { calls: 1, items: 4 }, statusIzin: { calls: 1, items: 4 } });
  });

  it('splits more than 50 NIBs into OSS-sized batches', async () => {
    const nibs = [...BUSINESSES.map((b) => b.nib), ...Array.from({ length: 40 }, (_, i) => `91000000${String(i).padStart(5, '0')}`)];
    expect(nibs.length).toBeGreaterThan(50);
    const licences = await client.licences(nibs);
    expect(licences.size).toBe(BUSINESSES.length);
    expect(sim.stats.calls('statusIzin')).toBe(Math.ceil(nibs.length / 50));
  });

  it('sends the user_key; a wrong key is the hub misconfigured, not bad input', async () => {
    const wrong = fastClient({ userKey: 'not-the-key', retries: 0 });
    await expect(wrong.businessesOf(NIK_SITI)).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'OSS RBA', reason: expect.stringMatching(/credentials/) },
    });
    expect(sim.stats.calls('!unauthorized')).toBe(1);
    wrong.upstream.shutdown();
  });

  it('maps a refusal to a typed error that does not trip the breaker', async () => {
    const probe = fastClient({ retries: 0 });
    for (let i = 0; i < 4; i++) {
      await expect(probe.licences(['12345'])).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', service: 'OSS RBA' } });
    }
    expect(probe.upstream.state).toBe('closed');
    expect(sim.stats.calls('statusIzin')).toBe(4);
    probe.upstream.shutdown();
  });

  it('retries a read once, then reports UPSTREAM_UNAVAILABLE', async () => {
    sim.faults.set({ errorRate: 1 });
    await expect(client.businessesOf(NIK_SITI)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'OSS RBA' } });
    expect(sim.stats.calls('!fault')).toBe(2);
  });

  it('times out a slow system', async () => {
    sim.faults.set({ latencyMs: 1_000 });
    await expect(client.licences([NIB_SITI_KERIPIK])).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: expect.stringMatching(/timed out/) } });
  });

  it('opens the circuit when the system is down, then fails fast, then recovers', async () => {
    const breaker = fastClient({ retries: 0 });
    sim.faults.set({ down: true });
    for (let i = 0; i < 3; i++) await breaker.businessesOf(NIK_SITI).catch(() => undefined);
    expect(breaker.upstream.state).toBe('open');
    const attempts = breaker.upstream.attempts;
    await expect(breaker.businessesOf(NIK_SITI)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: 'circuit open' } });
    expect(breaker.upstream.attempts).toBe(attempts);
    sim.faults.reset();
    // Past resetTimeoutMs the breaker lets one probe through: wait for that state, not for a fixed time.
    await vi.waitFor(() => expect(breaker.upstream.state).toBe('half-open'), { timeout: 5_000, interval: 10 });
    await expect(breaker.businessesOf(NIK_SITI)).resolves.toHaveLength(1);
    expect(breaker.upstream.state).toBe('closed');
    breaker.upstream.shutdown();
  });
});
