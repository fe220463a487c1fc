import type { FormattedExecutionResult } from 'graphql';
import type { Caller, Logger } from '@gerbang/common';
import type { EventBus, Unsubscribe } from '@gerbang/common/events';
import { ChangesRefused, ChangesUnavailable, type ChangesClient, type ChangesPage, type TicketChange } from './changes';
import type { LiveMetrics } from './metrics';
import type { PreparedSubscription } from './operation';

export const TICKET_TOPIC = 'tickets';

/** The bus event (what the ledger publishes after commit). */
interface TicketChangeEvent {
  ticketId: string;
  agencyId: string;
  citizenRef: string;
  cursor: string;
  at?: number;
}
const isEvent = (e: unknown): e is TicketChangeEvent => {
  const x = e as Partial<TicketChangeEvent> | null;
  return typeof x === 'object' && x !== null && typeof x.ticketId === 'string' && typeof x.agencyId === 'string' && typeof x.citizenRef === 'string' && typeof x.cursor === 'string';
};

export interface Subscriber {
  caller: Caller;
  callerHeader: string;
  requestId: string;
  logger: Logger;
  clientName?: string;
  prepared: PreparedSubscription;
}

/** Resolves one change for one subscriber: the derived query through the supergraph, as them. */
type ResolveEvent = (subscriber: Subscriber, change: TicketChange) => Promise<FormattedExecutionResult>;

export interface LiveTicketsOptions {
  bus: EventBus;
  changes: ChangesClient;
  resolve: ResolveEvent;
  metrics: LiveMetrics;
  logger: Logger;
  /** Wait before asking the ledger again after it could not answer (default 1000 ms, doubling to 30 s). */
  retryMs?: number;
  /** Events a subscriber may leave unread before it is ended (it can resume with `after`). Default 500. */
  maxQueued?: number;
  /** Changes of one subscription resolved at once (delivered in order all the same). Default 16. */
  resolveConcurrency?: number;
}

const DEFAULT_RESOLVE_CONCURRENCY = 16;

/** Why a change was not delivered: it is not the subscriber's (authorized again), or it must be retried. */
const WITHHOLD_CODES = new Set(['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED']);

/**
 * Live ticket status at one gateway replica. One bus subscription per process; each event is a
 * doorbell for the subscriptions whose scope it names (the citizen, the ticket, the agency). A
 * subscription that hears it asks the ledger for its changes after the last cursor it delivered,
 * in commit order, and resolves each through the supergraph with the subscriber's identity: what
 * the ledger's scope rules or the per-event query refuse is withheld. So a change is delivered in
 * order, once, never to someone it does not concern, and none is missed: not one published while
 * the bus was cut (`onGap` rings every subscription), nor one whose resolution failed (retried).
 */
export class LiveTickets {
  private readonly index = { citizen: new Map<string, Set<LiveSubscription>>(), ticket: new Map<string, Set<LiveSubscription>>(), agency: new Map<string, Set<LiveSubscription>>() };
  private readonly all = new Set<LiveSubscription>();
  private unsubscribe: Unsubscribe | undefined;

  constructor(readonly options: LiveTicketsOptions) {}

  /**
   * Subscribes to the bus in the background: a bus that is down at start delays live events, never
   * the gateway's start (subscriptions still open, and catch up from the ledger once it answers).
   */
  start(): void {
    const catchUp = () => {
      this.options.logger.warn({ subscriptions: this.all.size }, 'live tickets: the event bus reconnected; every subscription catches up from the ledger');
      for (const s of this.all) s.ring();
    };
    let delay = 1_000;
    const attempt = () => {
      if (this.stopped) return;
      this.options.bus
        .subscribe(TICKET_TOPIC, (m) => this.onMessage(m), { onGap: catchUp })
        .then(
          (unsubscribe) => {
            if (this.stopped) return void unsubscribe();
            this.unsubscribe = unsubscribe;
            // Subscriptions opened before the bus answered may have missed a doorbell.
            if (this.all.size > 0) catchUp();
          },
          (err: unknown) => {
            this.options.logger.warn({ err: (err as Error).message, retryMs: delay }, 'live tickets: the event bus cannot be subscribed to; retrying');
            this.retry = setTimeout(attempt, delay);
            delay = Math.min(delay * 2, 30_000);
          },
        );
    };
    attempt();
  }

  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  get size(): number {
    return this.all.size;
  }

  /** A bus message: `{ changes: [...] }` (up to 25 changes of one ledger batch). */
  private onMessage(message: unknown): void {
    const changes = (message as { changes?: unknown } | null)?.changes;
    if (Array.isArray(changes)) for (const change of changes) this.onEvent(change);
  }

