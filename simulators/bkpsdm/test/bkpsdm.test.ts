import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isValidNik } from '@gerbang/common';
import { AGENCIES, createBkpsdmSimulator, DEMO_OFFICER_NIKS, DEMO_OFFICER_NIPS, generateOfficers, isValidNip, parseNip, ROUTES, RPC_ERRORS, seedOfficers, type BkpsdmSimulator } from '../src/index.js';

const CLIENT_ID = 'gerbang-test';
const CLIENT_SECRET = 'test-secret-9c1e';
const AUTH = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
const AGUS = '198703152010011002';
const SRI = '198205102006042001';
/** The benchmark agency: 300 generated officers. */
const BIG_AGENCY = 'rsud-dr-soedomo';

type Json = Record<string, any>;

let sim: BkpsdmSimulator;
let base: string;

async function rpc(payload: unknown, authorization: string | null = AUTH) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization) headers.authorization = authorization;
  const res = await fetch(`${base}/rpc`, { method: 'POST', headers, body: typeof payload === 'string' ? payload : JSON.stringify(payload) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
const request = (method: string, params: unknown, id: number | string = 1) => rpc({ jsonrpc: '2.0', id, method, params });

beforeAll(async () => {
  sim = createBkpsdmSimulator({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, extraOfficers: generateOfficers(BIG_AGENCY, 300) });
  base = await sim.listen(0, '127.0.0.1');
});
afterAll(() => (sim as BkpsdmSimulator | undefined)?.close()); // unset when beforeAll failed
afterEach(() => {
  sim.faults.reset();
});

describe('authentication', () => {
  it('answers 401 with JSON-RPC error -32001 without valid client credentials', async () => {
    sim.stats.reset();
    const cases = [
      null,
      `Basic ${Buffer.from(`${CLIENT_ID}:wrong`).toString('base64')}`,
      // A wrong secret of the same length, a prefix of it, the secret and more.
      `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET.slice(0, -1)}X`).toString('base64')}`,
      `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET.slice(0, -1)}`).toString('base64')}`,
      `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}0`).toString('base64')}`,
      `Basic ${Buffer.from(`someone:${CLIENT_SECRET}`).toString('base64')}`,
      `Basic ${Buffer.from(CLIENT_ID).toString('base64')}`,
      `Bearer ${CLIENT_SECRET}`,
    ];
    for (const authorization of cases) {
      const res = await rpc({ jsonrpc: '2.0', id: 1, method: 'pegawai.getByNip', params: { nip: [AGUS] } }, authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
      expect(res.body).toEqual({ jsonrpc: '2.0', id: null, error: { code: RPC_ERRORS.UNAUTHORIZED, message: 'Unauthorized' } });
    }
    expect(sim.stats.calls(ROUTES.getByNip)).toBe(0);
    expect(sim.stats.calls(ROUTES.unauthorized)).toBe(cases.length);
  });
});

describe('pegawai.getByNip', () => {
  it('returns the officers asked for in order and the rest in tidak_ditemukan', async () => {
    const unknown = '199912312024011999';
    const { status, body } = await request('pegawai.getByNip', { nip: [SRI, unknown, AGUS, 'abc', SRI] }, 'q-1');
    expect(status).toBe(200);
    expect(body.jsonrpc).toBe('2.0');
    expect(body.id).toBe('q-1');
    expect(body.result.pegawai.map((p: Json) => p.nip)).toEqual([SRI, AGUS]);
    expect(body.result.tidak_ditemukan).toEqual([unknown, 'abc']);
    expect(body.result.pegawai[1]).toEqual({
      nip: AGUS,
      nama: 'Agus Prasetyo',
      opd: 'dispendukcapil',
      jabatan: 'Pengadministrasi Kependudukan',
      golongan: 'III/a',
      status: 'PNS',
      kelas_jabatan: 6,
      tpp_pokok: 1_875_000,
      unit: 'Bidang Pelayanan Pendaftaran Penduduk',
    });
    expect(body.result.pegawai[0]).toMatchObject({ nama: 'Sri Wahyuni', opd: 'bkpsdm', jabatan: 'Analis SDM Aparatur' });
  });

  it('holds every officer of DEMO-DATA.md with the listed name and agency', async () => {
    const { body } = await request('pegawai.getByNip', { nip: DEMO_OFFICER_NIPS });
    expect(body.result.tidak_ditemukan).toEqual([]);
    const byNip = Object.fromEntries(body.result.pegawai.map((p: Json) => [p.nip, p]));
    expect(byNip['199001222015032004']).toMatchObject({ nama: 'Rina Wulandari', opd: 'dispendukcapil' });
    expect(byNip['198912112014022002']).toMatchObject({ nama: 'dr. Anita Permatasari', opd: 'dinkesdalduk', jabatan: 'Dokter Puskesmas Trenggalek' });
    expect(byNip['199409302022031007']).toMatchObject({ nama: 'Rizky Ramadhan', opd: 'dinsos', status: 'PPPK' });
  });

  it('accepts 200 NIPs in one call and refuses 201 with -32602', async () => {
    const page = await request('pegawai.listByOpd', { opd: BIG_AGENCY, limit: 200 });
    const nips = page.body.result.pegawai.map((p: Json) => p.nip);
    expect(nips).toHaveLength(200);
    const ok = await request('pegawai.getByNip', { nip: nips });
    expect(ok.body.result.pegawai).toHaveLength(200);
    const tooMany = await request('pegawai.getByNip', { nip: [...nips, AGUS] });
    expect(tooMany.body.error.code).toBe(RPC_ERRORS.INVALID_PARAMS);
  });
});

describe('pegawai.getByNik', () => {
  const AGUS_NIK = DEMO_OFFICER_NIKS[AGUS]!;
  const SRI_NIK = DEMO_OFFICER_NIKS[SRI]!;
  const CITIZEN = '3503115708900001'; // warga.siti: a resident, not a civil servant

  it('says where each person works (NIP and OPD only), in the order asked, and lists the rest in tidak_ditemukan', async () => {
    const { status, body } = await request('pegawai.getByNik', { nik: [SRI_NIK, CITIZEN, AGUS_NIK, SRI_NIK] }, 'k-1');
    expect(status).toBe(200);
    expect(body.id).toBe('k-1');
    expect(body.result).toEqual({
      pegawai: [
        { nik: SRI_NIK, nip: SRI, opd: 'bkpsdm' },
        { nik: AGUS_NIK, nip: AGUS, opd: 'dispendukcapil' },
      ],
      tidak_ditemukan: [CITIZEN],
    });
  });

  it('knows every officer of the register by NIK, generated ones included', async () => {
    const page = await request('pegawai.listByOpd', { opd: BIG_AGENCY, limit: 200 });
    const nips: string[] = page.body.result.pegawai.map((p: Json) => p.nip);
    const niks = nips.map((nip) => sim.store.officer(nip)!.nik);
    const { body } = await request('pegawai.getByNik', { nik: niks });
    expect(body.result.tidak_ditemukan).toEqual([]);
    expect(body.result.pegawai.map((p: Json) => p.nip)).toEqual(nips);
    expect(body.result.pegawai.every((p: Json) => p.opd === BIG_AGENCY)).toBe(true);
  });

  it('accepts 200 NIKs in one call and refuses 201, or anything but an array of strings, with -32602', async () => {
    const niks = Array.from({ length: 200 }, (_, i) => `3503110101${String(i).padStart(6, '0')}`);
    expect((await request('pegawai.getByNik', { nik: niks })).body.result.tidak_ditemukan).toHaveLength(200);
    expect((await request('pegawai.getByNik', { nik: [...niks, AGUS_NIK] })).body.error.code).toBe(RPC_ERRORS.INVALID_PARAMS);
    for (const params of [{ nik: AGUS_NIK }, { nik: [1] }, {}, [AGUS_NIK]]) {
      expect((await request('pegawai.getByNik', params)).body.error.code, JSON.stringify(params)).toBe(RPC_ERRORS.INVALID_PARAMS);
    }
  });

  it('answers in a JSON-RPC batch beside getByNip, and counts NIKs asked', async () => {
    sim.stats.reset();
    const { body } = await rpc([
      { jsonrpc: '2.0', id: 1, method: 'pegawai.getByNik', params: { nik: [AGUS_NIK, CITIZEN] } },
      { jsonrpc: '2.0', id: 2, method: 'pegawai.getByNip', params: { nip: [SRI] } },
    ]);
    expect(body.map((r: Json) => r.id)).toEqual([1, 2]);
    expect(body[0].result.pegawai).toEqual([{ nik: AGUS_NIK, nip: AGUS, opd: 'dispendukcapil' }]);
    expect(sim.stats.snapshot().routes[ROUTES.getByNik]).toEqual({ calls: 1, items: 2 });
  });

  it('never hands a NIK out with the HR records of getByNip and listByOpd', async () => {
    const byNip = await request('pegawai.getByNip', { nip: [AGUS] });
    const list = await request('pegawai.listByOpd', { opd: 'dispendukcapil', limit: 200 });
    expect(JSON.stringify([byNip.body, list.body])).not.toContain(AGUS_NIK);
    expect(byNip.body.result.pegawai[0]).not.toHaveProperty('nik');
  });
});

describe('pegawai.listByOpd', () => {
  it('pages through an agency in stable NIP order without gaps or repeats', async () => {
    const seen: string[] = [];
    let total: number;
    for (let offset = 0; ; offset += 7) {
      const { body } = await request('pegawai.listByOpd', { opd: 'dispendukcapil', offset, limit: 7 });
      total = body.result.total;
      expect(body.result).toMatchObject({ offset, limit: 7 });
      seen.push(...body.result.pegawai.map((p: Json) => p.nip));
      if (offset + 7 >= total) break;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toContain(AGUS);
  });

  it('serves the 300-officer benchmark agency', async () => {
    const first = await request('pegawai.listByOpd', { opd: BIG_AGENCY });
    expect(first.body.result.total).toBe(300);
    expect(first.body.result.pegawai).toHaveLength(50); // the default page
    const last = await request('pegawai.listByOpd', { opd: BIG_AGENCY, offset: 250, limit: 200 });
    expect(last.body.result.pegawai).toHaveLength(50);
  });

  it('answers -32004 for an unknown agency and -32602 for bad paging', async () => {
    const unknown = await request('pegawai.listByOpd', { opd: 'dinas-antah-berantah' });
    expect(unknown.body.error).toMatchObject({ code: RPC_ERRORS.NOT_FOUND, data: { opd: 'dinas-antah-berantah' } });
    for (const params of [{ opd: 'bpkpd', limit: 0 }, { opd: 'bpkpd', limit: 201 }, { opd: 'bpkpd', offset: -1 }, { opd: 'bpkpd', offset: 1.5 }, {}, ['bpkpd']]) {
      const res = await request('pegawai.listByOpd', params);
      expect(res.body.error.code, JSON.stringify(params)).toBe(RPC_ERRORS.INVALID_PARAMS);
    }
  });
});

describe('JSON-RPC protocol', () => {
  it('reports unknown methods, bad requests and parse errors with the spec codes', async () => {
    expect((await request('pegawai.hapus', {}, 9)).body).toMatchObject({ id: 9, error: { code: RPC_ERRORS.METHOD_NOT_FOUND } });
    expect((await request('toString', {}, 10)).body.error.code).toBe(RPC_ERRORS.METHOD_NOT_FOUND);
    expect((await rpc({ id: 2, method: 'pegawai.getByNip', params: { nip: [] } })).body).toMatchObject({ id: 2, error: { code: RPC_ERRORS.INVALID_REQUEST } });
    expect((await rpc({ jsonrpc: '2.0', id: 3, method: 42 })).body.error.code).toBe(RPC_ERRORS.INVALID_REQUEST);
    expect((await rpc('"just a string"')).body.error.code).toBe(RPC_ERRORS.INVALID_REQUEST);
    expect((await rpc('{"jsonrpc": "2.0", "method"')).body).toEqual({ jsonrpc: '2.0', id: null, error: { code: RPC_ERRORS.PARSE_ERROR, message: 'Parse error' } });
    expect((await request('pegawai.getByNip', { nip: 'not-a-list' })).body.error.code).toBe(RPC_ERRORS.INVALID_PARAMS);
  });

  it('answers a batch array call by call, leaving notifications unanswered', async () => {
    const { status, body } = await rpc([
      { jsonrpc: '2.0', id: 1, method: 'pegawai.getByNip', params: { nip: [AGUS] } },
      { jsonrpc: '2.0', method: 'pegawai.getByNip', params: { nip: [SRI] } }, // notification
      { jsonrpc: '2.0', id: 2, method: 'pegawai.listByOpd', params: { opd: 'bkpsdm', limit: 2 } },
      { jsonrpc: '2.0', id: 3, method: 'nope' },
      17,
    ]);
    expect(status).toBe(200);
    expect(body).toHaveLength(4);
    expect(body[0]).toMatchObject({ id: 1, result: { pegawai: [{ nip: AGUS }] } });
    expect(body[1]).toMatchObject({ id: 2, result: { total: 8, limit: 2 } });
    expect(body[2]).toMatchObject({ id: 3, error: { code: RPC_ERRORS.METHOD_NOT_FOUND } });
    expect(body[3]).toMatchObject({ id: null, error: { code: RPC_ERRORS.INVALID_REQUEST } });
  });

  it('answers an empty batch with one error and a batch of notifications with nothing', async () => {
    expect((await rpc([])).body).toMatchObject({ id: null, error: { code: RPC_ERRORS.INVALID_REQUEST } });
    const silent = await rpc([{ jsonrpc: '2.0', method: 'pegawai.getByNip', params: { nip: [AGUS] } }]);
    expect(silent.status).toBe(204);
    expect(silent.body).toBeNull();
  });

  it('answers only POST /rpc', async () => {
    expect((await fetch(`${base}/rpc`, { headers: { authorization: AUTH } })).status).toBe(405);
    expect((await fetch(`${base}/api/pegawai`, { method: 'POST', headers: { authorization: AUTH } })).status).toBe(404);
  });
});

describe('faults', () => {
  it('adds the configured latency', async () => {
    sim.faults.set({ latencyMs: 150 });
    const started = performance.now();
    await request('pegawai.getByNip', { nip: [AGUS] });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('answers HTTP 500 at error rate 1', async () => {
    sim.faults.set({ errorRate: 1 });
    expect((await request('pegawai.getByNip', { nip: [AGUS] })).status).toBe(500);
  });

  it('resets the connection when down', async () => {
    sim.faults.set({ down: true });
    await expect(request('pegawai.getByNip', { nip: [AGUS] })).rejects.toThrow();
    sim.faults.reset();
    expect((await request('pegawai.getByNip', { nip: [AGUS] })).status).toBe(200);
  });
});

describe('call statistics', () => {
  it('counts HTTP requests and method calls with their item counts', async () => {
    sim.stats.reset();
    await request('pegawai.getByNip', { nip: [AGUS, SRI, '199912312024011999'] });
    await rpc([
      { jsonrpc: '2.0', id: 1, method: 'pegawai.getByNip', params: { nip: [AGUS] } },
      { jsonrpc: '2.0', id: 2, method: 'pegawai.listByOpd', params: { opd: 'dinsos', limit: 3 } },
    ]);
    const snap = sim.stats.snapshot();
    expect(snap.routes[ROUTES.http]).toEqual({ calls: 2, items: 3 });
    expect(snap.routes[ROUTES.getByNip]).toEqual({ calls: 2, items: 4 });
    expect(snap.routes[ROUTES.listByOpd]).toEqual({ calls: 1, items: 3 });
  });
});

describe('seed data', () => {
  const officers = seedOfficers();

  it('gives each of the six agencies 4–12 officers with valid, unique NIPs and NIKs', () => {
    expect(new Set(officers.map((o) => o.nip)).size).toBe(officers.length);
    for (const agency of AGENCIES) {
      const n = officers.filter((o) => o.agencyId === agency).length;
      expect(n, agency).toBeGreaterThanOrEqual(4);
      expect(n, agency).toBeLessThanOrEqual(12);
    }
    const everyone = [...officers, ...generateOfficers(BIG_AGENCY, 300)];
    expect(new Set(everyone.map((o) => o.nik)).size).toBe(everyone.length);
    for (const o of everyone) {
      expect(isValidNip(o.nip), o.nip).toBe(true);
      // The NIK agrees with the NIP: same birth date, and the day + 40 of a woman.
      expect(isValidNik(o.nik), o.nik).toBe(true);
      const nip = parseNip(o.nip)!;
      const day = Number(nip.birthDate.slice(8)) + (nip.sex === 'F' ? 40 : 0);
      expect(o.nik.slice(6, 12), o.nip).toBe(`${String(day).padStart(2, '0')}${nip.birthDate.slice(5, 7)}${nip.birthDate.slice(2, 4)}`);
      expect(Number.isInteger(o.tppBase)).toBe(true);
      expect(o.tppBase).toBeGreaterThanOrEqual(1_500_000);
      expect(o.tppBase).toBeLessThanOrEqual(6_000_000);
      expect(o.grade).toMatch(o.employmentType === 'PNS' ? /^(I|II|III|IV)\/[a-e]$/ : /^[IVX]+$/);
    }
  });

  it('decodes a NIP and rejects malformed ones', () => {
    expect(parseNip(SRI)).toEqual({ birthDate: '1982-05-10', appointed: '2006-04', sex: 'F', serial: '001' });
    expect(isValidNip('19820510200604200')).toBe(false); // 17 digits
    expect(isValidNip('198202302006042001')).toBe(false); // 30 February
    expect(isValidNip('198205102006132001')).toBe(false); // month 13
    expect(isValidNip('198205102006043001')).toBe(false); // sex 3
    expect(isValidNip('198205101995042001')).toBe(false); // appointed at 12
    expect(isValidNip('198205102006042000')).toBe(false); // serial 000
  });

  it('generates large rosters deterministically and without clashing with the register', () => {
    const a = generateOfficers(BIG_AGENCY, 300);
    expect(a).toEqual(generateOfficers(BIG_AGENCY, 300));
    expect(new Set(a.map((o) => o.nip)).size).toBe(300);
    expect(new Set(a.map((o) => o.name)).size).toBe(300);
    const seeded = new Set(officers.map((o) => o.nip));
    expect(a.some((o) => seeded.has(o.nip))).toBe(false);
    expect(a.every((o) => o.agencyId === BIG_AGENCY)).toBe(true);
  });
});
