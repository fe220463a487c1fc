import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
import { Counter, type Registry } from 'prom-client';
import type { Caller, Logger } from '@gerbang/common';
import { GATEWAY_DEFAULTS, RESPONSE_CACHE_TTL_CEILING_SECONDS } from '../defaults';

/**
 * The gateway's response cache for public reads (FindAgency, AgencyPage, satisfaction).
 *
 * What may be cached is the subgraphs' word: each subgraph hints its public fields (Apollo cache
 * hints, @gerbang/common cache-hints.ts), @apollo/gateway folds every subgraph call's Cache-Control
 * into the operation's policy (the minimum; a call without the header is uncacheable:
 * data-source.ts), and only an answer whose policy is `public` with a max-age > 0, without errors,
 * is stored. Anything personal (tickets, the citizen, TPP) is unhinted, so an operation touching it
 * is never stored. Mutations and batches are never looked up.
 *
 * Keys: SHA-256 of the operation text, its name, its variables (keys sorted) and who asks:
 * `anonymous`, or the caller's roles (an answer is shared only between callers the gateway's
 * authorization directives treat alike). No per-user entry exists: a `private` answer is not stored at all.
 *
 * Invalidation: every stored answer is tagged with the ids it contains (agency slugs, service ids,
 * NIPs). After a commit that changes ratings or the ticket ledger, PostgreSQL notifies the ids
 * whose figures it may have changed; after a directory change, everything (a renamed agency changes
 * which searches find it). See the subgraphs' migrations Migration20261211090000. An answer
 * being built while an invalidation of one of its ids arrives is not stored (`begin` / `offer`).
 *
 * Staleness bound: an answer is served only while the invalidation channel is connected; when it
 * drops, the cache serves nothing, and when it comes back the cache is emptied (notifications sent
 * meanwhile are lost). So a cached answer is at most one notification delivery behind the database
 * (milliseconds on one network), and never older than the policy's max-age (at most
 * `maxTtlSeconds`) in any case. Clients get `cache-control: no-cache` on these answers, so a
 * browser or proxy asks again rather than keep its own copy beyond that bound.
 */

/** Where invalidations come from: ids (`keys`) whose figures changed, or everything. */
export interface CacheInvalidation {
  start(handler: { onInvalidate(keys: readonly string[] | 'all'): void; onConnected(up: boolean): void }): void;
  close(): Promise<void>;
}

/** Where answers are kept: process memory, or Redis shared by every gateway replica. */
export interface ResponseStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, body: string, tags: readonly string[], ttlMs: number): Promise<void>;
  invalidate(tags: readonly string[]): Promise<void>;
  clear(): Promise<void>;
}

export interface ResponseCacheOptions {
  invalidation: CacheInvalidation;
  store?: ResponseStore;
  /** Upper bound of an entry's life whatever the hints say (seconds). */
  maxTtlSeconds?: number;
  logger: Logger;
  registry?: Registry;
}

export const PUBLIC_CACHE_CONTROL = /^max-age=(\d+), public$/;

/** The longest an answer may live, whatever the configuration says (config.ts). */
export const MAX_TTL_SECONDS = RESPONSE_CACHE_TTL_CEILING_SECONDS;

export class ResponseCache {
  private readonly store: ResponseStore;
  private readonly maxTtlMs: number;
  private connected = false;
  /** Invalidations received so far (a clock for the answers being built meanwhile). */
  private seq = 0;
  private allAt = 0;
  private readonly tagAt = new Map<string, number>();
  private readonly counter?: Counter<'result'>;
  /** Answers being built now, by key (`join`). */
  private readonly pending = new Map<string, { promise: Promise<string | undefined> }>();

