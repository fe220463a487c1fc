import { signRequest, RequestVerifier } from './internal-auth';
import { Poller } from './poller';

/**
 * The ticket feed: how agency subgraphs tell the ratings subgraph's ticket ledger about service
 * tickets in their agency systems. The ledger is what `me.tickets` lists and what the rating
 * rules trust (completed? whose? when?), so a rating never depends on the client's word nor on
 * an agency system being up at the moment of rating.
 *
 *   POST {RATINGS_URL}/internal/ticket-events   body: TicketFeedBatch (JSON)
 *   signed with the gateway's envelope format (internal-auth.ts) using the publishing agency's
 *   feed key, for the audience TICKET_FEED_AUDIENCE; the envelope's caller is
 *   { roles: [], agencyId, sub: 'feed:<agencyId>' }.
 * Events are upserts, idempotent by (ticketId, version): replays and re-syncs are harmless.
 */
export const TICKET_STATUSES = ['SUBMITTED', 'IN_PROGRESS', 'COMPLETED', 'REJECTED', 'CANCELLED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface TicketEvent {
  /** `<agencyId>:<id in the agency system>` */
  ticketId: string;
  /** NIK of the citizen the ticket belongs to (the ledger stores only a keyed hash of it). */
  citizenNik: string;
  /** Directory service id, e.g. `dispendukcapil.ktp-el`. */
  serviceId: string;
  /** NIP of the serving officer, when known. */
  officerId: string | null;
  status: TicketStatus;
  submittedAt: string;
  completedAt: string | null;
  /** Monotonic per ticket in the agency system (sequence / version / update counter). */
  version: number;
  /** Optional: kecamatan code 1–14 where the citizen lives (default: read from a Trenggalek NIK, else 0 = unknown). */
  kecamatan?: number | null;
  /** Optional: how the request came in (default UNKNOWN). */
  channel?: 'PORTAL' | 'APP' | 'COUNTER' | 'UNKNOWN' | null;
}

export interface TicketFeedBatch {
  agencyId: string;
  events: TicketEvent[];
}

export const TICKET_FEED_PATH = '/internal/ticket-events';

/**
 * The audience feed batches are signed for: the ledger, not a subgraph's GraphQL endpoint, so a
 * batch is never accepted anywhere else (nor a GraphQL call as a batch) even under a shared key.
 */
export const TICKET_FEED_AUDIENCE = 'ratings:ticket-feed';

/** A ticket's id in the graph: `<agencyId>:<the agency system's own id>`. */
export const agencyTicketId = (agencyId: string, localId: string) => `${agencyId}:${localId}`;

/**
 * The agency system's own id inside a ticket id of `agencyId`: null for another agency's ticket,
 * an empty id, or one `valid` refuses (what the agency system may be sent).
 */
export function localTicketId(agencyId: string, ticketId: string, valid?: RegExp): string | null {
  if (!ticketId.startsWith(`${agencyId}:`)) return null;
  const local = ticketId.slice(agencyId.length + 1);
  return local && (!valid || valid.test(local)) ? local : null;
}

/**
 * Parses `agency=key,agency=key` (TICKET_FEED_KEYS) into a map. An agency named twice is refused:
 * the later key silently replaced the earlier one, so a list could hold a key that counted for
 * nothing (or, read the other way round, a development key that did).
 */
export function parseFeedKeys(spec: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) throw new Error(`TICKET_FEED_KEYS entry "${part.slice(0, 40)}" is not agency=key`);
    const agency = part.slice(0, i);
    if (map.has(agency)) throw new Error(`TICKET_FEED_KEYS names ${agency} twice: one key per agency`);
    map.set(agency, part.slice(i + 1));
  }
  return map;
}

/** Development feed key of an agency; production sets TICKET_FEED_KEY / TICKET_FEED_KEYS. */
export const devFeedKey = (agencyId: string) => `dev-ticket-feed-key-${agencyId}`;

export class TicketFeedPublisher {
  constructor(private readonly options: { ledgerUrl: string; agencyId: string; key: string; fetch?: typeof fetch; timeoutMs?: number }) {}

