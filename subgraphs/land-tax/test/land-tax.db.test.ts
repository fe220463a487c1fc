import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GraphQLObjectType } from 'graphql';
import { createLogger, PostgresAccessLog, verifierFromSecret, type Caller } from '@gerbang/common';
import { subgraphCaller, DEMO, TEST_INTERNAL_SECRET, FakeLedger, testDatabaseUrl, uniqueSchema } from '@gerbang/testing';
import { DEMO as SISMIOP_DEMO, OFFICERS, formatNop, recordPermohonan, setPermohonanStatus } from '@gerbang/sim-sismiop';
import { createLandTaxServer, SismiopClient } from '../src/server';
import { latePenalty } from '../src/modules/bills';
import { sismiopFixture, type SismiopFixture } from './fixture';

/** Calls signed for this subgraph, as the gateway signs them (the audience is its name). */
const callSubgraph = subgraphCaller('land-tax');

const NOW = new Date('2026-11-28T03:00:00Z'); // Saturday 10:00 WIB
const SITI = DEMO.siti.nik!;
const RUMAH = formatNop(SISMIOP_DEMO.siti.rumah); // 35.03.110.005.001-0012.0
const SAWAH = formatNop(SISMIOP_DEMO.siti.sawah);
const PETUGAS_BPKPD: Caller = { sub: 'usr-petugas-bpkpd', roles: ['officer'], name: 'Lilis Suryani', nip: OFFICERS.lilis, agencyId: 'bpkpd' };

let fx: SismiopFixture;
let registry: SismiopClient;
let app: Awaited<ReturnType<typeof createLandTaxServer>>;
let url: string;
let close: () => Promise<void>;
let accessLog: PostgresAccessLog;
const auditSchema = uniqueSchema('audit');
const filed: string[] = [];
const ledger = new FakeLedger();
const published = ledger.published;
const queries = () => fx.proxy.stats.calls('query');
const entities = (ids: string[], caller: Caller) =>
  callSubgraph(url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Ticket { id taxServiceRequest { id number type status nop taxYear receivedAt completedAt officer { id } } } } }', {
    variables: { r: ids.map((id) => ({ __typename: 'Ticket', id })) },
    caller,
  });

beforeAll(async () => {
  fx = await sismiopFixture({ now: NOW });
  const kinds = ['MUTASI', 'KEBERATAN', 'SALINAN'] as const;
  for (let i = 0; i < 55; i++) {
    const { noPelayanan } = await recordPermohonan(
      fx.admin,
      { jenis: kinds[i % 3]!, nop: i % 2 ? RUMAH : SAWAH, nik: SITI, nama: 'Siti Rahayu', at: new Date(NOW.getTime() - (100 - i) * 3600_000) },
      { schema: fx.schema },
    );
    filed.push(noPelayanan);
  }
  await ledger.listen();
  registry = new SismiopClient({ connectionString: fx.readerUrl, schema: fx.schema, timeoutMs: 1_000, retryDelayMs: 10 });
  accessLog = await PostgresAccessLog.open({ url: testDatabaseUrl(), schema: auditSchema, logger: createLogger('audit', 'silent') });
  app = await createLandTaxServer({
    registry,
    // Silent: what the access log holds must not depend on the log level.
    logger: createLogger('land-tax', 'silent'),
    verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
    accessLog,
    ticketFeed: ledger.feed(),
    now: () => NOW,
  });
  ({ url, close } = await app.listen(0));
});
/* eslint-disable @typescript-eslint/no-unnecessary-condition -- undefined at run time when beforeAll failed before assigning it; a `let` cannot say so */
afterAll(async () => {
  await close?.();
  await accessLog?.close();
  await fx?.admin.query(`drop schema if exists "${auditSchema}" cascade`);
  await registry?.close();
  await fx?.close();
  await ledger.close();
});
/* eslint-enable @typescript-eslint/no-unnecessary-condition */
beforeEach(() => {
  fx.proxy.faults.reset();
  fx.proxy.stats.reset();
});

