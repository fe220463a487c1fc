import { signWithCallerHeader } from '@gerbang/common';

/** The ledger's answer (subgraphs/ratings/src/modules/tickets/live.ts). */
export interface TicketChange {
  ticketId: string;
  agencyId: string;
  citizenRef: string;
  status: string;
  version: string;
  cursor: string;
}
export type ChangeScope = { scope: 'mine' } | { scope: 'ticket'; ticketId: string } | { scope: 'agency'; agencyId: string };
export type ChangesPage = { citizenRef?: string; head?: string; changes: TicketChange[]; more: boolean };

const TICKET_CHANGES_AUDIENCE = 'ratings:ticket-changes';

/** A refusal from the ledger: the subscriber may not follow this scope (or sent a bad cursor). */
export class ChangesRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
/** The ledger could not answer (down, timing out): try again later. */
export class ChangesUnavailable extends Error {}

/**
 * Asks the ticket ledger (ratings subgraph, `POST /internal/ticket-changes`) what a subscriber may
 * follow and what changed after a cursor, signed like every subgraph call with the subscriber as
 * the caller: the ledger decides scope with the same rules as `Query.ticket`.
 */
export class ChangesClient {
  constructor(private readonly options: { url: () => string | undefined; secret: string; timeoutMs?: number }) {}

  async fetch(callerHeader: string, scope: ChangeScope, after: string | null): Promise<ChangesPage> {
    const base = this.options.url();
    if (!base) throw new ChangesUnavailable('the ratings subgraph is not in the supergraph');
    const body = JSON.stringify({ ...scope, after });
    const headers = { 'content-type': 'application/json', ...signWithCallerHeader(this.options.secret, body, callerHeader, TICKET_CHANGES_AUDIENCE) };
    let res: Response;
    try {
      res = await fetch(`${base}/internal/ticket-changes`, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000) });
    } catch (err) {
      throw new ChangesUnavailable(`ticket ledger unreachable: ${(err as Error).message}`);
    }
    const answer = (await res.json().catch(() => ({}))) as { code?: string; error?: string } & Partial<ChangesPage>;
    if (res.status === 200)
      return { changes: answer.changes ?? [], more: answer.more ?? false, ...(answer.citizenRef ? { citizenRef: answer.citizenRef } : {}), ...(answer.head ? { head: answer.head } : {}) };
    if (res.status >= 400 && res.status < 500 && answer.code) throw new ChangesRefused(answer.code, answer.error ?? 'Refused.');
    throw new ChangesUnavailable(`ticket ledger answered ${res.status}`);
  }
}
