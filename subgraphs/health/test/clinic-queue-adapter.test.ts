import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClinicQueueSimulator, signHeaders, WARGA, type ClinicQueueSimulator } from '@gerbang/sim-clinic-queue';
import { ClinicQueueClient, ClinicQueueRefusal, clientRefFor } from '../src/adapters/clinic-queue/clinic-queue-client';
import { signedHeaders } from '../src/adapters/clinic-queue/signer';
import { addDays, jakartaDate } from '../src/modules/dates';

const CREDS = { consId: 'cons-contract-3503', consSecret: 'contract-test-cons-secret-0123', userKey: 'contract-test-user-key' };
const SITI = WARGA.siti.nik;
const day = (n: number) => addDays(jakartaDate(new Date()), n);
const fastOptions = { timeoutMs: 300, retries: 1, retryDelayMs: 10, breaker: { volumeThreshold: 3, resetTimeoutMs: 200 } };

let sim: ClinicQueueSimulator;
let client: ClinicQueueClient;

beforeAll(async () => {
  // Tiny quota at Puskesmas Tugu's dental clinic so "quota full" is reachable.
  sim = createClinicQueueSimulator({ ...CREDS, quotaOverrides: { 'P3503050101/GIGI': 1 } });
  const url = await sim.listen(0);
  client = new ClinicQueueClient({ baseUrl: url, ...CREDS, ...fastOptions });
});
afterAll(async () => {
  client.upstream.shutdown();
  await sim.close();
});
beforeEach(() => {
  sim.faults.reset();
  sim.stats.reset();
});

