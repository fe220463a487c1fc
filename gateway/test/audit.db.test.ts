import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createLogger, PostgresAccessLog } from '@gerbang/common';
import { testDatabaseUrl, uniqueSchema, ifStarted } from '@gerbang/testing';
import { countPersonalRecords } from '../src/edge/audit';
import { PEOPLE_SDL, peopleResolvers, startGateway, startSubgraph, type FixtureSubgraph, type TestGateway } from './support/fixtures';

const schema = uniqueSchema('audit');
let log: PostgresAccessLog;
let client: pg.Client;
let people: FixtureSubgraph;
let gw: TestGateway;

beforeAll(async () => {
  const logger = createLogger('audit', 'silent');
  log = await PostgresAccessLog.open({ url: testDatabaseUrl(), schema, logger, flushMs: 10 });
  // Opening twice (a second replica starting) migrates nothing twice.
  await (await PostgresAccessLog.open({ url: testDatabaseUrl(), schema, logger })).close();
  client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  people = await startSubgraph('people', PEOPLE_SDL, peopleResolvers);
  gw = await startGateway([people], { accessLog: log });
});
afterAll(async () => {
  await ifStarted(gw)?.close();
  await ifStarted(people)?.stop();
  await ifStarted(log)?.close();
  await ifStarted(client)?.query(`drop schema if exists "${schema}" cascade`);
  await ifStarted(client)?.end();
});

const rows = async () => (await client.query(`select * from "${schema}".access_log order by id`)).rows;

describe('the personal-data access log', () => {
  it('records who read which personal fields, how many records, when and in which request', async () => {
    await gw.gql('query MyProfile { me { id nik name } }', { login: 'warga.siti', headers: { 'x-request-id': 'req-audit-1', 'apollographql-client-name': 'mobile' } });
    await gw.gql('query Resident($id: ID!) { citizen(id: $id) { birthDate } }', { login: 'petugas.dukcapil', variables: { id: 'usr-warga-budi' } });
    await log.flush();
    const [own, officer] = await rows();
    expect(own).toMatchObject({
      request_id: 'req-audit-1',
      subject: 'usr-warga-siti',
      roles: ['citizen'],
      client_name: 'mobile',
      operation_name: 'MyProfile',
      fields: ['Citizen.nik', 'Citizen.name'],
      records: 1,
    });
    expect(own.at).toBeInstanceOf(Date);
    expect(officer).toMatchObject({ subject: 'usr-petugas-dukcapil', roles: ['officer'], operation_name: 'Resident', fields: ['Citizen.birthDate'], records: 1 });
  });

  it('writes nothing when no personal value was returned', async () => {
    const before = (await rows()).length;
    await gw.gql('{ me { id } }', { login: 'warga.budi' });
    await gw.gql('{ citizen(id: "nobody") { nik } }', { login: 'petugas.dukcapil' });
    await log.flush();
    expect((await rows()).length).toBe(before);
  });

  it('is append-only: updates, deletes and truncation are refused', async () => {
    await expect(client.query(`update "${schema}".access_log set subject = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(client.query(`delete from "${schema}".access_log`)).rejects.toThrow(/append-only/);
    await expect(client.query(`truncate "${schema}".access_log`)).rejects.toThrow(/append-only/);
    expect((await rows()).every((r) => r.subject !== 'someone-else')).toBe(true);
  });

  it('counts records across lists and aliases', () => {
    const data = { a: [{ nik: '1', name: null }, { nik: null, name: null }, { name: 'x' }], b: { inner: [{ birthDate: '2000-01-01' }] } };
    expect(
      countPersonalRecords(data, [
        { path: ['a'], keys: ['nik', 'name'], fields: [] },
        { path: ['b', 'inner'], keys: ['birthDate'], fields: [] },
      ]),
    ).toBe(3);
  });
});

describe('GET /admin/access-log', () => {
  const adminLog = (query: string, login?: string) =>
    (async () => {
      const headers: Record<string, string> = {};
      if (login) headers.authorization = `Bearer ${await gw.idp.issue(login)}`;
      const res = await fetch(`${gw.url.replace('/graphql', '/admin/access-log')}${query}`, { headers });
      return { status: res.status, body: (await res.json()) as any };
    })();

  it('refuses anonymous callers and non-admins, without data', async () => {
    const anon = await adminLog('');
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual({ errors: [{ message: 'Sign in first.', extensions: { code: 'UNAUTHENTICATED' } }] });
    for (const login of ['analis', 'hr.bkpsdm', 'warga.siti']) {
      const r = await adminLog('', login);
      expect(r.status).toBe(403);
      expect(r.body.entries).toBeUndefined();
      expect(r.body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
  });

  it('lets an admin page through the log, filtered by subject and time', async () => {
    for (let i = 0; i < 3; i++) await gw.gql('{ me { nik } }', { login: 'warga.budi' });
    await log.flush();
    const first = await adminLog('?subject=usr-warga-budi&limit=2', 'admin');
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.entries.every((e: { subject: string }) => e.subject === 'usr-warga-budi')).toBe(true);
    expect(first.body.next).toBeTruthy();
    const second = await adminLog(`?subject=usr-warga-budi&limit=2&before=${first.body.next}`, 'admin');
    expect(second.body.entries).toHaveLength(1);
    expect(second.body.next).toBeNull();
    const future = await adminLog(`?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`, 'admin');
    expect(future.body.entries).toEqual([]);
    expect((await adminLog('?from=yesterday', 'admin')).status).toBe(400);
    expect((await adminLog('?limit=100000', 'admin')).status).toBe(400);
  });

  it("shows the subgraphs' entries beside the gateway's: source, capacity and the records read, and finds them by record", async () => {
    await log.record({
      at: new Date(),
      requestId: 'req-sub-1',
      subject: 'usr-hr-bkpsdm',
      roles: ['hr', 'officer'],
      clientName: null,
      operationName: null,
      fields: ['Officer.tppBase'],
      records: 1,
      source: 'staff',
      purpose: 'hr',
      recordRefs: ['nip:198703152010011002'],
    });
    const { status, body } = await adminLog('?record=nip:198703152010011002', 'admin');
    expect(status).toBe(200);
    expect(body.entries).toEqual([expect.objectContaining({ requestId: 'req-sub-1', source: 'staff', purpose: 'hr', recordRefs: ['nip:198703152010011002'], fields: ['Officer.tppBase'] })]);
    const gateway = await adminLog('?subject=usr-warga-budi&limit=1', 'admin');
    expect(gateway.body.entries[0]).toMatchObject({ source: 'gateway', purpose: null, recordRefs: [] });
  });

  it('logs its own reads', async () => {
    await adminLog('?limit=1', 'admin');
    await log.flush();
    const last = (await rows()).at(-1);
    expect(last).toMatchObject({ subject: 'usr-admin', operation_name: 'GET /admin/access-log', fields: ['AccessLog.entries'] });
  });
});
