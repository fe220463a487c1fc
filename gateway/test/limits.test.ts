import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from 'graphql';
import { memoryLogger, ifStarted } from '@gerbang/testing';
import { costDirectivesFromSupergraph, lexicalFigures, OperationAnalyzer } from '../src/edge/analysis';
import { DEFAULT_LIMITS, QueryLimits } from '../src/edge/limits';
import { aliasQuery, deepQuery, startPlacesAndPeople, type FixtureSubgraph, type TestGateway } from './support/fixtures';

// The API schema carries no @listSize/@cost: the analyzer gets them from the supergraph SDL.
const SDL = `
  schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"]) { query: Query }
  directive @link(url: String, as: String, import: [String]) repeatable on SCHEMA
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  directive @cost(weight: Int!) on FIELD_DEFINITION | OBJECT
  type Query {
    agencies(first: Int = 10, last: Int, search: String): [Agency!]! @listSize(slicingArguments: ["first", "last"], requireOneSlicingArgument: false)
    agency(id: ID!): Agency
    page(first: Int!): AgencyPage! @listSize(slicingArguments: ["first"], sizedFields: ["items"])
    search(first: Int = 3): [Result!]!
    export: String @cost(weight: 500)
    accounts: [Account!]! @listSize(assumedSize: 2)
    recent(first: Int, last: Int): [Agency!]! @listSize(slicingArguments: ["first", "last"])
  }
  type AgencyPage { items: [Agency!]! total: Int! }
  type Agency { id: ID! name: String! services: [Service!]! @listSize(assumedSize: 4) }
  type Service { id: ID! name: String! agency: Agency! }
  union Result = Agency | Service
  union Account = User | Admin
  type User { id: ID! similar: [Account!]! @listSize(assumedSize: 2) }
  type Admin { id: ID! similar: [Account!]! @listSize(assumedSize: 2) }
`;
const schema = buildSchema(SDL);

const analyzer = () => {
  const a = new OperationAnalyzer({ maxTokens: 15_000, listSizeDefault: 10 });
  a.setSchema(schema, costDirectivesFromSupergraph(SDL));
  return a;
};