  private onEvent(event: unknown): void {
    this.options.metrics.eventsIn.inc();
    if (!isEvent(event)) return;
    const ring = (set: Set<LiveSubscription> | undefined) => set?.forEach((s) => s.ring(event));
    ring(this.index.citizen.get(event.citizenRef));
    ring(this.index.ticket.get(event.ticketId));
    ring(this.index.agency.get(event.agencyId));
  }

  /**
   * Opens a subscription: asks the ledger whether the subscriber may follow this scope (refusals
   * throw `ChangesRefused`) and what changed after `after`, then follows it live.
   */
  async open(subscriber: Subscriber, after: string | null): Promise<LiveSubscription> {
    const first = await this.options.changes.fetch(subscriber.callerHeader, subscriber.prepared.scope, after);
    const key = this.keyOf(subscriber, first);
    const subscription = new LiveSubscription(this, subscriber, after ?? first.head ?? '0', () => this.remove(subscription, key));
    this.add(subscription, key);
    subscription.begin(first);
    return subscription;
  }

  private keyOf(subscriber: Subscriber, page: ChangesPage): { index: keyof LiveTickets['index']; value: string } {
    const { scope } = subscriber.prepared;
    if (scope.scope === 'mine') {
      if (!page.citizenRef) throw new ChangesUnavailable('the ledger did not say whose tickets these are');
      return { index: 'citizen', value: page.citizenRef };
    }
    return scope.scope === 'ticket' ? { index: 'ticket', value: scope.ticketId } : { index: 'agency', value: scope.agencyId };
  }

  private add(s: LiveSubscription, key: { index: keyof LiveTickets['index']; value: string }) {
    const map = this.index[key.index];
    let set = map.get(key.value);
    if (!set) map.set(key.value, (set = new Set()));
    set.add(s);
    this.all.add(s);
    this.options.metrics.subscriptions.inc({ field: s.subscriber.prepared.field });
  }

  private remove(s: LiveSubscription, key: { index: keyof LiveTickets['index']; value: string }) {
    if (!this.all.delete(s)) return;
    const map = this.index[key.index];
    const set = map.get(key.value);
    set?.delete(s);
    if (set?.size === 0) map.delete(key.value);
    this.options.metrics.subscriptions.dec({ field: s.subscriber.prepared.field });
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    for (const s of [...this.all]) await s.return();
    await this.unsubscribe?.();
  }
}

/** One subscription: an async iterator of execution results, fed in cursor order. */
export class LiveSubscription implements AsyncIterableIterator<FormattedExecutionResult> {
  private cursor: bigint;
  private readonly queue: FormattedExecutionResult[] = [];
  private waiting: ((r: IteratorResult<FormattedExecutionResult>) => void) | undefined;
  private dirty = false;
  private running = false;
  private closed = false;
  private retryDelay: number;
  private retryTimer: NodeJS.Timeout | undefined;
  /** When the bus event of a ticket's change was published (for the lag metric). */
  private readonly publishedAt = new Map<string, number>();

  constructor(
    private readonly live: LiveTickets,
    readonly subscriber: Subscriber,
    start: string,
    private readonly onEnd: () => void,
  ) {
    this.cursor = BigInt(start);
    this.retryDelay = live.options.retryMs ?? 1_000;
  }

  /** The greatest change cursor delivered (or the start). */
  get position(): string {
    return this.cursor.toString();
  }

  begin(first: ChangesPage): void {
    this.running = true;
    void this.process(first.changes)
      .then(() => {
        // Anything committed between the ledger's answer and joining the index, and the rest of a long replay.
        this.dirty = true;
        this.running = false;
        this.ring();
      })
      .catch((err: unknown) => this.failed(err));
  }

  /** A change in scope was published (or the bus reconnected): catch up from the ledger. */
  ring(event?: { ticketId: string; at?: number }): void {
    if (this.closed) return;
    if (event?.at && this.publishedAt.size < 1_000) this.publishedAt.set(event.ticketId, event.at);
    this.dirty = true;
    if (this.running || this.retryTimer) return;
    this.running = true;
    void this.pull().finally(() => (this.running = false));
  }

