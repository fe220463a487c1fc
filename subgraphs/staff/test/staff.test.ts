import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, MemoryAccessLog, verifierFromSecret } from '@gerbang/common';
import { subgraphCaller, DEMO, TEST_INTERNAL_SECRET } from '@gerbang/testing';
import { createBkpsdmSimulator, generateOfficers, ROUTES, type BkpsdmSimulator } from '@gerbang/sim-bkpsdm';
import { createStaffServer, SimpegClient } from '../src/server';

/** Calls signed for this subgraph, as the gateway signs them (the audience is its name). */
const callSubgraph = subgraphCaller('staff');

const AGUS = DEMO.petugasDukcapil.nip!;
const SRI = DEMO.hr.nip!;
const RINA = '199001222015032004';
const EXTRA = generateOfficers('dispendukcapil', 40);
const HR_FIELDS = 'grade employmentStatus unit jobClass';
const ENTITIES = (fields: string) => `query($r: [_Any!]!) { _entities(representations: $r) { ... on Officer { id ${fields} } } }`;
const refs = (...nips: string[]) => ({ r: nips.map((id) => ({ __typename: 'Officer', id })) });

let sim: BkpsdmSimulator;
let register: SimpegClient;
let url: string;
let close: () => Promise<void>;
const accessLog = new MemoryAccessLog();

beforeAll(async () => {
  sim = createBkpsdmSimulator({ clientId: 'gerbang-test', clientSecret: 'test-bkpsdm-secret-0001', extraOfficers: EXTRA });
  const simUrl = await sim.listen(0);
  register = new SimpegClient({ baseUrl: simUrl, clientId: 'gerbang-test', clientSecret: 'test-bkpsdm-secret-0001', timeoutMs: 1_000, retries: 0 });
  const app = await createStaffServer({ register, logger: createLogger('staff', 'silent'), verifier: verifierFromSecret(TEST_INTERNAL_SECRET), accessLog });
  ({ url, close } = await app.listen(0));
});
afterAll(async () => {
  await close();
  register.upstream.shutdown();
  await sim.close();
});
beforeEach(() => {
  sim.faults.reset();
  sim.stats.reset();
  accessLog.entries.length = 0;
  accessLog.failWith = null;
});

