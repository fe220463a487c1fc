import { describe, expect, it } from 'vitest';
import { createClinicQueueSimulator, signHeaders, WARGA } from '@gerbang/sim-clinic-queue';
import { adapterHarness, FAST_UPSTREAM, invalidReplyScenarios, upstreamFaultScenarios, upstreamInvalid, useReplyServer } from '@gerbang/testing/adapters';
import { ClinicQueueClient, ClinicQueueRefusal, clientRefFor } from '../src/adapters/clinic-queue/clinic-queue-client';
import { signedHeaders } from '../src/adapters/clinic-queue/signer';
import { addDays, jakartaDate } from '../src/modules/dates';

const CREDS = { consId: 'cons-contract-3503', consSecret: 'contract-test-cons-secret-0123', userKey: 'contract-test-user-key' };
const SERVICE = 'Dinkesdalduk antrean Puskesmas';
const SITI = WARGA.siti.nik;
const day = (n: number) => addDays(jakartaDate(new Date()), n);

const harness = adapterHarness({
  // Tiny quota at Puskesmas Tugu's dental clinic so "quota full" is reachable.
  start: () => createClinicQueueSimulator({ ...CREDS, quotaOverrides: { 'P3503050101/GIGI': 1 } }),
  connect: (baseUrl, overrides: Partial<ConstructorParameters<typeof ClinicQueueClient>[0]>) => new ClinicQueueClient({ baseUrl, ...CREDS, ...FAST_UPSTREAM, ...overrides }),
});
const replies = useReplyServer();
/** The service's envelope around `response`. */
const ok = (response: unknown) => ({ body: { metadata: { code: 200, message: 'Ok' }, response } });

