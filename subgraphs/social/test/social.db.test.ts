import { copyFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, verifierFromSecret, type Caller, type TicketFeedBatch } from '@gerbang/common';
import { subgraphCaller, DEMO, TEST_INTERNAL_SECRET, testOrm, FakeLedger, ifStarted } from '@gerbang/testing';
import { createDtksDropSimulator, DEMO_HOUSEHOLDS, type DtksDropSimulator } from '@gerbang/sim-dtks-drop';
import { createSocialServer, DtksDropFolder, entities, migrations, seedSocial } from '../src/server';
import { RegisterIngester } from '../src/ingest/ingester';
import { Sql } from '@gerbang/common';

/** Calls signed for this subgraph, as the gateway signs them (the audience is its name). */
const callSubgraph = subgraphCaller('social');

const SITI = DEMO_HOUSEHOLDS.siti.nik;
const BUDI = DEMO_HOUSEHOLDS.budi.nik;
const REVIEWER = '198602142011012005';
const DINSOS_OFFICER: Caller = { sub: 'usr-petugas-dinsos', roles: ['officer'], name: 'Endang Susilowati', nip: REVIEWER, agencyId: 'dinsos' };
const GRACE_MS = 60_000;
const DAY = 86_400_000;

let db: Awaited<ReturnType<typeof testOrm>>;
let root: string;
let dir: string;
let sim: DtksDropSimulator;
let drop: DtksDropFolder;
let app: Awaited<ReturnType<typeof createSocialServer>>;
let url: string;
let close: () => Promise<void>;
/** Moves the subgraph's clock forward (past the manifest grace period). */
let skewMs = 0;
const statements: string[] = [];
const ledger = new FakeLedger();
const published = ledger.published;

const sql = () => new Sql(db.orm.em.fork());
const count = async (table: string, where = 'true', params: unknown[] = []) => {
  const s = sql();
  return (await s.one<{ n: number }>(`select count(*)::int as n from ${s.t(table)} where ${where}`, params))!.n;
};

beforeAll(async () => {
  db = await testOrm({ schemaPrefix: 'social', entities, migrations });
  root = await mkdtemp(join(tmpdir(), 'social-db-'));
  dir = join(root, 'dtks-drop');
  sim = createDtksDropSimulator({ dir, now: () => new Date('2026-11-28T03:00:00Z') });
  drop = new DtksDropFolder({ dir, timeoutMs: 1_000, retries: 0, breaker: { volumeThreshold: 1_000 } });
  await ledger.listen();
  await seedSocial(db.orm.em.fork(), new Date());
  app = await createSocialServer({
    orm: db.orm,
    logger: createLogger('social', 'silent'),
    verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
    drop,
    exchange: { intervalMs: 0, graceMs: GRACE_MS },
    reviewerNip: REVIEWER,
    accessLogKey: 'access-log-key-for-tests-0001',
    ticketFeed: ledger.feed(),
    now: () => new Date(Date.now() + skewMs),
    onQuery: (s) => statements.push(s),
  });
  ({ url, close } = await app.listen(0));
});
afterAll(async () => {
  await ifStarted(close)?.();
  ifStarted(drop)?.upstream.shutdown();
  ifStarted(sim)?.faults.reset();
  await ledger.close();
  await ifStarted(db)?.drop();
  await rm(root, { recursive: true, force: true });
});

