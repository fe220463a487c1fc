import type { NonceStore } from './internal-auth';

/** The one Redis command the nonce store needs (ioredis' `set(key, value, 'EX', ttl, 'NX')`). */
export interface RedisSetNx {
  set(key: string, value: string, ex: 'EX', ttlSeconds: number, nx: 'NX'): Promise<'OK' | null>;
  /** For readiness: a subgraph cannot verify any call while its nonce store is unreachable. */
  ping?(): Promise<unknown>;
}

/**
 * Nonces in Redis, shared by every replica of a subgraph: a signed call replayed to another
 * replica is refused too. `SET key 1 EX ttl NX` is atomic, so two concurrent replays cannot both
 * pass. When Redis fails, verification fails (fail closed): the call is refused rather than
 * accepted unchecked.
 */
export class RedisNonceStore implements NonceStore {
  constructor(
    private readonly redis: RedisSetNx,
    private readonly prefix = 'gerbang:nonce:',
  ) {}

  async remember(nonce: string, ttlSeconds: number): Promise<boolean> {
    const ok = await this.redis.set(this.prefix + nonce, '1', 'EX', Math.max(1, Math.ceil(ttlSeconds)), 'NX');
    return ok === 'OK';
  }

  async ping(): Promise<void> {
    await this.redis.ping?.();
  }
}

const shared = new Map<string, Promise<RedisNonceStore>>();

/**
 * The nonce store for REDIS_URL: one Redis connection per URL per process (lazily loaded, so a
 * subgraph without Redis never loads the client).
 */
export function redisNonceStore(url: string, prefix?: string): Promise<RedisNonceStore> {
  let store = shared.get(url);
  if (!store) {
    store = import('ioredis').then(({ Redis }) => {
      const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
      redis.on('error', () => undefined);
      return new RedisNonceStore(redis, prefix);
    });
    shared.set(url, store);
  }
  return store;
}
