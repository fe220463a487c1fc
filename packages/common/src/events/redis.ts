import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { checkNamespace, checkTopic, dispatch, type EventBus, type SubscribeOptions } from './types';

/**
 * Redis pub/sub. Two connections (a subscribed Redis connection can do nothing else): one to
 * publish, one to listen. ioredis reconnects and subscribes again by itself; events published
 * meanwhile are lost to this listener, so every `ready` after the first calls the subscriptions'
 * `onGap`.
 */
export class RedisEventBus implements EventBus {
  readonly transport = 'redis' as const;
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;
  private readonly channels = new Map<string, { handlers: Set<(p: unknown) => void>; gaps: Set<() => void> }>();
  private readyOnce = false;

  constructor(private readonly options: { url: string; namespace?: string; logger?: Logger }) {
    checkNamespace(options.namespace ?? 'gerbang');
  }

  private channel(topic: string): string {
    checkTopic(topic);
    return `${this.options.namespace ?? 'gerbang'}:events:${topic}`;
  }

  private async client(role: 'publisher' | 'subscriber'): Promise<Redis> {
    const existing = this[role];
    if (existing) return existing;
    const { Redis } = await import('ioredis');
    // Publishing waits for a reconnection briefly rather than failing at once (offline queue on).
    const redis = new Redis(this.options.url, { maxRetriesPerRequest: 2, lazyConnect: false });
    redis.on('error', (err) => this.options.logger?.warn({ err: err.message, role }, 'event bus (redis): connection error'));
    if (role === 'subscriber') {
      redis.on('message', (channel: string, text: string) => {
        const entry = this.channels.get(channel);
        if (!entry) return;
        let payload: unknown;
        try {
          payload = JSON.parse(text);
        } catch {
          return;
        }
        dispatch(entry.handlers, payload, (err) => this.options.logger?.error({ err }, 'event bus handler failed'));
      });
      redis.on('ready', () => {
        if (!this.readyOnce) return void (this.readyOnce = true);
        for (const entry of this.channels.values()) for (const gap of entry.gaps) gap();
      });
    }
    this[role] = redis;
    return redis;
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    const redis = await this.client('publisher');
    await redis.publish(this.channel(topic), JSON.stringify(payload));
  }

  async subscribe(topic: string, handler: (payload: unknown) => void, options: SubscribeOptions = {}) {
    const channel = this.channel(topic);
    let entry = this.channels.get(channel);
    const fresh = !entry;
    if (!entry) this.channels.set(channel, (entry = { handlers: new Set(), gaps: new Set() }));
    const own = (p: unknown) => handler(p);
    entry.handlers.add(own);
    const gap = options.onGap ? () => options.onGap!() : undefined;
    if (gap) entry.gaps.add(gap);
    const redis = await this.client('subscriber');
    if (fresh) await redis.subscribe(channel);
    return async () => {
      entry.handlers.delete(own);
      if (gap) entry.gaps.delete(gap);
      if (entry.handlers.size === 0 && this.channels.get(channel) === entry) {
        this.channels.delete(channel);
        await redis.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  async ping(): Promise<void> {
    await (await this.client('publisher')).ping();
  }

  async close(): Promise<void> {
    this.publisher?.disconnect();
    this.subscriber?.disconnect();
    this.publisher = this.subscriber = undefined;
    this.channels.clear();
  }
}