describe('register ingestion', () => {
  let firstName: string;

  it('applies a good file atomically and quarantines its bad rows with the reasons', async () => {
    const batch = await sim.writeBatch({ inject: { invalidNik: 1, decileZero: 1, decileEleven: 1, unknownProgram: 1, missingColumns: 1, duplicateNik: 1, aidAboveDecile4: 1 } });
    firstName = batch.name;
    const report = await app.ingester.ingestNow();
    expect(report.status).toBe('OK');
    expect(report.files).toEqual([expect.objectContaining({ name: batch.name, outcome: 'APPLIED', revision: 1, periode: '2026-11' })]);
    const outcome = report.files[0]!;

    const s = sql();
    const [file] = await s.all<{ id: string; status: string; rowsTotal: number; rowsValid: number; rowsApplied: number; rowsQuarantined: number; sha256: string }>(
      `select id, status, sha256, rows_total as "rowsTotal", rows_valid as "rowsValid", rows_applied as "rowsApplied", rows_quarantined as "rowsQuarantined" from ${s.t('ingested_file')}`,
    );
    expect(file).toMatchObject({ status: 'APPLIED', sha256: batch.sha256, rowsTotal: batch.rows });
    expect(file!.rowsValid + file!.rowsQuarantined).toBe(batch.rows);
    // The injected duplicate and the record it duplicates are both held back.
    expect(file!.rowsQuarantined).toBe(batch.injected.length + 1);
    expect(outcome.rowsApplied).toBe(file!.rowsValid);
    expect(await count('aid_eligibility')).toBe(file!.rowsValid);

    const quarantined = await s.all<{ line: number; raw: string; reason: string; kinds: string[] }>(`select line, raw, reason, kinds from ${s.t('quarantined_row')} order by line`);
    const expected: Record<string, string> = {
      invalidNik: 'INVALID_NIK',
      decileZero: 'DECILE_OUT_OF_RANGE',
      decileEleven: 'DECILE_OUT_OF_RANGE',
      unknownProgram: 'UNKNOWN_PROGRAMME',
      missingColumns: 'COLUMN_COUNT',
      duplicateNik: 'DUPLICATE_NIK',
      aidAboveDecile4: 'AID_ABOVE_DECILE_4',
    };
    for (const bad of batch.injected) {
      const q = quarantined.find((r) => r.line === bad.line);
      expect(q, `${bad.kind} at line ${bad.line}`).toBeDefined();
      expect(q!.kinds).toContain(expected[bad.kind]);
      expect(q!.reason).toMatch(new RegExp(expected[bad.kind]!));
      expect(q!.raw).toContain(bad.nik);
    }
    const invalidNik = batch.injected.find((b) => b.kind === 'invalidNik')!;
    expect(await count('aid_eligibility', 'nik = ?', [invalidNik.nik])).toBe(0);
    const siti = await s.one<{ decile: number; programmes: string[]; periode: string }>(`select decile, programmes, periode from ${s.t('aid_eligibility')} where nik = ?`, [SITI]);
    expect(siti).toEqual({ decile: 3, programmes: ['PKH', 'PBI-JK'], periode: '2026-11' });
  });

  it('applies the same file once, however often and by however many ingesters it is seen', async () => {
    const before = await count('aid_eligibility');
    const again = await app.ingester.ingestNow();
    expect(again.files).toEqual([{ name: firstName, outcome: 'SKIPPED' }]);
    // A second replica racing on a new file: the unique (name, sha256) lets exactly one apply it.
    const batch = await sim.writeBatch();
    const other = new RegisterIngester({ orm: db.orm, drop, logger: createLogger('social', 'silent'), graceMs: GRACE_MS });
    const [a, b] = await Promise.all([app.ingester.ingestNow(), other.ingestNow()]);
    const outcomes = [a, b].map((r) => r.files.find((f) => f.name === batch.name)!.outcome).sort();
    expect(outcomes).toEqual(['APPLIED', 'SKIPPED']);
    expect(await count('ingested_file', 'name = ?', [batch.name])).toBe(1);
    expect(await count('aid_eligibility')).toBeGreaterThanOrEqual(before);
  });

  it('never half-applies a file: a failure part way leaves no trace, and the file is taken next time', async () => {
    const s = sql();
    // The database fails on the last statement of the transaction (the eligibility upsert).
    await s.all(`create function ${s.t('fail_once')}() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`);
    await s.all(`create trigger fail_once before insert or update on ${s.t('aid_eligibility')} for each row execute function ${s.t('fail_once')}()`);
    const quarantinedBefore = await count('quarantined_row');
    const batch = await sim.writeBatch({ inject: { decileZero: 2 } });
    try {
      const report = await app.ingester.ingestNow();
      expect(report.files.find((f) => f.name === batch.name)).toMatchObject({ outcome: 'FAILED', reason: expect.stringMatching(/disk full/) });
      expect(await count('ingested_file', 'name = ?', [batch.name])).toBe(0);
      expect(await count('quarantined_row')).toBe(quarantinedBefore);
    } finally {
      await s.all(`drop trigger fail_once on ${s.t('aid_eligibility')}`);
    }
    const retried = await app.ingester.ingestNow();
    expect(retried.files.find((f) => f.name === batch.name)).toMatchObject({ outcome: 'APPLIED', rowsQuarantined: 2 });
    expect(await count('quarantined_row')).toBe(quarantinedBefore + 2);
  });

  it('does not apply a truncated file: it waits, then quarantines the file with the reason', async () => {
    const rowsBefore = await count('aid_eligibility', "periode = '2026-12'");
    const batch = await sim.writeBatch({ truncate: true, periode: '2026-12' });
    const waiting = await app.ingester.ingestNow();
    expect(waiting.files.find((f) => f.name === batch.name)).toMatchObject({ outcome: 'PENDING', problem: 'CHECKSUM_MISMATCH' });
    skewMs = GRACE_MS + 1_000;
    try {
      const late = await app.ingester.ingestNow();
      expect(late.files.find((f) => f.name === batch.name)).toMatchObject({ outcome: 'QUARANTINED', problem: 'CHECKSUM_MISMATCH' });
      expect((await app.ingester.ingestNow()).files.find((f) => f.name === batch.name)).toEqual({ name: batch.name, outcome: 'SKIPPED' });
    } finally {
      skewMs = 0;
    }
    expect(await count('aid_eligibility', "periode = '2026-12'")).toBe(rowsBefore);
    expect(await count('ingested_file', "name = ? and status = 'QUARANTINED' and reason like '%checksum%'", [batch.name])).toBe(1);
    expect(await count('quarantined_row', `file_id = (select id from ${sql().t('ingested_file')} where name = ?)`, [batch.name])).toBe(0);
  });

  it('waits for a missing manifest, quarantines after the grace period, and takes the file once its manifest arrives', async () => {
    const source = await sim.writeBatch({ periode: '2026-12', date: new Date('2026-12-02T03:00:00Z') });
    const name = 'DTSEN_3503_20261202_009.csv';
    await copyFile(source.file, join(dir, name));
    await rm(source.file);
    await rm(source.manifestFile);
    expect((await app.ingester.ingestNow()).files.find((f) => f.name === name)).toMatchObject({ outcome: 'PENDING' });
    skewMs = GRACE_MS + 1_000;
    try {
      expect((await app.ingester.ingestNow()).files.find((f) => f.name === name)).toMatchObject({ outcome: 'QUARANTINED', problem: 'NO_MANIFEST' });
    } finally {
      skewMs = 0;
    }
    expect(await count('aid_eligibility', "periode = '2026-12'")).toBe(0);
    // The producer sends the manifest late (rewriting the same content): now it is vouched for.
    await sim.writeBatch({ name, periode: '2026-12' });
    const taken = await app.ingester.ingestNow();
    expect(taken.files.find((f) => f.name === name)).toMatchObject({ outcome: 'APPLIED', periode: '2026-12', revision: 1 });
    expect(await count('ingested_file', "name = ? and status = 'APPLIED' and reason is null", [name])).toBe(1);
    expect(await count('ingested_file', 'name = ?', [name])).toBe(1);
    expect(await count('aid_eligibility', "periode = '2026-12'")).toBeGreaterThan(500);
  });

  it('takes a rewritten file (same name, new content) as a new revision; an older periode never overrides a newer one', async () => {
    const rewritten = await sim.writeBatch({ name: firstName, revision: 2, periode: '2026-12' });
    const report = await app.ingester.ingestNow();
    expect(report.files.find((f) => f.name === firstName)).toMatchObject({ outcome: 'APPLIED', revision: 2 });
    expect(await count('ingested_file', 'name = ?', [firstName])).toBe(2);
    expect(rewritten.sha256).not.toBe((await sql().one<{ sha256: string }>(`select sha256 from ${sql().t('ingested_file')} where name = ? and revision = 1`, [firstName]))!.sha256);

    const old = await sim.writeBatch({ periode: '2026-10', date: new Date('2026-10-15T03:00:00Z') });
    const late = await app.ingester.ingestNow();
    expect(late.files.find((f) => f.name === old.name)).toMatchObject({ outcome: 'APPLIED', rowsApplied: 0 });
    expect(await count('aid_eligibility', "periode = '2026-10'")).toBe(0);
  });

  it('reports the folder being down without crashing, and carries on when it is back', async () => {
    sim.faults.set({ down: true });
    try {
      const report = await app.ingester.ingestNow();
      expect(report).toMatchObject({ status: 'UPSTREAM_UNAVAILABLE', error: { code: 'UPSTREAM_UNAVAILABLE', service: 'Dinsos DTSEN drop folder' } });
      const run = await app.exchangeNow();
      expect(run.ingest.status).toBe('UPSTREAM_UNAVAILABLE');
      const health = await fetch(`${url}/health`).then((r) => r.json());
      expect(health).toMatchObject({ status: 'ok', dtksDrop: { lastRun: { status: 'UPSTREAM_UNAVAILABLE' } } });
      const { body } = await callSubgraph(url, '{ myAidEligibility { decile } }', { caller: DEMO.siti });
      expect(body.data.myAidEligibility.decile).toBe(3);
    } finally {
      sim.faults.reset();
    }
    expect((await app.ingester.ingestNow()).status).toBe('OK');
  });
});

