import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Identity } from '../../src/identity';
import { identityStep } from '../../src/pipeline/identity';
import { anonymous, citizen, refusalOf, request, runStep } from './support';

const identity = {
  async callerFrom(authorization: string | undefined) {
    if (authorization === undefined) return anonymous;
    if (authorization === 'Bearer good') return citizen;
    if (authorization === 'Bearer broken') throw new Error('key store down');
    throw new GraphQLError('The token has expired.', { extensions: { code: 'TOKEN_EXPIRED' } });
  },
} as unknown as Identity;

describe('identity step', () => {
  it('sets the caller of the bearer token, anonymous without one', async () => {
    const a = request().ctx;
    await runStep(identityStep(identity), a);
    expect(a.caller).toBe(anonymous);
    const b = request({ headers: { authorization: 'Bearer good' } }).ctx;
    expect(await runStep(identityStep(identity), b)).toEqual({ passed: true });
    expect(b.caller).toBe(citizen);
  });

  it('refuses a token that does not verify with 401 and its code; other failures stay errors', async () => {
    const refusal = await refusalOf(runStep(identityStep(identity), request({ headers: { authorization: 'Bearer old' } }).ctx));
    expect([refusal.status, refusal.code, refusal.message]).toEqual([401, 'TOKEN_EXPIRED', 'The token has expired.']);
    await expect(runStep(identityStep(identity), request({ headers: { authorization: 'Bearer broken' } }).ctx)).rejects.toThrow('key store down');
  });
});
