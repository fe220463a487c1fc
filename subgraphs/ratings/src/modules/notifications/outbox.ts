import { pgArray } from '@gerbang/common';
import type { Sql } from '@gerbang/common';

/** The kinds of notification the outbox holds. */
const RATE_REQUEST = 'rate_request';

/**
 * The transactional outbox's write side, called inside the ledger's transaction (LedgerService.apply):
 * for every ticket among `ticketIds` that is now completed, within the rating window (an old
 * completion arriving in a re-sync asks nobody), one row asking its citizen to rate it. The
 * unique `(kind, ticket_id)` makes a replayed or re-versioned completion ask nothing more. The
 * idempotency key is derived from the ticket id alone, so it is the same for every attempt.
 */
export async function enqueueRateRequests(tx: Sql, ticketIds: readonly string[], now: Date, windowDays: number): Promise<number> {
  if (ticketIds.length === 0) return 0;
  const rows = await tx.all<{ id: string }>(
    `insert into ${tx.t('notification_outbox')} (kind, ticket_id, citizen_ref, agency_id, idempotency_key, next_attempt_at, created_at)
     select '${RATE_REQUEST}', t.id, t.citizen_ref, t.agency_id,
            'gerbang.rate-request.' || left(encode(sha256(convert_to(t.id, 'UTF8')), 'hex'), 40), ?::timestamptz, ?::timestamptz
     from ${tx.t('ticket')} t
     where t.id = any(?::text[]) and t.status = 'COMPLETED' and t.completed_at > ?::timestamptz - make_interval(days => ?)
     on conflict do nothing
     returning id`,
    [now.toISOString(), now.toISOString(), pgArray(ticketIds), now.toISOString(), windowDays],
  );
  return rows.length;
}