  private async pull(): Promise<void> {
    while (this.dirty && !this.closed) {
      this.dirty = false;
      try {
        const page = await this.live.options.changes.fetch(this.subscriber.callerHeader, this.subscriber.prepared.scope, this.position);
        await this.process(page.changes);
        if (page.more) this.dirty = true;
        this.retryDelay = this.live.options.retryMs ?? 1_000;
      } catch (err) {
        if (err instanceof ChangesRefused) return this.end({ errors: [{ message: err.message, extensions: { code: err.code } }] });
        this.live.options.metrics.withheld.inc({ reason: 'retry' });
        this.subscriber.logger.warn({ err: (err as Error).message, cursor: this.position }, 'live tickets: catching up failed; retrying');
        this.dirty = true;
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.ring();
        }, this.retryDelay);
        this.retryDelay = Math.min(this.retryDelay * 2, 30_000);
        return;
      }
    }
  }

  /**
   * Resolves a page of changes concurrently (up to `resolveConcurrency` at once, in a window that
   * moves as changes are delivered) and queues them strictly in cursor order. A change that must be
   * retried stops delivery there without moving the cursor: the changes after it that were already
   * resolved are dropped and resolved again on the retry, so nothing is delivered out of order or twice.
   */
  private async process(changes: readonly TicketChange[]): Promise<void> {
    const { metrics } = this.live.options;
    const { prepared } = this.subscriber;
    const todo = changes.filter((c) => BigInt(c.cursor) > this.cursor);
    const window = Math.max(1, this.live.options.resolveConcurrency ?? DEFAULT_RESOLVE_CONCURRENCY);
    const resolving: Promise<FormattedExecutionResult>[] = [];
    const fill = (delivered: number) => {
      while (resolving.length < todo.length && resolving.length - delivered < window && !this.closed) {
        const pending = this.live.options.resolve(this.subscriber, todo[resolving.length]!);
        // Awaited in order below; a rejection after an earlier stop must not be reported as unhandled.
        pending.catch(() => undefined);
        resolving.push(pending);
      }
    };
    for (let i = 0; i < todo.length; i++) {
      fill(i);
      if (this.closed) return;
      const change = todo[i]!;
      const cursor = BigInt(change.cursor);
      const result = await resolving[i]!;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() may set it during the await; TypeScript keeps the narrowing from above
      if (this.closed) return;
      const value = result.data?.[prepared.responseKey];
      if (value === null || value === undefined) {
        const codes = (result.errors ?? []).map((e) => String(e.extensions?.code));
        if (codes.some((c) => WITHHOLD_CODES.has(c))) {
          // Authorized again and refused: never delivered, and not retried.
          metrics.withheld.inc({ reason: 'forbidden' });
          this.cursor = cursor;
          continue;
        }
        // The ledger's own subgraph did not answer: not delivered yet, the cursor stays.
        throw new ChangesUnavailable(`event resolution failed: ${codes.join(',') || 'no data'}`);
      }
      this.cursor = cursor;
      const at = this.publishedAt.get(change.ticketId);
      if (at !== undefined) {
        this.publishedAt.delete(change.ticketId);
        metrics.lag.observe({ field: prepared.field }, Math.max(0, Date.now() - at) / 1000);
      }
      metrics.eventsOut.inc({ field: prepared.field });
      this.push({ ...result, extensions: { ...(result.extensions ?? {}), cursor: change.cursor, ticketId: change.ticketId, version: change.version } });
    }
  }

  private push(result: FormattedExecutionResult): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      return resolve({ value: result, done: false });
    }
    this.queue.push(result);
    if (this.queue.length > (this.live.options.maxQueued ?? 500)) {
      this.queue.length = 0;
      this.end({ errors: [{ message: 'Events were not read in time; resume with `after` (your last changeCursor).', extensions: { code: 'OVERLOADED', reason: 'slow consumer' } }] });
    }
  }

  private failed(err: unknown): void {
    this.running = false;
    if (err instanceof ChangesRefused) return this.end({ errors: [{ message: err.message, extensions: { code: err.code } }] });
    // The replay could not be resolved now: keep the position and catch up later.
    this.subscriber.logger.warn({ err: (err as Error).message }, 'live tickets: replay interrupted; retrying');
    this.dirty = true;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ring();
    }, this.retryDelay);
  }

  /** Ends the subscription, with a last result (an error) when given. */
  end(last?: FormattedExecutionResult): void {
    if (this.closed) return;
    if (last) this.push(last);
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.onEnd();
    if (this.waiting && this.queue.length === 0) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<FormattedExecutionResult>> {
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async return(): Promise<IteratorResult<FormattedExecutionResult>> {
    this.queue.length = 0;
    this.end();
    return { value: undefined, done: true };
  }

  async throw(err?: unknown): Promise<IteratorResult<FormattedExecutionResult>> {
    await this.return();
    throw err;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
