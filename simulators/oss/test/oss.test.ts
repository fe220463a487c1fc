import type { Simulator } from '@gerbang/simkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUSINESSES, LICENCES, NIB_BUDI_BAKSO, NIB_BUDI_BENGKEL, NIB_SITI_KERIPIK, NIK_BUDI, NIK_SITI, createOssSimulator, isPlausibleNik } from '../src/index.js';

const USER_KEY = 'test-oss-key-3503';
let sim: Simulator;
let base: string;

async function call(path: string, body: unknown, headers: Record<string, string> = { user_key: USER_KEY }) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

beforeAll(async () => {
  sim = createOssSimulator({ userKey: USER_KEY });
  base = await sim.listen(0, '127.0.0.1');
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.faults.reset();
  sim.stats.reset();
});

describe('seed data', () => {
  it('holds about thirty Trenggalek businesses with well-formed identifiers', () => {
    expect(BUSINESSES.length).toBeGreaterThanOrEqual(30);
    const nibs = BUSINESSES.map((b) => b.nib);
    expect(new Set(nibs).size).toBe(nibs.length);
    for (const b of BUSINESSES) {
      expect(b.nib).toMatch(/^\d{13}$/);
      expect(b.alamat_usaha.kab_kota).toBe('Kabupaten Trenggalek');
      for (const p of b.penanggung_jawab) {
        expect(isPlausibleNik(p.nik_penanggung_jawab), p.nik_penanggung_jawab).toBe(true);
        expect(p.nik_penanggung_jawab.slice(0, 4)).toBe('3503');
        const district = Number(p.nik_penanggung_jawab.slice(4, 6));
        expect(district).toBeGreaterThanOrEqual(1);
        expect(district).toBeLessThanOrEqual(14);
      }
      for (const k of b.data_kbli) expect(k.kbli).toMatch(/^\d{5}$/);
    }
  });

  it('has licences only for known NIBs, in every status OSS uses', () => {
    const statuses = new Set<string>();
    for (const [nib, licences] of Object.entries(LICENCES)) {
      expect(
        BUSINESSES.some((b) => b.nib === nib),
        nib,
      ).toBe(true);
      for (const l of licences) statuses.add(l.status_izin);
    }
    expect([...statuses].sort()).toEqual(['DITOLAK', 'KEDALUWARSA', 'PROSES', 'TERBIT']);
  });

  it('gives warga.siti one business with two licences and warga.budi two businesses', () => {
    const owns = (nik: string) => BUSINESSES.filter((b) => b.penanggung_jawab.some((p) => p.nik_penanggung_jawab === nik));
    expect(owns(NIK_SITI).map((b) => b.nib)).toEqual([NIB_SITI_KERIPIK]);
    expect(LICENCES[NIB_SITI_KERIPIK]).toHaveLength(2);
    expect(
      owns(NIK_BUDI)
        .map((b) => b.nib)
        .sort(),
    ).toEqual([NIB_BUDI_BAKSO, NIB_BUDI_BENGKEL].sort());
  });
});

describe('authentication', () => {
  it('refuses a missing or wrong user_key with 401 in OSS style, before looking at the body', async () => {
    const missing = await call('/api/v1/inqueryNIB', { nib: NIB_SITI_KERIPIK }, {});
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject({ status: false });
    expect(typeof missing.json.message).toBe('string');

    const wrong = await call('/api/v1/inqueryNIB', 'not json at all', { user_key: 'dev-oss-key' });
    expect(wrong.status).toBe(401);

    expect(sim.stats.calls('!unauthorized')).toBe(2);
    expect(sim.stats.calls('inqueryNIB')).toBe(0);
  });

  it('requires a user key to build the simulator', () => {
    expect(() => createOssSimulator({ userKey: '' })).toThrow(/userKey/);
  });
});

