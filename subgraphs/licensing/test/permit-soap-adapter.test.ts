import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runWithRequestId } from '@gerbang/common';
import { createPermitSoapSimulator, NIK_BUDI, NIK_SITI, NIP_FAJAR, NIP_YUNI, PERMIT_NAMESPACE, PERMIT_SOAP_PATH, PERMIT_WSDL_PATH } from '@gerbang/sim-permit-soap';
import { adapterHarness, FAST_UPSTREAM, invalidReplyScenarios, upstreamFaultScenarios, upstreamInvalid, useReplyServer } from '@gerbang/testing/adapters';
import { PERMIT_WSDL_FILE, PermitSoapClient } from '../src/adapters/permit-soap/permit-client';

const USERNAME = 'gerbang-hub-contract';
const PASSWORD = 'contract-test-permit-password';
const SERVICE = 'SIMPERDA permits';

const harness = adapterHarness({
  start: () => createPermitSoapSimulator({ username: USERNAME, password: PASSWORD }),
  connect: (url, overrides: Partial<ConstructorParameters<typeof PermitSoapClient>[0]>) =>
    new PermitSoapClient({ endpoint: `${url}${PERMIT_SOAP_PATH}`, username: USERNAME, password: PASSWORD, ...FAST_UPSTREAM, ...overrides }),
  reset: (sim) => sim.setDatabaseAvailable(true),
});
const replies = useReplyServer();

/** A SOAP 1.1 answer of SIMPERDA's namespace around `body` (the operation's response element). */
const soapReply = (body: string) => ({
  headers: { 'content-type': 'text/xml; charset=utf-8' },
  body: `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="${PERMIT_NAMESPACE}"><soap:Body>${body}</soap:Body></soap:Envelope>`,
});
const wireApplication = (patch: Record<string, string> = {}) => {
  const fields = {
    applicationNumber: 'PRM-2026-00401',
    nik: NIK_SITI,
    applicantName: 'Siti Rahayu',
    permitType: 'REKLAME',
    description: 'Papan nama toko',
    location: 'Jl. Soekarno-Hatta',
    status: 'PROSES',
    submittedAt: '2026-11-02T09:00:00+07:00',
    updatedAt: '2026-11-03T09:00:00+07:00',
    ...patch,
  };
  return `<tns:application>${Object.entries(fields)
    .map(([k, v]) => `<tns:${k}>${v}</tns:${k}>`)
    .join('')}</tns:application>`;
};

const application = (clientReference: string, patch: Record<string, string> = {}) => ({
  nik: NIK_BUDI,
  applicantName: 'Budi Santoso',
  permitType: 'PBG' as const,
  description: 'Pembangunan kanopi bengkel, luas 24 m2',
  location: 'Desa Ngetal, Kec. Pogalan',
  clientReference,
  ...patch,
});