describe('clinic queue adapter over the wire', () => {
  describe('signed headers', () => {
    it('signs exactly as the published scheme (checked against the simulator at test time only)', () => {
      const t = Date.parse('2026-11-28T03:00:00Z');
      expect(signedHeaders(CREDS, t)).toEqual(signHeaders(CREDS.consId, CREDS.consSecret, CREDS.userKey, t));
      expect(signedHeaders(CREDS, t)['X-timestamp']).toBe(String(t / 1000));
    });

    it('is accepted by the service and maps the reference data', async () => {
      const clinics = await client.clinics(day(1));
      expect(sim.stats.calls('GET /ref/puskesmas')).toBe(1);
      expect(sim.stats.calls('!auth')).toBe(0);
      const trenggalek = clinics.find((c) => c.code === 'P3503110101')!;
      expect(trenggalek).toMatchObject({ name: 'Puskesmas Trenggalek', kecamatan: 'Trenggalek' });
      expect(trenggalek.polyclinics.find((p) => p.code === 'UMUM')).toMatchObject({ name: 'Poli Umum', dailyQuota: 60 });
      expect(trenggalek.polyclinics.every((p) => typeof p.remaining === 'number' && p.remaining <= p.dailyQuota)).toBe(true);
    });

    it('is refused with a wrong secret: UPSTREAM_UNAVAILABLE naming the system, never a citizen error', async () => {
      const wrong = new ClinicQueueClient({ baseUrl: sim.url(), ...CREDS, consSecret: 'not-the-real-secret-at-all', ...fastOptions, retries: 0 });
      try {
        await expect(wrong.bookingsOf(SITI)).rejects.toMatchObject({
          extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'Dinkesdalduk antrean Puskesmas', reason: expect.stringContaining('Signature tidak valid') },
        });
        expect(sim.stats.calls('!auth')).toBe(1);
        expect(sim.stats.calls('GET /antrean/peserta/:nik')).toBe(0);
      } finally {
        wrong.upstream.shutdown();
      }
    });

    it('is refused when our clock is off by more than the allowed window', async () => {
      const skewed = new ClinicQueueClient({ baseUrl: sim.url(), ...CREDS, ...fastOptions, retries: 0, clock: () => Date.now() - 10 * 60_000 });
      try {
        await expect(skewed.clinics(day(0))).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: expect.stringContaining('Timestamp kedaluwarsa') } });
      } finally {
        skewed.upstream.shutdown();
      }
    });

    it('signs every attempt afresh, so a retried call is not refused as a replay', async () => {
      const seen: string[] = [];
      let t = Date.now();
      const ticking = new ClinicQueueClient({ baseUrl: sim.url(), ...CREDS, ...fastOptions, clock: () => ((t += 1_000), seen.push(String(Math.floor(t / 1000))), t) });
      try {
        sim.faults.set({ errorRate: 1 });
        await ticking.clinics(day(0)).catch(() => undefined);
        expect(seen).toHaveLength(2);
        expect(seen[0]).not.toBe(seen[1]);
      } finally {
        ticking.upstream.shutdown();
      }
    });
  });

  describe('reads', () => {
    it("lists a citizen's bookings with the serving officer", async () => {
      const mine = await client.bookingsOf(SITI);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ nik: SITI, status: 'SELESAI', clinicCode: 'P3503110101', officerNip: '198912112014022002', bpjsNumber: WARGA.siti.nomorkartu });
      expect(mine[0]!.completedAt).toBeInstanceOf(Date);
      expect(mine[0]!.estimatedServiceAt).toBeInstanceOf(Date);
    });

    it('answers 50 booking codes with one status call, and splits larger sets into batches of 50', async () => {
      const all = (await client.changes(0, 500)).items.map((b) => b.code);
      expect(all.length).toBeGreaterThan(50);
      sim.stats.reset();
      const fifty = await client.bookings(all.slice(0, 50));
      expect(fifty.size).toBe(50);
      expect(sim.stats.calls()).toBe(1);
      sim.stats.reset();
      const codes = [...all, ...Array.from({ length: 120 - all.length }, (_, i) => `NOPE${i}`)];
      const found = await client.bookings(codes);
      expect(found.size).toBe(all.length);
      expect(sim.stats.calls('POST /antrean/status')).toBe(3);
    });

    it('follows the change feed with its cursor', async () => {
      const first = await client.changes(0, 10);
      expect(first.items).toHaveLength(10);
      expect(first.hasMore).toBe(true);
      expect(first.next).toBe(first.items[9]!.sequence);
      const second = await client.changes(first.next, 10);
      expect(second.items[0]!.sequence).toBeGreaterThan(first.items[9]!.sequence);
    });
  });

  describe('booking', () => {
    const input = { nik: '3503124507920003', bpjsNumber: '0009876543210', clinicCode: 'P3503120101', poliCode: 'KIA', date: day(2), clientRef: 'usr-contract:book-0001' };

    it('takes a queue number idempotently by client reference (header idempotent-replayed)', async () => {
      const a = await client.book(input);
      const b = await client.book(input);
      expect(a.replayed).toBe(false);
      expect(b.replayed).toBe(true);
      expect(b.booking.code).toBe(a.booking.code);
      expect(a.booking).toMatchObject({ status: 'DIBOOKING', poliCode: 'KIA', date: day(2), bpjsNumber: '0009876543210' });
      expect(a.booking.queueNumber).toMatch(/^C-\d{3}$/);
      expect(a.remainingQuota).toBeGreaterThanOrEqual(0);
      expect(sim.store.byNik(input.nik)).toHaveLength(1);
    });

    it('keeps a reference longer than the service allows deterministic instead of truncating it', async () => {
      const long = `usr-warga-with-a-long-subject-0123456789:${'k'.repeat(60)}`;
      expect(clientRefFor(long)).toHaveLength(45);
      expect(clientRefFor(long)).toBe(clientRefFor(long));
      expect(clientRefFor(`${long}x`)).not.toBe(clientRefFor(long));
      const ref = { ...input, nik: '3503114411990005', poliCode: 'UMUM', clientRef: long };
      const a = await client.book(ref);
      const b = await client.book(ref);
      expect(b.booking.code).toBe(a.booking.code);
    });

    it('maps "Kuota penuh" (HTTP 200, metadata.code 201) to QUOTA_FULL without tripping the breaker', async () => {
      const gigi = { nik: '3503051203880001', bpjsNumber: null, clinicCode: 'P3503050101', poliCode: 'GIGI', date: day(5) };
      await client.book({ ...gigi, clientRef: 'quota-1' });
      const err = await client.book({ ...gigi, nik: '3503055304910002', clientRef: 'quota-2' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClinicQueueRefusal);
      expect(err).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'QUOTA_FULL', service: 'Dinkesdalduk antrean Puskesmas' } });
      expect(client.upstream.state).toBe('closed');
    });

    it('maps a second number for the same visit to ALREADY_BOOKED', async () => {
      await expect(client.book({ ...input, clientRef: 'usr-contract:book-0002' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'ALREADY_BOOKED' } });
    });

    it('maps a reference reused for another booking to IDEMPOTENCY_CONFLICT', async () => {
      await expect(client.book({ ...input, poliCode: 'UMUM' })).rejects.toMatchObject({ extensions: { code: 'IDEMPOTENCY_CONFLICT', reason: 'IDEMPOTENCY_CONFLICT' } });
    });

    it('maps input the service rejects (HTTP 400) to BAD_USER_INPUT with its message', async () => {
      await expect(client.book({ ...input, clinicCode: 'P9999999999', clientRef: 'usr-contract:book-0003' })).rejects.toMatchObject({
        message: 'Kode puskesmas tidak ditemukan',
        extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_REQUEST' },
      });
      expect(client.upstream.state).toBe('closed');
    });
  });

  describe('faults', () => {
    it('retries an idempotent read once, then reports UPSTREAM_UNAVAILABLE', async () => {
      sim.faults.set({ errorRate: 1 });
      await expect(client.bookingsOf(SITI)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'Dinkesdalduk antrean Puskesmas' } });
      expect(sim.stats.calls('!fault')).toBe(2);
    });

    it('times out a slow system', async () => {
      sim.faults.set({ latencyMs: 1_000 });
      await expect(client.bookingsOf(SITI)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: expect.stringMatching(/timed out/) } });
    });

    it('opens the circuit when the system is down, then fails fast, then recovers', async () => {
      // A fresh client, so the breaker's rolling window holds only this test's calls.
      client.upstream.shutdown();
      client = new ClinicQueueClient({ baseUrl: sim.url(), ...CREDS, timeoutMs: 300, retries: 0, breaker: { volumeThreshold: 3, resetTimeoutMs: 200 } });
      sim.faults.set({ down: true });
      for (let i = 0; i < 3; i++) await client.bookingsOf(SITI).catch(() => undefined);
      expect(client.upstream.state).toBe('open');
      const attempts = client.upstream.attempts;
      await expect(client.bookingsOf(SITI)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: 'circuit open' } });
      expect(client.upstream.attempts).toBe(attempts);
      sim.faults.reset();
      // Past resetTimeoutMs the breaker lets one probe through: wait for that state, not for a fixed time.
      await vi.waitFor(() => expect(client.upstream.state).toBe('half-open'), { timeout: 5_000, interval: 10 });
      await expect(client.bookingsOf(SITI)).resolves.toHaveLength(1);
      expect(client.upstream.state).toBe('closed');
    });
  });
});
