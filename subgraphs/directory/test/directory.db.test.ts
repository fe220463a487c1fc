import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLER_HEADER, createLogger, encodeCaller, signRequest, verifierFromSecret } from '@gerbang/common';
import { subgraphCaller, DEMO, TEST_INTERNAL_SECRET, testOrm, ifStarted } from '@gerbang/testing';
import { createDirectoryServer, entities, migrations, seedDirectory } from '../src/server';
import { DirectoryService } from '../src/modules/directory.service';
import { SERVICES } from '../src/seed/data';

/** Calls signed for this subgraph, as the gateway signs them (the audience is its name). */
const callSubgraph = subgraphCaller('directory');

let db: Awaited<ReturnType<typeof testOrm>>;
let app: Awaited<ReturnType<typeof createDirectoryServer>>;
let url: string;

beforeAll(async () => {
  db = await testOrm({ schemaPrefix: 'directory', entities, migrations });
  await seedDirectory(db.orm.em.fork());
  app = await createDirectoryServer({ orm: db.orm, logger: createLogger('directory', 'silent'), verifier: verifierFromSecret(TEST_INTERNAL_SECRET) });
  url = (await app.listen(0)).url;
});
afterAll(async () => {
  await ifStarted(app)?.close();
  await ifStarted(db)?.drop();
});

const FIND = `query FindAgency($q: String!) { agencies(search: $q, first: 5) { id name abbreviation } }`;

