import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, parse } from 'graphql';
import { createLogger, notFound, publicCacheHints, type AccessRules, type Caller } from '@gerbang/common';
import { TEST_INTERNAL_SECRET } from '@gerbang/testing';
import { SignedDataSource } from '../src/data-source';
import { callerIndependentFetch } from '../src/executor/sharing';
import { PEOPLE_SDL, peopleResolvers, startGateway, startSubgraph, type FixtureSubgraph, type TestGateway } from './support/fixtures';

// In-flight sharing of identical subgraph calls between callers (data-source.ts,
// executor/sharing.ts): only queries that select nothing guarded or personal, signed as the
// anonymous caller, and handed to other callers only when the subgraph says the answer is public.

const CATALOG_SDL = /* GraphQL */ `
  type Query {
    agencies: [Agency!]!
    agency(id: ID!): Agency
    whoami: String
    note: String @authenticated
    broken: String
  }
  type Mutation {
    touch: Int!
  }
  type Agency @key(fields: "id") {
    id: ID!
    name: String!
  }
`;

const AGENCIES = [
  { id: 'a1', name: 'Dinas Kesehatan' },
  { id: 'a2', name: 'Dinas Sosial' },
];
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function catalogResolvers(delayMs: number) {
  let touched = 0;
  return {
    Query: {
      agencies: async () => (await pause(delayMs), AGENCIES),
      agency: async (_: unknown, args: { id: string }) => (await pause(delayMs), AGENCIES.find((a) => a.id === args.id) ?? null),
      // Caller-dependent without an access rule, and not hinted public: never to be shared.
      whoami: async (_: unknown, __: unknown, ctx: { caller: Caller }) => (await pause(delayMs), ctx.caller.sub ?? 'anonymous'),
      note: async () => (await pause(delayMs), 'for signed-in callers'),
      broken: async () => {
        await pause(delayMs);
        throw notFound('The broken thing');
      },
    },
    Mutation: { touch: async () => (await pause(delayMs), ++touched) },
    Agency: { __resolveReference: (ref: { id: string }) => AGENCIES.find((a) => a.id === ref.id) ?? null },
  } as never;
}

/** As the real subgraphs hint their public data (common's cache-hints.ts). */
const hinted = { schema: (s: Parameters<typeof publicCacheHints>[0]) => publicCacheHints(s, { maxAge: 30, types: ['Agency'], rootFields: ['agencies', 'agency', 'broken'] }) };

