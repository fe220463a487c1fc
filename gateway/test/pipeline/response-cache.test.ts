import { HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@gerbang/common';
import { ResponseCache, type CacheInvalidation } from '../../src/edge/response-cache';
import { responseCacheStep } from '../../src/pipeline/response-cache';
import { anonymous, request } from './support';

function connectedCache() {
  const invalidation: CacheInvalidation = { start: (h) => h.onConnected(true), close: async () => undefined };
  return new ResponseCache({ invalidation, logger: createLogger('t', 'silent') });
}

const answer = (cacheControl: string): HTTPGraphQLResponse => ({
  status: 200,
  headers: new HeaderMap([['cache-control', cacheControl]]),
  body: { kind: 'complete', string: JSON.stringify({ data: { agencies: [{ id: 'dinsos' }] } }) },
});

/** One public read through the step; `next` plays Apollo Server, running the hooks as execute does. */
async function read(cache: ResponseCache, cacheControl = 'max-age=60, public') {
  const { ctx, res } = request({ method: 'GET' });
  ctx.caller = anonymous;
  ctx.operations = [{ op: { query: '{ agencies { id } }' } }];
  let executed: HTTPGraphQLResponse | undefined;
  await responseCacheStep(cache).run(ctx, async () => {
    executed = answer(cacheControl);
    for (const hook of ctx.beforeWrite) hook(executed);
  });
  return { res, executed };
}

describe('response cache step', () => {
  it('builds a public answer once, marks it a miss, and serves it again as a hit without executing', async () => {
    const cache = connectedCache();
    const first = await read(cache);
    expect(first.executed?.headers.get('cache-control')).toBe('no-cache');
    expect(first.executed?.headers.get('gerbang-cache')).toBe('miss');
    const second = await read(cache);
    expect(second.executed).toBeUndefined();
    expect([second.res.statusCode, second.res.headers['gerbang-cache'], JSON.parse(second.res.body)]).toEqual([200, 'hit', { data: { agencies: [{ id: 'dinsos' }] } }]);
  });

  it('neither stores nor serves private answers, mutations or batches', async () => {
    const cache = connectedCache();
    await read(cache, 'max-age=60, private');
    expect((await read(cache, 'max-age=60, private')).executed).toBeDefined();
    const { ctx } = request();
    ctx.caller = anonymous;
    ctx.mutation = true;
    ctx.operations = [{ op: { query: 'mutation { rate }' } }];
    let executed = false;
    await responseCacheStep(cache).run(ctx, async () => void (executed = true));
    expect(executed).toBe(true);
  });
});
