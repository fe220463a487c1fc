import { getNamedType, isInputObjectType, isListType, isNonNullType, isObjectType, type GraphQLInputType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { GerbangError } from '@gerbang/common';
import { SUBGRAPHS } from '../scripts/subgraphs';

/**
 * Every text argument of every subgraph refuses what PostgreSQL cannot store, without anyone
 * listing them: the subgraphs' schemas are walked, and each argument that can carry a string is
 * given a NUL character at a string leaf; the field must refuse it with BAD_USER_INPUT naming
 * that leaf, before its resolver runs (the resolver would need a context and a database).
 */
function nulValue(type: GraphQLInputType): { value: unknown; field?: string } | undefined {
  if (isNonNullType(type)) return nulValue(type.ofType);
  if (isListType(type)) {
    const inner = nulValue(type.ofType);
    return inner && { value: [inner.value], field: inner.field };
  }
  const named = getNamedType(type);
  if (isInputObjectType(named)) {
    for (const f of Object.values(named.getFields())) {
      const inner = nulValue(f.type);
      if (inner) return { value: { [f.name]: inner.value }, field: inner.field ?? f.name };
    }
    return undefined;
  }
  if ('parseValue' in named && !['Int', 'Float', 'Boolean'].includes(named.name) && !('getValues' in named)) return { value: 'x\u0000y' };
  return undefined;
}

describe('text arguments of every subgraph', () => {
  it.each(SUBGRAPHS.map((s) => [s.name, s] as const))('%s: each refuses NUL with BAD_USER_INPUT naming the field', async (_name, entry) => {
    const schema = await entry.schema();
    const covered: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (field.name === '_entities' || field.name === '_service') continue;
        for (const arg of field.args) {
          const nul = nulValue(arg.type);
          if (!nul) continue;
          const where = `${type.name}.${field.name}(${arg.name})`;
          let thrown: unknown;
          try {
            await field.resolve!(undefined, { [arg.name]: nul.value }, {}, {} as never);
          } catch (err) {
            thrown = err;
          }
          expect(thrown, where).toBeInstanceOf(GerbangError);
          expect((thrown as GerbangError).extensions, where).toEqual({ code: 'BAD_USER_INPUT', field: nul.field ?? arg.name });
          covered.push(where);
        }
      }
    }
    if (entry.name === 'ratings') {
      // The fields the probe found, among the others.
      expect(covered).toEqual(expect.arrayContaining(['Mutation.rateService(input)', 'Mutation.fileTppAppeal(reason)', 'Mutation.reviewRatingFlag(note)', 'Mutation.hideRatingComment(reason)']));
    }
    expect(covered.length, 'every subgraph takes some text').toBeGreaterThan(0);
  });
});
