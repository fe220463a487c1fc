import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisNonceStore, RequestVerifier, defaultNonceStore, MemoryNonceStore, signRequest } from '../src';

const SECRET = 'nonce-store-test-secret-0123456789';

describe('nonce store without a Redis server (with one: nonce-store.redis.test.ts)', () => {
  it('fails closed when Redis is unreachable', async () => {
    const broken = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    broken.on('error', () => undefined);
    const v = new RequestVerifier({ secrets: [SECRET], nonces: new RedisNonceStore(broken) });
    const body = '{}';
    await expect(v.verify(signRequest(SECRET, body, { roles: [] }, 'directory'), body, 'directory')).rejects.toThrow();
    broken.disconnect();
  });

  it('is memory when REDIS_URL is unset, and remembers a nonce once', async () => {
    const store = defaultNonceStore({});
    expect(store).toBeInstanceOf(MemoryNonceStore);
    expect(await store.remember('n-1', 2)).toBe(true);
    expect(await store.remember('n-1', 2)).toBe(false);
  });
});

describe('signature nonces', () => {
  it('never repeat, across refills of the pool they are drawn from, and keep their 96-bit shape', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const n = /,n=([^,]+),/.exec(signRequest(SECRET, `{"i":${i}}`, { roles: [] }, 'directory')['x-gerbang-signature']!)![1]!;
      expect(n).toMatch(/^[A-Za-z0-9_-]{16}$/);
      seen.add(n);
    }
    expect(seen.size).toBe(2_000);
  });
});