describe('POST /api/v1/inqueryNIB', () => {
  it('answers one NIB with the business in OSS field names', async () => {
    const { status, json } = await call('/api/v1/inqueryNIB', { nib: NIB_SITI_KERIPIK });
    expect(status).toBe(200);
    expect(json.status).toBe(true);
    expect(json.responseinqueryNIB.kode).toBe(200);
    expect(json.responseinqueryNIB.dataNIB).toHaveLength(1);
    const b = json.responseinqueryNIB.dataNIB[0];
    expect(b).toMatchObject({
      nib: NIB_SITI_KERIPIK,
      nama_perusahaan: 'Keripik Tempe Bu Siti',
      status_penanaman_modal: 'PMDN',
      tanggal_terbit_oss: '2022-02-21',
      alamat_usaha: { kelurahan: 'Ngantru', kecamatan: 'Trenggalek', kab_kota: 'Kabupaten Trenggalek' },
      penanggung_jawab: [{ nik_penanggung_jawab: NIK_SITI, nama_penanggung_jawab: 'SITI RAHAYU' }],
      data_kbli: [{ kbli: '10794', uraian_kbli: 'INDUSTRI KERUPUK, KERIPIK, PEYEK DAN SEJENISNYA' }],
    });
  });

  it('answers a batch in one call, lists unknown NIBs apart and counts the items', async () => {
    const asked = [NIB_SITI_KERIPIK, NIB_BUDI_BAKSO, NIB_BUDI_BENGKEL, '9999999999999', NIB_BUDI_BAKSO];
    const { status, json } = await call('/api/v1/inqueryNIB', { nib: asked });
    expect(status).toBe(200);
    expect(json.responseinqueryNIB.jumlah_data).toBe(3);
    expect(json.responseinqueryNIB.dataNIB.map((b: { nib: string }) => b.nib)).toEqual([NIB_SITI_KERIPIK, NIB_BUDI_BAKSO, NIB_BUDI_BENGKEL]);
    expect(json.responseinqueryNIB.nib_tidak_ditemukan).toEqual(['9999999999999']);
    expect(sim.stats.snapshot().routes.inqueryNIB).toEqual({ calls: 1, items: 4 });
  });

  it('accepts 50 NIBs and refuses 51', async () => {
    const fifty = BUSINESSES.map((b) => b.nib)
      .concat(Array.from({ length: 50 }, (_, i) => String(9000000000000 + i)))
      .slice(0, 50);
    expect((await call('/api/v1/inqueryNIB', { nib: fifty })).status).toBe(200);
    const tooMany = Array.from({ length: 51 }, (_, i) => String(9000000000000 + i));
    const refused = await call('/api/v1/inqueryNIB', { nib: tooMany });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ status: false, message: expect.stringMatching(/50/) });
  });

  it('refuses malformed input with 400', async () => {
    for (const body of [{}, { nib: [] }, { nib: ['123'] }, { nib: 9120208731542 }, { nib: [NIB_SITI_KERIPIK, 'ABCDEFGHIJKLM'] }, '{broken', '[]']) {
      const { status, json } = await call('/api/v1/inqueryNIB', body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(json.status).toBe(false);
    }
    expect(sim.stats.snapshot().routes.inqueryNIB).toEqual({ calls: 7, items: 0 });
  });
});

describe('POST /api/v1/inqueryNIBByNIK', () => {
  it("lists an owner's NIBs", async () => {
    const budi = await call('/api/v1/inqueryNIBByNIK', { nik: NIK_BUDI });
    expect(budi.status).toBe(200);
    expect(budi.json.responseinqueryNIBByNIK.jumlah_data).toBe(2);
    expect(budi.json.responseinqueryNIBByNIK.dataNIB.map((b: { nib: string }) => b.nib).sort()).toEqual([NIB_BUDI_BAKSO, NIB_BUDI_BENGKEL].sort());

    const siti = await call('/api/v1/inqueryNIBByNIK', { nik: NIK_SITI });
    expect(siti.json.responseinqueryNIBByNIK.dataNIB).toEqual([expect.objectContaining({ nib: NIB_SITI_KERIPIK, nama_perusahaan: 'Keripik Tempe Bu Siti', status_nib: 'AKTIF' })]);
  });

  it('answers an empty list for a well-formed NIK without businesses', async () => {
    const { status, json } = await call('/api/v1/inqueryNIBByNIK', { nik: '3503014101000001' });
    expect(status).toBe(200);
    expect(json.status).toBe(true);
    expect(json.responseinqueryNIBByNIK.dataNIB).toEqual([]);
  });

  it('refuses a malformed NIK', async () => {
    for (const nik of [undefined, '', '35031157089', '3503113208900001', '3503111513900001', 3503115708900001]) {
      expect((await call('/api/v1/inqueryNIBByNIK', { nik })).status, String(nik)).toBe(400);
    }
  });
});

