import { GraphQLError } from 'graphql';
import { ErrorCode, type Caller } from '@gerbang/common';
import { EdgeRefusal } from '../edge/refusal';
import type { Identity } from '../identity';
import { check, type EdgeStep } from './step';

/** The caller of a bearer token (anonymous without one); a token that does not verify is UNAUTHENTICATED (401). */
export async function identify(identity: Identity, authorization: string | undefined): Promise<Caller> {
  try {
    return await identity.callerFrom(authorization);
  } catch (err) {
    if (err instanceof GraphQLError) throw new EdgeRefusal(401, typeof err.extensions.code === 'string' ? err.extensions.code : ErrorCode.UNAUTHENTICATED, err.message);
    throw err;
  }
}

export function identityStep(identity: Identity): EdgeStep {
  return check('identity', async (ctx) => {
    ctx.caller = await identify(identity, ctx.req.headers.authorization);
  });
}