describe('operation analysis', () => {
  it('measures depth, aliases, root fields and cost', () => {
    const a = analyzer();
    const r = a.analyze('query Q { x: agencies(first: 5) { id services { id name } } agency(id: "a") { name } }');
    expect(r.operations.get('Q')).toMatchObject({ depth: 3, aliases: 1, rootFields: 2 });
    // agencies: 1 + 5 × (id 1 + services (1 + 4 × 2)) = 1 + 5 × 10 = 51; agency: 1 + 1 = 2
    expect(r.operations.get('Q')!.cost).toBe(53);
  });

  it('uses the schema default of `first` and the variables of the request', () => {
    const a = analyzer();
    const r = a.analyze('query Q($n: Int!) { agencies(first: $n) { id } }');
    expect(r.operations.get('Q')!.costDependsOnVariables).toBe(true);
    expect(a.costOf(r, 'Q', { n: 50 })).toBe(51);
    expect(a.costOf(r, 'Q', { n: 2 })).toBe(3);
    expect(a.analyze('{ agencies { id } }').operations.get('')!.cost).toBe(11);
  });

  it('sizes lists by their @listSize only: slicing arguments (the largest given), assumedSize, sized fields, else the default', () => {
    const a = analyzer();
    const cost = (q: string) => a.analyze(q).operations.get('')!.cost;
    expect(cost('{ agencies(first: 3, last: 7) { id } }')).toBe(1 + 7);
    // `first` of a list without @listSize is not a size: the list counts the default 10.
    expect(cost('{ search(first: 2) { ... on Agency { id } } }')).toBe(1 + 10);
    expect(cost('{ page(first: 6) { total items { id } } }')).toBe(1 + (1 + (1 + 6)));
    expect(cost('{ export }')).toBe(500);
  });

  it('refuses a list whose @listSize requires exactly one slicing argument when it gets none or two', () => {
    const a = analyzer();
    const missing = (q: string) => a.analyze(q).operations.get('')!.slicingArgumentMissing;
    expect(missing('{ recent { id } }')).toBe('Query.recent');
    expect(missing('{ recent(first: 1, last: 2) { id } }')).toBe('Query.recent');
    expect(missing('{ recent(last: 2) { id } }')).toBeUndefined();
    expect(missing('{ agencies { id } }')).toBeUndefined();
    const limits = new QueryLimits(DEFAULT_LIMITS);
    const analysis = a.analyze('{ recent { id } }');
    expect(() => limits.check(a, analysis, undefined, undefined, [])).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', status: 400, message: 'Query.recent needs exactly one of its slicing arguments (its @listSize says so).' }),
    );
  });

  it('prices an item of a union as its dearest member, not as the sum of its members', () => {
    const a = analyzer();
    // accounts: 1 + 2 × (dearest of User and Admin: id 1 + similar (1 + 2 × 1) = 4) = 9
    const q = '{ accounts { ... on User { id similar { ... on User { id } ... on Admin { id } } } ... on Admin { id similar { ... on User { id } ... on Admin { id } } } } }';
    expect(a.analyze(q).operations.get('')!.cost).toBe(9);
    // A named fragment on a member counts for that member, as an inline one does.
    const named = '{ accounts { ...U ... on Admin { id } } } fragment U on User { id similar { ... on User { id } } }';
    expect(a.analyze(named).operations.get('')!.cost).toBe(1 + 2 * 4);
  });

  it('measures a fragment bomb without expanding it', () => {
    // 40 levels of doubling: 2^39 (5.5 × 10^11) spreads if expanded, which would not finish within
    // the test's timeout on any machine; measured without expanding, it takes milliseconds.
    const frags = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Agency { ${i === 39 ? 'id' : `...F${i + 1} ...F${i + 1}`} }`).join('\n');
    const r = analyzer().analyze(`{ agency(id: "a") { ...F0 } } ${frags}`);
    expect(r.operations.get('')!.cost).toBeGreaterThan(2 ** 39);
  });

  it('counts tokens and stops past the cap', () => {
    const a = new OperationAnalyzer({ maxTokens: 100, listSizeDefault: 10 });
    expect(a.analyze('{ agency(id: "a") { id } }').tokens).toBe(11);
    const big = a.analyze(aliasQuery(50));
    expect(big.tooManyTokens).toBe(true);
    expect(big.document).toBeUndefined();
  });

  it('counts bracket nesting with the lexer, and parses nothing nested past maxNesting', () => {
    expect(lexicalFigures('{ a(x: [[1]], y: {z: 1}) { b { c } } }', 100)).toEqual({ tokens: 25, nesting: 4 });
    const a = new OperationAnalyzer({ maxTokens: 15_000, maxNesting: 60, listSizeDefault: 10 });
    // 4,990 levels fit in an analyst's 15,000 tokens; graphql's recursive parser overflowed the stack on them.
    const deep = a.analyze(nested(4990));
    expect(deep).toMatchObject({ tooDeep: true, nesting: 4991, tooManyTokens: false });
    expect(deep.document).toBeUndefined();
    expect(deep.syntaxError).toBeUndefined();
    const lists = a.analyze(`{ agencies(first: ${'['.repeat(4000)}1${']'.repeat(4000)}) { id } }`);
    expect(lists).toMatchObject({ tooDeep: true, nesting: 4002 });
    expect(a.analyze(nested(59))).toMatchObject({ tooDeep: false, nesting: 60 });
  });

  it('refuses a text nested past maxNesting as too deep, with the figures', () => {
    const a = new OperationAnalyzer({ maxTokens: 15_000, maxNesting: 60, listSizeDefault: 10 });
    const limits = new QueryLimits(DEFAULT_LIMITS);
    expect(limits.maxNesting).toBe(60);
    expect(() => limits.check(a, a.analyze(nested(4990)), undefined, undefined, ['admin'])).toThrow(
      expect.objectContaining({ status: 400, code: 'QUERY_TOO_COMPLEX', extensions: { depth: 4991, maxDepth: 15 } }),
    );
  });

  it('caches per text and normalises for the safelist id', () => {
    const a = analyzer();
    const one = a.analyze('query A { agency(id: "a") { id } }');
    expect(a.analyze('query A { agency(id: "a") { id } }')).toBe(one);
    expect(a.analyze('query A {\n  agency(id: "a") {\n    id # comment\n  }\n}').normalizedId).toBe(one.normalizedId);
  });
});

describe('budgets per role', () => {
  const limits = new QueryLimits(DEFAULT_LIMITS);
  it('takes the most generous figure among the roles, and the default without one', () => {
    expect(limits.budgetFor([])).toEqual(DEFAULT_LIMITS.default);
    expect(limits.budgetFor(['citizen'])).toEqual(DEFAULT_LIMITS.default);
    expect(limits.budgetFor(['officer', 'analyst']).cost).toBe(DEFAULT_LIMITS.analyst!.cost);
  });
  it('gives analysts more, but not unlimited', () => {
    const analyst = limits.budgetFor(['analyst']);
    for (const k of ['depth', 'aliases', 'rootFields', 'tokens', 'cost'] as const) {
      expect(analyst[k]).toBeGreaterThanOrEqual(DEFAULT_LIMITS.default[k]);
      expect(Number.isFinite(analyst[k])).toBe(true);
    }
  });
});

describe('query limits at the gateway', () => {
  let graph: Awaited<ReturnType<typeof startPlacesAndPeople>>;
  let places: FixtureSubgraph;
  let people: FixtureSubgraph;
  let gw: TestGateway;
  beforeAll(async () => {
    graph = await startPlacesAndPeople();
    ({ places, people, gw } = graph);
  });
  afterAll(() => ifStarted(graph)?.close());

  const refusedWithoutCalls = async (run: () => Promise<{ status: number; body: any }>, status: number, ext: Record<string, unknown>) => {
    const before = places.calls.length + people.calls.length;
    const { status: s, body } = await run();
    expect(s).toBe(status);
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', ...ext });
    expect(places.calls.length + people.calls.length).toBe(before);
  };

  it('answers a query within budget', async () => {
    const { body } = await gw.gql(deepQuery(6));
    expect(body.errors).toBeUndefined();
    expect(body.data.agencies[0].services[0].agency.services[0].agency.id).toBe('dispendukcapil');
  });

  it('refuses a query 50 levels deep with the figures', async () => {
    await refusedWithoutCalls(() => gw.gql(deepQuery(50)), 400, { depth: 50, maxDepth: DEFAULT_LIMITS.default.depth });
  });

  it('refuses 1,000 aliases', async () => {
    await refusedWithoutCalls(() => gw.gql(aliasQuery(1000), { login: 'analis' }), 400, { code: 'QUERY_TOO_COMPLEX' });
    const { body } = await gw.gql(aliasQuery(40));
    expect(body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', aliases: 40, maxAliases: 30 });
  });

  it('refuses too many root fields and too high a cost', async () => {
    const roots = `{ ${Array.from({ length: 11 }, () => 'agencies { id }').join(' ')} }`;
    await refusedWithoutCalls(() => gw.gql(roots), 400, { rootFields: 11, maxRootFields: 10 });
    await refusedWithoutCalls(() => gw.gql('query($n: Int!) { agencies(first: $n) { services { agency { services { id } } } } }', { variables: { n: 1000 } }), 400, { maxCost: 2500 });
  });

  it('gives an analyst a larger budget, not an unlimited one', async () => {
    const q = `{ agency(id: "dispendukcapil") { ${Array.from({ length: 60 }, (_, i) => `n${i}: name`).join(' ')} } }`;
    expect((await gw.gql(q, { login: 'warga.siti' })).body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', aliases: 60 });
    expect((await gw.gql(q, { login: 'analis' })).body.errors).toBeUndefined();
    await refusedWithoutCalls(() => gw.gql(deepQuery(50), { login: 'analis' }), 400, { depth: 50, maxDepth: 15 });
  });

  // graphql 16.15 deprecates the parse option `maxTokens`; the gateway passes `maxLexicalTokens`
  // (edge analysis, Apollo Server's parseOptions, subscriptions) with the same limit.
  it('refuses a token stream over the largest budget with QUERY_TOO_COMPLEX, and Apollo Server parses with the same token limit', async () => {
    const limits = new QueryLimits(DEFAULT_LIMITS);
    const text = `{ ${'agencies { id } '.repeat(Math.ceil(limits.maxTokens / 4))} }`;
    expect(lexicalFigures(text, Number.MAX_SAFE_INTEGER).tokens).toBeGreaterThan(limits.maxTokens);
    await refusedWithoutCalls(() => gw.gql(text, { login: 'admin' }), 400, { tokens: `more than ${limits.maxTokens}`, maxTokens: limits.maxTokens });
    // Behind the edge, Apollo Server's own parse stops at the same count (GRAPHQL_PARSE_FAILED, nothing run).
    const before = places.calls.length + people.calls.length;
    const res = await gw.app.apollo.executeOperation(
      { query: text },
      { contextValue: { requestId: 'limits-test', caller: { sub: 'admin', roles: ['admin'] }, callerHeader: '', logger: memoryLogger('gateway').logger } as never },
    );
    const result = res.body.kind === 'single' ? res.body.singleResult : undefined;
    expect(result?.errors?.[0]).toMatchObject({ message: `Syntax Error: Document contains more that ${limits.maxTokens} tokens. Parsing aborted.`, extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(places.calls.length + people.calls.length).toBe(before);
    // A text of exactly the limit still parses.
    expect(new OperationAnalyzer({ maxTokens: 11, listSizeDefault: 10 }).analyze('{ agency(id: "a") { id } }').document).toBeDefined();
  });

  it('refuses a 2 MB body with 413', async () => {
    const body = JSON.stringify({ query: `{ agencies { id } } # ${'x'.repeat(2 * 1024 * 1024)}` });
    await refusedWithoutCalls(() => gw.post(body), 413, { maxBodyBytes: 1_000_000, bodyBytes: Buffer.byteLength(body) });
  });

  it('refuses a batch of 100 operations and answers a small batch', async () => {
    const batch = Array.from({ length: 100 }, () => ({ query: '{ agencies { id } }' }));
    await refusedWithoutCalls(() => gw.post(batch), 400, { batchSize: 100, maxBatchSize: 10 });
    const { status, body } = await gw.post([{ query: '{ agencies { id } }' }, { query: '{ agency(id: "dispendukcapil") { name } }' }]);
    expect(status).toBe(200);
    expect(body).toHaveLength(2);
    expect(body[1].data.agency.name).toMatch(/Kependudukan/);
  });

  it('judges every operation of a batch', async () => {
    await refusedWithoutCalls(() => gw.post([{ query: '{ agencies { id } }' }, { query: deepQuery(50) }]), 400, { depth: 50, batchIndex: 1 });
  });

  it('refuses a batch with several bad operations with each refusal in batch order, and runs none of it', async () => {
    const before = places.calls.length + people.calls.length;
    const wrongHash = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update('{ other }').digest('hex') } };
    const { status, body } = await gw.post([
      { query: deepQuery(50) },
      { query: '{ agencies { id } }' },
      { query: '{ agencies { id } }', extensions: wrongHash },
      { query: 'query A { agencies { id } } query B { agencies { id } }' },
    ]);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors.map((e: any) => [e.extensions.batchIndex, e.extensions.code])).toEqual([
      [0, 'QUERY_TOO_COMPLEX'],
      [2, 'PERSISTED_QUERY_HASH_MISMATCH'],
      [3, 'OPERATION_RESOLUTION_FAILURE'],
    ]);
    expect(places.calls.length + people.calls.length).toBe(before);
  });
});

