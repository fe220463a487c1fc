import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, isValidNik, verifierFromSecret, type Caller } from '@gerbang/common';
import { subgraphCaller, DEMO, TEST_INTERNAL_SECRET, FakeLedger } from '@gerbang/testing';
import { createClinicQueueSimulator, PUSKESMAS, type ClinicQueueSimulator } from '@gerbang/sim-clinic-queue';
import { ClinicQueueClient, createHealthServer } from '../src/server';
import { addDays, jakartaDate } from '../src/modules/dates';

/** Calls signed for this subgraph, as the gateway signs them (the audience is its name). */
const callSubgraph = subgraphCaller('health');

const CREDS = { consId: 'cons-subgraph-3503', consSecret: 'subgraph-test-cons-secret-0123', userKey: 'subgraph-test-user-key' };
const SITI = DEMO.siti.nik!;
const day = (n: number) => addDays(jakartaDate(new Date()), n);
const dinkesOfficer: Caller = { sub: 'usr-dokter-anita', roles: ['officer'], name: 'dr. Anita Permatasari', nip: '198912112014022002', agencyId: 'dinkesdalduk' };

let sim: ClinicQueueSimulator;
let app: Awaited<ReturnType<typeof createHealthServer>>;
let url: string;
let close: () => Promise<void>;
const ledger = new FakeLedger();
const published = ledger.published;
/** Siti's many bookings, placed beyond the bookable window so they never clash with the mutation tests. */
const many: string[] = [];

beforeAll(async () => {
  sim = createClinicQueueSimulator({ ...CREDS, quotaOverrides: { 'P3503050101/GIGI': 1 } });
  const simUrl = await sim.listen(0);
  for (let i = 0; i < 55; i++) {
    const p = PUSKESMAS[i % PUSKESMAS.length]!;
    const b = sim.store.insert({
      nik: SITI,
      nomorkartu: '0001234567890',
      kodepuskesmas: p.kode,
      kodepoli: 'UMUM',
      tanggalperiksa: day(10 + Math.floor(i / PUSKESMAS.length)),
      clientRef: null,
      waktudaftar: new Date(),
    });
    many.push(b.kodebooking);
  }
  await ledger.listen();
  app = await createHealthServer({
    registry: new ClinicQueueClient({ baseUrl: simUrl, ...CREDS, timeoutMs: 2_000, retryDelayMs: 10 }),
    logger: createLogger('health', 'silent'),
    verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
    ticketFeed: ledger.feed(),
  });
  ({ url, close } = await app.listen(0));
});
afterAll(async () => {
  await close();
  await sim.close();
  await ledger.close();
});
beforeEach(() => sim.stats.reset());

const BOOK =
  'mutation($i: BookClinicQueueInput!) { bookClinicQueue(input: $i) { id bookingCode queueNumber status clinicCode clinicName poliCode poliName date estimatedServiceAt jkn officer { id } } }';
const ENTITIES =
  'query($r: [_Any!]!) { _entities(representations: $r) { ... on Ticket { id clinicBooking { bookingCode queueNumber status clinicName poliName date estimatedServiceAt officer { id } } } } }';
const reps = (ids: string[]) => ({ r: ids.map((id) => ({ __typename: 'Ticket', id })) });

