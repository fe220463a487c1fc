import cluster from 'node:cluster';
import type { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterCluster, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Set by gateway/src/cluster.ts in its workers: without Redis, rate limits are kept by the primary (IPC). */
export const CLUSTER_ENV = 'GERBANG_GATEWAY_CLUSTER_WORKER';
import { ErrorCode, type Caller } from '@gerbang/common';
import { EdgeRefusal } from './refusal';

/**
 * Rate limits per caller (signed-in user: token subject; anonymous: client address) and a budget
 * per client application (apollographql-client-name), on rate-limiter-flexible: in Redis when
 * REDIS_URL is set (shared by every gateway replica, with an in-memory insurance limiter if
 * Redis fails), in memory otherwise.
 *
 * Callers: a token bucket, a sustained rate (N per minute) plus a burst allowance refilled over
 * ten minutes (the library's BurstyRateLimiter): a quiet user may spend the burst at once, then
 * proceeds at the sustained rate.
 *
 * Client applications: see ClientBudget. Refusals are RATE_LIMITED, HTTP 429, with Retry-After in
 * seconds and the scope (user, anonymous, client).
 */
export interface RateLimitOptions {
  redis?: Redis;
  /** Namespaces the Redis keys (tests use their own). */
  keyPrefix?: string;
  userPerMinute: number;
  userBurst: number;
  anonymousPerMinute: number;
  clientPerMinute: number;
  /** The clock of the client budget's minutes (tests). */
  now?: () => number;
}

export type RateLimitScope = 'user' | 'anonymous' | 'client';

export class RateLimitRefusal extends EdgeRefusal {
  constructor(
    readonly scope: RateLimitScope,
    retryAfterSeconds: number,
  ) {
    super(429, ErrorCode.RATE_LIMITED, `Too many requests. Try again in ${retryAfterSeconds} s.`, { retryAfter: retryAfterSeconds, scope }, { 'retry-after': String(retryAfterSeconds) });
  }
}

type Limiter = Pick<RateLimiterAbstract, 'consume'> | BurstyRateLimiter;
type Counter = Pick<RateLimiterAbstract, 'consume' | 'get'>;

/** Whose calls these are: the token's subject, or the address of an anonymous caller. */
export const callerKey = (caller: Caller, address: string): string => (caller.sub ? `u:${caller.sub}` : `a:${address}`);

/**
 * The budget of one client application, all its callers together (RATE_LIMIT_CLIENT_PER_MINUTE):
 * a backstop against a client that floods the graph, e.g. a portal release stuck in a retry loop.
 *
 * The client name is a header every caller writes for itself, so the budget is shared with
 * whoever claims the name. Refusing everyone once it is spent let a few accounts lock a client
 * out: 60 citizen accounts sent 6,100 `{ __typename }` as "portal" in 4 s, each well within its
 * own limit, and every portal user got 429 for a minute. So the budget refuses only callers above
 * their fair share of it: while the client's total this minute is within the budget nobody is
 * refused; past it, a caller is refused only when their own count under that client this minute
 * exceeds budget ÷ callers seen under that client this minute. No caller at or below their share
 * is ever refused (if every caller stayed at or below it, the total would be within the budget),
 * so the ones flooding are the ones who wait; many light callers that truly exceed the budget are
 * still refused, as a budget should. The price: callers within their share are served even once
 * faster callers have spent the budget, so a minute's total may pass it, by at most the budget
 * again (what was served before it ran out, plus at most a share per caller after).
 *
 * Three counters per client and minute (fixed windows aligned to the minute, so that they count
 * the same minute): the total, each caller's count, the number of callers. Memory or Redis, like
 * the callers' buckets.
 */
export class ClientBudget {
  private readonly total: Counter;
  private readonly perCaller: Counter;
  private readonly callers: Counter;

  constructor(
    private readonly perMinute: number,
    make: (name: string) => Counter,
    private readonly now: () => number = Date.now,
  ) {
    this.total = make('client');
    this.perCaller = make('client-caller');
    this.callers = make('client-callers');
  }

  async spend(clientName: string, caller: string, points: number): Promise<void> {
    const now = this.now();
    const window = `${encodeURIComponent(clientName)}:${Math.floor(now / 60_000)}`;
    const [total, mine] = await Promise.all([this.total.consume(window, points), this.perCaller.consume(`${window}:${caller}`, points)]);
    const counted = mine.isFirstInDuration ? await this.callers.consume(window, 1) : undefined;
    if (total.consumedPoints <= this.perMinute) return;
    const callers = Math.max(1, (counted ?? (await this.callers.get(window)))?.consumedPoints ?? 1);
    if (mine.consumedPoints > this.perMinute / callers) {
      throw new RateLimitRefusal('client', Math.max(1, Math.ceil((60_000 - (now % 60_000)) / 1000)));
    }
  }
}

export class RateLimits {
  private readonly user: Limiter;
  private readonly anonymous: Limiter;
  private readonly client: ClientBudget;

  constructor(options: RateLimitOptions) {
    const prefix = options.keyPrefix ?? 'gerbang:rl';
    const make = (name: string, points: number, duration: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix: `${prefix}:${name}`, points, duration });
      if (!options.redis && cluster.isWorker && process.env[CLUSTER_ENV] === '1') return new RateLimiterCluster({ keyPrefix: `${prefix}:${name}`, points, duration, timeoutMs: 2_000 });
      if (!options.redis) return memory;
      return new RateLimiterRedis({ storeClient: options.redis, keyPrefix: `${prefix}:${name}`, points, duration, insuranceLimiter: memory });
    };
    const bucket = (name: string, perMinute: number, burst: number): Limiter =>
      burst > 0 ? new BurstyRateLimiter(make(name, perMinute, 60), make(`${name}-burst`, burst, 600)) : make(name, perMinute, 60);
    this.user = bucket('user', options.userPerMinute, options.userBurst);
    this.anonymous = bucket('anon', options.anonymousPerMinute, Math.ceil(options.anonymousPerMinute / 2));
    // Counters, never refusing by themselves (ClientBudget decides); keys are per minute, kept a
    // little past it.
    this.client = new ClientBudget(options.clientPerMinute, (name) => make(name, Number.MAX_SAFE_INTEGER, 90), options.now);
  }

  /** Spends `points` of the caller's own bucket; throws RateLimitRefusal when out of tokens. */
  async consumeCaller(caller: Caller, address: string, points = 1): Promise<void> {
    const [limiter, key, scope]: [Limiter, string, RateLimitScope] = caller.sub ? [this.user, caller.sub, 'user'] : [this.anonymous, address, 'anonymous'];
    try {
      await limiter.consume(key, points);
    } catch (rej) {
      if (rej instanceof RateLimiterRes) throw new RateLimitRefusal(scope, Math.max(1, Math.ceil(rej.msBeforeNext / 1000)));
      throw rej;
    }
  }

  /** Spends `points` of the client application's budget (see ClientBudget); nothing without a client name. */
  async consumeClient(clientName: string | undefined, caller: Caller, address: string, points = 1): Promise<void> {
    if (clientName) await this.client.spend(clientName, callerKey(caller, address), points);
  }
}
