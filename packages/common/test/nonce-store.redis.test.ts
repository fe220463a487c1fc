import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { testRedisUrl } from '@gerbang/testing';
import { InternalAuthError, MemoryNonceStore, RedisNonceStore, RequestVerifier, defaultNonceStore, signRequest } from '../src';

const SECRET = 'nonce-store-test-secret-0123456789';
const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
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
    const headers = signRequest(SECRET, body, { roles: ['citizen'], sub: 'usr-warga-siti' }, 'directory');
    await expect(a.verify(headers, body, 'directory')).resolves.toMatchObject({ sub: 'usr-warga-siti' });
    await expect(b.verify(headers, body, 'directory')).rejects.toBeInstanceOf(InternalAuthError);
    await expect(b.verify(headers, body, 'directory')).rejects.toMatchObject({ reason: 'replayed' });
  });

  it('is the default when REDIS_URL is set', async () => {
    const store = defaultNonceStore({ REDIS_URL: testRedisUrl() });
    const nonce = `default-${randomBytes(6).toString('hex')}`;
    expect(await store.remember(nonce, 2)).toBe(true);
    expect(await store.remember(nonce, 2)).toBe(false);
    // Kept in Redis, where every replica sees it.
    expect(await redis.exists(`gerbang:nonce:${nonce}`)).toBe(1);
  });

  it("is part of a subgraph's readiness: answered while Redis answers, down when it does not", async () => {
    const up = new RequestVerifier({ secrets: [SECRET], nonces: defaultNonceStore({ REDIS_URL: testRedisUrl() }) });
    expect(Object.keys(up.dependencyChecks())).toEqual(['nonceStore']);
    await up.dependencyChecks().nonceStore!();
    // Nothing listens on port 1: the store cannot answer.
    const unreachable = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    unreachable.on('error', () => undefined);
    const down = new RequestVerifier({ secrets: [SECRET], nonces: new RedisNonceStore(unreachable) });
    await expect(down.dependencyChecks().nonceStore!()).rejects.toThrow();
    // A memory store (one replica) has nothing to check.
    expect(new RequestVerifier({ secrets: [SECRET], nonces: new MemoryNonceStore() }).dependencyChecks()).toEqual({});
    unreachable.disconnect();
  });
});
