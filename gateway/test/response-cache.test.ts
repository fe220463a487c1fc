import { describe, expect, it } from 'vitest';
import { createLogger, type Caller } from '@gerbang/common';
import { idsIn, MemoryResponseStore, ResponseCache, type CacheInvalidation } from '../src/edge/response-cache';

/** An invalidation channel the test drives. */
function channel() {
  let handler: Parameters<CacheInvalidation['start']>[0] | undefined;
  const invalidation: CacheInvalidation = {
    start: (h) => void (handler = h),
    close: async () => undefined,
  };
  return { invalidation, up: (on: boolean) => handler!.onConnected(on), notify: (keys: string[] | 'all') => handler!.onInvalidate(keys) };
}

const logger = createLogger('t', 'silent');
const anonymous: Caller = { roles: [] };
const body = (data: unknown) => JSON.stringify({ data });
const PUBLIC = 'max-age=60, public';

describe('ResponseCache', () => {
  it('stores public answers only, and serves them only while the invalidation channel is up', async () => {
    const c = channel();
    const cache = new ResponseCache({ invalidation: c.invalidation, logger });
    const key = cache.keyOf({ query: '{ agencies { id } }' }, anonymous);
    expect(cache.offer(key, cache.begin(), PUBLIC, body({ a: 1 }))).toBe(false); // channel not up yet
    c.up(true);
    expect(cache.offer(key, cache.begin(), 'max-age=60, private', body({ a: 1 }))).toBe(false);
    expect(cache.offer(key, cache.begin(), 'no-store', body({ a: 1 }))).toBe(false);
    expect(cache.offer(key, cache.begin(), 'max-age=0, public', body({ a: 1 }))).toBe(false);
    expect(cache.offer(key, cache.begin(), PUBLIC, JSON.stringify({ data: null, errors: [{ message: 'x' }] }))).toBe(false);
    expect(cache.offer(key, cache.begin(), PUBLIC, body({ a: 1 }))).toBe(true);
    expect(await cache.lookup(key)).toBe(body({ a: 1 }));
    c.up(false);
    expect(await cache.lookup(key)).toBeUndefined();
    // Back: notifications may have been missed meanwhile, so it starts empty.
    c.up(true);
    expect(await cache.lookup(key)).toBeUndefined();
  });

  it('keys by operation, variables (in any key order) and kind of caller', () => {
    const cache = new ResponseCache({ invalidation: channel().invalidation, logger });
    const q = { query: 'query A($x: Int, $y: Int) { a }', operationName: 'A' };
    const k = (vars: unknown, caller: Caller) => cache.keyOf({ ...q, variables: vars }, caller);
    expect(k({ x: 1, y: 2 }, anonymous)).toBe(k({ y: 2, x: 1 }, anonymous));
    expect(k({ x: 1 }, anonymous)).not.toBe(k({ x: 2 }, anonymous));
    const citizen = (sub: string): Caller => ({ sub, roles: ['citizen'] });
    expect(k({}, citizen('a'))).toBe(k({}, citizen('b')));
    expect(k({}, citizen('a'))).not.toBe(k({}, anonymous));
    expect(k({}, { sub: 'h', roles: ['hr'] })).not.toBe(k({}, citizen('a')));
  });

  it('drops the answers holding an invalidated id, and does not store one built across its invalidation', async () => {
    const c = channel();
    const store = new MemoryResponseStore();
    const cache = new ResponseCache({ invalidation: c.invalidation, store, logger });
    c.up(true);
    const a = cache.keyOf({ query: 'a' }, anonymous);
    const b = cache.keyOf({ query: 'b' }, anonymous);
    cache.offer(a, cache.begin(), PUBLIC, body({ agency: { id: 'dinsos', officers: [{ id: '1987' }] } }));
    cache.offer(b, cache.begin(), PUBLIC, body({ agency: { id: 'dpmptsp' } }));
    c.notify(['1987']);
    await new Promise((done) => setImmediate(done));
    expect(await cache.lookup(a)).toBeUndefined();
    expect(await cache.lookup(b)).toBeDefined();

    const began = cache.begin();
    c.notify(['dinsos']); // arrives while the answer is being built
    expect(cache.offer(a, began, PUBLIC, body({ agency: { id: 'dinsos' } }))).toBe(false);
    expect(cache.offer(a, cache.begin(), PUBLIC, body({ agency: { id: 'dinsos' } }))).toBe(true);

    c.notify('all');
    await new Promise((done) => setImmediate(done));
    expect(store.size).toBe(0);
  });

  it('lets concurrent misses of one key wait for the answer being built, and build their own when it was not stored', async () => {
    const c = channel();
    const cache = new ResponseCache({ invalidation: c.invalidation, logger });
    c.up(true);
    const key = cache.keyOf({ query: 'q' }, anonymous);
    const first = cache.join(key);
    const second = cache.join(key);
    expect('done' in first && 'wait' in second).toBe(true);
    (first as { done: (b: string | undefined) => void }).done('{"data":{}}');
    expect(await (second as { wait: Promise<string | undefined> }).wait).toBe('{"data":{}}');
    // Not stored (private, or invalidated while built): the waiters get nothing and run it themselves.
    const third = cache.join(key);
    const fourth = cache.join(key);
    (third as { done: (b: string | undefined) => void }).done(undefined);
    expect(await (fourth as { wait: Promise<string | undefined> }).wait).toBeUndefined();
    expect('done' in cache.join(key)).toBe(true);
  });

  it('tags an answer with every id in it', () => {
    expect(
      [
        ...idsIn({
          agencies: [
            { id: 'a', rating: { count: 1 } },
            { id: 'b', officers: [{ id: 7 }] },
          ],
          x: null,
        }),
      ].sort(),
    ).toEqual(['7', 'a', 'b']);
  });

  it('memory store: least recently used out first, expired entries gone', async () => {
    const store = new MemoryResponseStore(2);
    await store.set('k1', '1', ['t'], 60_000);
    await store.set('k2', '2', ['t'], 60_000);
    await store.get('k1');
    await store.set('k3', '3', [], 60_000);
    expect(await store.get('k2')).toBeUndefined();
    expect(await store.get('k1')).toBe('1');
    await store.set('k4', '4', [], -1);
    expect(await store.get('k4')).toBeUndefined();
  });
});
