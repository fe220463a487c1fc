import type http from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { hasRole, InternalAuthError, outageReason, OUTAGE_RETRY_AFTER_SECONDS, readBody, sendJson, type Caller, type Logger, type RequestVerifier, type Route } from '@gerbang/common';
import type { EventBus } from '@gerbang/common/events';
import { Sql } from '@gerbang/common';
import { citizenRef } from '../../lib/refs';

/**
 * Live ticket status, the ledger's side (the gateway serves the subscriptions: gateway/src/subscriptions).
 *
 * - Every ledger change takes the next `change_seq` (Migration20261215000000) under a
 *   transaction-level advisory lock, so the order of `change_seq` is the order of commit.
 * - After the commit, each changed ticket is published once on the event bus, topic `tickets`, as
 *   a `TicketChange`: ids, the citizen's keyed reference (never the NIK), the agency's version and
 *   the change cursor. No personal data travels on the bus.
 * - `POST /internal/ticket-changes` (signed by the gateway for the audience
 *   `ratings:ticket-changes`, with the subscriber as the caller) answers what a subscription may
 *   see, and the changes after a cursor: the replay of a client that resumes, and the catch-up of
 *   a gateway whose bus connection was cut.
 */
const TICKET_TOPIC = 'tickets';
export const TICKET_CHANGES_PATH = '/internal/ticket-changes';
const TICKET_CHANGES_AUDIENCE = 'ratings:ticket-changes';
export const CHANGE_LOCK = 'select pg_advisory_xact_lock(hashtext(?))';
/** Changes answered per call; the gateway asks again after the last cursor while `more` is true. */
const MAX_CHANGES = 200;

export interface TicketChange {
  ticketId: string;
  agencyId: string;
  citizenRef: string;
  status: string;
  /** The agency's version of the ticket (a decimal string: agencies count up to 2^53). */
  version: string;
  /** The ledger's change cursor (decimal string): increasing in commit order. */
  cursor: string;
}

/** The event on the bus: a change and when it was published (for the delivery-lag metric). */
type TicketChangeEvent = TicketChange & { at: number };

export const changeColumns = (alias: string) =>
  `${alias}.id as "ticketId", ${alias}.agency_id as "agencyId", ${alias}.citizen_ref as "citizenRef", ${alias}.status,
   ${alias}.version::text as version, ${alias}.change_seq::text as cursor`;

/** Changes per bus message: well under PostgreSQL's 8000-byte NOTIFY payload. */
const CHANGES_PER_EVENT = 25;

/**
 * Publishes committed changes, 25 to a message (a sync batch of a thousand is 40 messages, not a
 * thousand), all at once: the order on the bus does not matter, because an event is only a
 * doorbell (the gateway reads the changes themselves from the ledger, in cursor order). A failure
 * is logged, never thrown: the batch is committed, and a subscriber catches up at its next event
 * or when it resumes.
 */
export async function publishTicketChanges(bus: EventBus | undefined, changes: readonly TicketChange[], logger: Logger): Promise<void> {
  if (!bus || changes.length === 0) return;
  const at = Date.now();
  const messages: TicketChangeEvent[][] = [];
  for (let i = 0; i < changes.length; i += CHANGES_PER_EVENT) messages.push(changes.slice(i, i + CHANGES_PER_EVENT).map((c) => ({ ...c, at })));
  await Promise.all(
    messages.map((group) =>
      bus
        .publish(
          TICKET_TOPIC,
          { changes: group },
          {
            id: group
              .map((c) => `${c.ticketId}@${c.cursor}`)
              .join(',')
              .slice(0, 200),
          },
        )
        .catch((err: unknown) => {
          logger.warn(
            { err: (err as Error).message, changes: group.length, firstCursor: group[0]!.cursor },
            'ticket changes not published (subscribers catch up at their next event or when they resume)',
          );
        }),
    ),
  );
}

type ChangeScope = { scope: 'mine' } | { scope: 'ticket'; ticketId: string } | { scope: 'agency'; agencyId: string };
interface ChangesRequest {
  scope: ChangeScope;
  /** Only changes after this cursor; absent: none, and `head` says the latest cursor in scope. */
  after?: string | null;
}
type ChangesAnswer =
  | { ok: true; citizenRef?: string; head?: string; changes: TicketChange[]; more: boolean }
  | { ok: false; status: number; code: 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'BAD_USER_INPUT'; message: string };

const CURSOR = /^\d{1,19}$/;

/** An officer of the agency (the token's agency), or an administrator. */
export const agencyStaff = (caller: Caller, agencyId: string) => hasRole(caller, 'admin') || (hasRole(caller, 'officer') && caller.agencyId === agencyId);

/** The same rules as Query.ticket and the subscriptions' fields: the ticket's citizen, its agency's officers, administrators. */
function ticketReadable(caller: Caller, pepper: string, ticket: { citizenRef: string; agencyId: string }): boolean {
  if (caller.nik && hasRole(caller, 'citizen') && citizenRef(pepper, caller.nik) === ticket.citizenRef) return true;
  return agencyStaff(caller, ticket.agencyId);
}