describe('land-tax subgraph', () => {
  it("shows the citizen's tax objects and chosen years' bills in two statements", async () => {
    const { body } = await callSubgraph(
      url,
      '{ myTaxObjects { nop address village kecamatan landArea buildingArea bills(years: [2026, 2025, 2026]) { nop year taxpayerName amount dueDate paid paidAt penalty payments { sequence paidOn amount penalty place } } } }',
      { caller: DEMO.siti },
    );
    expect(body.errors).toBeUndefined();
    expect(queries()).toBe(2);
    const [rumah, sawah] = body.data.myTaxObjects;
    expect(rumah).toMatchObject({ nop: RUMAH, address: 'JL. PANGLIMA SUDIRMAN, NO. 21, RT 002 RW 04', village: 'Ngantru', kecamatan: 'Trenggalek', landArea: 180, buildingArea: 96 });
    expect(rumah.bills.map((b: { year: number }) => b.year)).toEqual([2026, 2025]);
    expect(rumah.bills[0]).toMatchObject({ nop: RUMAH, taxpayerName: 'SITI RAHAYU', dueDate: '2026-08-31', paid: true, penalty: 0, payments: [{ sequence: 1, paidOn: '2026-06-12', penalty: 0 }] });
    expect(rumah.bills[0].paidAt).toMatch(/^2026-06-12T\d{2}:\d{2}:00\+07:00$/);
    expect(rumah.bills[0].payments[0].amount).toBe(rumah.bills[0].amount);
    // This year's sawah bill is unpaid, three started months past its due date: 1% a month.
    const unpaid = sawah.bills[0];
    expect(unpaid).toMatchObject({ nop: SAWAH, year: 2026, paid: false, paidAt: null, payments: [] });
    expect(unpaid.penalty).toBe(latePenalty(unpaid.amount, 2026, '2026-08-31', '2026-11-28'));
    expect(unpaid.penalty).toBe(Math.round(unpaid.amount * 0.03));
  });

  it('shows every year SISMIOP holds when no years are asked for, newest first', async () => {
    const { body } = await callSubgraph(url, '{ myTaxObjects { nop bills { year paid } } }', { caller: DEMO.budi });
    expect(body.errors).toBeUndefined();
    expect(body.data.myTaxObjects).toHaveLength(1);
    expect(body.data.myTaxObjects[0].bills.map((b: { year: number }) => b.year)).toEqual([2026, 2025, 2024, 2023]);
    expect(queries()).toBe(2);
  });

  it('refuses tax objects to callers who are not citizens, and bad years', async () => {
    expect((await callSubgraph(url, '{ myTaxObjects { nop } }')).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await callSubgraph(url, '{ myTaxObjects { nop } }', { caller: DEMO.analyst })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await callSubgraph(url, '{ myTaxObjects { bills(years: [1800]) { year } } }', { caller: DEMO.siti });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'years' });
  });

  it("is ready on the access log's database (it records staff's reads of taxpayers' names there), not on SISMIOP", async () => {
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, unknown> }).checks).toMatchObject({ accessLog: { status: 'up' } });
  });

  describe('taxBill (public look-up by NOP)', () => {
    const q = 'query($nop: String!, $year: Int!) { taxBill(nop: $nop, year: $year) { nop year taxpayerName amount paid payments { amount } } }';

    it("masks the taxpayer's name for anyone but the taxpayer", async () => {
      const budi = await callSubgraph(url, q, { variables: { nop: RUMAH, year: 2026 }, caller: DEMO.budi });
      expect(budi.body.data.taxBill).toMatchObject({ nop: RUMAH, year: 2026, taxpayerName: 'S*** R*****', paid: true });
      expect(queries()).toBe(1);
      const siti = await callSubgraph(url, q, { variables: { nop: '350311000500100120', year: 2026 }, caller: DEMO.siti });
      expect(siti.body.data.taxBill).toMatchObject({ nop: RUMAH, taxpayerName: 'SITI RAHAYU' });
      const officer = await callSubgraph(url, q, { variables: { nop: RUMAH, year: 2026 }, caller: PETUGAS_BPKPD });
      expect(officer.body.data.taxBill.taxpayerName).toBe('SITI RAHAYU');
    });

    it('says in the schema who reads the name in full, and does what it says', async () => {
      const name = (app.schema.getType('TaxBill') as GraphQLObjectType).getFields().taxpayerName!.description!;
      const bill = app.schema.getQueryType()!.getFields().taxBill!.description!;
      expect(name).toMatch(/In full for the object's own taxpayer, for BPKPD officers .* and for administrators/);
      expect(name).toMatch(/recorded in the access log/);
      expect(bill).toMatch(/masked unless it is your object or you are a BPKPD officer or an administrator/);
      const seen = async (caller: Caller) => (await callSubgraph(url, q, { variables: { nop: RUMAH, year: 2026 }, caller })).body.data.taxBill.taxpayerName;
      expect(await seen(DEMO.siti)).toBe('SITI RAHAYU');
      expect(await seen(PETUGAS_BPKPD)).toBe('SITI RAHAYU');
      expect(await seen(DEMO.admin)).toBe('SITI RAHAYU');
      // Officers of other agencies and other citizens: masked.
      expect(await seen(DEMO.petugasDukcapil)).toBe('S*** R*****');
      expect(await seen({ ...PETUGAS_BPKPD, agencyId: 'dpmptsp' })).toBe('S*** R*****');
      expect(await seen(DEMO.budi)).toBe('S*** R*****');
    });

    it("records a BPKPD officer's or an administrator's read of a taxpayer's name in the access log, at log level silent", async () => {
      const before = (await accessLog.query({ limit: 500 })).entries.length;
      await callSubgraph(url, q, { variables: { nop: RUMAH, year: 2026 }, caller: PETUGAS_BPKPD });
      await callSubgraph(url, '{ myTaxObjects { bills { taxpayerName } } }', { caller: DEMO.siti });
      await callSubgraph(url, q, { variables: { nop: RUMAH, year: 2026 }, caller: DEMO.budi });
      // A bill read without the name is no read of the name.
      await callSubgraph(url, '{ taxBill(nop: "35.03.110.005.001-0012.0", year: 2026) { amount } }', { caller: PETUGAS_BPKPD });
      await callSubgraph(url, '{ taxBill(nop: "35.03.110.005.001-0012.0", year: 2025) { taxpayerName } }', { caller: DEMO.admin });
      // Written before the answer left: nothing to wait for.
      const { entries } = await accessLog.query({ limit: 500 });
      expect(entries.length - before).toBe(2);
      const [admin, officer] = entries;
      expect(officer).toMatchObject({
        source: 'land-tax',
        subject: 'usr-petugas-bpkpd',
        roles: ['officer'],
        fields: ['TaxBill.taxpayerName'],
        records: 1,
        purpose: 'officer of bpkpd',
        recordRefs: ['nop:350311000500100120'],
      });
      expect(officer!.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(admin).toMatchObject({ source: 'land-tax', subject: 'usr-admin', purpose: 'admin', recordRefs: ['nop:350311000500100120'] });
      expect((await accessLog.query({ record: 'nop:350311000500100120', limit: 2 })).entries.map((e) => e.subject)).toEqual(['usr-admin', 'usr-petugas-bpkpd']);
    });

    it('answers a year SISMIOP has no bill for with null and NOT_FOUND, like every look-up by key', async () => {
      const { body } = await callSubgraph(url, q, { variables: { nop: RUMAH, year: 2010 }, caller: DEMO.siti });
      expect(body.data.taxBill).toBeNull();
      expect(body.errors).toEqual([expect.objectContaining({ message: 'PBB bill for this NOP and year not found.', path: ['taxBill'], extensions: { code: 'NOT_FOUND' } })]);
    });

    it('refuses an invalid NOP with a plain message, without asking SISMIOP', async () => {
      for (const nop of ['35.03.110.005.001-0012', '350411000500100120', '350301100500100120']) {
        const { body } = await callSubgraph(url, q, { variables: { nop, year: 2026 }, caller: DEMO.siti });
        expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'nop' });
        expect(body.errors?.[0]?.message).toMatch(/^Invalid NOP: /);
      }
      expect(queries()).toBe(0);
    });
  });

  describe('tickets', () => {
    it('resolves the live view of 50 tickets with one SISMIOP statement', async () => {
      const ids = filed.slice(0, 50).map((n) => `bpkpd:${n}`);
      const { body } = await entities([...ids, 'dispendukcapil:SIAK-2026-000101', 'bpkpd:2026.9999.999'], DEMO.siti);
      expect(body.errors).toBeUndefined();
      expect(queries()).toBe(1);
      const views = body.data._entities;
      expect(views).toHaveLength(52);
      expect(views[0].taxServiceRequest).toMatchObject({ id: ids[0], number: filed[0], type: 'MUTASI', status: 'RECEIVED', nop: SAWAH, taxYear: 2026, completedAt: null, officer: null });
      expect(views[0].taxServiceRequest.receivedAt).toBe('2026-11-24T06:00:00+07:00');
      expect(views[1].taxServiceRequest).toMatchObject({ type: 'KEBERATAN', nop: RUMAH });
      expect(views[50].taxServiceRequest).toBeNull();
      expect(views[51].taxServiceRequest).toBeNull();
    });

    it('passes the request id on to SISMIOP in the batched statement', async () => {
      const { body } = await entities(
        filed.slice(0, 3).map((n) => `bpkpd:${n}`),
        DEMO.siti,
      );
      expect(body.errors).toBeUndefined();
      expect(queries()).toBe(1);
      expect(fx.proxy.stats.requestIds).toHaveLength(1);
      expect(fx.proxy.stats.requestIds[0]).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("does not show one citizen another's ticket; BPKPD officers may see it", async () => {
      const budi = await entities([`bpkpd:${filed[0]}`], DEMO.budi);
      expect(budi.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(budi.body.data._entities[0].taxServiceRequest).toBeNull();
      const dukcapil = await entities([`bpkpd:${filed[0]}`], DEMO.petugasDukcapil);
      expect(dukcapil.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const officer = await entities([`bpkpd:${filed[0]}`], PETUGAS_BPKPD);
      expect(officer.body.errors).toBeUndefined();
      expect(officer.body.data._entities[0].taxServiceRequest.number).toBe(filed[0]);
    });

    it('publishes the change feed to the ledger, and a status change as a newer version', async () => {
      published.length = 0;
      await app.sync!.syncNow();
      const events = published.flatMap((p) => p.events);
      expect(published.every((p) => p.agencyId === 'bpkpd')).toBe(true);
      // The seed's SALINAN of warga.siti: completed by Lilis Suryani, hence rateable.
      const seeded = events.find((e) => e.citizenNik === SITI && e.serviceId === 'bpkpd.salinan-sppt' && e.status === 'COMPLETED');
      expect(seeded).toMatchObject({ officerId: OFFICERS.lilis });
      expect(seeded!.completedAt).toBeTruthy();
      expect(events.filter((e) => filed.includes(e.ticketId.slice('bpkpd:'.length)))).toHaveLength(55);
      expect(events.every((e) => ['bpkpd.mutasi-nama-pbb', 'bpkpd.keberatan-pbb', 'bpkpd.salinan-sppt', 'bpkpd.pendaftaran-op-baru', 'bpkpd.pengurangan-pbb'].includes(e.serviceId))).toBe(true);
      const before = events.find((e) => e.ticketId === `bpkpd:${filed[2]}`)!;
      expect(before).toMatchObject({ serviceId: 'bpkpd.salinan-sppt', status: 'SUBMITTED', officerId: null, completedAt: null });

      published.length = 0;
      await setPermohonanStatus(fx.admin, filed[2]!, 'SELESAI', { nip: OFFICERS.lilis, at: new Date(NOW.getTime() - 3600_000), schema: fx.schema });
      await app.sync!.syncNow();
      const after = published.flatMap((p) => p.events);
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({ ticketId: `bpkpd:${filed[2]}`, status: 'COMPLETED', officerId: OFFICERS.lilis, completedAt: '2026-11-28T02:00:00.000Z' });
      expect(after[0]!.version).toBeGreaterThan(before.version);
    });
  });

  it('answers null with UPSTREAM_UNAVAILABLE when SISMIOP is down, and other agencies’ tickets still resolve', async () => {
    fx.proxy.faults.set({ down: true });
    try {
      const objects = await callSubgraph(url, '{ myTaxObjects { nop } }', { caller: DEMO.siti });
      expect(objects.body.data.myTaxObjects).toBeNull();
      expect(objects.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'BPKPD SISMIOP' });
      const tickets = await entities([`bpkpd:${filed[0]}`, 'dispendukcapil:SIAK-2026-000101'], DEMO.siti);
      expect(tickets.body.data._entities).toEqual([
        { id: `bpkpd:${filed[0]}`, taxServiceRequest: null },
        { id: 'dispendukcapil:SIAK-2026-000101', taxServiceRequest: null },
      ]);
      expect(tickets.body.errors).toHaveLength(1);
      expect(tickets.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      fx.proxy.faults.reset();
    }
  });
});
