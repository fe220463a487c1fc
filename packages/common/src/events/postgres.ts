import pg from 'pg';
import type { Logger } from '../logger';
import { checkNamespace, checkTopic, dispatch, type EventBus, type SubscribeOptions } from './types';

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
const PG_MAX_PAYLOAD = 7_999;

/**
 * LISTEN/NOTIFY. Publishing is `select pg_notify(channel, json)` on a small pool; subscribing uses
 * one dedicated connection that LISTENs on every subscribed channel. NOTIFY keeps nothing for a
 * listener that is not connected: when the listening connection drops, it is made again with
 * backoff, every channel LISTENed again, and each subscription's `onGap` called.
 */
export class PostgresEventBus implements EventBus {
  readonly transport = 'postgres' as const;
  private readonly pool: pg.Pool;
  private listener: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly channels = new Map<string, { handlers: Set<(p: unknown) => void>; gaps: Set<() => void> }>();
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: { url: string; namespace?: string; logger?: Logger; reconnectMs?: number }) {
    checkNamespace(options.namespace ?? 'gerbang');
    this.pool = new pg.Pool({ connectionString: options.url, max: 2, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
    this.pool.on('error', (err) => options.logger?.warn({ err: err.message }, 'event bus (postgres): idle connection error'));
  }

  private channel(topic: string): string {
    checkTopic(topic);
    return `${this.options.namespace ?? 'gerbang'}.${topic}`;
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    const text = JSON.stringify(payload);
    if (Buffer.byteLength(text) > PG_MAX_PAYLOAD) throw new Error(`event too large for NOTIFY (${Buffer.byteLength(text)} bytes)`);
    await this.pool.query('select pg_notify($1, $2)', [this.channel(topic), text]);
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
    const client = await this.connect();
    if (fresh) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    return async () => {
      entry.handlers.delete(own);
      if (gap) entry.gaps.delete(gap);
      if (entry.handlers.size === 0 && this.channels.get(channel) === entry) {
        this.channels.delete(channel);
        await this.listener?.query(`unlisten ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
      }
    };
  }

  private connect(): Promise<pg.Client> {
    if (this.listener) return Promise.resolve(this.listener);
    return (this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.options.url, keepAlive: true });
      client.on('notification', (msg) => {
        const entry = this.channels.get(msg.channel);
        if (!entry || msg.payload === undefined) return;
        let payload: unknown;
        try {
          payload = JSON.parse(msg.payload);
        } catch {
          return this.options.logger?.warn({ channel: msg.channel }, 'event bus (postgres): payload is not JSON; dropped');
        }
        dispatch(entry.handlers, payload, (err) => this.options.logger?.error({ err }, 'event bus handler failed'));
      });
      client.on('error', (err) => {
        this.options.logger?.warn({ err: err.message }, 'event bus (postgres): listening connection lost; reconnecting');
        this.lost(client);
      });
      client.on('end', () => this.lost(client));
      try {
        await client.connect();
        for (const channel of this.channels.keys()) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      } catch (err) {
        client.end().catch(() => undefined);
        throw err;
      } finally {
        this.connecting = undefined;
      }
      this.listener = client;
      return client;
    })());
  }

  private lost(client: pg.Client): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.closed || this.channels.size === 0) return;
    const retry = (delay: number) => {
      this.retryTimer = setTimeout(() => {
        if (this.closed) return;
        this.connect().then(
          () => {
            for (const entry of this.channels.values()) for (const gap of entry.gaps) gap();
          },
          () => retry(Math.min(delay * 2, 10_000)),
        );
      }, delay);
    };
    retry(this.options.reconnectMs ?? 250);
  }

  async ping(): Promise<void> {
    await this.pool.query('select 1');
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.listener;
    this.listener = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
    await this.pool.end().catch(() => undefined);
  }
}