async function ticketChanges(db: Sql, pepper: string, caller: Caller, request: ChangesRequest): Promise<ChangesAnswer> {
  if (!caller.sub) return { ok: false, status: 401, code: 'UNAUTHENTICATED', message: 'Sign in to follow tickets.' };
  const after = request.after ?? null;
  if (after !== null && !CURSOR.test(after)) return { ok: false, status: 400, code: 'BAD_USER_INPUT', message: '`after` must be a change cursor from an earlier event.' };
  const t = db.t('ticket');
  const page = async (where: string, params: unknown[]) => {
    // No cursor: nothing to replay; `head` is where live delivery starts (every later change is greater).
    if (after === null) {
      const row = await db.one<{ head: string }>(`select coalesce(max(t.change_seq), 0)::text as head from ${t} t where ${where}`, params);
      return { changes: [], more: false, head: row?.head ?? '0' };
    }
    const rows = await db.all<TicketChange>(`select ${changeColumns('t')} from ${t} t where ${where} and t.change_seq > ?::bigint order by t.change_seq limit ?`, [...params, after, MAX_CHANGES + 1]);
    return { changes: rows.slice(0, MAX_CHANGES), more: rows.length > MAX_CHANGES };
  };
  const { scope } = request;
  switch (scope.scope) {
    case 'mine': {
      if (!caller.nik || !hasRole(caller, 'citizen')) return { ok: false, status: 403, code: 'FORBIDDEN', message: 'Only a signed-in citizen has tickets of their own.' };
      const ref = citizenRef(pepper, caller.nik);
      return { ok: true, citizenRef: ref, ...(await page('t.citizen_ref = ?', [ref])) };
    }
    case 'ticket': {
      const ticket = await db.one<{ citizenRef: string; agencyId: string }>(`select citizen_ref as "citizenRef", agency_id as "agencyId" from ${t} where id = ?`, [scope.ticketId]);
      // An unknown ticket and someone else's get the same answer: ids cannot be probed.
      if (!ticket || !ticketReadable(caller, pepper, ticket)) return { ok: false, status: 404, code: 'NOT_FOUND', message: 'No such ticket of yours.' };
      return { ok: true, ...(await page('t.id = ?', [scope.ticketId])) };
    }
    case 'agency': {
      if (!agencyStaff(caller, scope.agencyId)) return { ok: false, status: 403, code: 'FORBIDDEN', message: "Only the agency's officers may follow its ticket queue." };
      return { ok: true, ...(await page('t.agency_id = ?', [scope.agencyId])) };
    }
  }
}

function parseScope(raw: unknown): ChangesRequest | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { scope, ticketId, agencyId, after } = raw as Record<string, unknown>;
  if (after !== undefined && after !== null && typeof after !== 'string') return null;
  const base = { after: after ?? null };
  if (scope === 'mine') return { scope: { scope }, ...base };
  if (scope === 'ticket' && typeof ticketId === 'string' && ticketId.length <= 200) return { scope: { scope, ticketId }, ...base };
  if (scope === 'agency' && typeof agencyId === 'string' && agencyId.length <= 64) return { scope: { scope, agencyId }, ...base };
  return null;
}

/** `POST /internal/ticket-changes`: signed by the gateway, the subscriber as the caller. */
export function ticketChangesRoute(options: { orm: MikroORM; verifier: RequestVerifier; pepper: string; logger: Logger }): Route {
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' }, { allow: 'POST' });
    const body = await readBody(req, 10_000);
    let caller: Caller;
    try {
      caller = await options.verifier.verify(req.headers, body, TICKET_CHANGES_AUDIENCE);
    } catch (err) {
      if (!(err instanceof InternalAuthError)) throw err;
      return sendJson(res, 401, { error: 'bad signature', reason: err.reason });
    }
    let request: ChangesRequest | null;
    try {
      request = parseScope(JSON.parse(body.toString('utf8')));
    } catch {
      request = null;
    }
    if (!request) return sendJson(res, 400, { error: 'invalid request', code: 'BAD_USER_INPUT', message: 'Expected { scope: "mine" | "ticket" | "agency", ticketId?, agencyId?, after? }.' });
    try {
      const answer = await ticketChanges(new Sql(options.orm.em.fork()), options.pepper, caller, request);
      if (!answer.ok) return sendJson(res, answer.status, { error: answer.message, code: answer.code });
      return sendJson(res, 200, answer);
    } catch (err) {
      const reason = outageReason(err);
      if (!reason) throw err;
      return sendJson(res, 503, { error: 'ledger unavailable', reason, retryAfter: OUTAGE_RETRY_AFTER_SECONDS }, { 'retry-after': String(OUTAGE_RETRY_AFTER_SECONDS) });
    }
  };
}