describe('aid eligibility', () => {
  const MINE = '{ myAidEligibility { householdId decile inAidTarget status programmes { code name } periode updatedAt } }';
  const OTHERS = 'query($nik: String!, $purpose: String!) { aidEligibility(nik: $nik, purpose: $purpose) { decile status programmes { code } householdId } }';

  it('shows a citizen their own eligibility, from their NIK, with the household id masked', async () => {
    const { body } = await callSubgraph(url, MINE, { caller: DEMO.siti });
    expect(body.errors).toBeUndefined();
    expect(body.data.myAidEligibility).toMatchObject({
      householdId: '3503**********04',
      decile: 3,
      inAidTarget: true,
      status: 'AKTIF',
      programmes: [
        { code: 'PKH', name: 'Program Keluarga Harapan' },
        { code: 'PBI-JK', name: 'Penerima Bantuan Iuran Jaminan Kesehatan' },
      ],
      periode: '2026-12',
    });
    const budi = await callSubgraph(url, MINE, { caller: DEMO.budi });
    expect(budi.body.data.myAidEligibility).toMatchObject({ decile: 6, inAidTarget: false, status: 'TIDAK_MENERIMA', programmes: [] });
  });

  it('is null for a citizen the register does not list, and refused to callers without a NIK', async () => {
    const stranger = { ...DEMO.siti, sub: 'usr-x', nik: '3503010101900001' } as Caller;
    expect((await callSubgraph(url, MINE, { caller: stranger })).body.data.myAidEligibility).toBeNull();
    expect((await callSubgraph(url, MINE, { caller: DEMO.admin })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await callSubgraph(url, MINE)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it("refuses someone else's eligibility to citizens and to other agencies' officers, logging nothing", async () => {
    const before = await count('eligibility_access_log');
    for (const caller of [DEMO.siti, DEMO.petugasDukcapil, DEMO.analyst]) {
      const { body } = await callSubgraph(url, OTHERS, { variables: { nik: BUDI, purpose: 'Verifikasi usulan bantuan' }, caller });
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(body.data?.aidEligibility ?? null).toBeNull();
    }
    expect(await count('eligibility_access_log')).toBe(before);
  });

  it('serves Dinsos officers and admins, writing every read to the append-only access log', async () => {
    const { body } = await callSubgraph(url, OTHERS, { variables: { nik: SITI, purpose: 'Verifikasi usulan BPNT USL-2026-000001' }, caller: DINSOS_OFFICER });
    expect(body.errors).toBeUndefined();
    expect(body.data.aidEligibility).toEqual({ decile: 3, status: 'AKTIF', programmes: [{ code: 'PKH' }, { code: 'PBI-JK' }], householdId: '3503**********04' });
    const none = await callSubgraph(url, OTHERS, { variables: { nik: '3503010101900001', purpose: 'Pengaduan warga tentang bansos' }, caller: DEMO.admin });
    expect(none.body.data.aidEligibility).toBeNull();

    const s = sql();
    const log = await s.all<{
      readerSub: string;
      readerNip: string | null;
      readerRoles: string[];
      readerAgency: string | null;
      nikMasked: string;
      nikHash: string;
      purpose: string;
      found: boolean;
      readAt: Date;
    }>(
      `select reader_sub as "readerSub", reader_nip as "readerNip", reader_roles as "readerRoles", reader_agency as "readerAgency", nik_masked as "nikMasked",
              nik_hash as "nikHash", purpose, found, read_at as "readAt" from ${s.t('eligibility_access_log')} order by id`,
    );
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      readerSub: 'usr-petugas-dinsos',
      readerNip: REVIEWER,
      readerRoles: ['officer'],
      readerAgency: 'dinsos',
      nikMasked: '3503**********01',
      purpose: 'Verifikasi usulan BPNT USL-2026-000001',
      found: true,
    });
    expect(log[0]!.nikHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(log)).not.toContain(SITI);
    expect(log[1]).toMatchObject({ readerSub: 'usr-admin', readerRoles: ['admin'], found: false });
    await expect(s.all(`update ${s.t('eligibility_access_log')} set purpose = 'dihapus saja ya'`)).rejects.toThrow(/append-only/);
    await expect(s.all(`delete from ${s.t('eligibility_access_log')}`)).rejects.toThrow(/append-only/);
  });

  it('requires a purpose and a valid NIK', async () => {
    const noPurpose = await callSubgraph(url, 'query($nik: String!) { aidEligibility(nik: $nik) { decile } }', { variables: { nik: SITI }, caller: DINSOS_OFFICER });
    expect(noPurpose.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const short = await callSubgraph(url, OTHERS, { variables: { nik: SITI, purpose: 'cek' }, caller: DINSOS_OFFICER });
    expect(short.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'purpose' });
    const bad = await callSubgraph(url, OTHERS, { variables: { nik: '12345', purpose: 'Verifikasi usulan bantuan' }, caller: DINSOS_OFFICER });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'nik' });
  });
});

