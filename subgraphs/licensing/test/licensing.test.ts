import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, verifierFromSecret, type Caller } from '@gerbang/common';
import { subgraphCaller, DEMO, TEST_INTERNAL_SECRET, FakeLedger } from '@gerbang/testing';
import { createOssSimulator, NIB_BUDI_BAKSO, NIB_BUDI_BENGKEL, NIB_SITI_KERIPIK } from '@gerbang/sim-oss';
import { createPermitSoapSimulator, NIP_YUNI, type PermitSoapSimulator } from '@gerbang/sim-permit-soap';
import { useReplyServer } from '@gerbang/testing/adapters';
import { createLicensingServer, OssClient, PermitSoapClient } from '../src/server';

/** Calls signed for this subgraph, as the gateway signs them (the audience is its name). */
const callSubgraph = subgraphCaller('licensing');

const SITI = DEMO.siti.nik!;
const BUDI = DEMO.budi.nik!;
const PETUGAS_DPMPTSP: Caller = { sub: 'usr-petugas-dpmptsp', roles: ['officer'], name: 'Yuni Astuti', nip: NIP_YUNI, agencyId: 'dpmptsp' };

let oss: ReturnType<typeof createOssSimulator>;
let permits: PermitSoapSimulator;
let app: Awaited<ReturnType<typeof createLicensingServer>>;
let url: string;
let close: () => Promise<void>;
/** Siti's first 50 applications (2 seeded + 48 filed at the desk). */
let sitiNumbers: string[];
const ledger = new FakeLedger();
const published = ledger.published;

const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Ticket { id permitApplication { id number permitType status officer { id } } } } }';
const tickets = (ids: string[]) => ids.map((id) => ({ __typename: 'Ticket', id }));
const totalCalls = () => oss.stats.calls() + permits.stats.calls();
/** An OSS that answers out of its interface. */
const brokenOss = useReplyServer();

beforeAll(async () => {
  oss = createOssSimulator({ userKey: 'oss-key-for-tests-0001' });
  permits = createPermitSoapSimulator({ username: 'hub', password: 'permit-password-for-tests' });
  for (let i = 0; i < 48; i++) {
    permits.store.submit({
      nik: SITI,
      applicantName: 'Siti Rahayu',
      permitType: i % 2 ? 'REKLAME' : 'PENELITIAN',
      description: `Permohonan uji beban nomor ${i + 1} untuk tampilan tiket`,
      location: 'Jl. Panglima Sudirman No. 21, Kec. Trenggalek',
      clientReference: `desk-${i}`,
    });
  }
  await oss.listen(0);
  await permits.listen(0);
  await ledger.listen();
  sitiNumbers = permits.store.listByNik(SITI).map((a) => a.applicationNumber);
  app = await createLicensingServer({
    registries: {
      oss: new OssClient({ baseUrl: oss.url(), userKey: 'oss-key-for-tests-0001', timeoutMs: 2_000 }),
      permits: new PermitSoapClient({ endpoint: permits.endpoint(), username: 'hub', password: 'permit-password-for-tests', timeoutMs: 2_000 }),
    },
    logger: createLogger('licensing', 'silent'),
    verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
    ticketFeed: ledger.feed(),
  });
  ({ url, close } = await app.listen(0));
});
afterAll(async () => {
  await close();
  await oss.close();
  await permits.close();
  await ledger.close();
});
beforeEach(() => {
  oss.stats.reset();
  permits.stats.reset();
});

