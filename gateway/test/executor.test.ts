import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from 'graphql';
import { readGatewayConfig } from '../src/config';
import { executorKindFrom } from '../src/executor';
import { PlanCompiler, runNode, type FetchRequest, type PlanRun } from '../src/executor/plan';
import { startGateway, startSubgraph, type FixtureSubgraph, type TestGateway } from './support/fixtures';
import { ifStarted } from '@gerbang/testing';

// The whole gateway suite runs with either executor (GATEWAY_EXECUTOR, CI runs both); the
// federation audit (`npm run audit:federation`) compares them on 199 public cases. These tests
// pin what is particular to Gerbang's executor: byte-identical answers, one representation per
// entity, and the switch.

const REVIEWS_SDL = /* GraphQL */ `
  type Query {
    reviews: [Review]!
  }
  type Review {
    id: ID!
    body: String!
    rating: Int
    author: User!
  }
  type User @key(fields: "id") {
    id: ID!
  }
`;
const USERS_SDL = /* GraphQL */ `
  type User @key(fields: "id") {
    id: ID!
    name: String!
    nickname: String
  }
`;
const REVIEWS = [
  { id: 'r1', body: 'fast', rating: 5, author: 'u1' },
  { id: 'r2', body: 'again', rating: 4, author: 'u1' },
  { id: 'r3', body: 'slow', rating: 'two' as unknown as number, author: 'u2' },
  { id: 'r4', body: 'who?', rating: 1, author: 'u3' },
];
const USERS: Record<string, { id: string; name: string; nickname: string | null }> = {
  u1: { id: 'u1', name: 'Siti', nickname: 'siti' },
  u2: { id: 'u2', name: 'Budi', nickname: null },
};

describe("Gerbang's executor against @apollo/gateway's", () => {
  let reviews: FixtureSubgraph;
  let users: FixtureSubgraph;
  let apollo: TestGateway;
  let gerbang: TestGateway;
  let references: string[] = [];
  beforeAll(async () => {
    reviews = await startSubgraph('reviews', REVIEWS_SDL, {
      Query: { reviews: () => REVIEWS.map((r) => ({ ...r, author: { id: r.author } })) },
    } as never);
    users = await startSubgraph('users', USERS_SDL, {
      User: {
        __resolveReference: (ref: { id: string }) => {
          references.push(ref.id);
          return USERS[ref.id] ?? null;
        },
      },
    } as never);
    apollo = await startGateway([reviews, users], { executor: 'apollo' });
    gerbang = await startGateway([reviews, users], { executor: 'gerbang' });
  });
  afterAll(async () => {
    await ifStarted(apollo)?.close();
    await ifStarted(gerbang)?.close();
    await ifStarted(reviews)?.stop();
    await ifStarted(users)?.stop();
  });

  const QUERIES: [string, string, Record<string, unknown>?][] = [
    ['entities, a null and a missing one', '{ reviews { id body author { id name nickname } } }'],
    [
      'aliases, fragments, __typename, @include with a default and a variable',
      'query Q($withName: Boolean = true, $skipBody: Boolean!) { all: reviews { __typename ... on Review { rid: id body @skip(if: $skipBody) author { __typename ...U @include(if: $withName) } } } } fragment U on User { n: name }',
      { skipBody: true },
    ],
    ['a leaf of the wrong type (valueCompletion)', '{ reviews { id rating } }'],
    ['only __typename', '{ __typename }'],
    ['introspection beside data', '{ __type(name: "User") { name fields { name } } reviews { id } }'],
  ];
  for (const [what, query, variables] of QUERIES) {
    it(`answers byte for byte as @apollo/gateway does: ${what}`, async () => {
      const a = await apollo.gql(query, variables ? { variables } : {});
      const g = await gerbang.gql(query, variables ? { variables } : {});
      expect(g.status).toBe(a.status);
      expect(JSON.stringify(g.body)).toBe(JSON.stringify(a.body));
      expect(g.body.data).not.toBeUndefined();
    });
  }

  it('refuses bad variables as @apollo/gateway does', async () => {
    const query = 'query Q($skipBody: Boolean!) { reviews { id body @skip(if: $skipBody) } }';
    const a = await apollo.gql(query, { variables: { skipBody: 'yes' } });
    const g = await gerbang.gql(query, { variables: { skipBody: 'yes' } });
    expect(g.status).toBe(a.status);
    expect(g.body).toEqual(a.body);
  });

  it('sends one representation per distinct entity, and every entity gets the answer', async () => {
    references = [];
    await apollo.gql('{ reviews { author { name } } }');
    expect(references.sort()).toEqual(['u1', 'u1', 'u2', 'u3']);
    references = [];
    const { body } = await gerbang.gql('{ reviews { author { name } } }');
    expect(references.sort()).toEqual(['u1', 'u2', 'u3']);
    expect(body.data.reviews.slice(0, 3)).toEqual([{ author: { name: 'Siti' } }, { author: { name: 'Siti' } }, { author: { name: 'Budi' } }]);
    // u3 is unknown to the users subgraph: its review is nulled (author is non-null), with an error.
    expect(body.data.reviews[3]).toBeNull();
  });
});

