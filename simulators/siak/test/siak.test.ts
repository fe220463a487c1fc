import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSeed, createSiakSimulator, DEMO_CITIZENS, generateRequestsFor, isValidNik, OFFICERS, parseNik, ROUTES, SEED_CITIZEN_COUNT, type SiakSimulator } from '../src/index.js';

const API_KEY = 'test-siak-key';
/** A fixed "now" so every run sees the same seed. */
const NOW = new Date('2026-11-18T03:30:00Z'); // 10:30 WIB
const DAY = 86_400_000;
const SITI = DEMO_CITIZENS.siti;
const BUDI = DEMO_CITIZENS.budi;
const EXTRA_NIK = '3503125409880001'; // Sri Utami, Budi's wife (demo household): given 50 more requests below

type Json = Record<string, any>;

let sim: SiakSimulator;
let base: string;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = { 'x-api-key': API_KEY }) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}
const post = (path: string, body: unknown, headers?: Record<string, string>) => call('POST', path, body, headers);
const get = (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers);

beforeAll(async () => {
  sim = createSiakSimulator({
    apiKey: API_KEY,
    now: NOW,
    clock: () => NOW,
    extraRequests: generateRequestsFor(EXTRA_NIK, 50, { now: NOW }),
  });
  base = await sim.listen(0, '127.0.0.1');
});
afterAll(() => (sim as SiakSimulator | undefined)?.close()); // unset when beforeAll failed
afterEach(() => {
  sim.faults.reset();
});

describe('authentication', () => {
  it('refuses a request without or with a wrong X-Api-Key', async () => {
    sim.stats.reset();
    const none = await post('/api/v1/penduduk/batch', { nik: [SITI.nik] }, {});
    expect(none).toEqual({ status: 401, body: { error: 'UNAUTHORIZED' } });
    // Wrong keys of every length: another length, the same length, a prefix, the key and more.
    const wrongKeys = ['not-the-key', `${API_KEY.slice(0, -1)}X`, API_KEY.slice(0, -1), `${API_KEY}0`];
    for (const key of wrongKeys) {
      const wrong = await post('/api/v1/penduduk/batch', { nik: [SITI.nik] }, { 'x-api-key': key });
      expect(wrong).toEqual({ status: 401, body: { error: 'UNAUTHORIZED' } });
    }
    expect(sim.stats.calls(ROUTES.residentBatch)).toBe(0);
    expect(sim.stats.calls(ROUTES.unauthorized)).toBe(1 + wrongKeys.length);
  });
});

