import type { RateLimits } from '../edge/rate-limit';
import { callerOf, check, type EdgeStep } from './step';

/** The caller's own rate limit (RATE_LIMITED, 429): one request, before its body is read. */
export function callerRateLimit(limits: RateLimits): EdgeStep {
  return check('caller rate limit', (ctx) => limits.consumeCaller(callerOf(ctx), ctx.address));
}

/** A batch of N operations costs the caller N requests: the N − 1 beyond the one already counted. */
export function batchRateLimit(limits: RateLimits): EdgeStep {
  return check('batch rate limit', async (ctx) => {
    if (ctx.batch && ctx.operations.length > 1) await limits.consumeCaller(callerOf(ctx), ctx.address, ctx.operations.length - 1);
  });
}

/**
 * The client application's budget counts what will run: an operation the edge refused before
 * costs the subgraphs nothing (and a caller flooding under a client's name is refused alone:
 * ClientBudget).
 */
export function clientBudget(limits: RateLimits): EdgeStep {
  return check('client budget', (ctx) => limits.consumeClient(ctx.clientName, callerOf(ctx), ctx.address, Math.max(1, ctx.operations.length)));
}