/** `{ a { a { … id } } }`: `levels` fields, then id (4,990 levels are ~15,000 tokens: an analyst's budget). */
function nested(levels: number): string {
  return `{${'a{'.repeat(levels)}id${'}'.repeat(levels + 1)}`;
}

describe('a query nested thousands of levels deep', () => {
  let graph: Awaited<ReturnType<typeof startPlacesAndPeople>>;
  const log = memoryLogger('gateway');
  const deep = nested(4990);
  const expected = { code: 'QUERY_TOO_COMPLEX', depth: 4991, maxDepth: DEFAULT_LIMITS.admin!.depth };
  beforeAll(async () => {
    graph = await startPlacesAndPeople({ gateway: { logger: log.logger } });
  });
  afterAll(() => ifStarted(graph)?.close());

  const refused = (status: number, body: any) => {
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{ message: `This query nests too deeply: depth 4991, at most ${expected.maxDepth}.`, extensions: expected }]);
  };

  // Before: 400 GRAPHQL_PARSE_FAILED "Maximum call stack size exceeded" (the parser's RangeError).
  it('is refused over POST before anything recursive runs, and nothing is logged as an error', async () => {
    const { status, body } = await graph.gw.gql(deep, { login: 'admin' });
    refused(status, body);
    expect(graph.places.calls.length + graph.people.calls.length).toBe(0);
  });

  it('is refused over GET', async () => {
    const token = await graph.gw.idp.issue('admin');
    // Braces need no escaping in a query string: the whole text fits in Node's 16 KiB of headers.
    const res = await fetch(`${graph.gw.url}?query=${deep}`, { headers: { authorization: `Bearer ${token}` } });
    refused(res.status, await res.json());
  });

  it('is refused inside a batch, the error naming its place in the batch', async () => {
    const { status, body } = await graph.gw.post([{ query: '{ agencies { id } }' }, { query: deep }], { login: 'admin' });
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{ message: `This query nests too deeply: depth 4991, at most ${expected.maxDepth}.`, extensions: { ...expected, batchIndex: 1 } }]);
    expect(graph.places.calls.length + graph.people.calls.length).toBe(0);
  });

  it('is refused when registered as an automatic persisted query, and is then unknown by its hash', async () => {
    const ext = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(deep).digest('hex') } };
    const register = await graph.gw.post({ query: deep, extensions: ext }, { login: 'admin' });
    refused(register.status, register.body);
    const byHash = await graph.gw.post({ extensions: ext }, { login: 'admin' });
    expect(byHash.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('is refused for a citizen by its tokens first (their budget is 2,000)', async () => {
    const { body } = await graph.gw.gql(deep, { login: 'warga.siti' });
    expect(body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxTokens: 2000 });
  });

  it('logged nothing at error level', () => {
    expect(log.at('error')).toEqual([]);
    expect(log.at('fatal')).toEqual([]);
  });
});