describe('POST /api/v1/penduduk/batch', () => {
  it('returns found residents in the order asked and lists the rest as not_found', async () => {
    const unknown = '3503014101990009'; // well-formed, not registered
    const { status, body } = await post('/api/v1/penduduk/batch', { nik: [BUDI.nik, unknown, SITI.nik, 'bogus', BUDI.nik] });
    expect(status).toBe(200);
    expect(body.data.map((r: Json) => r.nik)).toEqual([BUDI.nik, SITI.nik]);
    expect(body.not_found).toEqual([unknown, 'bogus']);
    expect(body.data[1]).toEqual({
      nik: '3503115708900001',
      no_kk: '3503111203150004',
      nama_lengkap: 'Siti Rahayu',
      jenis_kelamin: 'PEREMPUAN',
      tempat_lahir: 'Trenggalek',
      tanggal_lahir: '1990-08-17',
      alamat: 'Jl. Panglima Sudirman No. 21',
      desa: 'Ngantru',
      kecamatan: 'Trenggalek',
      agama: 'ISLAM',
      status_kawin: 'KAWIN',
    });
    expect(body.data[0]).toMatchObject({ no_kk: '3503122506100007', nama_lengkap: 'Budi Santoso', jenis_kelamin: 'LAKI-LAKI', desa: 'Ngetal', kecamatan: 'Pogalan' });
  });

  it('refuses more than 100 NIKs, bad JSON and a wrong shape with 400 BAD_REQUEST', async () => {
    const tooMany = await post('/api/v1/penduduk/batch', { nik: Array.from({ length: 101 }, () => SITI.nik) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toBe('BAD_REQUEST');
    expect(tooMany.body.message).toMatch(/100/);
    expect((await post('/api/v1/penduduk/batch', '{"nik": [')).body).toMatchObject({ error: 'BAD_REQUEST' });
    expect((await post('/api/v1/penduduk/batch', { nik: SITI.nik })).status).toBe(400);
    expect((await post('/api/v1/penduduk/batch', { nik: [123] })).status).toBe(400);
    expect((await post('/api/v1/penduduk/batch', [SITI.nik])).status).toBe(400);
  });

  it('answers 404 for unknown routes and 405 for a wrong method', async () => {
    expect((await get('/api/v1/penduduk')).status).toBe(404);
    const wrongMethod = await fetch(`${base}/api/v1/penduduk/batch`, { headers: { 'x-api-key': API_KEY } });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});

describe('POST /api/v1/verifikasi', () => {
  const verify = (nik: string, nama_lengkap: string, tanggal_lahir: string) => post('/api/v1/verifikasi', { nik, nama_lengkap, tanggal_lahir });

  it('answers match for the right name and birth date, ignoring case and spacing', async () => {
    expect(await verify(SITI.nik, 'Siti Rahayu', '1990-08-17')).toEqual({ status: 200, body: { match: true } });
    expect((await verify(SITI.nik, '  SITI   rahayu ', '1990-08-17')).body).toEqual({ match: true });
  });

  it('answers no-match, never data, for a wrong name, a wrong date or an unknown NIK', async () => {
    expect((await verify(SITI.nik, 'Siti Rahmawati', '1990-08-17')).body).toEqual({ match: false });
    expect((await verify(SITI.nik, 'Siti Rahayu', '1990-08-18')).body).toEqual({ match: false });
    expect((await verify('3503014101990009', 'Siti Rahayu', '1990-08-17')).body).toEqual({ match: false });
  });

  it('refuses malformed input', async () => {
    expect((await verify('12345', 'Siti Rahayu', '1990-08-17')).status).toBe(400);
    expect((await verify(SITI.nik, 'Siti Rahayu', '17-08-1990')).status).toBe(400);
    expect((await post('/api/v1/verifikasi', { nik: SITI.nik })).status).toBe(400);
  });
});

describe('document requests', () => {
  it('looks requests up by id in one batch, with unknown ids in not_found', async () => {
    const { body } = await post('/api/v1/permohonan/batch', { id: ['SIAK-2026-000102', 'SIAK-2026-999999', 'SIAK-2026-000101'] });
    expect(body.data.map((r: Json) => r.id)).toEqual(['SIAK-2026-000102', 'SIAK-2026-000101']);
    expect(body.not_found).toEqual(['SIAK-2026-999999']);
    expect(Object.keys(body.data[0]).sort()).toEqual(
      ['client_ref', 'diajukan_pada', 'diperbarui_pada', 'id', 'jenis', 'keterangan', 'nik', 'nip_petugas', 'selesai_pada', 'seq', 'status', 'versi'].sort(),
    );
  });

  it("lists a citizen's requests newest first, with WIB timestamps", async () => {
    const { status, body } = await get(`/api/v1/permohonan?nik=${SITI.nik}`);
    expect(status).toBe(200);
    const submitted = body.data.map((r: Json) => Date.parse(r.diajukan_pada));
    expect(submitted).toEqual([...submitted].sort((a, b) => b - a));
    const completed = body.data.find((r: Json) => r.id === 'SIAK-2026-000101');
    expect(completed).toMatchObject({ nik: SITI.nik, jenis: 'KTP_EL', status: 'COMPLETED', nip_petugas: OFFICERS[0]!.nip, versi: 4 });
    expect(completed.selesai_pada).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
    const age = NOW.getTime() - Date.parse(completed.selesai_pada);
    expect(age).toBeGreaterThanOrEqual(1 * DAY);
    expect(age).toBeLessThanOrEqual(3 * DAY);
    expect(body.data.some((r: Json) => r.status === 'IN_PROCESS')).toBe(true);
    expect((await get('/api/v1/permohonan?nik=3503014101990009')).body).toEqual({ data: [] });
    expect((await get('/api/v1/permohonan')).status).toBe(400);
  });

  it('holds the 50 extra requests generated for one citizen', async () => {
    const { body } = await get(`/api/v1/permohonan?nik=${EXTRA_NIK}`);
    expect(body.data.length).toBeGreaterThanOrEqual(50);
    expect(new Set(body.data.map((r: Json) => r.id)).size).toBe(body.data.length);
    expect(body.data.filter((r: Json) => r.status === 'COMPLETED').length).toBeGreaterThan(15);
  });
});

describe('GET /api/v1/permohonan/perubahan (change feed)', () => {
  it('pages through every request exactly once, in sequence order', async () => {
    const seen: Json[] = [];
    let since = 0;
    for (let page = 0; page < 100; page++) {
      const { status, body } = await get(`/api/v1/permohonan/perubahan?since=${since}&limit=25`);
      expect(status).toBe(200);
      expect(body.data.length).toBeLessThanOrEqual(25);
      seen.push(...body.data);
      if (body.data.length) expect(body.next_since).toBe(body.data.at(-1).seq);
      since = body.next_since;
      if (!body.has_more) break;
    }
    const seqs = seen.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seen.map((r) => r.id)).size).toBe(seen.length);
    expect(since).toBe(sim.store.sequence);
    const atEnd = await get(`/api/v1/permohonan/perubahan?since=${since}`);
    expect(atEnd.body).toEqual({ data: [], next_since: since, has_more: false });
  });

  it('refuses a bad cursor or limit', async () => {
    expect((await get('/api/v1/permohonan/perubahan?since=-1')).status).toBe(400);
    expect((await get('/api/v1/permohonan/perubahan?since=abc')).status).toBe(400);
    expect((await get('/api/v1/permohonan/perubahan?limit=0')).status).toBe(400);
    expect((await get('/api/v1/permohonan/perubahan?limit=501')).status).toBe(400);
  });
});

describe('POST /api/v1/permohonan (filing)', () => {
  it('creates a SUBMITTED request once per client_ref and replays it on retry', async () => {
    const cursor = sim.store.sequence;
    const input = { nik: BUDI.nik, jenis: 'AKTA_LAHIR', keterangan: 'Akta kelahiran anak', client_ref: 'gerbang-7f3a9c' };
    const first = await post('/api/v1/permohonan', input);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ nik: BUDI.nik, jenis: 'AKTA_LAHIR', status: 'SUBMITTED', client_ref: 'gerbang-7f3a9c', nip_petugas: null, selesai_pada: null, versi: 1 });
    expect(first.body.id).toMatch(/^SIAK-2026-\d{6}$/);
    expect(first.body.diajukan_pada).toBe('2026-11-18T10:30:00+07:00');

    const retry = await post('/api/v1/permohonan', input);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);

    const feed = await get(`/api/v1/permohonan/perubahan?since=${cursor}`);
    expect(feed.body.data.map((r: Json) => r.id)).toEqual([first.body.id]);
  });

  it('refuses a reused client_ref with other content, an unknown NIK and a bad type', async () => {
    await post('/api/v1/permohonan', { nik: BUDI.nik, jenis: 'KK', client_ref: 'gerbang-reuse' });
    const reuse = await post('/api/v1/permohonan', { nik: BUDI.nik, jenis: 'KTP_EL', client_ref: 'gerbang-reuse' });
    expect(reuse).toMatchObject({ status: 409, body: { error: 'CONFLICT' } });
    const unknown = await post('/api/v1/permohonan', { nik: '3503014101990009', jenis: 'KK', client_ref: 'gerbang-unknown' });
    expect(unknown).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect((await post('/api/v1/permohonan', { nik: BUDI.nik, jenis: 'PASPOR', client_ref: 'x1' })).status).toBe(400);
    expect((await post('/api/v1/permohonan', { nik: BUDI.nik, jenis: 'KK' })).status).toBe(400);
  });
});

