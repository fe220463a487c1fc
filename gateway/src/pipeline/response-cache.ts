import { graphqlMediaType } from '../edge/refusal';
import { PUBLIC_CACHE_CONTROL, type ResponseCache } from '../edge/response-cache';
import { callerOf, type EdgeStep } from './step';

/**
 * A public read may be answered from the response cache (edge/response-cache.ts): after every
 * check before it, so budgets and limits count it as any other request. A miss joins an answer
 * being built for another request rather than build it again, or builds it and hands it on.
 */
export function responseCacheStep(cache: ResponseCache): EdgeStep {
  return {
    name: 'response cache',
    async run(ctx, next) {
      const [only] = ctx.operations;
      const key = !ctx.mutation && !ctx.batch && ctx.operations.length === 1 && typeof only?.op.query === 'string' ? cache.keyOf(only.op as { query: string }, callerOf(ctx)) : undefined;
      let filled: ((stored: string | undefined) => void) | undefined;
      if (key) {
        let hit = await cache.lookup(key);
        if (hit === undefined) {
          const joined = cache.join(key);
          if ('wait' in joined) hit = await joined.wait;
          else filled = joined.done;
        }
        if (hit !== undefined) {
          ctx.res.writeHead(200, {
            ...ctx.baseHeaders,
            'content-type': graphqlMediaType(ctx.req.headers.accept),
            'content-length': Buffer.byteLength(hit),
            'cache-control': 'no-cache',
            'gerbang-cache': 'hit',
          });
          ctx.res.end(hit);
          return;
        }
      }
      const began = cache.begin();
      let stored: string | undefined;
      ctx.beforeWrite.push((result) => {
        const cacheControl = result.headers.get('cache-control');
        if (!cacheControl || !PUBLIC_CACHE_CONTROL.test(cacheControl)) return;
        if (key && result.body.kind === 'complete' && cache.offer(key, began, cacheControl, result.body.string)) stored = result.body.string;
        // Reused by the gateway, invalidated on change: clients ask again rather than keep a copy.
        result.headers.set('cache-control', 'no-cache');
        if (key) result.headers.set('gerbang-cache', 'miss');
      });
      try {
        await next();
      } finally {
        // Requests waiting for this answer get it (or build their own).
        filled?.(stored);
      }
    },
  };
}
