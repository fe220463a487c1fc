import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runWithRequestId } from '@gerbang/common';
import { createPermitSoapSimulator, NIK_BUDI, NIK_SITI, NIP_FAJAR, NIP_YUNI, PERMIT_WSDL_PATH, type PermitSoapSimulator } from '@gerbang/sim-permit-soap';
import { PERMIT_WSDL_FILE, PermitSoapClient } from '../src/adapters/permit-soap/permit-client';

const USERNAME = 'gerbang-hub-contract';
const PASSWORD = 'contract-test-permit-password';
let sim: PermitSoapSimulator;
let client: PermitSoapClient;

const fastClient = (options: Partial<ConstructorParameters<typeof PermitSoapClient>[0]> = {}) =>
  new PermitSoapClient({
    endpoint: sim.endpoint(),
    username: USERNAME,
    password: PASSWORD,
    timeoutMs: 300,
    retries: 1,
    retryDelayMs: 10,
    breaker: { volumeThreshold: 3, resetTimeoutMs: 200 },
    ...options,
  });

const application = (clientReference: string, patch: Record<string, string> = {}) => ({
  nik: NIK_BUDI,
  applicantName: 'Budi Santoso',
  permitType: 'PBG' as const,
  description: 'Pembangunan kanopi bengkel, luas 24 m2',
  location: 'Desa Ngetal, Kec. Pogalan',
  clientReference,
  ...patch,
});

beforeAll(async () => {
  sim = createPermitSoapSimulator({ username: USERNAME, password: PASSWORD });
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
  sim.setDatabaseAvailable(true);
});

