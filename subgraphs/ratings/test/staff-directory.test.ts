import { ifStarted } from '@gerbang/testing';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBkpsdmSimulator, DEMO_OFFICER_NIKS, ROUTES, type BkpsdmSimulator } from '@gerbang/sim-bkpsdm';
import { BkpsdmStaffDirectory, DEMO_STAFF } from '../src/modules/tpp/staff-directory';

/** A stand-in for BKPSDM's register speaking its protocol: JSON-RPC 2.0 on /rpc, Basic auth, pages of `limit`. */
const officers = Array.from({ length: 450 }, (_, i) => ({ nip: `19900101201501${String(1000 + i).padStart(4, '0')}`, nama: `Pegawai ${i}`, opd: 'dinsos', tpp_pokok: 2_200_000 }));
let server: http.Server;
let url: string;
let calls = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      calls++;
      if (req.headers.authorization !== `Basic ${Buffer.from('gerbang:secret-of-the-register').toString('base64')}`) {
        res.writeHead(401).end();
        return;
      }
      // One call, or a JSON-RPC batch array of calls answered with an array.
      const parsed = JSON.parse(body);
      const batch: { id: number; params: { opd: string; offset: number; limit: number } }[] = Array.isArray(parsed) ? parsed : [parsed];
      const answer = (rpc: (typeof batch)[number]): object => {
        if (rpc.params.opd === 'nowhere') return { jsonrpc: '2.0', id: rpc.id, error: { code: -32004, message: 'OPD tidak dikenal' } };
        if (rpc.params.opd === 'broken') return { jsonrpc: '2.0', id: rpc.id, error: { code: -32603, message: 'Internal error' } };
        const list = officers.filter((o) => o.opd === rpc.params.opd);
        return {
          jsonrpc: '2.0',
          id: rpc.id,
          result: { pegawai: list.slice(rpc.params.offset, rpc.params.offset + rpc.params.limit), total: list.length, offset: rpc.params.offset, limit: rpc.params.limit },
        };
      };
      const send = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(Array.isArray(parsed) ? batch.map(answer) : answer(batch[0]!)));
      if (batch[0]!.params.opd === 'slow') return setTimeout(send, 500);
      send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const directory = (over: Partial<ConstructorParameters<typeof BkpsdmStaffDirectory>[0]> = {}) =>
  new BkpsdmStaffDirectory({ url, clientId: 'gerbang', clientSecret: 'secret-of-the-register', timeoutMs: 300, ...over });

