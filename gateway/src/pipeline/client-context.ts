import { encodeCaller, type Caller } from '@gerbang/common';
import { deviceIdOf, publicAddress } from '../edge/request';
import { callerOf, check } from './step';

/** Callers come from the identity cache (the same object per token): encode each once. */
const encodedCallers = new WeakMap<Caller, string>();
function encodedCaller(caller: Caller): string {
  let header = encodedCallers.get(caller);
  if (!header) encodedCallers.set(caller, (header = encodeCaller(caller)));
  return header;
}

/**
 * The caller as subgraphs receive it. Mutations also tell them where they came from (Caller.ip when
 * public, Caller.deviceId from X-Device-Id, malformed: BAD_USER_INPUT) for the ratings' anomaly
 * rules; queries do not, so their header is the caller's own, encoded once.
 */
export const clientContext = check('client context', (ctx) => {
  const caller = callerOf(ctx);
  if (!ctx.mutation) {
    ctx.callerHeader = encodedCaller(caller);
    return;
  }
  const ip = publicAddress(ctx.address);
  const deviceId = deviceIdOf(ctx.req);
  ctx.callerHeader = encodeCaller({ ...caller, ...(ip ? { ip } : {}), ...(deviceId ? { deviceId } : {}) });
});