describe('SIMPERDA SOAP adapter over the wire', () => {
  it('carries its own copy of the published WSDL, identical to the system contract', () => {
    expect(readFileSync(PERMIT_WSDL_FILE, 'utf8')).toBe(readFileSync(PERMIT_WSDL_PATH, 'utf8'));
  });

  it("lists a citizen's applications and maps SOAP's types (dates, optional elements)", async () => {
    const siti = await client.applicationsOf(NIK_SITI);
    expect(siti.map((a) => a.status).sort()).toEqual(['PROSES', 'SELESAI']);
    const done = siti.find((a) => a.status === 'SELESAI')!;
    expect(done).toMatchObject({ nik: NIK_SITI, applicantName: 'Siti Rahayu', permitType: 'REKLAME', officerNip: NIP_YUNI });
    expect(done.completedAt).toBeInstanceOf(Date);
    expect(done.submittedAt.getTime()).toBeLessThan(done.completedAt!.getTime());
    const open = siti.find((a) => a.status === 'PROSES')!;
    expect(open).toMatchObject({ completedAt: null, officerNip: NIP_FAJAR });
    expect(await client.applicationsOf('3578010101900001')).toEqual([]);
    expect(sim.stats.calls('ListApplicationsByNik')).toBe(2);
  });

  it('looks applications up in one GetApplicationStatus call, and splits more than 50', async () => {
    const numbers = (await client.applicationsOf(NIK_SITI)).map((a) => a.number);
    sim.stats.reset();
    const found = await client.applications([...numbers, 'PRM-2019-99999']);
    expect([...found.keys()].sort()).toEqual([...numbers].sort());
    expect(sim.stats.snapshot().routes).toEqual({ GetApplicationStatus: { calls: 1, items: 3 } });

    sim.stats.reset();
    const many = Array.from({ length: 120 }, (_, i) => `PRM-2025-${String(i + 1).padStart(5, '0')}`);
    await client.applications(many);
    expect(sim.stats.calls('GetApplicationStatus')).toBe(3);
  });

  it('follows the change feed with its cursor', async () => {
    const first = await client.changes(0, 10);
    expect(first.items).toHaveLength(10);
    expect(first.items.map((c) => c.sequence)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(first).toMatchObject({ next: 10, hasMore: true });
    const second = await client.changes(first.next, 10);
    expect(second.items[0]!.sequence).toBe(11);
    const end = await client.changes(10_000, 10);
    expect(end).toEqual({ items: [], next: 10_000, hasMore: false });
  });

  it('submits idempotently by clientReference', async () => {
    const a = await client.submit(application('hub-contract-1'));
    const b = await client.submit(application('hub-contract-1'));
    expect(a.number).toMatch(/^PRM-\d{4}-\d{5}$/);
    expect(b).toEqual(a);
    expect(a.status).toBe('DITERIMA');
    expect(sim.store.listByNik(NIK_BUDI).filter((x) => x.applicationNumber === a.number)).toHaveLength(1);
  });

  it('maps soap:Client faults to typed refusals that do not trip the breaker', async () => {
    const probe = fastClient({ retries: 0 });
    for (let i = 0; i < 4; i++) {
      await expect(probe.submit(application('hub-contract-bad', { description: 'pendek' }))).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', service: 'SIMPERDA permits', upstreamCode: 'INVALID_ARGUMENT', field: 'description' },
      });
    }
    expect(probe.upstream.state).toBe('closed');
    await probe.submit(application('hub-contract-2'));
    await expect(probe.submit(application('hub-contract-2', { location: 'Desa Lain, Kec. Pogalan' }))).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', upstreamCode: 'CLIENT_REFERENCE_CONFLICT' },
    });
    probe.upstream.shutdown();
  });

  it('sends a WS-Security UsernameToken; refused credentials are the hub misconfigured, not bad input', async () => {
    const wrong = fastClient({ password: 'wrong-password-entirely', retries: 0 });
    await expect(wrong.applicationsOf(NIK_SITI)).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'SIMPERDA permits', reason: expect.stringMatching(/AUTHENTICATION_FAILED/) },
    });
    expect(sim.stats.calls('!unauthorized')).toBe(1);
    wrong.upstream.shutdown();
  });

  it('sends the request id being served as an x-request-id HTTP header on every operation, and none outside a request', async () => {
    await client.applicationsOf(NIK_SITI);
    await client.changes(0, 1);
    expect(sim.stats.calls()).toBe(2);
    expect(sim.stats.requestIds).toEqual([]);

    sim.stats.reset();
    await runWithRequestId('req-permit-0001', async () => {
      const siti = await client.applicationsOf(NIK_SITI);
      await client.applications(siti.map((a) => a.number));
      await client.changes(0, 1);
      await client.submit(application('hub-contract-trace'));
    });
    expect(sim.stats.calls()).toBe(4);
    expect(sim.stats.requestIds).toEqual(Array(4).fill('req-permit-0001'));

    // Concurrent requests each carry their own id.
    sim.stats.reset();
    await Promise.all(['req-permit-a', 'req-permit-b'].map((id) => runWithRequestId(id, () => client.applicationsOf(NIK_SITI))));
    expect([...sim.stats.requestIds].sort()).toEqual(['req-permit-a', 'req-permit-b']);
  });

  it('sends the request id on a retried attempt too', async () => {
    sim.faults.set({ errorRate: 1 });
    await expect(runWithRequestId('req-permit-retry', () => client.applicationsOf(NIK_SITI))).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(sim.stats.calls('!fault')).toBe(2);
    expect(sim.stats.requestIds).toEqual(['req-permit-retry', 'req-permit-retry']);
  });

  it('maps soap:Server faults to UPSTREAM_UNAVAILABLE, retrying reads once', async () => {
    sim.setDatabaseAvailable(false);
    await expect(client.applicationsOf(NIK_SITI)).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: expect.stringMatching(/soap:Server DATABASE_UNAVAILABLE/) },
    });
    expect(sim.stats.calls('ListApplicationsByNik')).toBe(2);
  });

  it('retries a read once on HTTP errors, then reports UPSTREAM_UNAVAILABLE', async () => {
    sim.faults.set({ errorRate: 1 });
    await expect(client.applications(['PRM-2026-00401'])).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'SIMPERDA permits' } });
    expect(sim.stats.calls('!fault')).toBe(2);
  });

  it('times out a slow system (the deadline aborts the SOAP request)', async () => {
    sim.faults.set({ latencyMs: 1_000 });
    await expect(client.applicationsOf(NIK_SITI)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: expect.stringMatching(/timed out/) } });
  });

  it('opens the circuit when the system is down, then fails fast, then recovers', async () => {
    const breaker = fastClient({ retries: 0 });
    sim.faults.set({ down: true });
    for (let i = 0; i < 3; i++) await breaker.applicationsOf(NIK_SITI).catch(() => undefined);
    expect(breaker.upstream.state).toBe('open');
    const attempts = breaker.upstream.attempts;
    await expect(breaker.applicationsOf(NIK_SITI)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: 'circuit open' } });
    expect(breaker.upstream.attempts).toBe(attempts);
    sim.faults.reset();
    // Past resetTimeoutMs the breaker lets one probe through: wait for that state, not for a fixed time.
    await vi.waitFor(() => expect(breaker.upstream.state).toBe('half-open'), { timeout: 5_000, interval: 10 });
    await expect(breaker.applicationsOf(NIK_SITI)).resolves.toHaveLength(2);
    expect(breaker.upstream.state).toBe('closed');
    breaker.upstream.shutdown();
  });
});