describe('POST /__admin/permohonan/:id/status', () => {
  it('moves a request along, stamps completion and puts it at the head of the feed', async () => {
    const cursor = sim.store.sequence;
    const { status, body } = await post('/__admin/permohonan/SIAK-2026-000102/status', { status: 'COMPLETED', nip: '199001222015032004' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'SIAK-2026-000102', status: 'COMPLETED', nip_petugas: '199001222015032004', versi: 4, seq: cursor + 1 });
    expect(body.selesai_pada).toBe('2026-11-18T10:30:00+07:00');
    const feed = await get(`/api/v1/permohonan/perubahan?since=${cursor}`);
    expect(feed.body.data).toEqual([body]);
  });

  it('assigns an officer when none is named and refuses moves out of a final state', async () => {
    const filed = await post('/api/v1/permohonan', { nik: SITI.nik, jenis: 'KK', client_ref: 'gerbang-admin-1' });
    const verified = await post(`/__admin/permohonan/${filed.body.id}/status`, { status: 'VERIFIED' });
    expect(verified.body.nip_petugas).toBe(OFFICERS[0]!.nip);
    const rejected = await post(`/__admin/permohonan/${filed.body.id}/status`, { status: 'REJECTED' });
    expect(rejected.body).toMatchObject({ status: 'REJECTED', selesai_pada: null, versi: 3 });
    expect((await post(`/__admin/permohonan/${filed.body.id}/status`, { status: 'COMPLETED' })).status).toBe(409);
    expect((await post('/__admin/permohonan/SIAK-2026-999999/status', { status: 'VERIFIED' })).status).toBe(404);
    expect((await post('/__admin/permohonan/SIAK-2026-000101/status', { status: 'DONE' })).status).toBe(400);
    expect((await post('/__admin/permohonan/SIAK-2026-000103/status', { status: 'COMPLETED', nip: '198808082012122001' })).status).toBe(400);
  });
});