describe('in-flight sharing between callers', () => {
  let catalog: FixtureSubgraph;
  let people: FixtureSubgraph;
  let gw: TestGateway;
  beforeAll(async () => {
    catalog = await startSubgraph('catalog', CATALOG_SDL, catalogResolvers(150), hinted);
    people = await startSubgraph('people', PEOPLE_SDL, peopleResolvers);
    // Gerbang's executor marks the shareable fetches (CI runs this suite with GATEWAY_EXECUTOR=apollo too).
    gw = await startGateway([catalog, people], { admission: { min: 16 }, executor: 'gerbang' });
    // A first public answer teaches the data source that this query is public (no call is ever
    // made twice for a subgraph that never says so).
    await gw.gql('{ agencies { id name } }', { login: 'warga.siti' });
    await gw.gql('query A($id: ID!) { agency(id: $id) { name } }', { login: 'warga.siti', variables: { id: 'a1' } });
    catalog.calls.length = 0;
  });
  afterAll(async () => {
    await gw.close();
    await catalog.stop();
    await people.stop();
  });
  afterEach(() => {
    catalog.calls.length = 0;
    people.calls.length = 0;
  });

  it('sends two callers’ identical public query to the subgraph once, signed as the anonymous caller', async () => {
    const [siti, budi, anonymous] = await Promise.all([
      gw.gql('{ agencies { id name } }', { login: 'warga.siti' }),
      gw.gql('{ agencies { id name } }', { login: 'warga.budi' }),
      gw.gql('{ agencies { id name } }'),
    ]);
    for (const r of [siti, budi, anonymous]) expect(r.body).toEqual({ data: { agencies: AGENCIES } });
    expect(catalog.calls).toHaveLength(1);
    expect(catalog.calls[0]!.caller).toEqual({ roles: [] });
  });

  it('never shares a call that selects an @authenticated field: each goes signed with its caller', async () => {
    const [siti, budi] = await Promise.all([gw.gql('{ agencies { id } note }', { login: 'warga.siti' }), gw.gql('{ agencies { id } note }', { login: 'warga.budi' })]);
    for (const r of [siti, budi]) expect(r.body).toEqual({ data: { agencies: [{ id: 'a1' }, { id: 'a2' }], note: 'for signed-in callers' } });
    expect(catalog.calls.map((c) => c.caller.sub).sort()).toEqual(['usr-warga-budi', 'usr-warga-siti']);
  });

  it('never shares a me-style call (@policy owner)', async () => {
    const [siti, budi] = await Promise.all([gw.gql('{ me { name } }', { login: 'warga.siti' }), gw.gql('{ me { name } }', { login: 'warga.budi' })]);
    expect(siti.body).toEqual({ data: { me: { name: 'Siti Rahayu' } } });
    expect(budi.body).toEqual({ data: { me: { name: 'Budi Santoso' } } });
    expect(people.calls.map((c) => c.caller.sub).sort()).toEqual(['usr-warga-budi', 'usr-warga-siti']);
  });

  it('never gives a caller an answer the subgraph did not call public, even for an unguarded field', async () => {
    for (let round = 0; round < 2; round++) {
      const [siti, budi, anonymous] = await Promise.all([gw.gql('{ whoami }', { login: 'warga.siti' }), gw.gql('{ whoami }', { login: 'warga.budi' }), gw.gql('{ whoami }')]);
      expect(siti.body).toEqual({ data: { whoami: 'usr-warga-siti' } });
      expect(budi.body).toEqual({ data: { whoami: 'usr-warga-budi' } });
      expect(anonymous.body).toEqual({ data: { whoami: 'anonymous' } });
    }
    // Never answered public, so never tried shared: one call per caller and round.
    expect(catalog.calls).toHaveLength(6);
  });

  it('does not share calls with different variables', async () => {
    const query = 'query A($id: ID!) { agency(id: $id) { name } }';
    const [one, two] = await Promise.all([gw.gql(query, { login: 'warga.siti', variables: { id: 'a1' } }), gw.gql(query, { login: 'warga.budi', variables: { id: 'a2' } })]);
    expect(one.body).toEqual({ data: { agency: { name: 'Dinas Kesehatan' } } });
    expect(two.body).toEqual({ data: { agency: { name: 'Dinas Sosial' } } });
    expect(catalog.calls).toHaveLength(2);
  });

  it('shares nothing between callers with SUBGRAPH_SHARING=caller, or with @apollo/gateway’s executor', async () => {
    for (const overrides of [{ shareAcrossCallers: false, executor: 'gerbang' as const }, { executor: 'apollo' as const }]) {
      const other = await startGateway([catalog, people], { admission: { min: 16 }, ...overrides });
      try {
        await other.gql('{ agencies { id } }', { login: 'warga.siti' });
        catalog.calls.length = 0;
        const [siti, budi] = await Promise.all([other.gql('{ agencies { id } }', { login: 'warga.siti' }), other.gql('{ agencies { id } }', { login: 'warga.budi' })]);
        for (const r of [siti, budi]) expect(r.body).toEqual({ data: { agencies: [{ id: 'a1' }, { id: 'a2' }] } });
        expect(catalog.calls.map((c) => c.caller.sub).sort()).toEqual(['usr-warga-budi', 'usr-warga-siti']);
      } finally {
        await other.close();
      }
    }
  });

  it('never shares mutations', async () => {
    const token = await gw.idp.issue('warga.siti');
    const results = await Promise.all([1, 2, 3].map(() => gw.gql('mutation { touch }', { token })));
    expect(new Set(results.map((r) => (r.body as { data: { touch: number } }).data.touch)).size).toBe(3);
    expect(catalog.calls).toHaveLength(3);
  });

  it('shares a subgraph error with every caller of the shared call, each at its own path', async () => {
    const results = await Promise.all([gw.gql('{ agencies { id } broken }', { login: 'warga.siti' }), gw.gql('{ agencies { id } broken }', { login: 'warga.budi' })]);
    for (const r of results) {
      const body = r.body as { data: unknown; errors: { message: string; path: string[] }[] };
      expect(body.data).toEqual({ agencies: [{ id: 'a1' }, { id: 'a2' }], broken: null });
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]).toMatchObject({ message: 'The broken thing not found.', path: ['broken'], extensions: { code: 'NOT_FOUND' } });
    }
  });
});