describe('directory search', () => {
  it.each(['dukcapil', 'capil', 'kependudukan', 'Dispendukcapil', 'pendudukan sipil', 'DUKCAPIL', '  capil  '])('ranks Dispendukcapil first for "%s"', async (q) => {
    const { body } = await callSubgraph(url, FIND, { variables: { q } });
    expect(body.errors).toBeUndefined();
    expect(body.data.agencies[0]).toMatchObject({ id: 'dispendukcapil', abbreviation: 'Dispendukcapil' });
  });

  it.each([
    ['pajak bumi', 'bpkpd'],
    ['puskesmas', 'dinkesdalduk'],
    ['perijinan', 'dpmptsp'],
    ['bansos', 'dinsos'],
    ['kepegawaian', 'bkpsdm'],
  ])('finds "%s" → %s', async (q, id) => {
    const { body } = await callSubgraph(url, FIND, { variables: { q } });
    expect(body.data.agencies[0].id).toBe(id);
  });

  it('returns nothing for gibberish and refuses oversized input', async () => {
    const none = await callSubgraph(url, FIND, { variables: { q: 'xqzvw' } });
    expect(none.body.data.agencies).toEqual([]);
    const long = await callSubgraph(url, FIND, { variables: { q: 'a'.repeat(101) } });
    expect(long.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('ranks in one SQL query', async () => {
    const service = new DirectoryService(db.orm.em.fork());
    await service.search('capil', 5);
    expect(service.queries).toBe(1);
  });
});

describe('agency page', () => {
  it('serves services and officers of an agency', async () => {
    const { body } = await callSubgraph(url, `{ agency(id: "bpkpd") { id name services { id name slaDays fee requirements } officers { id name position } } }`);
    expect(body.data.agency.name).toBe('Badan Pengelolaan Keuangan dan Pendapatan Daerah');
    expect(body.data.agency.services.map((s: { id: string }) => s.id)).toContain('bpkpd.mutasi-nama-pbb');
    expect(body.data.agency.officers.map((o: { id: string }) => o.id)).toContain('198406252008011004');
  });

  it('seeds at least 40 services', () => {
    expect(SERVICES.length).toBeGreaterThanOrEqual(40);
  });

  it('answers an unknown agency, service or officer with null and NOT_FOUND naming the argument; the rest of the query still answers', async () => {
    for (const [field, what] of [
      ['agency', 'Agency'],
      ['service', 'Service'],
      ['officer', 'Officer'],
    ] as const) {
      const { body } = await callSubgraph(url, `{ ${field}(id: "nope") { id } known: agency(id: "bpkpd") { id } }`);
      expect(body.data).toEqual({ [field]: null, known: { id: 'bpkpd' } });
      expect(body.errors).toEqual([expect.objectContaining({ message: `${what} not found.`, path: [field], extensions: { code: 'NOT_FOUND', field: 'id' } })]);
    }
  });
});

describe('entities', () => {
  it('resolves Agency, Service and Officer references in one query per type', async () => {
    const { body } = await callSubgraph(
      url,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Agency { id name } ... on Service { id name agency { id } } ... on Officer { id name } } }`,
      {
        variables: {
          r: [
            { __typename: 'Agency', id: 'dinsos' },
            { __typename: 'Service', id: 'dispendukcapil.ktp-el' },
            { __typename: 'Officer', id: '198703152010011002' },
            { __typename: 'Officer', id: '000000000000000000' },
          ],
        },
        caller: DEMO.siti,
      },
    );
    expect(body.data._entities).toEqual([
      { id: 'dinsos', name: 'Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak' },
      { id: 'dispendukcapil.ktp-el', name: 'Perekaman dan Pencetakan KTP-el', agency: { id: 'dispendukcapil' } },
      { id: '198703152010011002', name: 'Agus Prasetyo' },
      null,
    ]);
  });
});

describe('look-ups through the entities', () => {
  it('reads agencies, services and officers by id and by agency in one query each, as seeded', async () => {
    const service = new DirectoryService(db.orm.em.fork());
    const ktp = SERVICES.find((v) => v.id === 'dispendukcapil.ktp-el')!;
    const [found] = await service.servicesByIds([ktp.id, 'nope']);
    expect({ ...found }).toEqual(ktp);
    const ofAgency = await service.servicesByAgencies(['dispendukcapil']);
    expect(ofAgency.map((v) => v.name)).toEqual(
      SERVICES.filter((v) => v.agencyId === 'dispendukcapil')
        .map((v) => v.name)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    const agencies = await service.agenciesByIds(['dinsos', 'bpkpd']);
    expect(agencies.map((a) => a.id).sort()).toEqual(['bpkpd', 'dinsos']);
    const officers = await service.officersByAgencies(['bpkpd']);
    expect(officers.every((o) => o.agencyId === 'bpkpd')).toBe(true);
    expect((await service.officersByIds([officers[0]!.id]))[0]).toMatchObject({ id: officers[0]!.id, name: officers[0]!.name });
    expect(service.queries).toBe(5);
  });

  it('seeds again without duplicates (upsert by id)', async () => {
    const counts = await seedDirectory(db.orm.em.fork());
    const [row] = await db.orm.em.getConnection().execute<{ n: number }[]>(`select count(*)::int as n from "${db.schema}".service`);
    expect(row?.n).toBe(counts.services);
  });
});

describe('internal signature', () => {
  it('refuses an unsigned call with 401', async () => {
    const res = await callSubgraph(url, FIND, { variables: { q: 'capil' }, unsigned: true });
    expect(res.status).toBe(401);
    expect(res.body.data).toBeUndefined();
  });
  it('refuses a forged signature with 401', async () => {
    const res = await callSubgraph(url, FIND, { variables: { q: 'capil' }, secret: 'another-secret-of-sufficient-length' });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'forged' });
  });
  it('refuses a call signed for ratings with 401 and the reason, even as admin', async () => {
    const res = await callSubgraph(url, FIND, { variables: { q: 'capil' }, caller: DEMO.admin, audience: 'ratings' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [{ message: 'This service answers only the Gerbang gateway.', extensions: { code: 'UNAUTHENTICATED', reason: 'audience' } }] });
  });
});

describe('replayed internal calls', () => {
  it('refuses a signed call sent a second time with 401 and no data', async () => {
    const body = JSON.stringify({ query: FIND, variables: { q: 'capil' } });
    const headers = { 'content-type': 'application/json', ...signRequest(TEST_INTERNAL_SECRET, body, DEMO.siti, 'directory') };
    const first = await fetch(`${url}/graphql`, { method: 'POST', headers, body });
    expect(first.status).toBe(200);
    const replay = await fetch(`${url}/graphql`, { method: 'POST', headers, body });
    expect(replay.status).toBe(401);
    const json = (await replay.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
    expect(json.data).toBeUndefined();
    expect(json.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a signed call whose body or caller was swapped', async () => {
    const body = JSON.stringify({ query: FIND, variables: { q: 'capil' } });
    const headers = signRequest(TEST_INTERNAL_SECRET, body, DEMO.siti, 'directory');
    const swappedBody = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body.replace('capil', 'pajak') });
    expect(swappedBody.status).toBe(401);
    const asAdmin = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers, [CALLER_HEADER]: encodeCaller(DEMO.admin) }, body });
    expect(asAdmin.status).toBe(401);
  });
});