describe('faults', () => {
  it('adds the configured latency', async () => {
    sim.faults.set({ latencyMs: 150 });
    const started = performance.now();
    await post('/api/v1/verifikasi', { nik: SITI.nik, nama_lengkap: 'Siti Rahayu', tanggal_lahir: '1990-08-17' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('answers 500 at error rate 1', async () => {
    sim.faults.set({ errorRate: 1 });
    const { status, body } = await post('/api/v1/penduduk/batch', { nik: [SITI.nik] });
    expect(status).toBe(500);
    expect(body.error).toBe('INTERNAL');
  });

  it('resets the connection when down', async () => {
    sim.faults.set({ down: true });
    await expect(post('/api/v1/penduduk/batch', { nik: [SITI.nik] })).rejects.toThrow();
    sim.faults.reset();
    expect((await post('/api/v1/penduduk/batch', { nik: [SITI.nik] })).status).toBe(200);
  });

  it('takes faults at run time through the control route', async () => {
    const res = await fetch(`${base}/__sim/faults`, { method: 'POST', body: JSON.stringify({ errorRate: 1 }) });
    expect(((await res.json()) as Json).errorRate).toBe(1);
    expect((await get(`/api/v1/permohonan?nik=${SITI.nik}`)).status).toBe(500);
  });
});

describe('call statistics', () => {
  it('counts calls and items per route, so tests can prove batching', async () => {
    sim.stats.reset();
    await post('/api/v1/penduduk/batch', { nik: [SITI.nik, BUDI.nik, '3503014101990009'] });
    await post('/api/v1/penduduk/batch', { nik: [SITI.nik, BUDI.nik] });
    await post('/api/v1/permohonan/batch', { id: ['SIAK-2026-000101'] });
    const snap = sim.stats.snapshot();
    expect(snap.routes[ROUTES.residentBatch]).toEqual({ calls: 2, items: 5 });
    expect(snap.routes[ROUTES.requestBatch]).toEqual({ calls: 1, items: 1 });
    expect(snap.total).toBe(3);
  });
});

describe('seed data', () => {
  it('holds about 60 residents with valid, unique NIKs spread over all 14 kecamatan', () => {
    const citizens = sim.store.allCitizens();
    expect(citizens).toHaveLength(SEED_CITIZEN_COUNT);
    expect(new Set(citizens.map((c) => c.nik)).size).toBe(citizens.length);
    for (const c of citizens) {
      const parts = parseNik(c.nik);
      expect(parts, c.nik).not.toBeNull();
      // The NIK encodes the same birth date and sex the registry holds.
      expect(parts!.birthDate).toBe(c.birthDate);
      expect(parts!.sex).toBe(c.sex);
      expect(c.familyCardNumber).toMatch(/^3503(0[1-9]|1[0-4])\d{10}$/);
    }
    expect(new Set(citizens.map((c) => c.kecamatan)).size).toBe(14);
  });

  it('rejects malformed NIKs', () => {
    expect(isValidNik(SITI.nik)).toBe(true);
    expect(isValidNik('3503115708900001'.slice(0, 15))).toBe(false);
    expect(isValidNik('3504115708900001')).toBe(false); // another regency
    expect(isValidNik('3503155708900001')).toBe(false); // no kecamatan 15
    expect(isValidNik('3503117002900001')).toBe(false); // 30 February (women's day 70)
    expect(isValidNik('3503113208900001')).toBe(false); // day 32
    expect(isValidNik('3503115708900000')).toBe(false); // serial 0000
    expect(isValidNik('350311570890000a')).toBe(false);
  });

  // Late evening, just after midnight, the first hour of a month and a leap day: the demo
  // guarantees must hold whenever the demo is run.
  const nows = ['2026-11-18T03:30:00Z', '2026-11-30T16:30:00Z', '2026-11-30T17:05:00Z', '2027-01-01T00:00:00Z', '2028-02-29T12:00:00Z'];
  it.each(nows)('gives the demo citizens rateable requests at now=%s', (iso) => {
    const now = new Date(iso);
    const { requests } = createSeed(now);
    const daysAgo = (d: Date | null) => (now.getTime() - d!.getTime()) / DAY;
    const siti = requests.filter((r) => r.nik === SITI.nik);
    expect(siti.some((r) => r.status === 'COMPLETED' && daysAgo(r.completedAt) >= 1 && daysAgo(r.completedAt) <= 3)).toBe(true);
    expect(siti.filter((r) => r.status === 'IN_PROCESS')).toHaveLength(1);
    const budiRecent = requests.filter((r) => r.nik === BUDI.nik && r.status === 'COMPLETED' && daysAgo(r.completedAt) > 0 && daysAgo(r.completedAt) <= 6);
    expect(budiRecent.length).toBeGreaterThanOrEqual(2);

    const officerNips = new Set(OFFICERS.map((o) => o.nip));
    for (const r of requests) {
      expect(r.submittedAt.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(r.updatedAt.getTime()).toBeGreaterThanOrEqual(r.submittedAt.getTime());
      expect(r.updatedAt.getTime()).toBeLessThanOrEqual(now.getTime());
      if (r.status === 'COMPLETED') {
        expect(r.completedAt!.getTime()).toBeGreaterThan(r.submittedAt.getTime());
        expect(officerNips.has(r.officerNip!)).toBe(true);
      } else {
        expect(r.completedAt).toBeNull();
      }
    }
  });

  it('gives other citizens 0–3 requests, a good share completed in the current month', () => {
    const { requests } = createSeed(NOW);
    const perNik = new Map<string, number>();
    for (const r of requests) perNik.set(r.nik, (perNik.get(r.nik) ?? 0) + 1);
    for (const [nik, n] of perNik) if (nik !== SITI.nik && nik !== BUDI.nik) expect(n).toBeLessThanOrEqual(3);
    const monthStart = Date.parse('2026-11-01T00:00:00+07:00');
    const thisMonth = requests.filter((r) => r.completedAt && r.completedAt.getTime() >= monthStart);
    expect(thisMonth.length).toBeGreaterThanOrEqual(15);
    // Every officer has served someone this month, so the TPP report has something for each.
    expect(new Set(thisMonth.map((r) => r.officerNip)).size).toBe(OFFICERS.length);
  });

  it('is deterministic for a given now', () => {
    expect(createSeed(NOW)).toEqual(createSeed(NOW));
    expect(generateRequestsFor(EXTRA_NIK, 5, { now: NOW })).toEqual(generateRequestsFor(EXTRA_NIK, 5, { now: NOW }));
  });
});
