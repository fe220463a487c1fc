import { describe, expect, it } from 'vitest';
import { createBkpsdmSimulator, generateOfficers, ROUTES } from '@gerbang/sim-bkpsdm';
import { SimpegClient } from '@gerbang/bkpsdm-client';
import { adapterHarness, FAST_UPSTREAM, invalidReplyScenarios, upstreamFaultScenarios, upstreamInvalid, useReplyServer } from '@gerbang/testing/adapters';

const CLIENT_ID = 'gerbang-contract';
const CLIENT_SECRET = 'contract-bkpsdm-secret-01';
const SERVICE = 'BKPSDM SIMPEG';
const AGUS = '198703152010011002';
const SRI = '198205102006042001';
const UNKNOWN = '199912312024011999';
/** A roster longer than two pages (200 per page). */
const BIG = generateOfficers('dinsos', 450);

const harness = adapterHarness({
  start: () => createBkpsdmSimulator({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, extraOfficers: BIG }),
  connect: (baseUrl, overrides: Partial<ConstructorParameters<typeof SimpegClient>[0]>) =>
    new SimpegClient({ baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...FAST_UPSTREAM, ...overrides }),
});
const replies = useReplyServer();
/** A JSON-RPC 2.0 answer to each call of the request, with `result` for every one. */
const answer = (result: unknown) => (_req: unknown, body: string) => {
  const calls = JSON.parse(body) as { id: number } | { id: number }[];
  const each = (c: { id: number }) => ({ jsonrpc: '2.0', id: c.id, result });
  return { body: Array.isArray(calls) ? calls.map(each) : each(calls) };
};

describe('SIMPEG adapter over the wire (JSON-RPC 2.0)', () => {
  it('authenticates with Basic client credentials and maps the wire format', async () => {
    const found = await harness.client.byNip([AGUS, SRI, UNKNOWN, 'not-a-nip']);
    expect(harness.sim.stats.calls(ROUTES.http)).toBe(1);
    expect(harness.sim.stats.calls(ROUTES.unauthorized)).toBe(0);
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
    const wrong = harness.clientWith({ clientSecret: 'not-the-secret-at-all', retries: 0 });
    await expect(wrong.byNip([AGUS])).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'BKPSDM SIMPEG', reason: expect.stringMatching(/credentials/) },
    });
    expect(harness.sim.stats.calls(ROUTES.unauthorized)).toBe(1);
    expect(harness.sim.stats.calls(ROUTES.getByNip)).toBe(0);
  });

  it('asks nothing for an empty list and sends each NIP once', async () => {
    expect((await harness.client.byNip([])).size).toBe(0);
    expect(harness.sim.stats.calls()).toBe(0);
    await harness.client.byNip([AGUS, AGUS, SRI]);
    expect(harness.sim.stats.snapshot().routes[ROUTES.getByNip]).toEqual({ calls: 1, items: 2 });
  });

  it('splits more than 200 NIPs into calls of 200, sent together in one HTTP request', async () => {
    const nips = BIG.map((o) => o.nip);
    const found = await harness.client.byNip(nips);
    expect(found.size).toBe(450);
    expect(found.get(BIG[449]!.nip)?.tppBase).toBe(BIG[449]!.tppBase);
    expect(harness.sim.stats.calls(ROUTES.http)).toBe(1);
    expect(harness.sim.stats.calls(ROUTES.getByNip)).toBe(3);
    expect(harness.sim.stats.snapshot().routes[ROUTES.getByNip]!.items).toBe(450);
  });

  it('keeps to 50 calls per JSON-RPC batch', async () => {
    // 10,001 NIPs = 51 calls of ≤200: two HTTP requests.
    const nips = Array.from({ length: 10_000 }, (_, i) => `unknown-${i}`);
    const found = await harness.client.byNip([AGUS, ...nips]);
    expect(found.has(AGUS)).toBe(true);
    expect(harness.sim.stats.calls(ROUTES.getByNip)).toBe(51);
    expect(harness.sim.stats.calls(ROUTES.http)).toBe(2);
  });

  it('pages through an agency: the first page, then every other page in one batch', async () => {
    const roster = await harness.client.listByAgency('dinsos');
    const total = harness.sim.store.listByAgency('dinsos', 0, 10_000)!.total;
    expect(total).toBeGreaterThan(400);
    expect(roster).toHaveLength(total);
    expect(new Set(roster.map((o) => o.nip)).size).toBe(total);
    expect(roster.map((o) => o.nip)).toEqual([...roster.map((o) => o.nip)].sort());
    expect(roster.every((o) => o.agencyId === 'dinsos')).toBe(true);
    expect(harness.sim.stats.calls(ROUTES.listByOpd)).toBe(Math.ceil(total / 200));
    expect(harness.sim.stats.calls(ROUTES.http)).toBe(2);
  });

  it('reads a small agency in one call', async () => {
    const roster = await harness.client.listByAgency('bkpsdm');
    expect(roster.map((o) => o.nip)).toContain(SRI);
    expect(harness.sim.stats.calls(ROUTES.http)).toBe(1);
  });

  it('maps -32004 (unknown agency) to NOT_FOUND and -32602 (invalid params) to BAD_USER_INPUT, without tripping the breaker', async () => {
    await expect(harness.client.listByAgency('dinas-yang-tidak-ada')).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND', service: 'BKPSDM SIMPEG', upstreamCode: 'NOT_FOUND' },
    });
    await expect(harness.client.listByAgency('')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', upstreamCode: 'INVALID_PARAMS' } });
    // Refusals are not retried: one HTTP request each.
    expect(harness.sim.stats.calls(ROUTES.http)).toBe(2);
    for (let i = 0; i < 4; i++) await harness.client.listByAgency('dinas-yang-tidak-ada').catch(() => undefined);
    expect(harness.client.upstream.state).toBe('closed');
  });

  upstreamFaultScenarios(harness, { service: SERVICE, read: (client) => client.byNip([AGUS]) });

  describe('a reply that breaks the interface', () => {
    invalidReplyScenarios(harness, replies, {
      service: SERVICE,
      read: (client) => client.listByAgency('bkpsdm'),
      // The page without its total.
      reply: answer({ pegawai: [{ nip: SRI, nama: 'Sri Wahyuni', opd: 'bkpsdm' }] }),
      wirePath: 'result.total',
    });

    it('names the bad field of a look-up and of the JSON-RPC envelope; leaves a mangled officer field null', async () => {
      const client = harness.connectTo(replies.server.url);
      replies.server.reply(answer({ pegawai: [{ nik: '3503115005820001', opd: 42 }] }));
      await expect(client.employmentOf([{ nik: '3503115005820001' }])).rejects.toMatchObject(upstreamInvalid(SERVICE, 'result.pegawai[0].opd'));
      replies.server.reply({ body: { jsonrpc: '2.0', id: { not: 'an id' }, result: {} } });
      await expect(client.byNip([AGUS])).rejects.toMatchObject(upstreamInvalid(SERVICE, '[0].id'));
      // Lenient per officer field, by design: a mangled grade is null, the officer is still found.
      replies.server.reply(answer({ pegawai: [{ nip: AGUS, nama: 'Agus Prasetyo', golongan: 3, kelas_jabatan: -1 }, { nama: 'no NIP' }] }));
      expect([...(await client.byNip([AGUS])).values()]).toEqual([
        { nip: AGUS, name: 'Agus Prasetyo', agencyId: null, position: null, grade: null, employmentStatus: null, unit: null, jobClass: null, tppBase: null },
      ]);
    });
  });
});
