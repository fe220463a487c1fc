import { Migration } from '@mikro-orm/migrations';

/**
 * Notifications for citizens without the app open (modules/notifications):
 * - `notification_outbox`: one row per notification, written in the ledger's own transaction when
 *   a ticket completes (a transactional outbox), drained by the sender. `(kind, ticket_id)` is
 *   unique, so a ticket asks its citizen to rate it once whatever the feed replays;
 *   `idempotency_key` is what the messaging gateway deduplicates on across the sender's retries.
 * - `notification_settings`: a citizen's choice (on/off, SMS or WhatsApp) and phone, keyed by the
 *   citizen's keyed reference; the phone only sealed (AES-GCM bound to the row), masked, and as a keyed hash (to tell the same number again).
 */
export class Migration20261216090000 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(`create table ${s}.notification_settings (
      citizen_ref text primary key,
      enabled boolean not null,
      channel text not null check (channel in ('sms', 'whatsapp')),
      phone_sealed bytea,
      phone_masked text,
      phone_ref text,
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create table ${s}.notification_outbox (
      id bigserial primary key,
      kind text not null,
      ticket_id text not null,
      citizen_ref text not null,
      agency_id text not null,
      idempotency_key text not null unique,
      state text not null default 'pending' check (state in ('pending', 'sending', 'sent', 'skipped', 'dead')),
      attempts int not null default 0,
      next_attempt_at timestamptz not null default now(),
      lease_until timestamptz,
      last_error text,
      provider_message_id text,
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      unique (kind, ticket_id)
    )`);
    this.addSql(`create index notification_outbox_due_idx on ${s}.notification_outbox (next_attempt_at, id) where state in ('pending', 'sending')`);
  }
}
