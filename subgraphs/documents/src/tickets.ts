import { ErrorCode, GerbangError, signRequest, Upstream, UpstreamRejectedError, UpstreamUnavailableError, type Caller } from '@gerbang/common';

/**
 * Whose a ticket is. The documents subgraph cannot tell by itself: the ticket ledger (ratings)
 * keeps only a keyed hash of the citizen's NIK. So it asks the ledger, as the caller.
 */
export interface TicketOwnership {
  /** Resolves when `ticketId` is the caller's; NOT_FOUND when it is not (or unknown), UPSTREAM_UNAVAILABLE when the ledger cannot say. */
  assertOwn(caller: Caller, ticketId: string): Promise<void>;
}

export interface LedgerTicketCheckOptions {
  /** The ratings subgraph's base URL (RATINGS_URL); its GraphQL endpoint is `/graphql`. */
  ratingsUrl: string;
  /** The internal signing secret (current key): the call is signed as the caller, for the audience `ratings`. */
  secret: string;
  /** Deadline per attempt. */
  timeoutMs: number;
  /**
   * A request filed a moment ago may not have reached the ledger yet (the agency subgraph
   * publishes it right after the filing, asynchronously): an unknown ticket is asked again, with
   * backoff, for up to this long before the answer is NOT_FOUND.
   */
  waitMs: number;
  fetch?: typeof fetch;
}

/** The ledger's name in UPSTREAM_UNAVAILABLE (`service`). */
const LEDGER_SERVICE = 'ratings (ticket ledger)';
const AUDIENCE = 'ratings';
const QUERY = 'query TicketOwner($id: ID!) { ticket(id: $id) { id } }';

type GraphQLAnswer = { data?: { ticket?: { id: string } | null } | null; errors?: { message?: string; extensions?: { code?: string } }[] };

/**
 * Asks the ratings subgraph `ticket(id)` over HTTP, signed with the gateway's envelope as the
 * caller: the ledger answers a citizen only about their own tickets (NOT_FOUND alike for another's
 * and an unknown one). Through `Upstream`: a deadline per attempt, one retry, and a circuit breaker,
 * so a ledger that is down makes attaching fail fast with UPSTREAM_UNAVAILABLE.
 */
export class LedgerTicketCheck implements TicketOwnership {
  private readonly upstream: Upstream;
  private readonly url: string;

  constructor(private readonly options: LedgerTicketCheckOptions) {
    this.upstream = new Upstream({ service: LEDGER_SERVICE, timeoutMs: options.timeoutMs, retries: 1 });
    this.url = `${options.ratingsUrl.replace(/\/$/, '')}/graphql`;
  }

  async assertOwn(caller: Caller, ticketId: string): Promise<void> {
    const deadline = Date.now() + this.options.waitMs;
    for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
      try {
        await this.upstream.call((signal) => this.ask(caller, ticketId, signal), { idempotent: true });
        return;
      } catch (err) {
        if (!(err instanceof UpstreamRejectedError) || Date.now() + delay > deadline) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async ask(caller: Caller, ticketId: string, signal: AbortSignal): Promise<void> {
    const body = JSON.stringify({ query: QUERY, variables: { id: ticketId }, operationName: 'TicketOwner' });
    const res = await (this.options.fetch ?? fetch)(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signRequest(this.options.secret, body, caller, AUDIENCE) },
      body,
      signal,
    });
    const text = await res.text();
    if (res.status === 401) throw new Error(`the ledger refused our signature (HTTP 401)`);
    let answer: GraphQLAnswer;
    try {
      answer = JSON.parse(text) as GraphQLAnswer;
    } catch {
      throw new Error(`the ledger answered HTTP ${res.status} with something that is not JSON`);
    }
    if (answer.data?.ticket?.id === ticketId) return;
    const code = answer.errors?.[0]?.extensions?.code;
    // The ledger's answer to a ticket that is not the caller's: no fault of the ledger's, so not counted against its breaker.
    if (code === ErrorCode.NOT_FOUND || (answer.data?.ticket === null && !answer.errors?.length)) throw new UpstreamRejectedError(LEDGER_SERVICE, 'No such ticket of yours.', 'NOT_FOUND');
    throw new Error(code ? `the ledger answered ${code}` : `the ledger answered HTTP ${res.status}`);
  }

  shutdown(): void {
    this.upstream.shutdown();
  }
}

/** The refusal a citizen gets for a ticket that is not theirs, or unknown: one answer, so ticket ids cannot be probed. */
const notYourTicket = () => new GerbangError(ErrorCode.NOT_FOUND, 'No such ticket of yours.', { field: 'ticketId' });

/** Maps the check's failures to the documents subgraph's answers. */
export async function checkOwnTicket(tickets: TicketOwnership, caller: Caller, ticketId: string): Promise<void> {
  try {
    await tickets.assertOwn(caller, ticketId);
  } catch (err) {
    if (err instanceof UpstreamRejectedError) throw notYourTicket();
    if (err instanceof UpstreamUnavailableError) throw err;
    if (err instanceof GerbangError) throw err;
    throw new UpstreamUnavailableError(LEDGER_SERVICE, (err as Error).message);
  }
}