describe('BKPSDM staff register adapter (JSON-RPC pegawai.listByOpd)', () => {
  it("pages through an agency's roster", async () => {
    calls = 0;
    const staff = (await directory().officersOfAgency('dinsos'))!;
    expect(staff).toHaveLength(450);
    expect(staff[0]).toEqual({ id: officers[0]!.nip, name: 'Pegawai 0', tppBase: 2_200_000 });
    expect(calls).toBe(2); // the first page of 200, then the other two pages in one JSON-RPC batch
  });

  it('tells an agency unknown to the register (null) from a known one with nobody on its roster ([])', async () => {
    expect(await directory().officersOfAgency('nowhere')).toBeNull();
    expect(await directory().officersOfAgency('empty')).toEqual([]);
  });

  it('turns refusals, errors and timeouts into UPSTREAM_UNAVAILABLE', async () => {
    for (const [agency, options] of [
      ['dinsos', { clientSecret: 'wrong-secret-0000000' }],
      ['broken', {}],
      ['slow', {}],
    ] as const) {
      await expect(directory(options).officersOfAgency(agency)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    }
  });
});

describe('BKPSDM staff register adapter: where someone works (JSON-RPC pegawai.getByNik / getByNip), against the register simulator', () => {
  const AGUS = '198703152010011002';
  const SRI = '198205102006042001';
  let sim: BkpsdmSimulator;
  let register: BkpsdmStaffDirectory;

  beforeAll(async () => {
    sim = createBkpsdmSimulator({ clientId: 'gerbang', clientSecret: 'secret-of-the-register' });
    register = new BkpsdmStaffDirectory({ url: await sim.listen(0, '127.0.0.1'), clientId: 'gerbang', clientSecret: 'secret-of-the-register', timeoutMs: 500 });
  });
  afterAll(() => ifStarted(sim)?.close());

  it("finds an officer's agency by NIK alone (a citizen-only token), and none for a resident who is no civil servant", async () => {
    sim.stats.reset();
    expect(await register.agenciesOf({ nik: DEMO_OFFICER_NIKS[AGUS]! })).toEqual(['dispendukcapil']);
    expect(await register.agenciesOf({ nik: '3503115708900001' })).toEqual([]);
    expect(sim.stats.calls(ROUTES.http)).toBe(2);
  });

  it('asks by NIK and by NIP in one request when the token carries a NIP', async () => {
    sim.stats.reset();
    expect((await register.agenciesOf({ nik: DEMO_OFFICER_NIKS[AGUS]!, nip: SRI })).sort()).toEqual(['bkpsdm', 'dispendukcapil']);
    expect(await register.agenciesOf({ nik: '3503115708900001', nip: AGUS })).toEqual(['dispendukcapil']);
    expect(sim.stats.calls(ROUTES.http)).toBe(2);
    expect(sim.stats.calls(ROUTES.getByNik)).toBe(2);
    expect(sim.stats.calls(ROUTES.getByNip)).toBe(2);
  });

  it('asks about many people in one request, each answered by their own NIK or NIP, in the order asked', async () => {
    const RINA = '199001222015032004';
    sim.stats.reset();
    const answers = await register.agenciesOfMany([
      { nik: DEMO_OFFICER_NIKS[AGUS]! },
      { nik: '3503115708900001' },
      { nik: '3503115708900002', nip: SRI },
      { nik: DEMO_OFFICER_NIKS[RINA]!, nip: null },
      { nik: DEMO_OFFICER_NIKS[AGUS]!, nip: SRI },
    ]);
    expect(answers.map((a) => [...a].sort())).toEqual([['dispendukcapil'], [], ['bkpsdm'], ['dispendukcapil'], ['bkpsdm', 'dispendukcapil']]);
    expect(sim.stats.calls(ROUTES.http)).toBe(1);
    expect(sim.stats.calls(ROUTES.getByNik)).toBe(1);
    expect(sim.stats.calls(ROUTES.getByNip)).toBe(1);
    // Without any NIP: no getByNip call at all; more than the register's 200 per call: one request per 200.
    sim.stats.reset();
    const many = Array.from({ length: 201 }, (_, i) => ({ nik: `3503115708${String(900000 + i)}` }));
    expect((await register.agenciesOfMany(many)).every((a) => a.length === 0)).toBe(true);
    expect(sim.stats.calls(ROUTES.http)).toBe(2);
    expect(sim.stats.calls(ROUTES.getByNip)).toBe(0);
  });

  it('turns a register that is down or refuses the client into UPSTREAM_UNAVAILABLE', async () => {
    sim.faults.set({ down: true });
    try {
      await expect(register.agenciesOf({ nik: DEMO_OFFICER_NIKS[AGUS]! })).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'BKPSDM staff register' } });
      await expect(register.agenciesOfMany([{ nik: DEMO_OFFICER_NIKS[AGUS]! }])).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    } finally {
      sim.faults.reset();
    }
    const stranger = new BkpsdmStaffDirectory({ url: sim.url(), clientId: 'gerbang', clientSecret: 'wrong-secret-0000000' });
    await expect(stranger.agenciesOf({ nik: DEMO_OFFICER_NIKS[AGUS]! })).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
  });
});

describe('the demo roster (STAFF_DIRECTORY_URL unset)', () => {
  it('holds the officers of the register simulator with the same NIKs', () => {
    for (const o of DEMO_STAFF) expect(o.nik, o.id).toBe(DEMO_OFFICER_NIKS[o.id]);
  });
});