describe('licensing subgraph: businesses (OSS RBA)', () => {
  it("lists the citizen's businesses with KBLI, address and licences in one call per OSS endpoint", async () => {
    const { body } = await callSubgraph(url, '{ myBusinesses { nib name scale status address kbli { code description risk } licences { kind name number status authority validUntil } } }', {
      caller: DEMO.siti,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.myBusinesses).toHaveLength(1);
    const [keripik] = body.data.myBusinesses;
    expect(keripik).toMatchObject({
      nib: NIB_SITI_KERIPIK,
      name: 'Keripik Tempe Bu Siti',
      scale: 'MICRO',
      status: 'AKTIF',
      kbli: [{ code: '10794', risk: 'MEDIUM_LOW' }],
    });
    expect(keripik.address).toContain('Ngantru');
    expect(keripik.licences.map((l: { kind: string; status: string }) => [l.kind, l.status])).toEqual([
      ['STANDARD_CERTIFICATE', 'ISSUED'],
      ['SUPPORTING_LICENCE', 'ISSUED'],
    ]);
    expect(oss.stats.snapshot().routes).toEqual({
      inqueryNIBByNIK: { calls: 1, items: 1 },
      inqueryNIB: { calls: 1, items: 1 },
      statusIzin: { calls: 1, items: 1 },
    });
  });

  it("batches the licences of all of a citizen's businesses into one statusIzin call", async () => {
    const { body } = await callSubgraph(url, '{ myBusinesses { nib licences { name status } } }', { caller: DEMO.budi });
    expect(body.data.myBusinesses.map((b: { nib: string }) => b.nib).sort()).toEqual([NIB_BUDI_BAKSO, NIB_BUDI_BENGKEL].sort());
    const bakso = body.data.myBusinesses.find((b: { nib: string }) => b.nib === NIB_BUDI_BAKSO);
    expect(bakso.licences.map((l: { status: string }) => l.status).sort()).toEqual(['IN_PROCESS', 'ISSUED']);
    expect(oss.stats.snapshot().routes.statusIzin).toEqual({ calls: 1, items: 2 });
    expect(oss.stats.calls()).toBe(2);
  });

  it('answers only signed-in citizens', async () => {
    const anonymous = await callSubgraph(url, '{ myBusinesses { nib } }');
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const officer = await callSubgraph(url, '{ myBusinesses { nib } }', { caller: PETUGAS_DPMPTSP });
    expect(officer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(oss.stats.calls()).toBe(0);
  });
});

describe('licensing subgraph: permit applications (SIMPERDA)', () => {
  it("lists the citizen's permit applications, newest first", async () => {
    const { body } = await callSubgraph(url, '{ myPermitApplications { id number status submittedAt completedAt officer { id } } }', { caller: DEMO.budi });
    expect(body.errors).toBeUndefined();
    expect(body.data.myPermitApplications).toHaveLength(1);
    const [done] = body.data.myPermitApplications;
    expect(done).toMatchObject({ id: `dpmptsp:${done.number}`, status: 'COMPLETED' });
    expect(done.completedAt).toMatch(/\+07:00$/);
    expect(permits.stats.calls()).toBe(1);
  });

  it('resolves the live view of 50 tickets with one SIMPERDA call and no other system call', async () => {
    expect(sitiNumbers.length).toBeGreaterThanOrEqual(50);
    const ids = [...sitiNumbers.slice(0, 50).map((n) => `dpmptsp:${n}`), 'dispendukcapil:SIAK-2026-000101', 'dpmptsp:not a number'];
    const { body } = await callSubgraph(url, ENTITIES, { variables: { r: tickets(ids) }, caller: DEMO.siti });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toHaveLength(52);
    expect(body.data._entities[0].permitApplication.number).toBe(sitiNumbers[0]);
    expect(body.data._entities.slice(0, 50).every((e: { permitApplication: unknown }) => e.permitApplication !== null)).toBe(true);
    expect(body.data._entities[50].permitApplication).toBeNull();
    expect(body.data._entities[51].permitApplication).toBeNull();
    expect(permits.stats.snapshot().routes).toEqual({ GetApplicationStatus: { calls: 1, items: 50 } });
    expect(totalCalls()).toBe(1);
  });

  it('passes the request id on to SIMPERDA, also from a batched ticket view', async () => {
    const { body } = await callSubgraph(url, ENTITIES, { variables: { r: tickets(sitiNumbers.slice(0, 3).map((n) => `dpmptsp:${n}`)) }, caller: DEMO.siti });
    expect(body.errors).toBeUndefined();
    expect(permits.stats.calls('GetApplicationStatus')).toBe(1);
    expect(permits.stats.requestIds).toHaveLength(1);
    expect(permits.stats.requestIds[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("does not show one citizen another's ticket, but shows it to a DPMPTSP officer", async () => {
    const id = `dpmptsp:${sitiNumbers[0]}`;
    const budi = await callSubgraph(url, ENTITIES, { variables: { r: tickets([id]) }, caller: DEMO.budi });
    expect(budi.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(budi.body.data._entities[0].permitApplication).toBeNull();
    const dukcapil = await callSubgraph(url, ENTITIES, { variables: { r: tickets([id]) }, caller: DEMO.petugasDukcapil });
    expect(dukcapil.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const officer = await callSubgraph(url, ENTITIES, { variables: { r: tickets([id]) }, caller: PETUGAS_DPMPTSP });
    expect(officer.body.errors).toBeUndefined();
    expect(officer.body.data._entities[0].permitApplication.number).toBe(sitiNumbers[0]);
  });

  it('publishes the change feed as tickets: service by permit type, status mapped, officer = NIP', async () => {
    await app.sync!.syncNow();
    const events = published.flatMap((p) => p.events);
    expect(published.every((p) => p.agencyId === 'dpmptsp')).toBe(true);
    const done = permits.store.listByNik(SITI).find((a) => a.status === 'SELESAI')!;
    const latest = events.filter((e) => e.ticketId === `dpmptsp:${done.applicationNumber}`).at(-1);
    expect(latest).toMatchObject({
      citizenNik: SITI,
      serviceId: 'dpmptsp.izin-reklame',
      officerId: NIP_YUNI,
      status: 'COMPLETED',
      completedAt: done.completedAt!.toISOString(),
    });
    const versions = events.filter((e) => e.ticketId === `dpmptsp:${done.applicationNumber}`).map((e) => e.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(events.map((e) => e.serviceId))).toEqual(new Set(['dpmptsp.izin-reklame', 'dpmptsp.izin-penelitian', 'dpmptsp.pbg']));
    expect(new Set(events.map((e) => e.status))).toEqual(new Set(['SUBMITTED', 'IN_PROGRESS', 'COMPLETED', 'REJECTED']));
  });
});

describe('licensing subgraph: applyForPermit', () => {
  const APPLY = 'mutation($i: ApplyForPermitInput!) { applyForPermit(input: $i) { id number permitType status applicantName description location } }';
  const input = {
    permitType: 'PENELITIAN',
    description: '  Penelitian skripsi: pemasaran keripik tempe UMKM di Kecamatan Trenggalek  ',
    location: 'Kel. Ngantru, Kec. Trenggalek',
    idempotencyKey: 'mobile-5d1e8a40',
  };

  it('files an application idempotently, as the signed-in citizen, and publishes it to the ledger', async () => {
    const a = await callSubgraph(url, APPLY, { variables: { i: input }, caller: DEMO.siti });
    const b = await callSubgraph(url, APPLY, { variables: { i: input }, caller: DEMO.siti });
    expect(a.body.errors).toBeUndefined();
    expect(a.body.data.applyForPermit).toMatchObject({
      permitType: 'PENELITIAN',
      status: 'RECEIVED',
      applicantName: 'Siti Rahayu',
      description: input.description.trim(),
    });
    expect(b.body.data.applyForPermit.id).toBe(a.body.data.applyForPermit.id);
    const filed = permits.store.get(a.body.data.applyForPermit.number)!;
    expect(filed).toMatchObject({ nik: SITI, applicantName: 'Siti Rahayu', clientReference: 'usr-warga-siti:mobile-5d1e8a40' });
    expect(permits.stats.calls('SubmitApplication')).toBe(2);

    await app.sync!.syncNow();
    const event = published.flatMap((p) => p.events).find((e) => e.ticketId === a.body.data.applyForPermit.id);
    expect(event).toMatchObject({ citizenNik: SITI, serviceId: 'dpmptsp.izin-penelitian', status: 'SUBMITTED', officerId: null });
  });

  it("scopes the key to the citizen: another citizen's same key files their own application", async () => {
    const { body } = await callSubgraph(url, APPLY, { variables: { i: input }, caller: DEMO.budi });
    expect(body.errors).toBeUndefined();
    expect(permits.store.get(body.data.applyForPermit.number)).toMatchObject({ nik: BUDI, applicantName: 'Budi Santoso' });
  });

  it("fits a long key into SIMPERDA's 64-character clientReference by hashing it, still idempotent", async () => {
    const long = { ...input, permitType: 'REKLAME', idempotencyKey: `k-${'7'.repeat(98)}` };
    const a = await callSubgraph(url, APPLY, { variables: { i: long }, caller: DEMO.siti });
    const b = await callSubgraph(url, APPLY, { variables: { i: long }, caller: DEMO.siti });
    expect(a.body.errors).toBeUndefined();
    expect(b.body.data.applyForPermit.number).toBe(a.body.data.applyForPermit.number);
    expect(permits.store.get(a.body.data.applyForPermit.number)!.clientReference).toMatch(/^hub:[A-Za-z0-9_-]{43}$/);
  });

  it('refuses the same key for a different application with IDEMPOTENCY_CONFLICT', async () => {
    const { body } = await callSubgraph(url, APPLY, { variables: { i: { ...input, location: 'Kel. Sumbergedong, Kec. Trenggalek' } }, caller: DEMO.siti });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', field: 'idempotencyKey' });
  });

  it('refuses bad input with BAD_USER_INPUT naming the field, before calling SIMPERDA', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ description: 'pendek' }, 'description'],
      [{ description: 'x'.repeat(1001) }, 'description'],
      [{ location: '   ab ' }, 'location'],
      [{ idempotencyKey: 'x' }, 'idempotencyKey'],
      [{ idempotencyKey: 'spasi tidak boleh' }, 'idempotencyKey'],
    ];
    for (const [patch, field] of cases) {
      const { body } = await callSubgraph(url, APPLY, { variables: { i: { ...input, ...patch } }, caller: DEMO.siti });
      expect(body.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const enumCase = await callSubgraph(url, APPLY, { variables: { i: { ...input, permitType: 'IMB' } }, caller: DEMO.siti });
    expect(enumCase.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(permits.stats.calls()).toBe(0);
  });

  it('lets only citizens apply', async () => {
    const anonymous = await callSubgraph(url, APPLY, { variables: { i: input } });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const officer = await callSubgraph(url, APPLY, { variables: { i: input }, caller: PETUGAS_DPMPTSP });
    expect(officer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(permits.stats.calls()).toBe(0);
  });
});

describe('licensing subgraph: failures stay contained', () => {
  it('answers UPSTREAM_UNAVAILABLE for the permit view when SIMPERDA is down; OSS data still arrives', async () => {
    permits.faults.set({ down: true });
    try {
      const { body } = await callSubgraph(url, 'query($r: [_Any!]!) { myBusinesses { nib } _entities(representations: $r) { ... on Ticket { id permitApplication { number } } } }', {
        variables: { r: tickets([`dpmptsp:${sitiNumbers[0]}`, 'dispendukcapil:SIAK-2026-000101']) },
        caller: DEMO.siti,
      });
      expect(body.data.myBusinesses).toEqual([{ nib: NIB_SITI_KERIPIK }]);
      expect(body.data._entities).toEqual([
        { id: `dpmptsp:${sitiNumbers[0]}`, permitApplication: null },
        { id: 'dispendukcapil:SIAK-2026-000101', permitApplication: null },
      ]);
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'SIMPERDA permits' });
    } finally {
      permits.faults.reset();
    }
  });

  it('answers UPSTREAM_UNAVAILABLE for businesses when OSS is down; the permit view still works', async () => {
    oss.faults.set({ down: true });
    try {
      const businesses = await callSubgraph(url, '{ myBusinesses { nib } }', { caller: DEMO.siti });
      expect(businesses.body.data).toEqual({ myBusinesses: null });
      expect(businesses.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'OSS RBA' });
      const permitView = await callSubgraph(url, ENTITIES, { variables: { r: tickets([`dpmptsp:${sitiNumbers[0]}`]) }, caller: DEMO.siti });
      expect(permitView.body.errors).toBeUndefined();
      expect(permitView.body.data._entities[0].permitApplication.number).toBe(sitiNumbers[0]);
    } finally {
      oss.faults.reset();
    }
  });
  it("answers UPSTREAM_INVALID naming OSS and the bad field for businesses when OSS's answer breaks its interface; SIMPERDA's fields still answer", async () => {
    brokenOss.server.reply({
      body: {
        status: true,
        responseinqueryNIBByNIK: {
          dataNIB: [{ nib: NIB_SITI_KERIPIK, nama_perusahaan: 'Keripik Tempe Bu Siti', tanggal_terbit_oss: '2022-02-21', status_nib: 'AKTIF', skala_usaha: 'Usaha Raksasa', data_kbli: [] }],
        },
      },
    });
    const broken = await createLicensingServer({
      registries: {
        oss: new OssClient({ baseUrl: brokenOss.server.url, userKey: 'oss-key-for-tests-0001', timeoutMs: 2_000 }),
        permits: new PermitSoapClient({ endpoint: permits.endpoint(), username: 'hub', password: 'permit-password-for-tests', timeoutMs: 2_000 }),
      },
      logger: createLogger('licensing', 'silent'),
      verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
      ticketFeed: ledger.feed(),
    });
    const running = await broken.listen(0);
    try {
      const { body } = await callSubgraph(running.url, `query($r: [_Any!]!) { myBusinesses { nib } _entities(representations: $r) { ... on Ticket { id permitApplication { number } } } }`, {
        variables: { r: tickets([`dpmptsp:${sitiNumbers[0]}`]) },
        caller: DEMO.siti,
      });
      expect(body.data.myBusinesses).toBeNull();
      expect(body.data._entities).toEqual([{ id: `dpmptsp:${sitiNumbers[0]}`, permitApplication: { number: sitiNumbers[0] } }]);
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]).toMatchObject({ path: ['myBusinesses'], extensions: { code: 'UPSTREAM_INVALID', service: 'OSS RBA', wirePath: 'responseinqueryNIBByNIK.dataNIB[0].skala_usaha' } });
    } finally {
      await running.close();
    }
  });
});