  constructor(private readonly options: ResponseCacheOptions) {
    this.store = options.store ?? new MemoryResponseStore();
    this.maxTtlMs = Math.min(options.maxTtlSeconds ?? GATEWAY_DEFAULTS.responseCache.maxTtlSeconds, MAX_TTL_SECONDS) * 1000;
    if (options.registry) {
      this.counter = new Counter({
        name: 'gerbang_response_cache_total',
        help: 'Public reads looked up in the response cache: hit, miss, joined (waited for the same answer being built), stored, or skipped (channel down, invalidated while built)',
        labelNames: ['result'],
        registers: [options.registry],
      });
    }
    options.invalidation.start({
      onInvalidate: (keys) => void this.invalidate(keys),
      onConnected: (up) => {
        this.connected = up;
        this.seq++;
        this.allAt = this.seq;
        // Whatever was cached may have missed notifications while the channel was down.
        void this.store.clear().catch((err: unknown) => options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'response cache: clearing failed'));
        options.logger.info({ connected: up }, up ? 'response cache: invalidation channel connected, serving' : 'response cache: invalidation channel down, not serving');
      },
    });
  }

  /** Whether answers are served now (the invalidation channel is up). */
  get serving(): boolean {
    return this.connected;
  }

  /** The key of one operation for one kind of caller. */
  keyOf(op: { query: string; operationName?: unknown; variables?: unknown }, caller: Caller): string {
    const who = caller.sub ? `roles:${[...caller.roles].sort().join(',')}` : 'anonymous';
    const name = typeof op.operationName === 'string' ? op.operationName : '';
    return createHash('sha256')
      .update(`${who}\u0000${name}\u0000${canonicalJson(op.variables ?? {})}\u0000${op.query}`)
      .digest('base64url');
  }

  /** A stored answer, when serving. */
  async lookup(key: string): Promise<string | undefined> {
    if (!this.connected) {
      this.counter?.inc({ result: 'skipped' });
      return undefined;
    }
    const body = await this.store.get(key).catch(() => undefined);
    this.counter?.inc({ result: body === undefined ? 'miss' : 'hit' });
    return body;
  }

  /** Marks the start of building an answer (see `offer`). */
  begin(): number {
    return this.seq;
  }

  /**
   * For a miss: the same answer may already be on its way for another request (a page asked by many
   * at once, or just after an invalidation). The first asker gets `done`, which it must call with the
   * answer it stored (or undefined); the others `wait` for that answer (undefined: not stored, they
   * run the operation themselves).
   */
  join(key: string): { wait: Promise<string | undefined> } | { done: (stored: string | undefined) => void } {
    const pending = this.pending.get(key);
    if (pending) {
      this.counter?.inc({ result: 'joined' });
      return { wait: pending.promise };
    }
    let resolve!: (body: string | undefined) => void;
    const promise = new Promise<string | undefined>((r) => (resolve = r));
    this.pending.set(key, { promise });
    return {
      done: (stored) => {
        this.pending.delete(key);
        resolve(stored);
      },
    };
  }

  /**
   * Stores an answer if its policy allows (`cache-control` as Apollo Server computed it) and no
   * invalidation of its ids (or of everything) arrived since `begin`. True when it was taken (the
   * store itself may still fail: a miss later).
   */
  offer(key: string, began: number, cacheControl: string | undefined, body: string): boolean {
    const m = cacheControl ? PUBLIC_CACHE_CONTROL.exec(cacheControl) : null;
    if (!m || !this.connected) return false;
    const ttlMs = Math.min(Number(m[1]) * 1000, this.maxTtlMs);
    if (ttlMs <= 0) return false;
    let data: unknown;
    try {
      const parsed = JSON.parse(body) as { data?: unknown; errors?: unknown };
      if (parsed.errors) return false;
      data = parsed.data;
    } catch {
      return false;
    }
    const tags = [...idsIn(data)];
    if (this.allAt > began || tags.some((t) => (this.tagAt.get(t) ?? 0) > began)) {
      this.counter?.inc({ result: 'skipped' });
      return false;
    }
    void this.store.set(key, body, tags, ttlMs).catch(() => undefined);
    this.counter?.inc({ result: 'stored' });
    return true;
  }

  async invalidate(keys: readonly string[] | 'all'): Promise<void> {
    this.seq++;
    if (keys === 'all') {
      this.allAt = this.seq;
      await this.store.clear().catch(() => undefined);
      return;
    }
    for (const k of keys) this.tagAt.set(k, this.seq);
    // The clock only matters for answers being built now: old marks are dropped now and then.
    if (this.tagAt.size > 100_000) {
      this.tagAt.clear();
      this.allAt = this.seq;
    }
    await this.store.invalidate(keys).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.connected = false;
    await this.options.invalidation.close();
  }
}

/** Every string or number `id` of every object in the data (the tags of an answer). */
export function idsIn(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) idsIn(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'id' && (typeof v === 'string' || typeof v === 'number')) out.add(String(v));
      else if (v !== null && typeof v === 'object') idsIn(v, out);
    }
  }
  return out;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return stringify(value) ?? 'null';
}

/** JSON.stringify as it behaves: undefined for undefined, a function or a symbol (its type says string). */
function stringify(value: unknown): string | undefined {
  return JSON.stringify(value);
}

/** In process memory: at most `maxEntries` answers, least recently used out first (lru-cache), each until its TTL. */
export class MemoryResponseStore implements ResponseStore {
  private readonly entries: LRUCache<string, { body: string; tags: readonly string[] }>;
  private readonly byTag = new Map<string, Set<string>>();

