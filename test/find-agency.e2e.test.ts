import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack';
import { ifStarted } from '@gerbang/testing';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => ifStarted(stack)?.close());

describe('gateway: directory', () => {
  it('finds an agency anonymously', async () => {
    const { body } = await stack.graphql(`query($q: String!) { agencies(search: $q, first: 5) { id name abbreviation } }`, { variables: { q: 'pendudukan sipil' } });
    expect(body.errors).toBeUndefined();
    expect(body.data.agencies[0].id).toBe('dispendukcapil');
  });

  it('refuses a forged token with UNAUTHENTICATED instead of treating it as anonymous', async () => {
    const token = await stack.token('warga.siti');
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const { status, body } = await stack.graphql(`{ agencies(first: 1) { id } }`, { token: forged });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.data).toBeUndefined();
  });
});
