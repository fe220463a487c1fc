/**
 * The event bus: a topic-based publish/subscribe between processes (the ticket ledger publishes,
 * every gateway replica subscribes). Transports: PostgreSQL LISTEN/NOTIFY (the default, works on
 * the embedded server), Redis pub/sub, NATS JetStream. Delivery is at most once per subscriber
 * while it is connected; a subscriber learns of every reconnection (`onGap`) so it can catch up
 * from its own source of truth (the ticket ledger), which is what makes "nothing missed" hold.
 */
export type Transport = 'postgres' | 'redis' | 'nats' | 'memory';

export interface SubscribeOptions {
  /**
   * Called after the transport lost its subscription and got it back: events published in between
   * may be lost (PostgreSQL and Redis keep nothing for an absent listener). Not called on the first
   * connection.
   */
  onGap?: () => void;
}

export type Unsubscribe = () => Promise<void>;

export interface EventBus {
  readonly transport: Transport;
  /**
   * Publishes one event. `id` (optional, unique per event) lets transports that can deduplicate do
   * so (NATS JetStream's `Nats-Msg-Id`): a publisher that retries after a timeout does not publish
   * twice there; the others deliver each call.
   */
  publish(topic: string, payload: unknown, options?: { id?: string }): Promise<void>;
  /** Resolves once the subscription is in place: events published after that are delivered. */
  subscribe(topic: string, handler: (payload: unknown) => void, options?: SubscribeOptions): Promise<Unsubscribe>;
  /** Health: resolves when the transport answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Topic names: what every transport can carry as a channel or subject token. */
export const TOPIC = /^[a-z][a-z0-9-]{0,40}$/;
/** Namespace: keeps buses of different deployments (or test files) on one server apart. */
export const NAMESPACE = /^[a-z][a-z0-9_]{0,30}$/;

export function checkTopic(topic: string): void {
  if (!TOPIC.test(topic)) throw new Error(`event topic "${topic.slice(0, 60)}" must match ${TOPIC}`);
}
export function checkNamespace(namespace: string): void {
  if (!NAMESPACE.test(namespace)) throw new Error(`event namespace "${namespace.slice(0, 60)}" must match ${NAMESPACE}`);
}

/** Calls each handler, isolating one handler's exception from the others and from the transport. */
export function dispatch(handlers: Iterable<(payload: unknown) => void>, payload: unknown, onError: (err: unknown) => void): void {
  for (const handler of handlers) {
    try {
      handler(payload);
    } catch (err) {
      onError(err);
    }
  }
}
