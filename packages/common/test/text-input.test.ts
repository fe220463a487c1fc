import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { findUnstorableText, refuseUnstorableText, textProblem } from '../src';

describe('text PostgreSQL cannot store', () => {
  it('is NUL and unpaired surrogates; everything else is text', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('\ud800')).toMatch(/unpaired surrogate/);
    expect(textProblem('x\udc00')).toMatch(/unpaired surrogate/);
    for (const ok of ['', 'Pelayanan cepat 👍', 'tab\tand\nnewline', '\u0001\u007f', 'ẞ 中文 العربية']) expect(textProblem(ok), ok).toBeUndefined();
  });

  it('is found anywhere in an argument value, named by its own field', () => {
    expect(findUnstorableText({ ticketId: 'a', comment: 'b\u0000', skm: [1, 2] }, 'input')).toEqual({ field: 'comment', problem: expect.stringMatching(/NUL/) });
    expect(findUnstorableText(['ok', 'no\u0000'], 'tags')).toMatchObject({ field: 'tags' });
    expect(findUnstorableText({ at: new Date(), n: 3, nested: { deep: ['x', { note: 'y' }] } }, 'input')).toBeUndefined();
  });
});

describe('refuseUnstorableText', () => {
  const schema = () =>
    refuseUnstorableText(
      buildSubgraphSchema([
        {
          typeDefs: parse(`
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
            type Query { echo(text: String, input: Note): String count(n: Int!, kind: Kind): Int thing(id: ID!): Thing }
            type Mutation { note(input: Note!): String }
            input Note { title: String! tags: [String!] inner: Inner }
            input Inner { body: String }
            enum Kind { A B }
            type Thing @key(fields: "id") { id: ID! label(lang: String): String }
          `),
          resolvers: {
            Query: { echo: (_: unknown, a: { text?: string; input?: { title: string } }) => a.text ?? a.input?.title ?? '', count: () => 1, thing: (_: unknown, a: { id: string }) => ({ id: a.id }) },
            Mutation: { note: () => 'stored' },
            Thing: { __resolveReference: (ref: { id: string }) => ref, label: (_: unknown, a: { lang?: string }) => a.lang ?? 'id' },
          } as never,
        },
      ]),
    );

  it('refuses NUL in literals, variables, input objects, lists and field arguments, naming the field', async () => {
    const s = schema();
    const run = async (source: string, variableValues?: Record<string, unknown>) =>
      (await graphql({ schema: s, source, variableValues })).errors?.map((e) => ({ message: e.message, ...e.extensions }));
    expect(await run('{ echo(text: "a\\u0000b") }')).toEqual([{ message: 'text must not contain the NUL character (U+0000).', code: 'BAD_USER_INPUT', field: 'text' }]);
    expect(await run('query($t: String) { echo(text: $t) }', { t: 'a\u0000' })).toMatchObject([{ code: 'BAD_USER_INPUT', field: 'text' }]);
    expect(await run('mutation($n: Note!) { note(input: $n) }', { n: { title: 'ok', inner: { body: '\u0000' } } })).toMatchObject([{ field: 'body' }]);
    expect(await run('mutation { note(input: { title: "ok", tags: ["a", "\\u0000"] }) }')).toMatchObject([{ field: 'tags' }]);
    expect(await run('{ thing(id: "x") { label(lang: "\\u0000") } }')).toMatchObject([{ field: 'lang' }]);
    expect(await run('{ thing(id: "\\u0000") { id } }')).toMatchObject([{ field: 'id' }]);
    expect(await run('{ echo(text: "Pelayanan cepat 👍") count(n: 2, kind: A) }')).toBeUndefined();
  });

  it("leaves fields without text arguments alone, and federation's own fields to the gateway's plan", async () => {
    const s = schema();
    const fields = (type: string) => (s.getType(type) as never as { getFields(): Record<string, { resolve: (...a: unknown[]) => unknown }> }).getFields();
    // Called with what no client could send them, they do not check: they take no text.
    expect(fields('Query').count!.resolve(undefined, { n: 'x\u0000' }, {}, {})).toBe(1);
    const entities = await graphql({ schema: s, source: '{ _entities(representations: [{ __typename: "Thing", id: "a\u0000" }]) { ... on Thing { id } } }' });
    expect(entities.errors).toBeUndefined();
  });
});