  async publish(events: TicketEvent[]): Promise<{ accepted: number }> {
    if (!events.length) return { accepted: 0 };
    const body = JSON.stringify({ agencyId: this.options.agencyId, events } satisfies TicketFeedBatch);
    const headers = signRequest(this.options.key, body, { roles: [], sub: `feed:${this.options.agencyId}`, agencyId: this.options.agencyId }, TICKET_FEED_AUDIENCE);
    const res = await (this.options.fetch ?? fetch)(`${this.options.ledgerUrl.replace(/\/$/, '')}${TICKET_FEED_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
    });
    if (!res.ok) throw new Error(`ticket ledger refused the batch: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as { accepted: number };
  }
}

/** Ledger side: a verifier per publishing agency. */
export function feedVerifiers(keys: Map<string, string>): Map<string, RequestVerifier> {
  return new Map([...keys].map(([agency, key]) => [agency, new RequestVerifier({ secrets: [key] })]));
}

export interface TicketSyncSource {
  /** Changes after `cursor` (exclusive), oldest first, plus the cursor to continue from. */
  changes(cursor: number, limit: number): Promise<{ events: TicketEvent[]; next: number }>;
}

/**
 * An agency system's change feed as a ticket source: each change becomes a ticket event, or is
 * skipped with the reason (`onSkip` hears it) when the ledger would refuse it, since the ledger
 * refuses a whole batch over one bad event. The cursor moves past skipped changes too.
 */
export function changeFeedTicketSource<T>(
  changes: (cursor: number, limit: number) => Promise<{ items: readonly T[]; next: number }>,
  toEvent: (change: T) => TicketEvent | { skip: string },
  onSkip?: (change: T, why: string) => void,
): TicketSyncSource {
  return {
    async changes(cursor, limit) {
      const page = await changes(cursor, limit);
      const events: TicketEvent[] = [];
      for (const change of page.items) {
        const event = toEvent(change);
        if ('skip' in event) onSkip?.(change, event.skip);
        else events.push(event);
      }
      return { events, next: page.next };
    },
  };
}

/**
 * Polls an agency system's change feed and publishes to the ledger. Starts from 0 on boot (a full
 * re-sync is idempotent), then follows the cursor. One failing poll is logged and retried on the
 * next tick; it never crashes the subgraph.
 */
export class TicketSync {
  private cursor = 0;
  private readonly poller: Poller<number>;
  constructor(
    private readonly source: TicketSyncSource,
    private readonly publisher: TicketFeedPublisher,
    private readonly options: { intervalMs: number; batchSize?: number; onError?: (err: unknown) => void },
  ) {
    // One failed poll is not news (at boot the ledger may not be listening yet): report from the second in a row.
    this.poller = new Poller(() => this.drain(), { intervalMs: options.intervalMs, onError: options.onError, reportAfter: 2 });
  }

  /** Drains the feed once; returns the number of events published. Concurrent calls share one run. */
  syncNow(): Promise<number> {
    return this.poller.runNow();
  }

  private async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { events, next } = await this.source.changes(this.cursor, this.options.batchSize ?? 200);
      if (events.length) await this.publisher.publish(events);
      total += events.length;
      // A page may hold only changes the source chose to skip: move past it all the same.
      if (next <= this.cursor) return total;
      this.cursor = next;
    }
  }

  start(): void {
    this.poller.start();
  }

  stop(): void {
    this.poller.stop();
  }
}

export interface TicketFeedOptions {
  /** The ratings subgraph's base URL (where the ledger is). */
  ledgerUrl: string;
  /** This agency's feed key. */
  key: string;
  /** Poll interval of the agency system's change feed; 0 = only on `syncNow()`. */
  intervalMs: number;
}

/** An agency subgraph's ticket sync, or none when it has no feed configured (some tests). */
export function createTicketSync(agencyId: string, source: TicketSyncSource, feed: TicketFeedOptions | undefined, onError: (err: unknown) => void): TicketSync | undefined {
  if (!feed) return undefined;
  return new TicketSync(source, new TicketFeedPublisher({ ledgerUrl: feed.ledgerUrl, agencyId, key: feed.key }), { intervalMs: feed.intervalMs, onError });
}

interface Listening {
  close: () => Promise<void>;
}

/** Ties a ticket sync to a server's life: it starts polling once the server listens and stops with it. */
export function withTicketSync<App extends { listen(port?: number, host?: string): Promise<R>; close(): Promise<void> }, R extends Listening>(
  app: App,
  sync: TicketSync | undefined,
): App & { sync: TicketSync | undefined } {
  return {
    ...app,
    sync,
    async listen(port = 0, host = '127.0.0.1') {
      const running = await app.listen(port, host);
      sync?.start();
      return {
        ...running,
        close: async () => {
          sync?.stop();
          await running.close();
        },
      };
    },
    async close() {
      sync?.stop();
      await app.close();
    },
  };
}
