import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildRatingsSchema } from '../src/schema';

// The shapes the other subgraphs give the shared entities (directory: names; population: `me`).
const DIRECTORY = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { agency(id: ID!): Agency  agencies(search: String, first: Int! = 10): [Agency!]! }
  type Agency @key(fields: "id") { id: ID! name: String! abbreviation: String! services: [Service!]! officers: [Officer!]! }
  type Service @key(fields: "id") { id: ID! name: String! slaDays: Int! fee: Int! requirements: [String!]! }
  type Officer @key(fields: "id") { id: ID! name: String! position: String! }
`;
const POPULATION = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { me: Citizen }
  type Citizen @key(fields: "id") { id: ID! name: String! }
`;

describe('ratings subgraph in the supergraph', () => {
  it('composes with the directory and population shapes, and serves the contract operations\' fields', async () => {
    const ratings = printSubgraphSchema(await buildRatingsSchema());
    const result = composeServices([
      { name: 'directory', url: 'http://directory.invalid/graphql', typeDefs: parse(DIRECTORY) },
      { name: 'population', url: 'http://population.invalid/graphql', typeDefs: parse(POPULATION) },
      { name: 'ratings', url: 'http://ratings.invalid/graphql', typeDefs: parse(ratings) },
    ]);
    expect(result.errors?.map((e) => e.message) ?? []).toEqual([]);
    const api = result.schema!.toAPISchema().toGraphQLJSSchema();
    const fields = (type: string) => Object.keys((api.getType(type) as never as { getFields(): object }).getFields());
    expect(fields('Citizen')).toEqual(expect.arrayContaining(['id', 'name', 'tickets']));
    expect(fields('Ticket')).toEqual(expect.arrayContaining(['id', 'status', 'submittedAt', 'completedAt', 'agency', 'service', 'officer', 'myRating', 'canRate']));
    expect(fields('Agency')).toEqual(expect.arrayContaining(['name', 'rating', 'satisfaction']));
    expect(fields('Officer')).toEqual(expect.arrayContaining(['name', 'rating']));
    expect(fields('Mutation')).toEqual(expect.arrayContaining(['rateService', 'finalizeTppReport']));
    expect(fields('Query')).toEqual(expect.arrayContaining(['me', 'tppReport']));
  });
});
