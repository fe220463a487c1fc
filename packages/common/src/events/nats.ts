import type { Logger } from '../logger';
import { checkNamespace, checkTopic, dispatch, type EventBus, type SubscribeOptions } from './types';

type NatsConnection = import('@nats-io/transport-node').NatsConnection;
type JetStreamClient = import('@nats-io/jetstream').JetStreamClient;

/**
 * NATS JetStream. Events go to the stream `<NAMESPACE>_EVENTS` (subjects `<namespace>.events.>`,
 * kept `maxAgeSeconds`, default one day; created when missing), published with their id as
 * `Nats-Msg-Id`, so a publisher's retry is stored once. Each subscription is an ordered consumer
 * delivering only what is published after it starts (every gateway replica gets every event); the
 * client library recreates it after a reconnection from the last sequence it saw, so nothing is
 * lost in between and `onGap` is never needed.
 */
export class NatsEventBus implements EventBus {
  readonly transport = 'nats' as const;
  private connection: Promise<{ nc: NatsConnection; js: JetStreamClient }> | undefined;
  private readonly stops = new Set<() => Promise<void>>();
  private readonly namespace: string;

  constructor(private readonly options: { url: string; namespace?: string; logger?: Logger; maxAgeSeconds?: number }) {
    this.namespace = options.namespace ?? 'gerbang';
    checkNamespace(this.namespace);
  }

  private get stream(): string {
    return `${this.namespace.toUpperCase()}_EVENTS`;
  }

  private subject(topic: string): string {
    checkTopic(topic);
    return `${this.namespace}.events.${topic}`;
  }

  private connect() {
    return (this.connection ??= (async () => {
      const { connect } = await import('@nats-io/transport-node');
      const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');
      const nc = await connect({ servers: this.options.url.split(','), maxReconnectAttempts: -1, name: `gerbang-events-${process.pid}` });
      const jsm = await jetstreamManager(nc);
      const config = { name: this.stream, subjects: [`${this.namespace}.events.>`], max_age: (this.options.maxAgeSeconds ?? 86_400) * 1e9, duplicate_window: 120 * 1e9 };
      try {
        await jsm.streams.info(this.stream);
      } catch {
        await jsm.streams.add(config).catch(async (err: unknown) => {
          // Two processes creating it at once: the other won.
          await jsm.streams.info(this.stream).catch(() => {
            throw err;
          });
        });
      }
      return { nc, js: jetstream(nc) };
    })().catch((err: unknown) => {
      this.connection = undefined;
      throw err;
    }));
  }

  async publish(topic: string, payload: unknown, options: { id?: string } = {}): Promise<void> {
    const { js } = await this.connect();
    await js.publish(this.subject(topic), JSON.stringify(payload), options.id ? { msgID: options.id } : {});
  }

  async subscribe(topic: string, handler: (payload: unknown) => void, _options: SubscribeOptions = {}) {
    const { js } = await this.connect();
    const { DeliverPolicy } = await import('@nats-io/jetstream');
    const consumer = await js.consumers.get(this.stream, { filter_subjects: this.subject(topic), deliver_policy: DeliverPolicy.New });
    const messages = await consumer.consume();
    const done = (async () => {
      for await (const m of messages) {
        let payload: unknown;
        try {
          payload = m.json();
        } catch {
          continue;
        }
        dispatch([handler], payload, (err) => this.options.logger?.error({ err }, 'event bus handler failed'));
      }
    })().catch((err: unknown) => this.options.logger?.warn({ err: (err as Error).message }, 'event bus (nats): consumer ended'));
    const stop = async () => {
      this.stops.delete(stop);
      await messages.close().catch(() => undefined);
      await done;
    };
    this.stops.add(stop);
    return stop;
  }

  async ping(): Promise<void> {
    const { nc } = await this.connect();
    await nc.flush();
  }

  async close(): Promise<void> {
    for (const stop of [...this.stops]) await stop();
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await (await connection.catch(() => undefined))?.nc.drain().catch(() => undefined);
  }
}
