import { describe, expect, it } from 'vitest';
import { createSiakSimulator, generateRequestsFor } from '@gerbang/sim-siak';
import { adapterHarness, FAST_UPSTREAM, invalidReplyScenarios, upstreamFaultScenarios, upstreamInvalid, useReplyServer } from '@gerbang/testing/adapters';
import { SiakClient } from '../src/adapters/siak/siak-client';

const SITI = '3503115708900001';
const KEY = 'contract-test-key';
const SERVICE = 'Dispendukcapil SIAK';

const harness = adapterHarness({
  start: () => createSiakSimulator({ apiKey: KEY, extraRequests: generateRequestsFor(SITI, 120) }),
  connect: (baseUrl, overrides: Partial<ConstructorParameters<typeof SiakClient>[0]>) => new SiakClient({ baseUrl, apiKey: KEY, ...FAST_UPSTREAM, ...overrides }),
});
const replies = useReplyServer();

describe('SIAK adapter over the wire', () => {
  it('looks residents up in one call and maps the wire format', async () => {
    const found = await harness.client.residents([SITI, '3503120203850002', '3503110101010001']);
    expect(harness.sim.stats.calls()).toBe(1);
    expect(found.get(SITI)).toMatchObject({ nik: SITI, fullName: 'Siti Rahayu', sex: 'F', birthDate: '1990-08-17' });
    expect(found.has('3503110101010001')).toBe(false);
  });

  it('splits more than 100 ids into SIAK-sized batches', async () => {
    const mine = await harness.client.requestsOf(SITI);
    expect(mine.length).toBeGreaterThan(100);
    harness.sim.stats.reset();
    const found = await harness.client.requests(mine.map((r) => r.id));
    expect(found.size).toBe(mine.length);
    expect(harness.sim.stats.calls('permohonan.batch')).toBe(Math.ceil(mine.length / 100));
  });

  it('follows the change feed with its cursor', async () => {
    const first = await harness.client.changes(0, 10);
    expect(first.items).toHaveLength(10);
    const second = await harness.client.changes(first.next, 10);
    expect(second.items[0]!.sequence).toBeGreaterThan(first.items[9]!.sequence);
  });

  it('creates idempotently by client reference', async () => {
    const a = await harness.client.createRequest({ nik: SITI, type: 'KK', note: 'Tambah anggota keluarga', clientRef: 'usr-warga-siti:contract-1' });
    const b = await harness.client.createRequest({ nik: SITI, type: 'KK', note: 'Tambah anggota keluarga', clientRef: 'usr-warga-siti:contract-1' });
    expect(b.id).toBe(a.id);
    expect(a.status).toBe('SUBMITTED');
  });

  it('maps a refusal to a typed error that does not trip the breaker', async () => {
    await expect(harness.client.createRequest({ nik: '3503110101010001', type: 'KK', note: null, clientRef: 'x-unknown-nik' })).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    expect(harness.client.upstream.state).toBe('closed');
  });

  upstreamFaultScenarios(harness, { service: SERVICE, read: (client) => client.residents([SITI]) });

  describe('a reply that breaks the interface', () => {
    invalidReplyScenarios(harness, replies, {
      service: SERVICE,
      read: (client) => client.residents([SITI]),
      reply: {
        body: {
          data: [
            {
              nik: SITI,
              no_kk: '3503110101080001',
              nama_lengkap: 'Siti Rahayu',
              jenis_kelamin: 'P',
              tempat_lahir: 'Trenggalek',
              tanggal_lahir: '1990-08-17',
              alamat: 'Jl. Mawar 1',
              desa: 'Ngantru',
              kecamatan: 'Trenggalek',
            },
          ],
        },
      },
      wirePath: 'data[0].jenis_kelamin',
    });

    it('names the first bad field of a change feed page, and a body that is not JSON', async () => {
      const client = harness.connectTo(replies.server.url);
      replies.server.reply({ body: { data: [], next_since: '12', has_more: false } });
      await expect(client.changes(0, 10)).rejects.toMatchObject(upstreamInvalid(SERVICE, 'next_since'));
      replies.server.reply({ body: '<html>502 Bad Gateway</html>' });
      await expect(client.requestsOf(SITI)).rejects.toMatchObject(upstreamInvalid(SERVICE, ''));
    });
  });
});