describe('POST /api/v1/statusIzin', () => {
  it('groups licences by NIB, including a business that needs none', async () => {
    const { status, json } = await call('/api/v1/statusIzin', { nib: [NIB_SITI_KERIPIK, NIB_BUDI_BENGKEL, '9999999999999'] });
    expect(status).toBe(200);
    const groups = json.responsestatusIzin.dataIzin;
    expect(groups.map((g: { nib: string }) => g.nib)).toEqual([NIB_SITI_KERIPIK, NIB_BUDI_BENGKEL]);
    expect(groups[0].izin).toHaveLength(2);
    expect(groups[0].izin.map((i: { jenis_izin: string }) => i.jenis_izin).sort()).toEqual(['PB_UMKU', 'SERTIFIKAT_STANDAR']);
    expect(groups[0].izin.every((i: { status_izin: string; tanggal_terbit: string }) => i.status_izin === 'TERBIT' && i.tanggal_terbit)).toBe(true);
    expect(groups[1]).toMatchObject({ nib: NIB_BUDI_BENGKEL, jumlah_izin: 0, izin: [] });
    expect(json.responsestatusIzin.nib_tidak_ditemukan).toEqual(['9999999999999']);
    expect(sim.stats.snapshot().routes.statusIzin).toEqual({ calls: 1, items: 3 });
  });

  it('wants a list, not a single NIB', async () => {
    expect((await call('/api/v1/statusIzin', { nib: NIB_SITI_KERIPIK })).status).toBe(400);
  });
});

describe('routing', () => {
  it('answers unknown paths with 404 and other methods with 405', async () => {
    expect((await call('/api/v1/inqueryNPWP', {})).status).toBe(404);
    const get = await fetch(`${base}/api/v1/inqueryNIB`, { headers: { user_key: USER_KEY } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('fault injection', () => {
  it('fails every call with errorRate 1, counted as a fault and not as a route call', async () => {
    sim.faults.set({ errorRate: 1 });
    const { status } = await call('/api/v1/inqueryNIB', { nib: NIB_SITI_KERIPIK });
    expect(status).toBe(500);
    expect(sim.stats.calls('!fault')).toBe(1);
    expect(sim.stats.calls('inqueryNIB')).toBe(0);
  });

  it('drops connections while down, and recovers through the control route', async () => {
    const set = await fetch(`${base}/__sim/faults`, { method: 'POST', body: JSON.stringify({ down: true }) });
    expect(await set.json()).toMatchObject({ down: true });
    await expect(call('/api/v1/inqueryNIB', { nib: NIB_SITI_KERIPIK })).rejects.toThrow();

    await fetch(`${base}/__sim/faults`, { method: 'DELETE' });
    expect((await call('/api/v1/inqueryNIB', { nib: NIB_SITI_KERIPIK })).status).toBe(200);
  });

  it('adds configured latency', async () => {
    sim.faults.set({ latencyMs: 120 });
    const started = performance.now();
    await call('/api/v1/inqueryNIB', { nib: NIB_SITI_KERIPIK });
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });
});

describe('stats', () => {
  it('counts calls and items per route, also through GET /__sim/stats', async () => {
    await call('/api/v1/inqueryNIB', { nib: [NIB_SITI_KERIPIK, NIB_BUDI_BAKSO] });
    await call('/api/v1/inqueryNIB', { nib: NIB_BUDI_BENGKEL });
    await call('/api/v1/inqueryNIBByNIK', { nik: NIK_SITI });
    await call('/api/v1/statusIzin', { nib: [NIB_SITI_KERIPIK] });
    const snapshot = await (await fetch(`${base}/__sim/stats`)).json();
    expect(snapshot).toEqual({
      total: 4,
      routes: {
        inqueryNIB: { calls: 2, items: 3 },
        inqueryNIBByNIK: { calls: 1, items: 1 },
        statusIzin: { calls: 1, items: 1 },
      },
    });
  });
});
