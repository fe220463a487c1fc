import type { Logger } from '@gerbang/common';
import type { Sql } from '@gerbang/common';
import { ChannelError, type NotificationChannel } from './channel';
import { maskPhone } from './phone';
import { NotificationSettingsService } from './settings';

export interface SenderPolicy {
  /** How often the outbox is drained (0: only when driven, as in tests). */
  intervalMs: number;
  /** Attempts before a notification is dead-lettered. */
  maxAttempts: number;
  /** First retry after this long, doubling per attempt up to `backoffMaxMs`. */
  backoffMs: number;
  backoffMaxMs: number;
  /** How long a claimed notification is the claimant's: past it (the sender died mid-send), another claims it again. */
  leaseMs: number;
  /** Notifications claimed per run. */
  batchSize: number;
  /** The link in the message (the portal's tickets page). */
  link: string;
}

export const DEFAULT_SENDER_POLICY: SenderPolicy = { intervalMs: 2_000, maxAttempts: 8, backoffMs: 5_000, backoffMaxMs: 600_000, leaseMs: 15_000, batchSize: 20, link: 'http://127.0.0.1:4000/' };

/** Counters since the process started (the outbox's own counts by state are in `stats()`). */
export interface SenderCounters {
  sent: number;
  /** Sends the channel answered as a duplicate: a retry of a message it had accepted (the reply was lost). */
  duplicates: number;
  retried: number;
  dead: number;
  skipped: number;
  runs: number;
}

interface Claimed {
  id: string;
  ticketId: string;
  citizenRef: string;
  agencyId: string;
  idempotencyKey: string;
  attempts: number;
  rated: boolean;
  windowClosed: boolean;
}

/** `backoffMs × 2^(attempts − 1)`, capped at `backoffMaxMs`; ±20 % jitter so retries of one outage do not arrive together. */
const backoff = (policy: Pick<SenderPolicy, 'backoffMs' | 'backoffMaxMs'>, attempts: number) =>
  Math.round(Math.min(policy.backoffMaxMs, policy.backoffMs * 2 ** Math.max(0, attempts - 1)) * (0.8 + Math.random() * 0.4));

/**
 * Drains the notification outbox into a channel, at least once, with no duplicate reaching the
 * citizen:
 * 1. claims due rows (`FOR UPDATE SKIP LOCKED`: replicas share the work) by setting them `sending`
 *    with a lease and the next attempt number, and commits;
 * 2. sends each with the row's idempotency key (the same on every attempt, so the channel sends a
 *    message once however often it is asked);
 * 3. records the outcome only if the row is still this attempt's (`attempts` is the fencing token):
 *    `sent`; `pending` again after a backoff; `dead` after `maxAttempts` or a refusal of the message
 *    itself; `skipped` when the citizen switched notifications off, gave no number, already rated, or the
 *    rating window closed while it waited.
 * A sender that dies between 2 and 3 leaves the row `sending`; once its lease is over the row is
 * claimed again and sent with the same key, and the channel answers with the first message id.
 */
export class NotificationSender {
  readonly counters: SenderCounters = { sent: 0, duplicates: 0, retried: 0, dead: 0, skipped: 0, runs: 0 };
  private readonly aborter = new AbortController();

  constructor(private readonly options: { db: () => Sql; channel: NotificationChannel; pepper: string; policy: SenderPolicy; logger: Logger; ratingWindowDays: number; now: () => Date }) {}

  /** One run: claims due notifications and sends them. Answers how many were claimed. */
  async run(): Promise<number> {
    if (this.aborter.signal.aborted) return 0;
    this.counters.runs++;
    const db = this.options.db();
    const claimed = await this.claim(db, this.options.now().toISOString());
    await Promise.all(claimed.map((row) => this.deliver(db, row)));
    return claimed.length;
  }

  /** Stops sending: sends in flight are abandoned (as if the process died), and nothing more is written. */
  halt(): void {
    this.aborter.abort();
  }

  /** Every time is the sender's clock (`now`), as the ledger's are, never the database's. */
  private async claim(db: Sql, now: string): Promise<Claimed[]> {
    const { policy } = this.options;
    const o = db.t('notification_outbox');
    // A row whose lease ran out after its last attempt is dead: it cannot be tried again.
    const expired = await db.all<{ id: string }>(
      `update ${o} set state = 'dead', lease_until = null, finished_at = ?::timestamptz, last_error = coalesce(last_error, 'no outcome recorded for the last attempt (lease expired)')
       where state = 'sending' and lease_until <= ?::timestamptz and attempts >= ? returning id`,
      [now, now, policy.maxAttempts],
    );
    this.counters.dead += expired.length;
    return db.all<Claimed>(
      `with due as (
         select id from ${o}
         where ((state = 'pending' and next_attempt_at <= ?::timestamptz) or (state = 'sending' and lease_until <= ?::timestamptz)) and attempts < ?
         order by next_attempt_at, id limit ? for update skip locked)
       update ${o} n set state = 'sending', attempts = n.attempts + 1, lease_until = ?::timestamptz + make_interval(secs => ?::double precision / 1000)
       from due where n.id = due.id
       returning n.id::text as id, n.ticket_id as "ticketId", n.citizen_ref as "citizenRef", n.agency_id as "agencyId",
         n.idempotency_key as "idempotencyKey", n.attempts,
         exists (select 1 from ${db.t('rating')} r where r.ticket_id = n.ticket_id) as rated,
         exists (select 1 from ${db.t('ticket')} t where t.id = n.ticket_id and t.completed_at <= ?::timestamptz - make_interval(days => ?)) as "windowClosed"`,
      [now, now, policy.maxAttempts, policy.batchSize, now, policy.leaseMs, now, this.options.ratingWindowDays],
    );
  }