describe('health subgraph', () => {
  it('lists Puskesmas with polyclinics and remaining quota, to anyone', async () => {
    const { body } = await callSubgraph(url, 'query($d: String) { clinics(date: $d) { code name kecamatan polyclinics { code name dailyQuota date remainingQuota } } }', { variables: { d: day(1) } });
    expect(body.errors).toBeUndefined();
    expect(body.data.clinics).toHaveLength(PUSKESMAS.length);
    const tugu = body.data.clinics.find((c: { code: string }) => c.code === 'P3503050101');
    expect(tugu.polyclinics.find((p: { code: string }) => p.code === 'GIGI')).toMatchObject({ dailyQuota: 1, date: day(1) });
    expect(sim.stats.calls()).toBe(1);
  });

  it('refuses a clinics date outside the bookable window', async () => {
    const { body } = await callSubgraph(url, '{ clinics(date: "2020-01-01") { code } }');
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'date' });
    expect(sim.stats.calls()).toBe(0);
  });

  it("lists the signed-in citizen's bookings, and only to a signed-in citizen", async () => {
    const { body } = await callSubgraph(url, '{ myClinicBookings { bookingCode status clinicName officer { id } completedAt } }', { caller: DEMO.budi });
    expect(body.errors).toBeUndefined();
    expect(body.data.myClinicBookings.map((b: { status: string }) => b.status).sort()).toEqual(['BOOKED', 'COMPLETED']);
    expect(body.data.myClinicBookings.find((b: { status: string }) => b.status === 'COMPLETED').officer).toEqual({ id: '199305192020121006' });
    const anon = await callSubgraph(url, '{ myClinicBookings { bookingCode } }');
    expect(anon.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('resolves the live view of 50 tickets with one queue-system call', async () => {
    const ids = [...many.slice(0, 50).map((c) => `dinkesdalduk:${c}`), 'dpmptsp:PRM-2026-00001', 'dispendukcapil:SIAK-2026-000101'];
    const { body } = await callSubgraph(url, ENTITIES, { variables: reps(ids), caller: DEMO.siti });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toHaveLength(52);
    expect(body.data._entities[0].clinicBooking).toMatchObject({ bookingCode: many[0], status: 'BOOKED', poliName: 'Poli Umum' });
    expect(body.data._entities[0].clinicBooking.queueNumber).toMatch(/^A-\d{3}$/);
    expect(body.data._entities[0].clinicBooking.estimatedServiceAt).toMatch(/\+07:00$/);
    expect(body.data._entities[50].clinicBooking).toBeNull();
    expect(body.data._entities[51].clinicBooking).toBeNull();
    expect(sim.stats.calls()).toBe(1);
    expect(sim.stats.snapshot().routes['POST /antrean/status']).toEqual({ calls: 1, items: 50 });
  });

  it("does not show one citizen another's ticket, but shows it to a Dinkesdalduk officer", async () => {
    const { body } = await callSubgraph(url, ENTITIES, { variables: reps([`dinkesdalduk:${many[0]}`]), caller: DEMO.budi });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(body.data._entities[0].clinicBooking).toBeNull();
    const officer = await callSubgraph(url, ENTITIES, { variables: reps([`dinkesdalduk:${many[0]}`]), caller: dinkesOfficer });
    expect(officer.body.data._entities[0].clinicBooking.bookingCode).toBe(many[0]);
    const other = await callSubgraph(url, ENTITIES, { variables: reps([`dinkesdalduk:${many[0]}`]), caller: DEMO.petugasDukcapil });
    expect(other.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('books a queue idempotently and publishes the ticket to the ledger', async () => {
    const input = { clinicCode: 'P3503110101', poliCode: 'umum', date: day(1), bpjsNumber: '0001234567890', idempotencyKey: 'mobile-5c1e7a90' };
    const a = await callSubgraph(url, BOOK, { variables: { i: input }, caller: DEMO.siti });
    const b = await callSubgraph(url, BOOK, { variables: { i: input }, caller: DEMO.siti });
    expect(a.body.errors).toBeUndefined();
    expect(a.body.data.bookClinicQueue).toMatchObject({ status: 'BOOKED', clinicName: 'Puskesmas Trenggalek', poliCode: 'UMUM', date: day(1), jkn: true, officer: null });
    expect(b.body.data.bookClinicQueue.id).toBe(a.body.data.bookClinicQueue.id);
    expect(a.body.data.bookClinicQueue.id).toBe(`dinkesdalduk:${a.body.data.bookClinicQueue.bookingCode}`);
    expect(sim.store.byNik(SITI).filter((x) => x.tanggalperiksa === day(1))).toHaveLength(1);

    await app.sync!.syncNow();
    const events = published.flatMap((p) => p.events);
    expect(published.every((p) => p.agencyId === 'dinkesdalduk')).toBe(true);
    expect(events.find((e) => e.ticketId === a.body.data.bookClinicQueue.id)).toMatchObject({
      citizenNik: SITI,
      serviceId: 'dinkesdalduk.antrean-puskesmas',
      status: 'SUBMITTED',
      officerId: null,
      completedAt: null,
    });
    // Siti's seeded visit: completed, served by dr. Anita, so it is rateable through the ledger.
    const done = sim.store.byNik(SITI).find((x) => x.status === 'SELESAI')!;
    expect(events.find((e) => e.ticketId === `dinkesdalduk:${done.kodebooking}`)).toMatchObject({
      status: 'COMPLETED',
      officerId: '198912112014022002',
      completedAt: done.waktuselesai!.toISOString(),
    });
    expect(events.every((e) => isValidNik(e.citizenNik, { anyRegion: true }))).toBe(true);
  });

  it('moves a ticket along as the Puskesmas serves it (version from the feed sequence)', async () => {
    const [code] = many;
    await app.sync!.syncNow();
    const before = published
      .flatMap((p) => p.events)
      .filter((e) => e.ticketId === `dinkesdalduk:${code}`)
      .at(-1)!;
    sim.store.setStatus(code!, 'DILAYANI', { nip: '198912112014022002' });
    await app.sync!.syncNow();
    const after = published
      .flatMap((p) => p.events)
      .filter((e) => e.ticketId === `dinkesdalduk:${code}`)
      .at(-1)!;
    expect(after).toMatchObject({ status: 'IN_PROGRESS', officerId: '198912112014022002' });
    expect(after.version).toBeGreaterThan(before.version);
  });

  it('answers a full quota with BAD_USER_INPUT and reason QUOTA_FULL', async () => {
    const input = { clinicCode: 'P3503050101', poliCode: 'GIGI', date: day(5) };
    const first = await callSubgraph(url, BOOK, { variables: { i: { ...input, idempotencyKey: 'budi-gigi-0001' } }, caller: DEMO.budi });
    expect(first.body.data.bookClinicQueue.jkn).toBe(false);
    const { body } = await callSubgraph(url, BOOK, { variables: { i: { ...input, idempotencyKey: 'siti-gigi-0001' } }, caller: DEMO.siti });
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUOTA_FULL' });
    expect(body.errors?.[0]?.message).toMatch(/quota is full/);
  });

  it('refuses a second number for the same visit, and a key reused for another booking', async () => {
    const input = { clinicCode: 'P3503110101', poliCode: 'UMUM', date: day(1) };
    const again = await callSubgraph(url, BOOK, { variables: { i: { ...input, idempotencyKey: 'mobile-other-key-01' } }, caller: DEMO.siti });
    expect(again.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ALREADY_BOOKED' });
    const reused = await callSubgraph(url, BOOK, { variables: { i: { ...input, poliCode: 'KIA', idempotencyKey: 'mobile-5c1e7a90' } }, caller: DEMO.siti });
    expect(reused.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('refuses bad input with BAD_USER_INPUT before calling the queue system', async () => {
    const ok = { clinicCode: 'P3503110101', poliCode: 'UMUM', date: day(1), idempotencyKey: 'mobile-bad-input-1' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...ok, date: day(8) }, 'date'],
      [{ ...ok, date: day(-1) }, 'date'],
      [{ ...ok, date: '2026-02-30' }, 'date'],
      [{ ...ok, bpjsNumber: '12345' }, 'bpjsNumber'],
      [{ ...ok, clinicCode: 'Trenggalek' }, 'clinicCode'],
      [{ ...ok, poliCode: 'U' }, 'poliCode'],
      [{ ...ok, idempotencyKey: 'x' }, 'idempotencyKey'],
    ];
    for (const [input, field] of cases) {
      const { body } = await callSubgraph(url, BOOK, { variables: { i: input }, caller: DEMO.siti });
      expect(body.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(sim.stats.calls()).toBe(0);
    const officer = await callSubgraph(url, BOOK, { variables: { i: ok }, caller: dinkesOfficer });
    expect(officer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers UPSTREAM_UNAVAILABLE when the queue system is down, leaving other tickets alone', async () => {
    sim.faults.set({ down: true });
    try {
      const { body } = await callSubgraph(url, ENTITIES, { variables: reps([`dinkesdalduk:${many[1]}`, 'dispendukcapil:SIAK-2026-000101']), caller: DEMO.siti });
      expect(body.data._entities).toEqual([
        { id: `dinkesdalduk:${many[1]}`, clinicBooking: null },
        { id: 'dispendukcapil:SIAK-2026-000101', clinicBooking: null },
      ]);
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'Dinkesdalduk antrean Puskesmas' });
      const clinics = await callSubgraph(url, '{ clinics { code } }');
      expect(clinics.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(clinics.body.data).toEqual({ clinics: null });
      const mine = await callSubgraph(url, '{ myClinicBookings { bookingCode } }', { caller: DEMO.siti });
      expect(mine.body.data).toEqual({ myClinicBookings: null });
      expect(mine.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'Dinkesdalduk antrean Puskesmas' });
    } finally {
      sim.faults.reset();
    }
  });
});