describe('staff subgraph: Officer HR fields', () => {
  it('resolves 30 officers with one call to SIMPEG', async () => {
    const nips = EXTRA.slice(0, 30).map((o) => o.nip);
    const { body } = await callSubgraph(url, ENTITIES(`${HR_FIELDS} tppBase`), { variables: refs(...nips), caller: DEMO.hr });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toHaveLength(30);
    body.data._entities.forEach((e: any, i: number) => {
      const o = EXTRA[i]!;
      expect(e).toEqual({ id: o.nip, grade: o.grade, employmentStatus: o.employmentType, unit: o.unit, jobClass: o.jobClass, tppBase: o.tppBase });
    });
    expect(sim.stats.calls(ROUTES.http)).toBe(1);
    expect(sim.stats.calls(ROUTES.getByNip)).toBe(1);
  });

  it('lets an officer read their own TPP base', async () => {
    const { body } = await callSubgraph(url, ENTITIES(`${HR_FIELDS} tppBase`), { variables: refs(AGUS), caller: DEMO.petugasDukcapil });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities[0]).toEqual({ id: AGUS, grade: 'III/a', employmentStatus: 'PNS', unit: 'Bidang Pelayanan Pendaftaran Penduduk', jobClass: 6, tppBase: 1_875_000 });
    // The owner reading their own figure is not an access to someone else's personal data.
    expect(accessLog.entries).toHaveLength(0);
  });

  it("refuses another officer's TPP base with FORBIDDEN and no value, and without asking SIMPEG", async () => {
    const { body } = await callSubgraph(url, ENTITIES('tppBase'), { variables: refs(SRI), caller: DEMO.petugasDukcapil });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ message: 'Only the officer themself, HR and administrators may read a TPP base.', extensions: { code: 'FORBIDDEN' } });
    expect(body.data._entities[0]).toEqual({ id: SRI, tppBase: null });
    expect(JSON.stringify(body)).not.toContain('2900000');
    expect(sim.stats.calls()).toBe(0);
  });

  it("still shows another officer's other HR fields to staff", async () => {
    const { body } = await callSubgraph(url, ENTITIES(`${HR_FIELDS} tppBase`), { variables: refs(SRI), caller: DEMO.petugasDukcapil });
    expect(body.data._entities[0]).toEqual({ id: SRI, grade: 'III/d', employmentStatus: 'PNS', unit: 'Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian', jobClass: 9, tppBase: null });
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(body)).not.toContain('2900000');
  });

  it("lets HR read anyone's TPP base, and records the access", async () => {
    const { body } = await callSubgraph(url, ENTITIES('tppBase'), { variables: refs(AGUS, RINA, SRI), caller: DEMO.hr });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities.map((e: any) => e.tppBase)).toEqual([1_875_000, 2_200_000, 2_900_000]);
    // One entry for the batch, written before the answer; HR's own row is their own figure.
    expect(accessLog.entries).toEqual([
      expect.objectContaining({ source: 'staff', subject: DEMO.hr.sub, roles: DEMO.hr.roles, fields: ['Officer.tppBase'], records: 2, recordRefs: [`nip:${AGUS}`, `nip:${RINA}`], purpose: 'hr' }),
    ]);
    expect(accessLog.entries[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lets the hub administrator read a TPP base (they read every TPP report), and records the access as theirs', async () => {
    const { body } = await callSubgraph(url, ENTITIES('grade tppBase'), { variables: refs(AGUS), caller: DEMO.admin });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities[0]).toEqual({ id: AGUS, grade: 'III/a', tppBase: 1_875_000 });
    expect(accessLog.entries).toEqual([expect.objectContaining({ subject: DEMO.admin.sub, roles: ['admin'], fields: ['Officer.tppBase'], purpose: 'admin', recordRefs: [`nip:${AGUS}`] })]);
  });

  it("refuses another officer's TPP base while the access log cannot be written (fail closed)", async () => {
    accessLog.failWith = 'write failed';
    const { body } = await callSubgraph(url, ENTITIES('grade tppBase'), { variables: refs(AGUS, RINA), caller: DEMO.hr });
    expect(body.data._entities).toEqual([
      { id: AGUS, grade: 'III/a', tppBase: null },
      { id: RINA, grade: 'III/b', tppBase: null },
    ]);
    expect(body.errors?.map((e) => e.extensions)).toEqual([
      { code: 'UPSTREAM_UNAVAILABLE', service: 'access log', reason: 'write failed' },
      { code: 'UPSTREAM_UNAVAILABLE', service: 'access log', reason: 'write failed' },
    ]);
    expect(JSON.stringify(body)).not.toContain('1875000');
    // The owner's own figure does not depend on the log.
    const own = await callSubgraph(url, ENTITIES('tppBase'), { variables: refs(AGUS), caller: DEMO.petugasDukcapil });
    expect(own.body.data._entities[0]).toEqual({ id: AGUS, tppBase: 1_875_000 });
  });

  it('refuses HR fields to anonymous callers and citizens', async () => {
    const anon = await callSubgraph(url, ENTITIES(`${HR_FIELDS} tppBase`), { variables: refs(AGUS) });
    expect(anon.body.data._entities[0]).toEqual({ id: AGUS, grade: null, employmentStatus: null, unit: null, jobClass: null, tppBase: null });
    expect(new Set(anon.body.errors?.map((e) => e.extensions?.code))).toEqual(new Set(['UNAUTHENTICATED']));
    const citizen = await callSubgraph(url, ENTITIES(`${HR_FIELDS} tppBase`), { variables: refs(AGUS), caller: DEMO.siti });
    expect(citizen.body.data._entities[0]).toEqual({ id: AGUS, grade: null, employmentStatus: null, unit: null, jobClass: null, tppBase: null });
    expect(new Set(citizen.body.errors?.map((e) => e.extensions?.code))).toEqual(new Set(['FORBIDDEN']));
    expect(JSON.stringify([anon.body, citizen.body])).not.toContain('1875000');
    expect(sim.stats.calls()).toBe(0);
  });

  it('answers only the gateway', async () => {
    const { status } = await callSubgraph(url, ENTITIES('grade'), { variables: refs(AGUS), unsigned: true });
    expect(status).toBe(401);
  });

  it('leaves an officer the register does not know with null HR fields', async () => {
    const { body } = await callSubgraph(url, ENTITIES(`${HR_FIELDS} tppBase`), { variables: refs('199912312024011999'), caller: DEMO.hr });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities[0]).toEqual({ id: '199912312024011999', grade: null, employmentStatus: null, unit: null, jobClass: null, tppBase: null });
  });
});