  private async deliver(db: Sql, row: Claimed): Promise<void> {
    const { logger, policy, channel } = this.options;
    const log = { notification: row.id, ticketId: row.ticketId, attempt: row.attempts };
    const contact = await new NotificationSettingsService(db, this.options.pepper).contact(row.citizenRef);
    const skip = row.rated ? 'already rated' : row.windowClosed ? 'rating window closed' : contact && !contact.enabled ? 'switched off' : !contact?.phone ? 'no phone number' : null;
    if (skip || !contact?.phone) {
      if (await this.finish(db, row, 'skipped', { error: skip ?? 'no phone number' })) this.counters.skipped++;
      logger.info({ ...log, reason: skip }, 'notification skipped');
      return;
    }
    const to = contact.phone;
    try {
      const sent = await channel.send(
        { idempotencyKey: row.idempotencyKey, channel: contact.channel, to, text: rateRequestText(row.ticketId, policy.link, this.options.ratingWindowDays) },
        this.aborter.signal,
      );
      if (this.aborter.signal.aborted) return;
      if (await this.finish(db, row, 'sent', { messageId: sent.messageId })) {
        this.counters.sent++;
        if (sent.duplicate) this.counters.duplicates++;
      }
      logger.info({ ...log, to: maskPhone(to), channel: contact.channel, messageId: sent.messageId, duplicate: sent.duplicate }, 'notification sent');
    } catch (err) {
      if (this.aborter.signal.aborted) return;
      const reason = err instanceof ChannelError ? err.reason : (err as Error).message;
      const retryable = !(err instanceof ChannelError) || err.retryable;
      if (retryable && row.attempts < policy.maxAttempts) {
        const waitMs = backoff(policy, row.attempts);
        if (await this.finish(db, row, 'pending', { error: reason, retryInMs: waitMs })) this.counters.retried++;
        logger.warn({ ...log, to: maskPhone(to), reason, retryInMs: waitMs }, 'notification not sent; retrying later');
      } else {
        if (await this.finish(db, row, 'dead', { error: reason })) this.counters.dead++;
        logger.error({ ...log, to: maskPhone(to), reason, attempts: row.attempts }, 'notification dead-lettered');
      }
    }
  }

  /** Records an attempt's outcome, only if the row is still that attempt's (another claimant may have taken it over). */
  private async finish(db: Sql, row: Claimed, state: 'sent' | 'pending' | 'dead' | 'skipped', outcome: { messageId?: string; error?: string; retryInMs?: number }): Promise<boolean> {
    if (this.aborter.signal.aborted) return false;
    const now = this.options.now().toISOString();
    const updated = await db.all(
      `update ${db.t('notification_outbox')} set state = ?, lease_until = null, provider_message_id = coalesce(?, provider_message_id), last_error = ?,
         next_attempt_at = ?::timestamptz + make_interval(secs => ?::double precision / 1000), finished_at = case when ? then ?::timestamptz else null end
       where id = ?::bigint and state = 'sending' and attempts = ? returning id`,
      [state, outcome.messageId ?? null, outcome.error ?? null, now, outcome.retryInMs ?? 0, state !== 'pending', now, row.id, row.attempts],
    );
    return updated.length === 1;
  }

  /** The outbox by state and the oldest notification waiting, for /health/status. */
  async stats(): Promise<{ counters: SenderCounters; outbox: Record<string, number>; oldestWaitingSeconds: number | null }> {
    const db = this.options.db();
    const rows = await db.all<{ state: string; n: string; oldest: string | null }>(
      `select state, count(*)::text as n, extract(epoch from ?::timestamptz - min(created_at) filter (where state in ('pending', 'sending')))::text as oldest
       from ${db.t('notification_outbox')} group by state`,
      [this.options.now().toISOString()],
    );
    const outbox: Record<string, number> = {};
    let oldest: number | null = null;
    for (const r of rows) {
      outbox[r.state] = Number(r.n);
      if (r.oldest !== null) oldest = Math.max(oldest ?? 0, Math.round(Number(r.oldest)));
    }
    return { counters: { ...this.counters }, outbox, oldestWaitingSeconds: oldest };
  }
}

/** The message: short enough for one SMS (160 GSM-7 characters) with a typical ticket id. */
function rateRequestText(ticketId: string, link: string, windowDays: number): string {
  const shortId = ticketId.length > 24 ? `…${ticketId.slice(-20)}` : ticketId;
  return `Gerbang Trenggalek: layanan ${shortId} selesai. Beri nilai dalam ${windowDays} hari: ${link}`;
}
