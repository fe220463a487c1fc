import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { InternalAuthError, RedisNonceStore, RequestVerifier, defaultNonceStore, MemoryNonceStore, signRequest } from '../src';

const SECRET = 'nonce-store-test-secret-0123456789';
const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
afterAll(() => redis.disconnect());

describe('Redis nonce store', () => {
  it('remembers a nonce once, atomically, and forgets it after its time', async () => {
    const store = new RedisNonceStore(redis, `gerbang:test:${randomBytes(4).toString('hex')}:`);
    const results = await Promise.all(Array.from({ length: 5 }, () => store.remember('n-1', 1)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.remember('n-2', 1)).toBe(true);
  });

  it('refuses a call replayed to another replica sharing the store', async () => {
    const prefix = `gerbang:test:${randomBytes(4).toString('hex')}:`;
    const a = new RequestVerifier({ secrets: [SECRET], nonces: new RedisNonceStore(redis, prefix) });
    const b = new RequestVerifier({ secrets: [SECRET], nonces: new RedisNonceStore(redis, prefix) });
    const body = '{"query":"{ agencies { id } }"}';
    const headers = signRequest(SECRET, body, { roles: ['citizen'], sub: 'usr-warga-siti' });
    await expect(a.verify(headers, body)).resolves.toMatchObject({ sub: 'usr-warga-siti' });
    await expect(b.verify(headers, body)).rejects.toBeInstanceOf(InternalAuthError);
    await expect(b.verify(headers, body)).rejects.toMatchObject({ reason: 'replayed' });
  });

  it('fails closed when Redis is unreachable', async () => {
    const broken = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    broken.on('error', () => undefined);
    const v = new RequestVerifier({ secrets: [SECRET], nonces: new RedisNonceStore(broken) });
    const body = '{}';
    await expect(v.verify(signRequest(SECRET, body, { roles: [] }), body)).rejects.toThrow();
    broken.disconnect();
  });

  it('is the default when REDIS_URL is set, memory otherwise', async () => {
    expect(defaultNonceStore({})).toBeInstanceOf(MemoryNonceStore);
    const store = defaultNonceStore({ REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' });
    const nonce = `default-${randomBytes(6).toString('hex')}`;
    expect(await store.remember(nonce, 2)).toBe(true);
    expect(await store.remember(nonce, 2)).toBe(false);
  });
});

describe('signature nonces', () => {
  it('never repeat, across refills of the pool they are drawn from, and keep their 96-bit shape', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const n = /,n=([^,]+),/.exec(signRequest(SECRET, `{"i":${i}}`, { roles: [] })['x-gerbang-signature']!)![1]!;
      expect(n).toMatch(/^[A-Za-z0-9_-]{16}$/);
      seen.add(n);
    }
    expect(seen.size).toBe(2_000);
  });
});