describe('plan execution', () => {
  const supergraph = buildSchema('type Query { a: Int } type User { id: ID! name: String }');
  it('merges entity answers in place, at every place the entity appears', async () => {
    const sent: FetchRequest[] = [];
    const data: Record<string, unknown> = {
      list: [{ author: { __typename: 'User', id: '1' } }, { author: { __typename: 'User', id: '1' } }, { author: null }, [{ author: { __typename: 'User', id: '2' } }]],
    };
    const run: PlanRun = {
      compiler: new PlanCompiler(supergraph),
      variables: {},
      defaults: {},
      data,
      errors: [],
      send: async (r) => {
        sent.push(r);
        return { data: { _entities: (r.variables.representations as { id: string }[]).map((rep) => ({ name: `n${rep.id}` })) } };
      },
    };
    await runNode(
      run,
      {
        kind: 'Flatten',
        path: ['list', '@', 'author'],
        node: {
          kind: 'Fetch',
          serviceName: 'users',
          operation: 'query($representations:[_Any!]!){_entities(representations:$representations){...on User{name}}}',
          operationName: undefined,
          operationKind: 'query' as never,
          variableUsages: [],
          requires: [
            {
              kind: 'InlineFragment',
              typeCondition: 'User',
              selections: [
                { kind: 'Field', name: '__typename' },
                { kind: 'Field', name: 'id' },
              ],
            },
          ],
        },
      },
      { path: [], values: [data] },
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]!.variables.representations).toEqual([
      { __typename: 'User', id: '1' },
      { __typename: 'User', id: '2' },
    ]);
    expect(data).toEqual({
      list: [
        { author: { __typename: 'User', id: '1', name: 'n1' } },
        { author: { __typename: 'User', id: '1', name: 'n1' } },
        { author: null },
        [{ author: { __typename: 'User', id: '2', name: 'n2' } }],
      ],
    });
    expect(run.errors).toEqual([]);
  });
});

describe('GATEWAY_EXECUTOR', () => {
  it('is gerbang by default, apollo on request, and refuses anything else', () => {
    expect(executorKindFrom(undefined)).toBe('gerbang');
    expect(executorKindFrom('')).toBe('gerbang');
    expect(executorKindFrom('apollo')).toBe('apollo');
    expect(executorKindFrom('gerbang')).toBe('gerbang');
    expect(() => executorKindFrom('fast')).toThrow(/GATEWAY_EXECUTOR must be "apollo" or "gerbang"/);
  });

  it('is read and checked with the rest of the configuration by main.ts', () => {
    expect(readGatewayConfig({}).GATEWAY_EXECUTOR).toBe('gerbang');
    expect(readGatewayConfig({ GATEWAY_EXECUTOR: 'apollo' }).GATEWAY_EXECUTOR).toBe('apollo');
    expect(() => readGatewayConfig({ GATEWAY_EXECUTOR: 'fast' })).toThrow(/GATEWAY_EXECUTOR/);
  });
});
