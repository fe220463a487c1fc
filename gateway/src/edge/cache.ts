import type { Redis } from 'ioredis';
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';

/**
 * Apollo's KeyValueCache over ioredis: the APQ store shared by every gateway replica when
 * REDIS_URL is set. A Redis failure is a cache miss (the client then sends the full text), never
 * a failed request.
 */
export class RedisKeyValueCache implements KeyValueCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'gerbang:',
    private readonly defaultTtlSeconds?: number,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(this.prefix + key)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttl = options?.ttl ?? this.defaultTtlSeconds;
    try {
      if (ttl) await this.redis.set(this.prefix + key, value, 'EX', Math.max(1, Math.round(ttl)));
      else await this.redis.set(this.prefix + key, value);
    } catch {
      // A cache that cannot store is a cache that misses.
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.redis.del(this.prefix + key)) > 0;
    } catch {
      return false;
    }
  }
}
