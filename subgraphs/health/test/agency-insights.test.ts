import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, encodeAgencyQuestion, MemoryAccessLog, verifierFromSecret, type AgencyQuestion, type Caller } from '@gerbang/common';
import { subgraphCaller, DEMO, TEST_INTERNAL_SECRET } from '@gerbang/testing';
import { createClinicQueueSimulator, PUSKESMAS, type ClinicQueueSimulator } from '@gerbang/sim-clinic-queue';
import { ClinicQueueClient, createHealthServer } from '../src/server';

/**
 * The health subgraph's contribution to the analysts' agency questions (CLINIC_BOOKINGS on the
 * `AgencyInsight` entity), over the wire against the Puskesmas queue simulator: representations
 * batched by the gateway cost one recap call per question, never one per representation or cell.
 */
const callSubgraph = subgraphCaller('health');
const CREDS = { consId: 'cons-insights-3503', consSecret: 'insights-test-cons-secret-0123', userKey: 'insights-test-user-key' };
const ANALIS: Caller = { sub: 'usr-analis', roles: ['analyst'] };
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on AgencyInsight { question clinicBookings { rows { month puskesmas puskesmasName kecamatan kecamatanName value suppressed } suppressedCells minimumCellSize } } } }`;

let sim: ClinicQueueSimulator;
let client: ClinicQueueClient;
let url: string;
let close: () => Promise<void>;
const accessLog = new MemoryAccessLog();

const question = (q: Partial<AgencyQuestion> = {}) =>
  encodeAgencyQuestion({ measures: ['CLINIC_BOOKINGS'], dimensions: ['PUSKESMAS', 'MONTH'], from: '2025-01', to: '2025-06', k: { CLINIC_BOOKINGS: 10 }, ...q });
const reps = (...questions: string[]) => questions.map((q) => ({ __typename: 'AgencyInsight', question: q }));

beforeAll(async () => {
  sim = createClinicQueueSimulator({ ...CREDS, seed: false });
  const simUrl = await sim.listen(0);
  // 2025-01…2025-06 at every Puskesmas: 3–20 bookings a month, and one cancelled booking each that must not count.
  for (const [i, p] of PUSKESMAS.entries()) {
    for (let m = 1; m <= 6; m++) {
      const count = ((i * 5 + m * 3) % 18) + 3;
      for (let j = 0; j <= count; j++) {
        const b = sim.store.insert({
          nik: '3503115708900001',
          nomorkartu: null,
          kodepuskesmas: p.kode,
          kodepoli: 'UMUM',
          tanggalperiksa: `2025-0${m}-${String(j + 1).padStart(2, '0')}`,
          clientRef: null,
          waktudaftar: new Date('2025-01-01T00:00:00Z'),
        });
        if (j === count) sim.store.setStatus(b.kodebooking, 'BATAL', {});
      }
    }
  }
  client = new ClinicQueueClient({ baseUrl: simUrl, ...CREDS, timeoutMs: 1_000, retries: 0, retryDelayMs: 10, breaker: { volumeThreshold: 100, resetTimeoutMs: 100 } });
  const app = await createHealthServer({ registry: client, logger: createLogger('health', 'silent'), verifier: verifierFromSecret(TEST_INTERNAL_SECRET), insights: { statistics: client, accessLog } });
  const running = await app.listen(0);
  url = running.url;
  close = () => running.close();
});
afterAll(async () => {
  await close();
  client.upstream.shutdown();
  await sim.close();
});
beforeEach(() => {
  sim.faults.reset();
  sim.stats.reset();
});

describe('health: CLINIC_BOOKINGS for agency questions', () => {
  it('answers 120 cells from one recap call, however many representations name the question', async () => {
    const q = question();
    const { body } = await callSubgraph(url, ENTITIES, { caller: ANALIS, variables: { r: reps(q, q, q, q, q) } });
    expect(body.errors).toBeUndefined();
    expect(sim.stats.calls('GET /antrean/rekap')).toBe(1);
    expect(sim.stats.calls()).toBe(1);
    const answer = body.data._entities[0].clinicBookings;
    expect(answer.rows).toHaveLength(PUSKESMAS.length * 6);
    const trenggalek = answer.rows.find((r: { puskesmas: string; month: string }) => r.puskesmas === 'P3503110101' && r.month === '2025-03');
    expect(trenggalek).toMatchObject({ puskesmasName: 'Puskesmas Trenggalek', kecamatan: null });
    for (const r of answer.rows) {
      const i = PUSKESMAS.findIndex((p) => p.kode === r.puskesmas);
      const expected = ((i * 5 + Number(r.month.slice(5)) * 3) % 18) + 3;
      if (expected < 10) expect(r.suppressed).toBe(true);
      if (!r.suppressed) expect(r.value).toBe(expected);
    }
    expect(answer.rows.filter((r: { suppressed: boolean }) => r.suppressed).length).toBe(answer.suppressedCells);
    expect(answer.suppressedCells).toBeGreaterThan(0);
    expect(answer.rows.filter((r: { suppressed: boolean }) => !r.suppressed).length).toBeGreaterThan(50);
  });

  it('makes one call per distinct question, and answers null for a question that does not name the measure', async () => {
    const other = question({ dimensions: ['KECAMATAN'] });
    const permits = encodeAgencyQuestion({ measures: ['PERMITS_ISSUED'], dimensions: [], from: '2025-01', to: '2025-06', k: { PERMITS_ISSUED: 10 } });
    const { body } = await callSubgraph(url, ENTITIES, { caller: ANALIS, variables: { r: reps(question(), other, question(), other, permits) } });
    expect(body.errors).toBeUndefined();
    expect(sim.stats.calls('GET /antrean/rekap')).toBe(2);
    expect(body.data._entities[4].clinicBookings).toBeNull();
    const byKecamatan = body.data._entities[1].clinicBookings.rows;
    expect(byKecamatan.find((r: { kecamatan: number }) => r.kecamatan === 11)).toMatchObject({ kecamatanName: 'Trenggalek', puskesmas: null, suppressed: false });
  });

  it('records the question and the suppressed cells for the analyst', async () => {
    accessLog.entries.length = 0;
    await callSubgraph(url, ENTITIES, { caller: ANALIS, variables: { r: reps(question({ to: '2025-03' })) } });
    expect(accessLog.entries).toHaveLength(1);
    expect(accessLog.entries[0]).toMatchObject({ source: 'health', subject: 'usr-analis', fields: ['AgencyInsight.clinicBookings'] });
    expect(accessLog.entries[0]!.recordRefs.filter((r) => r.startsWith('suppressed:CLINIC_BOOKINGS@')).length).toBeGreaterThan(0);
  });

  it('refuses a citizen and a forged question without calling the queue system', async () => {
    const citizen = await callSubgraph(url, ENTITIES, { caller: DEMO.siti, variables: { r: reps(question()) } });
    expect(citizen.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const forged = await callSubgraph(url, ENTITIES, {
      caller: ANALIS,
      variables: { r: reps(JSON.stringify({ measures: ['CLINIC_BOOKINGS'], dimensions: [], from: '2025-01', to: '2025-06', k: { CLINIC_BOOKINGS: 1 } })) },
    });
    expect(forged.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(sim.stats.calls()).toBe(0);
  });

  it('turns a failing queue system into UPSTREAM_UNAVAILABLE on the field', async () => {
    sim.faults.set({ errorRate: 1 });
    const { body } = await callSubgraph(url, ENTITIES, { caller: ANALIS, variables: { r: reps(question({ from: '2025-02' })) } });
    expect(body.data._entities[0].clinicBookings).toBeNull();
    expect(body.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'clinicBookings'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
  });

  it('the recap refuses dates that are not dates', async () => {
    const err = await client.bookingCounts('2025-1-01', '2025-06-30').catch((e: unknown) => e);
    expect(err).toMatchObject({ message: expect.stringContaining('YYYY-MM-DD') });
    expect(sim.stats.calls('GET /antrean/rekap')).toBe(1);
  });
});
