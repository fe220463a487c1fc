import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClinicQueueSimulator, signHeaders, PUSKESMAS, PUSKESMAS_TRENGGALEK, WARGA, type BookingView, type ClinicQueueSimulator } from '../src/index';

const CONS_ID = 'cons-test-3503';
const SECRET = 'test-clinic-secret-0123456789';
const USER_KEY = 'test-user-key';
const DAY = 24 * 60 * 60 * 1000;

// 10:00 WIB on a Saturday; the clock is moved by tests that need to.
let nowMs = Date.parse('2026-11-28T03:00:00Z');
const clock = () => new Date(nowMs);

interface Envelope<T = unknown> {
  metadata: { code: number; message: string };
  response: T;
}

function client(sim: ClinicQueueSimulator) {
  return async <T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = signHeaders(CONS_ID, SECRET, USER_KEY, nowMs)) => {
    const res = await fetch(sim.url() + path, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Envelope<T> };
  };
}

/** A WIB calendar day `days` after the clock's. */
const wibDay = (days: number) => new Date(nowMs + 7 * 3600_000 + days * DAY).toISOString().slice(0, 10);
const tomorrow = () => wibDay(1);

describe('clinic queue simulator', () => {
  let sim: ClinicQueueSimulator;
  let call: ReturnType<typeof client>;

  beforeAll(async () => {
    sim = createClinicQueueSimulator({ consId: CONS_ID, consSecret: SECRET, userKey: USER_KEY, now: clock, quotaOverrides: { 'P3503050101/GIGI': 2 } });
    await sim.listen(0);
    call = client(sim);
  });
  afterAll(async () => {
    await sim.close();
  });

  describe('signed headers', () => {
    it('accepts a correctly signed request', async () => {
      const res = await call<{ list: { kodepuskesmas: string }[] }>('GET', '/ref/puskesmas');
      expect(res.status).toBe(200);
      expect(res.body.metadata).toEqual({ code: 200, message: 'Ok' });
      expect(res.body.response.list).toHaveLength(PUSKESMAS.length);
    });

    it('refuses a signature made with another secret', async () => {
      const res = await call('GET', '/ref/puskesmas', undefined, signHeaders(CONS_ID, 'not-the-secret', USER_KEY, nowMs));
      expect(res.status).toBe(401);
      expect(res.body.metadata).toEqual({ code: 201, message: 'Signature tidak valid' });
    });

    it('refuses a signature whose timestamp was altered', async () => {
      const headers = signHeaders(CONS_ID, SECRET, USER_KEY, nowMs);
      headers['X-timestamp'] = String(Number(headers['X-timestamp']) + 1);
      const res = await call('GET', '/ref/puskesmas', undefined, headers);
      expect(res.body.metadata.message).toBe('Signature tidak valid');
    });

    it('refuses a correctly signed request outside ±300 s and accepts one just inside', async () => {
      for (const skew of [-301_000, 301_000]) {
        const res = await call('GET', '/ref/puskesmas', undefined, signHeaders(CONS_ID, SECRET, USER_KEY, nowMs + skew));
        expect(res.status).toBe(401);
        expect(res.body.metadata).toEqual({ code: 201, message: 'Timestamp kedaluwarsa' });
      }
      const inside = await call('GET', '/ref/puskesmas', undefined, signHeaders(CONS_ID, SECRET, USER_KEY, nowMs - 299_000));
      expect(inside.status).toBe(200);
    });

    it('refuses missing headers, an unknown consumer and a wrong user_key', async () => {
      const missing = await call('GET', '/ref/puskesmas', undefined, {});
      expect(missing.status).toBe(401);
      const other = await call('GET', '/ref/puskesmas', undefined, signHeaders('another-cons', SECRET, USER_KEY, nowMs));
      expect(other.status).toBe(401);
      const key = await call('GET', '/ref/puskesmas', undefined, signHeaders(CONS_ID, SECRET, 'wrong-key', nowMs));
      expect(key.status).toBe(401);
      expect(key.body.metadata.message).toBe('user_key tidak valid');
    });
  });

  describe('seed', () => {
    it('gives warga.siti one visit completed 1–3 days ago, served by a known officer', async () => {
      const res = await call<{ list: BookingView[] }>('GET', `/antrean/peserta/${WARGA.siti.nik}`);
      expect(res.body.response.list).toHaveLength(1);
      const [visit] = res.body.response.list;
      expect(visit!.status).toBe('SELESAI');
      expect(visit!.kodepuskesmas).toBe(PUSKESMAS_TRENGGALEK);
      expect(visit!.nippetugas).toBe('198912112014022002');
      expect(visit!.nomorkartu).toBe(WARGA.siti.nomorkartu);
      const ago = nowMs - Date.parse(visit!.waktuselesai!);
      expect(ago).toBeGreaterThan(DAY);
      expect(ago).toBeLessThan(3 * DAY);
      expect(Date.parse(visit!.waktudaftar)).toBeLessThan(Date.parse(visit!.waktudilayani!));
    });

    it('gives warga.budi a visit completed in the last 6 days and a booking for tomorrow', async () => {
      const res = await call<{ list: BookingView[] }>('GET', `/antrean/peserta/${WARGA.budi.nik}`);
      const list = res.body.response.list;
      expect(list.map((b) => b.status).sort()).toEqual(['DIBOOKING', 'SELESAI']);
      const done = list.find((b) => b.status === 'SELESAI')!;
      expect(nowMs - Date.parse(done.waktuselesai!)).toBeLessThan(6 * DAY);
      expect(done.nippetugas).toBe('199305192020121006');
      expect(list.find((b) => b.status === 'DIBOOKING')!.tanggalperiksa).toBe(tomorrow());
    });

    it('serves seeded visits only by officers of the directory', () => {
      const nips = new Set(
        sim.store
          .changes(0, 10_000)
          .list.map((b) => b.nippetugas)
          .filter(Boolean),
      );
      expect([...nips].sort()).toEqual(['198912112014022002', '199305192020121006']);
    });
  });

  describe('booking', () => {
    const base = { nik: '3503124507920003', nomorkartu: '0009876543210', kodepuskesmas: 'P3503120101', kodepoli: 'KIA' };

    it('hands out a queue number and returns the same booking when retried with the same client_ref', async () => {
      const input = { ...base, tanggal: tomorrow(), client_ref: 'hub-req-001' };
      const first = await call<BookingView & { sisakuota: number }>('POST', '/antrean/ambil', input);
      expect(first.status).toBe(200);
      expect(first.body.metadata.code).toBe(200);
      expect(first.body.response.status).toBe('DIBOOKING');
      expect(first.body.response.nomorantrean).toMatch(/^C-\d{3}$/);
      expect(first.body.response.kodebooking).toMatch(/^\d{8}120101C\d{3}$/);
      const again = await call<BookingView>('POST', '/antrean/ambil', input);
      expect(again.body.response.kodebooking).toBe(first.body.response.kodebooking);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(sim.store.byNik(base.nik)).toHaveLength(1);
    });

    it('refuses a client_ref reused for other data, and a second number for the same visit', async () => {
      const reused = await call('POST', '/antrean/ambil', { ...base, kodepoli: 'UMUM', tanggal: tomorrow(), client_ref: 'hub-req-001' });
      expect(reused.status).toBe(409);
      expect(reused.body.metadata.code).toBe(201);
      const twice = await call('POST', '/antrean/ambil', { ...base, tanggal: tomorrow(), client_ref: 'hub-req-002' });
      expect(twice.status).toBe(200);
      expect(twice.body.metadata).toEqual({ code: 201, message: 'Peserta sudah terdaftar pada poli dan tanggal yang sama' });
    });

    it('answers "Kuota penuh" once the daily quota is taken, and frees a place on cancellation', async () => {
      // Ten days ahead: the seed books no further than three days, so the quota starts empty.
      const book = (nik: string, ref: string) =>
        call<BookingView>('POST', '/antrean/ambil', { nik, nomorkartu: '', kodepuskesmas: 'P3503050101', kodepoli: 'GIGI', tanggal: wibDay(10), client_ref: ref });
      const a = await book('3503051203880001', 'q-1');
      const b = await book('3503055304910002', 'q-2');
      expect([a.body.metadata.code, b.body.metadata.code]).toEqual([200, 200]);
      expect(a.body.response.jenispasien).toBe('NON JKN');
      const full = await book('3503050101700003', 'q-3');
      expect(full.status).toBe(200);
      expect(full.body.metadata).toEqual({ code: 201, message: 'Kuota penuh' });

      const cancel = await fetch(`${sim.url()}/__admin/antrean/${a.body.response.kodebooking}/status`, { method: 'POST', body: JSON.stringify({ status: 'BATAL' }) });
      expect(cancel.status).toBe(200);
      const retry = await book('3503050101700003', 'q-3');
      expect(retry.body.metadata.code).toBe(200);
      // The cancelled number is not handed out again.
      expect(retry.body.response.angkaantrean).toBe(3);
    });

    it('rejects malformed input with HTTP 400', async () => {
      const cases = [
        { ...base, nik: '12345', tanggal: tomorrow() },
        { ...base, nik: '3503129913850002', tanggal: tomorrow() },
        { ...base, nomorkartu: '123', tanggal: tomorrow() },
        { ...base, kodepuskesmas: 'P9999999999', tanggal: tomorrow() },
        { ...base, kodepoli: 'MTBS', kodepuskesmas: 'P3503050101', tanggal: tomorrow() },
        { ...base, tanggal: '2026-11-27' },
        { ...base, tanggal: '2027-02-30' },
      ];
      for (const input of cases) {
        const res = await call('POST', '/antrean/ambil', input);
        expect(res.status, JSON.stringify(input)).toBe(400);
        expect(res.body.metadata.code).toBe(201);
      }
    });
  });

  describe('status, feed and admin', () => {
    it('answers a batch of booking codes in one call', async () => {
      const codes = sim.store.changes(0, 3).list.map((b) => b.kodebooking);
      sim.stats.reset();
      const res = await call<{ list: BookingView[]; tidakditemukan: string[] }>('POST', '/antrean/status', { kodebooking: [...codes, '20261128999999Z999'] });
      expect(res.body.response.list.map((b) => b.kodebooking).sort()).toEqual([...codes].sort());
      expect(res.body.response.tidakditemukan).toEqual(['20261128999999Z999']);
      expect(sim.stats.snapshot().routes['POST /antrean/status']).toEqual({ calls: 1, items: 4 });
    });

    it('refuses an empty batch and one larger than 50', async () => {
      expect((await call('POST', '/antrean/status', { kodebooking: [] })).status).toBe(400);
      const many = Array.from({ length: 51 }, (_, i) => `X${i}`);
      const res = await call('POST', '/antrean/status', { kodebooking: many });
      expect(res.status).toBe(400);
      expect(res.body.metadata.message).toMatch(/Maksimal 50/);
    });

    it('pages through the change feed in sequence order, each booking once', async () => {
      const seen: BookingView[] = [];
      let since = 0;
      for (let page = 0; page < 100; page++) {
        const res = await call<{ list: BookingView[]; lastsequence: number; hasmore: boolean }>('GET', `/antrean/perubahan?since=${since}&limit=7`);
        seen.push(...res.body.response.list);
        since = res.body.response.lastsequence;
        if (!res.body.response.hasmore) break;
      }
      const seqs = seen.map((b) => b.sequence);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seen.map((b) => b.kodebooking)).size).toBe(seen.length);
      expect(seen.length).toBe(sim.store.changes(0, 10_000).list.length);

      // A later change moves the booking to the end of the feed.
      const budi = sim.store.byNik(WARGA.budi.nik).find((b) => b.status === 'DIBOOKING')!;
      const adv = await fetch(`${sim.url()}/__admin/antrean/${budi.kodebooking}/status`, { method: 'POST', body: JSON.stringify({ status: 'DIPANGGIL' }) });
      expect(adv.status).toBe(200);
      const next = await call<{ list: BookingView[]; lastsequence: number }>('GET', `/antrean/perubahan?since=${since}`);
      expect(next.body.response.list.map((b) => [b.kodebooking, b.status])).toEqual([[budi.kodebooking, 'DIPANGGIL']]);
      expect(next.body.response.lastsequence).toBeGreaterThan(since);
    });

    it('advances a booking to SELESAI with the Puskesmas officer and refuses going back', async () => {
      const { booking } = sim.store.book({ nik: '3503114411990005', nomorkartu: null, kodepuskesmas: PUSKESMAS_TRENGGALEK, kodepoli: 'UMUM', tanggal: tomorrow(), clientRef: null });
      const post = (status: string) => fetch(`${sim.url()}/__admin/antrean/${booking.kodebooking}/status`, { method: 'POST', body: JSON.stringify({ status }) });
      const done = (await (await post('SELESAI')).json()) as Envelope<BookingView>;
      expect(done.response.status).toBe('SELESAI');
      expect(done.response.nippetugas).toBe('198912112014022002');
      expect(done.response.namapetugas).toBe('dr. Anita Permatasari');
      expect(done.response.waktudilayani).not.toBeNull();
      const back = await post('DIPANGGIL');
      expect(back.status).toBe(409);
      expect((await post('BATAL')).status).toBe(409);
      expect((await fetch(`${sim.url()}/__admin/antrean/NOPE/status`, { method: 'POST', body: '{"status":"SELESAI"}' })).status).toBe(404);
    });

    it('asks for a NIP where the Puskesmas has no known officer', async () => {
      const { booking } = sim.store.book({ nik: '3503010505800006', nomorkartu: null, kodepuskesmas: 'P3503010101', kodepoli: 'UMUM', tanggal: tomorrow(), clientRef: null });
      const url = `${sim.url()}/__admin/antrean/${booking.kodebooking}/status`;
      expect((await fetch(url, { method: 'POST', body: '{"status":"DILAYANI"}' })).status).toBe(400);
      expect((await fetch(url, { method: 'POST', body: '{"status":"DILAYANI","nip":"198912112014022002"}' })).status).toBe(200);
    });
  });

  describe('faults and stats', () => {
    it('counts calls per route and refused signatures separately', async () => {
      sim.stats.reset();
      await call('GET', '/ref/puskesmas');
      await call('GET', `/antrean/peserta/${WARGA.siti.nik}`);
      await call('GET', '/ref/puskesmas', undefined, {});
      const stats = (await (await fetch(`${sim.url()}/__sim/stats`)).json()) as { total: number; routes: Record<string, { calls: number }> };
      expect(stats.routes['GET /ref/puskesmas']!.calls).toBe(1);
      expect(stats.routes['GET /antrean/peserta/:nik']!.calls).toBe(1);
      expect(stats.routes['!auth']!.calls).toBe(1);
      expect(stats.total).toBe(3);
    });

    it('adds latency, fails requests and goes down on command', async () => {
      sim.faults.set({ latencyMs: 150 });
      const t0 = performance.now();
      await call('GET', '/ref/puskesmas');
      expect(performance.now() - t0).toBeGreaterThanOrEqual(140);

      sim.faults.set({ latencyMs: 0, errorRate: 1 });
      const failed = await fetch(`${sim.url()}/ref/puskesmas`, { headers: signHeaders(CONS_ID, SECRET, USER_KEY, nowMs) });
      expect(failed.status).toBe(500);

      await fetch(`${sim.url()}/__sim/faults`, { method: 'POST', body: JSON.stringify({ errorRate: 0, down: true }) });
      await expect(call('GET', '/ref/puskesmas')).rejects.toThrow();

      await fetch(`${sim.url()}/__sim/faults`, { method: 'DELETE' });
      expect((await call('GET', '/ref/puskesmas')).status).toBe(200);
    });
  });

  it('keeps checking timestamps against its own clock', async () => {
    const signedNow = signHeaders(CONS_ID, SECRET, USER_KEY, nowMs);
    nowMs += 10 * 60_000;
    try {
      const res = await call('GET', '/ref/puskesmas', undefined, signedNow);
      expect(res.body.metadata.message).toBe('Timestamp kedaluwarsa');
    } finally {
      nowMs -= 10 * 60_000;
    }
  });
});
