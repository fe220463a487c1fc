import { Migration } from '@mikro-orm/migrations';

/**
 * Ticket feed keys issued to agencies (modules/tickets/feed-keys.ts): the key itself is
 * HMAC(FEED_KEY_SECRET, `<agency>:<nonce>`) and is never stored; the row keeps the nonce (to derive
 * it again when a batch arrives) and the key's SHA-256 (so a row written under another secret is
 * recognised and ignored rather than trusted).
 */
export class Migration20261217000000 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(`create table ${s}.feed_key (
      nonce text primary key,
      agency_id text not null check (agency_id ~ '^[a-z0-9-]{2,64}$'),
      key_hash text not null,
      issued_by text not null,
      issued_at timestamptz not null default now()
    )`);
    this.addSql(`create index feed_key_agency_idx on ${s}.feed_key (agency_id)`);
  }
}