describe('clinic queue adapter over the wire', () => {
  describe('signed headers', () => {
    it('signs exactly as the published scheme (checked against the simulator at test time only)', () => {
      const t = Date.parse('2026-11-28T03:00:00Z');
      expect(signedHeaders(CREDS, t)).toEqual(signHeaders(CREDS.consId, CREDS.consSecret, CREDS.userKey, t));
      expect(signedHeaders(CREDS, t)['X-timestamp']).toBe(String(t / 1000));
    });

    it('is accepted by the service and maps the reference data', async () => {
      const clinics = await harness.client.clinics(day(1));
      expect(harness.sim.stats.calls('GET /ref/puskesmas')).toBe(1);
      expect(harness.sim.stats.calls('!auth')).toBe(0);
      const trenggalek = clinics.find((c) => c.code === 'P3503110101')!;
      expect(trenggalek).toMatchObject({ name: 'Puskesmas Trenggalek', kecamatan: 'Trenggalek' });
      expect(trenggalek.polyclinics.find((p) => p.code === 'UMUM')).toMatchObject({ name: 'Poli Umum', dailyQuota: 60 });
      expect(trenggalek.polyclinics.every((p) => typeof p.remaining === 'number' && p.remaining <= p.dailyQuota)).toBe(true);
    });

    it('is refused with a wrong secret: UPSTREAM_UNAVAILABLE naming the system, never a citizen error', async () => {
      const wrong = harness.clientWith({ consSecret: 'not-the-real-secret-at-all', retries: 0 });
      await expect(wrong.bookingsOf(SITI)).rejects.toMatchObject({
        extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'Dinkesdalduk antrean Puskesmas', reason: expect.stringContaining('Signature tidak valid') },
      });
      expect(harness.sim.stats.calls('!auth')).toBe(1);
      expect(harness.sim.stats.calls('GET /antrean/peserta/:nik')).toBe(0);
    });

    it('is refused when our clock is off by more than the allowed window', async () => {
      const skewed = harness.clientWith({ retries: 0, clock: () => Date.now() - 10 * 60_000 });
      await expect(skewed.clinics(day(0))).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: expect.stringContaining('Timestamp kedaluwarsa') } });
    });

    it('signs every attempt afresh, so a retried call is not refused as a replay', async () => {
      const seen: string[] = [];
      let t = Date.now();
      const ticking = harness.clientWith({ clock: () => ((t += 1_000), seen.push(String(Math.floor(t / 1000))), t) });
      harness.sim.faults.set({ errorRate: 1 });
      await ticking.clinics(day(0)).catch(() => undefined);
      expect(seen).toHaveLength(2);
      expect(seen[0]).not.toBe(seen[1]);
    });
  });

  describe('reads', () => {
    it("lists a citizen's bookings with the serving officer", async () => {
      const mine = await harness.client.bookingsOf(SITI);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ nik: SITI, status: 'SELESAI', clinicCode: 'P3503110101', officerNip: '198912112014022002', bpjsNumber: WARGA.siti.nomorkartu });
      expect(mine[0]!.completedAt).toBeInstanceOf(Date);
      expect(mine[0]!.estimatedServiceAt).toBeInstanceOf(Date);
    });

    it('answers 50 booking codes with one status call, and splits larger sets into batches of 50', async () => {
      const all = (await harness.client.changes(0, 500)).items.map((b) => b.code);
      expect(all.length).toBeGreaterThan(50);
      harness.sim.stats.reset();
      const fifty = await harness.client.bookings(all.slice(0, 50));
      expect(fifty.size).toBe(50);
      expect(harness.sim.stats.calls()).toBe(1);
      harness.sim.stats.reset();
      const codes = [...all, ...Array.from({ length: 120 - all.length }, (_, i) => `NOPE${i}`)];
      const found = await harness.client.bookings(codes);
      expect(found.size).toBe(all.length);
      expect(harness.sim.stats.calls('POST /antrean/status')).toBe(3);
    });

    it('follows the change feed with its cursor', async () => {
      const first = await harness.client.changes(0, 10);
      expect(first.items).toHaveLength(10);
      expect(first.hasMore).toBe(true);
      expect(first.next).toBe(first.items[9]!.sequence);
      const second = await harness.client.changes(first.next, 10);
      expect(second.items[0]!.sequence).toBeGreaterThan(first.items[9]!.sequence);
    });
  });

  describe('booking', () => {
    const input = { nik: '3503124507920003', bpjsNumber: '0009876543210', clinicCode: 'P3503120101', poliCode: 'KIA', date: day(2), clientRef: 'usr-contract:book-0001' };

    it('takes a queue number idempotently by client reference (header idempotent-replayed)', async () => {
      const a = await harness.client.book(input);
      const b = await harness.client.book(input);
      expect(a.replayed).toBe(false);
      expect(b.replayed).toBe(true);
      expect(b.booking.code).toBe(a.booking.code);
      expect(a.booking).toMatchObject({ status: 'DIBOOKING', poliCode: 'KIA', date: day(2), bpjsNumber: '0009876543210' });
      expect(a.booking.queueNumber).toMatch(/^C-\d{3}$/);
      expect(a.remainingQuota).toBeGreaterThanOrEqual(0);
      expect(harness.sim.store.byNik(input.nik)).toHaveLength(1);
    });

    it('keeps a reference longer than the service allows deterministic instead of truncating it', async () => {
      const long = `usr-warga-with-a-long-subject-0123456789:${'k'.repeat(60)}`;
      expect(clientRefFor(long)).toHaveLength(45);
      expect(clientRefFor(long)).toBe(clientRefFor(long));
      expect(clientRefFor(`${long}x`)).not.toBe(clientRefFor(long));
      const ref = { ...input, nik: '3503114411990005', poliCode: 'UMUM', clientRef: long };
      const a = await harness.client.book(ref);
      const b = await harness.client.book(ref);
      expect(b.booking.code).toBe(a.booking.code);
    });

    it('maps "Kuota penuh" (HTTP 200, metadata.code 201) to QUOTA_FULL without tripping the breaker', async () => {
      const gigi = { nik: '3503051203880001', bpjsNumber: null, clinicCode: 'P3503050101', poliCode: 'GIGI', date: day(5) };
      await harness.client.book({ ...gigi, clientRef: 'quota-1' });
      const err = await harness.client.book({ ...gigi, nik: '3503055304910002', clientRef: 'quota-2' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClinicQueueRefusal);
      expect(err).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'QUOTA_FULL', service: 'Dinkesdalduk antrean Puskesmas' } });
      expect(harness.client.upstream.state).toBe('closed');
    });

    it('maps a second number for the same visit to ALREADY_BOOKED', async () => {
      await expect(harness.client.book({ ...input, clientRef: 'usr-contract:book-0002' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'ALREADY_BOOKED' } });
    });

    it('maps a reference reused for another booking to IDEMPOTENCY_CONFLICT', async () => {
      await expect(harness.client.book({ ...input, poliCode: 'UMUM' })).rejects.toMatchObject({ extensions: { code: 'IDEMPOTENCY_CONFLICT', reason: 'IDEMPOTENCY_CONFLICT' } });
    });

    it('maps input the service rejects (HTTP 400) to BAD_USER_INPUT with its message', async () => {
      await expect(harness.client.book({ ...input, clinicCode: 'P9999999999', clientRef: 'usr-contract:book-0003' })).rejects.toMatchObject({
        message: 'Kode puskesmas tidak ditemukan',
        extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_REQUEST' },
      });
      expect(harness.client.upstream.state).toBe('closed');
    });
  });

  describe('faults', () => {
    upstreamFaultScenarios(harness, { service: SERVICE, read: (client) => client.bookingsOf(SITI) });
  });

  describe('a reply that breaks the interface', () => {
    const booking = {
      kodebooking: 'B-1',
      nomorantrean: 'A-001',
      nik: SITI,
      nomorkartu: null,
      kodepuskesmas: 'P3503110101',
      namapuskesmas: 'Puskesmas Trenggalek',
      kodepoli: 'UMUM',
      namapoli: 'Poli Umum',
      tanggalperiksa: '2026-12-05',
      estimasidilayani: null,
      status: 'DIBOOKING',
      waktudaftar: '2026-12-04T08:00:00+07:00',
      waktudipanggil: null,
      waktudilayani: null,
      waktuselesai: null,
      waktubatal: null,
      nippetugas: null,
      keterangan: null,
      sequence: 1,
    };
    invalidReplyScenarios(harness, replies, {
      service: SERVICE,
      read: (client) => client.bookingsOf(SITI),
      // A status outside the service's list.
      reply: ok({ list: [booking, { ...booking, kodebooking: 'B-2', status: 'HILANG' }] }),
      wirePath: 'response.list[1].status',
    });

    it('names a reply without its metadata envelope, a bad timestamp and a body that is not JSON', async () => {
      const client = harness.connectTo(replies.server.url);
      replies.server.reply({ body: { response: { list: [] } } });
      await expect(client.bookingsOf(SITI)).rejects.toMatchObject(upstreamInvalid(SERVICE, 'metadata'));
      replies.server.reply(ok({ list: [{ ...booking, waktudaftar: 'kemarin' }] }));
      await expect(client.bookings(['B-1'])).rejects.toMatchObject(upstreamInvalid(SERVICE, 'response.list[0].waktudaftar'));
      replies.server.reply({ body: 'Service Unavailable' });
      await expect(client.clinics(day(0))).rejects.toMatchObject(upstreamInvalid(SERVICE, ''));
    });
  });
});
