import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { checkPersistedQuery, type PersistedPolicy, type Safelist } from '../edge/persisted';
import { resolvePersisted } from '../edge/request';
import { callerOf, check, forEachOperation, type EdgeStep } from './step';

/**
 * Persisted operations: an APQ registration must carry its text's hash (PERSISTED_QUERY_HASH_MISMATCH),
 * and an operation sent by id gets its text from the safelist or the APQ cache, so that every
 * later step judges the text that will run (a GET's `query` parameter is filled in for Apollo Server).
 */
export function persistedOperations(safelist: Safelist, apq: KeyValueCache): EdgeStep {
  return check('persisted operations', async (ctx) => {
    await forEachOperation(ctx, async ({ op }) => {
      checkPersistedQuery(op);
      const filled = await resolvePersisted(op, safelist, apq);
      if (filled && ctx.req.method === 'GET') ctx.url.searchParams.set('query', op.query as string);
    });
  });
}

/** With enforcement on, only safelisted operations from the listed clients (PERSISTED_QUERY_REQUIRED): edge/persisted.ts. */
export function safelistPolicy(policy: PersistedPolicy): EdgeStep {
  return check('safelist', (ctx) => {
    const caller = callerOf(ctx);
    return forEachOperation(ctx, ({ analysis }) => {
      if (analysis) policy.check(analysis, caller, ctx.clientName);
    });
  });
}