describe('SIMPERDA SOAP adapter over the wire', () => {
  it('carries its own copy of the published WSDL, identical to the system contract', () => {
    expect(readFileSync(PERMIT_WSDL_FILE, 'utf8')).toBe(readFileSync(PERMIT_WSDL_PATH, 'utf8'));
  });

  it("lists a citizen's applications and maps SOAP's types (dates, optional elements)", async () => {
    const siti = await harness.client.applicationsOf(NIK_SITI);
    expect(siti.map((a) => a.status).sort()).toEqual(['PROSES', 'SELESAI']);
    const done = siti.find((a) => a.status === 'SELESAI')!;
    expect(done).toMatchObject({ nik: NIK_SITI, applicantName: 'Siti Rahayu', permitType: 'REKLAME', officerNip: NIP_YUNI });
    expect(done.completedAt).toBeInstanceOf(Date);
    expect(done.submittedAt.getTime()).toBeLessThan(done.completedAt!.getTime());
    const open = siti.find((a) => a.status === 'PROSES')!;
    expect(open).toMatchObject({ completedAt: null, officerNip: NIP_FAJAR });
    expect(await harness.client.applicationsOf('3578010101900001')).toEqual([]);
    expect(harness.sim.stats.calls('ListApplicationsByNik')).toBe(2);
  });

  it('looks applications up in one GetApplicationStatus call, and splits more than 50', async () => {
    const numbers = (await harness.client.applicationsOf(NIK_SITI)).map((a) => a.number);
    harness.sim.stats.reset();
    const found = await harness.client.applications([...numbers, 'PRM-2019-99999']);
    expect([...found.keys()].sort()).toEqual([...numbers].sort());
    expect(harness.sim.stats.snapshot().routes).toEqual({ GetApplicationStatus: { calls: 1, items: 3 } });

    harness.sim.stats.reset();
    const many = Array.from({ length: 120 }, (_, i) => `PRM-2025-${String(i + 1).padStart(5, '0')}`);
    await harness.client.applications(many);
    expect(harness.sim.stats.calls('GetApplicationStatus')).toBe(3);
  });

  it('follows the change feed with its cursor', async () => {
    const first = await harness.client.changes(0, 10);
    expect(first.items).toHaveLength(10);
    expect(first.items.map((c) => c.sequence)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(first).toMatchObject({ next: 10, hasMore: true });
    const second = await harness.client.changes(first.next, 10);
    expect(second.items[0]!.sequence).toBe(11);
    const end = await harness.client.changes(10_000, 10);
    expect(end).toEqual({ items: [], next: 10_000, hasMore: false });
  });

  it('submits idempotently by clientReference', async () => {
    const a = await harness.client.submit(application('hub-contract-1'));
    const b = await harness.client.submit(application('hub-contract-1'));
    expect(a.number).toMatch(/^PRM-\d{4}-\d{5}$/);
    expect(b).toEqual(a);
    expect(a.status).toBe('DITERIMA');
    expect(harness.sim.store.listByNik(NIK_BUDI).filter((x) => x.applicationNumber === a.number)).toHaveLength(1);
  });

  it('maps soap:Client faults to typed refusals that do not trip the breaker', async () => {
    const probe = harness.clientWith({ retries: 0 });
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
  });

  it('sends a WS-Security UsernameToken; refused credentials are the hub misconfigured, not bad input', async () => {
    const wrong = harness.clientWith({ password: 'wrong-password-entirely', retries: 0 });
    await expect(wrong.applicationsOf(NIK_SITI)).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'SIMPERDA permits', reason: expect.stringMatching(/AUTHENTICATION_FAILED/) },
    });
    expect(harness.sim.stats.calls('!unauthorized')).toBe(1);
  });

  it('sends the request id being served as an x-request-id HTTP header on every operation, and none outside a request', async () => {
    await harness.client.applicationsOf(NIK_SITI);
    await harness.client.changes(0, 1);
    expect(harness.sim.stats.calls()).toBe(2);
    expect(harness.sim.stats.requestIds).toEqual([]);

    harness.sim.stats.reset();
    await runWithRequestId('req-permit-0001', async () => {
      const siti = await harness.client.applicationsOf(NIK_SITI);
      await harness.client.applications(siti.map((a) => a.number));
      await harness.client.changes(0, 1);
      await harness.client.submit(application('hub-contract-trace'));
    });
    expect(harness.sim.stats.calls()).toBe(4);
    expect(harness.sim.stats.requestIds).toEqual(Array(4).fill('req-permit-0001'));

    // Concurrent requests each carry their own id.
    harness.sim.stats.reset();
    await Promise.all(['req-permit-a', 'req-permit-b'].map((id) => runWithRequestId(id, () => harness.client.applicationsOf(NIK_SITI))));
    expect([...harness.sim.stats.requestIds].sort()).toEqual(['req-permit-a', 'req-permit-b']);
  });

  it('sends the request id on a retried attempt too', async () => {
    harness.sim.faults.set({ errorRate: 1 });
    await expect(runWithRequestId('req-permit-retry', () => harness.client.applicationsOf(NIK_SITI))).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(harness.sim.stats.calls('!fault')).toBe(2);
    expect(harness.sim.stats.requestIds).toEqual(['req-permit-retry', 'req-permit-retry']);
  });

  it('maps soap:Server faults to UPSTREAM_UNAVAILABLE, retrying reads once', async () => {
    harness.sim.setDatabaseAvailable(false);
    await expect(harness.client.applicationsOf(NIK_SITI)).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: expect.stringMatching(/soap:Server DATABASE_UNAVAILABLE/) },
    });
    expect(harness.sim.stats.calls('ListApplicationsByNik')).toBe(2);
  });

  upstreamFaultScenarios(harness, { service: SERVICE, read: (client) => client.applicationsOf(NIK_SITI) });

  describe('a reply that breaks the WSDL', () => {
    invalidReplyScenarios(harness, replies, {
      service: SERVICE,
      read: (client) => client.applicationsOf(NIK_SITI),
      // A status outside the WSDL's ApplicationStatus.
      reply: soapReply(`<tns:ListApplicationsByNikResponse>${wireApplication()}${wireApplication({ status: 'DIBATALKAN' })}</tns:ListApplicationsByNikResponse>`),
      wirePath: 'application[1].status',
    });

    it('names a missing element and an unreadable dateTime', async () => {
      const client = harness.connectTo(replies.server.url);
      replies.server.reply(soapReply('<tns:SubmitApplicationResponse><tns:status>DITERIMA</tns:status><tns:submittedAt>2026-11-02T09:00:00+07:00</tns:submittedAt></tns:SubmitApplicationResponse>'));
      await expect(client.submit(application('hub-contract-invalid'))).rejects.toMatchObject(upstreamInvalid(SERVICE, 'applicationNumber'));
      replies.server.reply(soapReply(`<tns:GetApplicationStatusResponse>${wireApplication({ updatedAt: 'kemarin sore' })}</tns:GetApplicationStatusResponse>`));
      await expect(client.applications(['PRM-2026-00401'])).rejects.toMatchObject(upstreamInvalid(SERVICE, 'application[0].updatedAt'));
    });
  });
});