describe('the data source: results and errors of a shared call', () => {
  let catalog: FixtureSubgraph;
  let source: SignedDataSource;
  const logger = createLogger('test', 'silent');
  const call = (callerHeader: string, query: string, shareable = true) =>
    source.process({
      kind: 'incoming operation',
      request: { query },
      context: { callerHeader, requestId: 'r', caller: { roles: [] }, logger },
      shareable,
    } as never) as Promise<{ data: Record<string, unknown>; errors?: unknown[] }>;
  const SITI = Buffer.from(JSON.stringify({ sub: 'usr-siti', roles: ['citizen'] })).toString('base64url');
  const BUDI = Buffer.from(JSON.stringify({ sub: 'usr-budi', roles: ['citizen'] })).toString('base64url');

  beforeAll(async () => {
    catalog = await startSubgraph('catalog', CATALOG_SDL, catalogResolvers(100));
  });
  afterAll(async () => {
    source.shutdown();
    await catalog.stop().catch(() => undefined);
  });
  afterEach(() => {
    catalog.calls.length = 0;
  });

  it('gives each caller of a shared call its own result object', async () => {
    // Declared caller-independent: shared without a public answer.
    source = new SignedDataSource('catalog', catalog.url, { secret: TEST_INTERNAL_SECRET, timeoutMs: 2_000, logger, callerIndependent: true });
    const [a, b] = await Promise.all([call(SITI, '{ agencies { id name } }'), call(BUDI, '{ agencies { id name } }')]);
    expect(catalog.calls).toHaveLength(1);
    expect(catalog.calls[0]!.caller).toEqual({ roles: [] });
    expect(a.data).not.toBe(b.data);
    (a.data.agencies as { name: string }[])[0]!.name = 'changed by the first caller';
    a.data.extra = true;
    expect(b.data).toEqual({ agencies: AGENCIES });
  });

  it('shares nothing that is not marked shareable, or with sharing between callers off', async () => {
    await Promise.all([call(SITI, '{ agencies { id } }', false), call(BUDI, '{ agencies { id } }', false)]);
    expect(catalog.calls.map((c) => c.caller.sub).sort()).toEqual(['usr-budi', 'usr-siti']);
    catalog.calls.length = 0;
    source.shutdown();
    source = new SignedDataSource('catalog', catalog.url, { secret: TEST_INTERNAL_SECRET, timeoutMs: 2_000, logger, callerIndependent: true, shareAcrossCallers: false });
    await Promise.all([call(SITI, '{ agencies { id } }'), call(BUDI, '{ agencies { id } }')]);
    expect(catalog.calls).toHaveLength(2);
  });

  it('rejects every caller of a failed shared call, each with an error of its own', async () => {
    source.shutdown();
    source = new SignedDataSource('catalog', catalog.url, { secret: TEST_INTERNAL_SECRET, timeoutMs: 2_000, logger, callerIndependent: true });
    await catalog.stop();
    try {
      const outcomes = await Promise.allSettled([call(SITI, '{ agencies { id } }'), call(BUDI, '{ agencies { id } }')]);
      const errors = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { extensions: Record<string, unknown> }) : undefined));
      for (const e of errors) expect(e?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'catalog' });
      expect(errors[0]).not.toBe(errors[1]);
    } finally {
      await catalog.start();
    }
  });
});

describe('which fetches may be shared (the static rule)', () => {
  const supergraph = buildSchema(/* GraphQL */ `
    type Query {
      agencies: [Agency!]!
      me: Citizen
      staff: [Officer!]
      diary: Diary
    }
    type Mutation {
      touch: Int
    }
    type Agency {
      id: ID!
      name: String!
      head: Officer
    }
    type Officer {
      id: ID!
      salary: Int
    }
    type Citizen {
      id: ID!
      nik: String
    }
    interface Private {
      id: ID!
    }
    type Diary implements Private {
      id: ID!
      text: String
    }
    union Thing = Agency | Citizen
  `);
  const rules = {
    access: {
      types: new Map([
        ['Citizen', [{ kind: 'authenticated' }]],
        ['Private', [{ kind: 'authenticated' }]],
      ]),
      fields: new Map([['Officer.salary', [{ kind: 'scopes', anyOf: [['role:hr']] }]]]),
    } as AccessRules,
    personal: new Set(['Agency.name']),
  };
  const shareable = (query: string, personal = rules.personal) => callerIndependentFetch(supergraph, parse(query), { ...rules, personal });

  it('accepts a query of unguarded, impersonal fields, also through _entities and named fragments', () => {
    expect(shareable('{ agencies { id head { id } } }')).toBe(true);
    expect(shareable('query($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on Agency { id ...H } } } fragment H on Agency { head { id } }')).toBe(true);
  });

  it('refuses guarded fields and types, personal fields, mutations and what it does not know', () => {
    expect(shareable('{ agencies { head { salary } } }')).toBe(false);
    expect(shareable('{ me { id } }')).toBe(false);
    expect(shareable('{ diary { id } }')).toBe(false);
    expect(shareable('{ agencies { name } }')).toBe(false);
    expect(shareable('{ agencies { name } }', new Set())).toBe(true);
    expect(shareable('query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { id } } }')).toBe(false);
    expect(shareable('query($r: [_Any!]!) { _entities(representations: $r) { ... on Thing { __typename } } }')).toBe(false);
    expect(shareable('query($r: [_Any!]!) { _entities(representations: $r) { id } }')).toBe(false);
    expect(shareable('mutation { touch }')).toBe(false);
    expect(shareable('{ unknown }')).toBe(false);
  });
});
