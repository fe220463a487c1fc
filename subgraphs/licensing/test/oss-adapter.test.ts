import { describe, expect, it } from 'vitest';
import { BUSINESSES, createOssSimulator, NIB_BUDI_BAKSO, NIB_BUDI_BENGKEL, NIB_SITI_KERIPIK, NIK_BUDI, NIK_SITI } from '@gerbang/sim-oss';
import { adapterHarness, FAST_UPSTREAM, invalidReplyScenarios, upstreamFaultScenarios, upstreamInvalid, useReplyServer } from '@gerbang/testing/adapters';
import { OssClient } from '../src/adapters/oss/oss-client';

const KEY = 'contract-test-oss-key';
const SERVICE = 'OSS RBA';

const harness = adapterHarness({
  start: () => createOssSimulator({ userKey: KEY }),
  connect: (baseUrl, overrides: Partial<ConstructorParameters<typeof OssClient>[0]>) => new OssClient({ baseUrl, userKey: KEY, ...FAST_UPSTREAM, ...overrides }),
});
const replies = useReplyServer();

describe('OSS RBA adapter over the wire', () => {
  it("finds a person's businesses by NIK in one call and maps OSS's wire format", async () => {
    const siti = await harness.client.businessesOf(NIK_SITI);
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
    expect((await harness.client.businessesOf(NIK_BUDI)).map((b) => b.nib).sort()).toEqual([NIB_BUDI_BAKSO, NIB_BUDI_BENGKEL].sort());
    expect(harness.sim.stats.calls('inqueryNIBByNIK')).toBe(2);
    expect(await harness.client.businessesOf('3503110101010001')).toEqual([]);
  });

  it('reads full NIB records and licences in one batched call each', async () => {
    const nibs = [NIB_SITI_KERIPIK, NIB_BUDI_BAKSO, NIB_BUDI_BENGKEL, '9999999999999'];
    const details = await harness.client.businesses(nibs);
    expect(details.get(NIB_SITI_KERIPIK)).toMatchObject({ address: expect.stringContaining('Jl. Panglima Sudirman No. 21'), responsibleNiks: [NIK_SITI] });
    expect(details.has('9999999999999')).toBe(false);
    const licences = await harness.client.licences(nibs);
    expect(licences.get(NIB_SITI_KERIPIK)!.map((l) => [l.kind, l.status, l.authority])).toEqual([
      ['STANDARD_CERTIFICATE', 'ISSUED', 'REGENCY'],
      ['SUPPORTING_LICENCE', 'ISSUED', 'REGENCY'],
    ]);
    expect(licences.get(NIB_BUDI_BAKSO)!.find((l) => l.status === 'IN_PROCESS')).toMatchObject({ number: null, authority: 'NATIONAL', issuedOn: null });
    expect(licences.get(NIB_BUDI_BENGKEL)).toEqual([]);
    expect(licences.has('9999999999999')).toBe(false);
    expect(harness.sim.stats.snapshot().routes).toEqual({ inqueryNIB: { calls: 1, items: 4 }, statusIzin: { calls: 1, items: 4 } });
  });

  it('splits more than 50 NIBs into OSS-sized batches', async () => {
    const nibs = [...BUSINESSES.map((b) => b.nib), ...Array.from({ length: 40 }, (_, i) => `91000000${String(i).padStart(5, '0')}`)];
    expect(nibs.length).toBeGreaterThan(50);
    const licences = await harness.client.licences(nibs);
    expect(licences.size).toBe(BUSINESSES.length);
    expect(harness.sim.stats.calls('statusIzin')).toBe(Math.ceil(nibs.length / 50));
  });

  it('sends the user_key; a wrong key is the hub misconfigured, not bad input', async () => {
    const wrong = harness.clientWith({ userKey: 'not-the-key', retries: 0 });
    await expect(wrong.businessesOf(NIK_SITI)).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'OSS RBA', reason: expect.stringMatching(/credentials/) },
    });
    expect(harness.sim.stats.calls('!unauthorized')).toBe(1);
  });

  it('maps a refusal to a typed error that does not trip the breaker', async () => {
    const probe = harness.clientWith({ retries: 0 });
    for (let i = 0; i < 4; i++) {
      await expect(probe.licences(['12345'])).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', service: 'OSS RBA' } });
    }
    expect(probe.upstream.state).toBe('closed');
    expect(harness.sim.stats.calls('statusIzin')).toBe(4);
  });

  upstreamFaultScenarios(harness, { service: SERVICE, read: (client) => client.businessesOf(NIK_SITI) });

  describe('a reply that breaks the interface', () => {
    const licence = {
      id_izin: 'IZ-1',
      jenis_izin: 'IZIN',
      nama_izin: 'Izin Usaha',
      nomor_izin: null,
      kbli: '10794',
      instansi: 'DPMPTSP',
      kewenangan: 'Bupati',
      status_izin: 'TERBIT',
      tanggal_pengajuan: '2024-01-02',
      tanggal_terbit: null,
      tanggal_berlaku_sampai: null,
      keterangan: null,
    };
    invalidReplyScenarios(harness, replies, {
      service: SERVICE,
      read: (client) => client.licences([NIB_SITI_KERIPIK]),
      // A status outside OSS's published code list.
      reply: { body: { status: true, message: 'ok', responsestatusIzin: { dataIzin: [{ nib: NIB_SITI_KERIPIK, izin: [licence, { ...licence, status_izin: 'DICABUT' }] }] } } },
      wirePath: 'responsestatusIzin.dataIzin[0].izin[1].status_izin',
    });

    it('names a missing answer object and a malformed statistics row', async () => {
      const client = harness.connectTo(replies.server.url);
      replies.server.reply({ body: { status: true, message: 'ok' } });
      await expect(client.businessesOf(NIK_SITI)).rejects.toMatchObject(upstreamInvalid(SERVICE, 'responseinqueryNIBByNIK'));
      replies.server.reply({ body: { status: true, responserekapIzinTerbit: { dataRekap: [{ bulan_terbit: '2026-11', kbli: '10794', kecamatan: 'Trenggalek', jumlah_izin: -1 }] } } });
      await expect(client.issuedLicenceCounts('2026-11-01', '2026-11-30')).rejects.toMatchObject(upstreamInvalid(SERVICE, 'responserekapIzinTerbit.dataRekap[0].jumlah_izin'));
    });
  });
});
