import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildRatingsSchema } from '../src/schema';

// The other subgraphs as they really are: the SDL `npm run compose` writes to schema/ (and
// `npm run compose:check` keeps equal to their code), not hand-written shapes that drift.
const SCHEMA_DIR = join(import.meta.dirname, '..', '..', '..', 'schema');
const others = readdirSync(SCHEMA_DIR)
  .filter((f) => f.endsWith('.graphql') && f !== 'supergraph.graphql' && f !== 'ratings.graphql')
  .map((f) => {
    const name = f.slice(0, -'.graphql'.length);
    return { name, url: `http://${name}.invalid/graphql`, typeDefs: parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')) };
  });

describe('ratings subgraph in the supergraph', () => {
  it("composes with every other subgraph's committed SDL, and serves the contract operations' fields", async () => {
    expect(others.map((s) => s.name)).toEqual(expect.arrayContaining(['directory', 'population', 'staff']));
    const ratings = printSubgraphSchema(await buildRatingsSchema());
    const result = composeServices([...others, { name: 'ratings', url: 'http://ratings.invalid/graphql', typeDefs: parse(ratings) }]);
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
