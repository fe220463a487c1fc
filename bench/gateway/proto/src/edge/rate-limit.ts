import type { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode, type Caller } from '@gerbang/common';
import { EdgeRefusal } from './refusal';

/**
 * Rate limits per user (token subject; anonymous callers per client address) and per client
 * application (apollographql-client-name), on rate-limiter-flexible: in Redis when REDIS_URL is
 * set (shared by every gateway replica, with an in-memory insurance limiter if Redis fails),
 * in memory otherwise.
 *
 * Token bucket: a sustained rate (N per minute) plus a burst allowance refilled over ten minutes
 * (the library's BurstyRateLimiter): a quiet user may spend the burst at once, then proceeds at
 * the sustained rate. Refusals are RATE_LIMITED, HTTP 429, with Retry-After in seconds.
 */
export interface RateLimitOptions {
  redis?: Redis;
  /** Namespaces the Redis keys (tests use their own). */
  keyPrefix?: string;
  userPerMinute: number;
  userBurst: number;
  anonymousPerMinute: number;
  clientPerMinute: number;
}

export type RateLimitScope = 'user' | 'anonymous' | 'client';

export class RateLimitRefusal extends EdgeRefusal {
  constructor(readonly scope: RateLimitScope, retryAfterSeconds: number) {
    super(429, ErrorCode.RATE_LIMITED, `Too many requests. Try again in ${retryAfterSeconds} s.`, { retryAfter: retryAfterSeconds, scope }, { 'retry-after': String(retryAfterSeconds) });
  }
}

type Limiter = Pick<RateLimiterAbstract, 'consume'> | BurstyRateLimiter;

export class RateLimits {
  private readonly user: Limiter;
  private readonly anonymous: Limiter;
  private readonly client: Limiter;

  constructor(options: RateLimitOptions) {
    const prefix = options.keyPrefix ?? 'gerbang:rl';
    const make = (name: string, points: number, duration: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix: `${prefix}:${name}`, points, duration });
      if (!options.redis) return memory;
      return new RateLimiterRedis({ storeClient: options.redis, keyPrefix: `${prefix}:${name}`, points, duration, insuranceLimiter: memory });
    };
    const bucket = (name: string, perMinute: number, burst: number): Limiter =>
      burst > 0 ? new BurstyRateLimiter(make(name, perMinute, 60), make(`${name}-burst`, burst, 600)) : make(name, perMinute, 60);
    this.user = bucket('user', options.userPerMinute, options.userBurst);
    this.anonymous = bucket('anon', options.anonymousPerMinute, Math.ceil(options.anonymousPerMinute / 2));
    this.client = make('client', options.clientPerMinute, 60);
  }

  /** Spends `points` for this caller (and client); throws RateLimitRefusal when out of tokens. */
  async consume(caller: Caller, clientName: string | undefined, address: string, points = 1): Promise<void> {
    const [limiter, key, scope]: [Limiter, string, RateLimitScope] = caller.sub ? [this.user, caller.sub, 'user'] : [this.anonymous, address, 'anonymous'];
    await spend(limiter, key, points, scope);
    if (clientName) await spend(this.client, clientName, points, 'client');
  }
}

async function spend(limiter: Limiter, key: string, points: number, scope: RateLimitScope): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (rej) {
    if (rej instanceof RateLimiterRes) throw new RateLimitRefusal(scope, Math.max(1, Math.ceil(rej.msBeforeNext / 1000)));
    throw rej;
  }
}