  constructor(maxEntries: number = GATEWAY_DEFAULTS.responseCache.maxEntries) {
    this.entries = new LRUCache({
      max: maxEntries,
      // An entry leaves its tags however it goes: evicted, expired, replaced, invalidated.
      dispose: (entry, key) => {
        for (const t of entry.tags) {
          const keys = this.byTag.get(t);
          keys?.delete(key);
          if (keys && !keys.size) this.byTag.delete(t);
        }
      },
    });
  }

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key)?.body;
  }

  async set(key: string, body: string, tags: readonly string[], ttlMs: number): Promise<void> {
    this.entries.delete(key);
    // lru-cache reads a TTL of 0 as none: an answer already expired is not kept at all.
    if (ttlMs <= 0) return;
    this.entries.set(key, { body, tags }, { ttl: ttlMs });
    // Evicted by the set above (a full store): not tagged.
    if (!this.entries.has(key)) return;
    for (const t of tags) {
      let keys = this.byTag.get(t);
      if (!keys) this.byTag.set(t, (keys = new Set()));
      keys.add(key);
    }
  }

  async invalidate(tags: readonly string[]): Promise<void> {
    for (const t of tags) for (const key of this.byTag.get(t) ?? []) this.entries.delete(key);
  }

  async clear(): Promise<void> {
    this.entries.clear();
    this.byTag.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * In Redis, shared by the gateway replicas: an answer under `<prefix>r:<key>` with its TTL, and a
 * set per id `<prefix>t:<id>` of the answers holding it. Every replica receives every invalidation
 * and deletes what it names (the same keys: harmless). A Redis failure is a miss.
 */
export class RedisResponseStore implements ResponseStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'gerbang:rc:',
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(`${this.prefix}r:${key}`)) ?? undefined;
  }

  async set(key: string, body: string, tags: readonly string[], ttlMs: number): Promise<void> {
    const multi = this.redis.multi().set(`${this.prefix}r:${key}`, body, 'PX', ttlMs);
    // A tag's set outlives every answer in it (answers live at most MAX_TTL_SECONDS).
    for (const t of tags) multi.sadd(`${this.prefix}t:${t}`, key).pexpire(`${this.prefix}t:${t}`, MAX_TTL_SECONDS * 1000);
    await multi.exec();
  }

  async invalidate(tags: readonly string[]): Promise<void> {
    for (const t of tags) {
      const tagKey = `${this.prefix}t:${t}`;
      const keys = await this.redis.smembers(tagKey);
      await this.redis.unlink(tagKey, ...keys.map((k) => `${this.prefix}r:${k}`));
    }
  }

  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await this.redis.unlink(...keys);
    } while (cursor !== '0');
  }
}

/** The channel the subgraphs' triggers notify on (their Migration20261211090000). */
export const CACHE_CHANNEL = 'gerbang_cache';

/**
 * Invalidations from PostgreSQL: LISTEN on `gerbang_cache` over one dedicated connection,
 * reconnecting (1 s, doubling up to 10 s) when it drops. NOTIFY is sent at commit, so what arrives
 * is committed. `schemas` limits it to the subgraphs of one deployment (tests share one server);
 * unset, any schema's notification counts.
 *
 * This should later ride the shared after-commit event bus (ticket events, with PostgreSQL
 * LISTEN/NOTIFY, Redis or NATS transports): a `CacheInvalidation` over it is all that changes.
 */
export class PgNotifyInvalidation implements CacheInvalidation {
  private client: pg.Client | undefined;
  private closed = false;
  private retryMs = 1000;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly schemas?: readonly string[],
  ) {}

  start(handler: { onInvalidate(keys: readonly string[] | 'all'): void; onConnected(up: boolean): void }): void {
    const connect = async () => {
      if (this.closed) return;
      const client = new pg.Client({ connectionString: this.url });
      let up = false;
      const lost = (err?: Error) => {
        if (this.client !== client) return;
        this.client = undefined;
        if (up) handler.onConnected(false);
        if (err) this.logger.warn({ err: err.message }, 'response cache: invalidation channel lost; reconnecting');
        client.end().catch(() => undefined);
        if (!this.closed) {
          this.timer = setTimeout(() => void connect(), this.retryMs);
          this.retryMs = Math.min(this.retryMs * 2, 10_000);
        }
      };
      this.client = client;
      client.on('error', lost);
      client.on('end', () => lost());
      client.on('notification', (msg) => {
        if (msg.channel !== CACHE_CHANNEL || !msg.payload) return;
        let payload: { schema?: string; keys?: unknown; all?: boolean };
        try {
          payload = JSON.parse(msg.payload) as typeof payload;
        } catch {
          return handler.onInvalidate('all');
        }
        if (this.schemas && payload.schema !== undefined && !this.schemas.includes(payload.schema)) return;
        if (payload.all || !Array.isArray(payload.keys)) handler.onInvalidate('all');
        else handler.onInvalidate(payload.keys.map(String));
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${CACHE_CHANNEL}`);
        if (this.client !== client) return;
        up = true;
        this.retryMs = 1000;
        handler.onConnected(true);
      } catch (err) {
        lost(err as Error);
      }
    };
    void connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