describe('staff subgraph: staffOfAgency', () => {
  const Q = 'query($a: ID!) { staffOfAgency(agencyId: $a) { id grade employmentStatus jobClass tppBase } }';

  it("gives HR an agency's whole roster with HR fields from the listing alone", async () => {
    const { body } = await callSubgraph(url, Q, { variables: { a: 'dispendukcapil' }, caller: DEMO.hr });
    expect(body.errors).toBeUndefined();
    const expected = sim.store.listByAgency('dispendukcapil', 0, 1_000)!;
    expect(body.data.staffOfAgency).toHaveLength(expected.total);
    expect(body.data.staffOfAgency).toContainEqual({ id: AGUS, grade: 'III/a', employmentStatus: 'PNS', jobClass: 6, tppBase: 1_875_000 });
    // The roster read (which agency, whom it lists) and the TPP bases it carried, each recorded once.
    const roster = accessLog.entries.find((e) => e.fields[0] === 'Query.staffOfAgency')!;
    expect(roster).toMatchObject({ source: 'staff', subject: DEMO.hr.sub, purpose: 'hr', records: expected.total });
    expect(roster.recordRefs).toEqual(['agency:dispendukcapil', ...expected.items.map((o) => `nip:${o.nip}`)]);
    expect(accessLog.entries.filter((e) => e.fields[0] === 'Officer.tppBase')).toHaveLength(1);
    expect(sim.stats.calls(ROUTES.listByOpd)).toBe(1);
    expect(sim.stats.calls(ROUTES.getByNip)).toBe(0);
  });

  it('lets an administrator list staff with their TPP bases', async () => {
    const { body } = await callSubgraph(url, Q, { variables: { a: 'bkpsdm' }, caller: DEMO.admin });
    expect(body.errors).toBeUndefined();
    expect(body.data.staffOfAgency.length).toBeGreaterThan(1);
    expect(body.data.staffOfAgency.every((o: any) => Number.isInteger(o.tppBase) && typeof o.grade === 'string')).toBe(true);
  });

  it('refuses officers, citizens and anonymous callers', async () => {
    for (const [caller, code] of [
      [DEMO.petugasDukcapil, 'FORBIDDEN'],
      [DEMO.siti, 'FORBIDDEN'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      const { body } = await callSubgraph(url, Q, { variables: { a: 'dispendukcapil' }, caller });
      expect(body.data).toEqual({ staffOfAgency: null });
      expect(body.errors?.[0]?.extensions?.code).toBe(code);
    }
    expect(sim.stats.calls()).toBe(0);
  });

  it('refuses a malformed agency id and reports an unknown one as NOT_FOUND', async () => {
    const bad = await callSubgraph(url, Q, { variables: { a: '../etc' }, caller: DEMO.hr });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'agencyId' });
    const unknown = await callSubgraph(url, Q, { variables: { a: 'dinas-yang-tidak-ada' }, caller: DEMO.hr });
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(unknown.body.data).toEqual({ staffOfAgency: null });
  });
});

describe('staff subgraph when BKPSDM is down', () => {
  it('answers the HR fields with null and UPSTREAM_UNAVAILABLE, one failed call for the batch', async () => {
    sim.faults.set({ down: true });
    const before = register.upstream.attempts;
    const { body } = await callSubgraph(url, ENTITIES(`${HR_FIELDS} tppBase`), { variables: refs(AGUS, RINA), caller: DEMO.hr });
    expect(body.data._entities).toEqual([
      { id: AGUS, grade: null, employmentStatus: null, unit: null, jobClass: null, tppBase: null },
      { id: RINA, grade: null, employmentStatus: null, unit: null, jobClass: null, tppBase: null },
    ]);
    expect(body.errors!.length).toBeGreaterThan(0);
    for (const e of body.errors!) expect(e.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'BKPSDM SIMPEG' });
    // Ten fields of two officers failed on a single attempt (this client is configured without retries).
    expect(register.upstream.attempts - before).toBe(1);
  });
});