describe('aid proposals', () => {
  const SUBMIT = 'mutation($i: SubmitAidProposalInput!) { submitAidProposal(input: $i) { id number status programme { code } householdId reason sentAt officer { id } } }';
  const LIVE = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Ticket { id aidProposal { number status decisionNote decidedAt officer { id } } } } }';
  let sitiTicket: string;
  let budiTicket: string;

  it('seeds one answered (completed) proposal for each demo citizen, once', async () => {
    await seedSocial(db.orm.em.fork(), new Date());
    const s = sql();
    const seeded = await s.all<{ nik: string; status: string; decidedAt: Date; officerNip: string }>(
      `select nik, status, decided_at as "decidedAt", officer_nip as "officerNip" from ${s.t('aid_proposal')} where client_ref like 'seed:%' order by nik`,
    );
    expect(seeded.map((p) => [p.nik, p.status])).toEqual([
      [SITI, 'COMPLETED'],
      [BUDI, 'COMPLETED'],
    ]);
    for (const p of seeded) {
      const ago = Date.now() - new Date(p.decidedAt).getTime();
      expect(ago).toBeGreaterThanOrEqual(1 * DAY - 60_000);
      expect(ago).toBeLessThanOrEqual(4 * DAY + 60_000);
    }
  });

  it('files a proposal idempotently, for the caller and their own household', async () => {
    const input = { programme: 'bpnt', reason: 'Suami sakit, penghasilan berkurang sejak Oktober', idempotencyKey: 'mobile-5b1d02aa' };
    const a = await callSubgraph(url, SUBMIT, { variables: { i: input }, caller: DEMO.siti });
    expect(a.body.errors).toBeUndefined();
    const b = await callSubgraph(url, SUBMIT, { variables: { i: input }, caller: DEMO.siti });
    expect(b.body.data.submitAidProposal).toEqual(a.body.data.submitAidProposal);
    expect(a.body.data.submitAidProposal).toMatchObject({ status: 'SUBMITTED', programme: { code: 'BPNT' }, householdId: '3503**********04', sentAt: null, officer: null });
    expect(a.body.data.submitAidProposal.id).toBe(`dinsos:${a.body.data.submitAidProposal.number}`);
    expect(a.body.data.submitAidProposal.number).toMatch(/^USL-\d{4}-\d{6}$/);
    sitiTicket = a.body.data.submitAidProposal.id;

    const conflict = await callSubgraph(url, SUBMIT, { variables: { i: { ...input, reason: 'Alasan lain sama sekali berbeda' } }, caller: DEMO.siti });
    expect(conflict.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_CONFLICT');
    // The same key from another citizen is another proposal.
    const budi = await callSubgraph(url, SUBMIT, { variables: { i: { ...input, programme: 'PKH', reason: 'Anak sekolah, penghasilan tidak tetap' } }, caller: DEMO.budi });
    expect(budi.body.errors).toBeUndefined();
    budiTicket = budi.body.data.submitAidProposal.id;
    expect(budiTicket).not.toBe(sitiTicket);
  });

  it('refuses bad input with BAD_USER_INPUT and a plain message', async () => {
    const base = { programme: 'PIP', reason: 'Anak masuk SMP tahun ini', idempotencyKey: 'mobile-0000bad1' };
    const cases: [Record<string, unknown>, string][] = [
      [{ programme: 'BANSOS-X' }, 'programme'],
      [{ reason: 'tolong' }, 'reason'],
      [{ idempotencyKey: 'x' }, 'idempotencyKey'],
      [{ householdId: '12' }, 'householdId'],
      [{ householdId: DEMO_HOUSEHOLDS.budi.idKeluarga }, 'householdId'],
      [{ programme: 'PKH' }, 'programme'], // Siti receives PKH already
      [{ programme: 'BPNT', idempotencyKey: 'mobile-0000bad2' }, 'programme'], // one BPNT proposal is open
    ];
    for (const [patch, field] of cases) {
      const { body } = await callSubgraph(url, SUBMIT, { variables: { i: { ...base, ...patch } }, caller: DEMO.siti });
      expect(body.errors?.[0]?.extensions, JSON.stringify(patch)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const officer = await callSubgraph(url, SUBMIT, { variables: { i: base }, caller: DINSOS_OFFICER });
    expect(officer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('exports pending proposals into one outbox file per run, and reads the answers back into tickets', async () => {
    const run = await app.exchangeNow();
    expect(run.exported).toHaveLength(1);
    const [exported] = run.exported;
    expect(exported!.rows).toBe(2);
    expect((await app.exchangeNow()).exported).toEqual([]);
    const file = join(dir, 'outbox', exported!.name);
    const text = await readFile(file, 'utf8');
    expect(text.split('\r\n')[0]).toBe('id_usulan,nik,nama,id_keluarga,program,alasan,tanggal_usulan');
    const rows = parse<Record<string, string>>(text, { columns: true });
    expect(rows.map((r) => [r.nik, r.program, r.nama])).toEqual(
      expect.arrayContaining([
        [SITI, 'BPNT', 'SITI RAHAYU'],
        [BUDI, 'PKH', 'BUDI SANTOSO'],
      ]),
    );
    expect(rows.find((r) => r.nik === SITI)!.alasan).toBe('Suami sakit, penghasilan berkurang sejak Oktober');
    expect((await readdir(join(dir, 'outbox'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // Dinsos processes the outbox and answers in ack/.
    const acks = await sim.processProposals();
    expect(acks.map((a) => a.proposal)).toEqual([exported!.name]);
    const answered = await app.exchangeNow();
    expect(answered.acknowledged).toEqual([{ name: exported!.name, completed: 1, rejected: 1, unanswered: 0 }]);
    expect((await app.exchangeNow()).acknowledged).toEqual([]);

    const { body } = await callSubgraph(url, LIVE, { variables: { r: [{ __typename: 'Ticket', id: sitiTicket }] }, caller: DEMO.siti });
    expect(body.data._entities[0].aidProposal).toMatchObject({ status: 'COMPLETED', officer: { id: REVIEWER }, decisionNote: expect.stringMatching(/verifikasi/) });
    const budi = await callSubgraph(url, LIVE, { variables: { r: [{ __typename: 'Ticket', id: budiTicket }] }, caller: DEMO.budi });
    expect(budi.body.data._entities[0].aidProposal).toMatchObject({ status: 'REJECTED', decisionNote: expect.stringMatching(/Desil 6/) });
  });

  it('publishes the tickets to the ledger: the seeded ones and the answered ones, completed', async () => {
    await app.sync!.syncNow();
    expect(published.every((p) => p.agencyId === 'dinsos')).toBe(true);
    const latest = new Map<string, TicketFeedBatch['events'][number]>();
    for (const e of published.flatMap((p) => p.events)) if ((latest.get(e.ticketId)?.version ?? -1) < e.version) latest.set(e.ticketId, e);
    expect(latest.get(sitiTicket)).toMatchObject({ citizenNik: SITI, serviceId: 'dinsos.usulan-bansos', status: 'COMPLETED', officerId: REVIEWER, completedAt: expect.any(String) });
    expect(latest.get(budiTicket)).toMatchObject({ citizenNik: BUDI, status: 'REJECTED' });
    const seeded = [...latest.values()].filter((e) => e.ticketId !== sitiTicket && e.ticketId !== budiTicket);
    expect(seeded.map((e) => [e.citizenNik, e.status]).sort()).toEqual(
      [
        [SITI, 'COMPLETED'],
        [BUDI, 'COMPLETED'],
      ].sort(),
    );
    // Nothing new: the cursor has moved past every change.
    const n = published.length;
    await app.sync!.syncNow();
    expect(published.length).toBe(n);
  });

  it('serves the live view of 50 tickets with one query, null for other agencies without any', async () => {
    const s = sql();
    for (let i = 0; i < 50; i++) {
      await s.all(
        `insert into ${s.t('aid_proposal')} (id, nik, name, programme, reason, client_ref, change_seq) values (?, ?, 'SITI RAHAYU', 'PIP', 'Anak sekolah', ?, nextval('${s.t('aid_proposal_change_seq')}'))`,
        [`USL-2026-9${String(i).padStart(5, '0')}`, SITI, `bulk-${i}`],
      );
    }
    const reps = Array.from({ length: 50 }, (_, i) => ({ __typename: 'Ticket', id: `dinsos:USL-2026-9${String(i).padStart(5, '0')}` }));
    reps.push({ __typename: 'Ticket', id: 'dispendukcapil:SIAK-2026-000101' });
    statements.length = 0;
    const { body } = await callSubgraph(url, LIVE, { variables: { r: reps }, caller: DEMO.siti });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toHaveLength(51);
    expect(body.data._entities[0].aidProposal).toMatchObject({ number: 'USL-2026-900000', status: 'SUBMITTED' });
    expect(body.data._entities[50].aidProposal).toBeNull();
    expect(statements).toHaveLength(1);
  });

  it("does not show one citizen another's ticket", async () => {
    const { body } = await callSubgraph(url, LIVE, { variables: { r: [{ __typename: 'Ticket', id: sitiTicket }] }, caller: DEMO.budi });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(body.data._entities[0].aidProposal).toBeNull();
    const officer = await callSubgraph(url, LIVE, { variables: { r: [{ __typename: 'Ticket', id: sitiTicket }] }, caller: DINSOS_OFFICER });
    expect(officer.body.data._entities[0].aidProposal.status).toBe('COMPLETED');
  });

  it("lists the citizen's own proposals, newest first", async () => {
    const { body } = await callSubgraph(url, '{ myAidProposals { number status programme { code } } }', { caller: DEMO.budi });
    expect(body.data.myAidProposals.map((p: { status: string }) => p.status)).toEqual(['REJECTED', 'COMPLETED']);
  });
});
