import { Migration } from '@mikro-orm/migrations';

/**
 * Attachments: one row per file a citizen uploads (the bytes are in the store, named by `id`).
 * The owner is the citizen's sign-in subject; the agency is the one that handles the purpose and
 * whose officers may read the file; `ticket_id` links it to the request once filed. One row per
 * (owner, idempotency key): a retried upload returns the first.
 */
export class Migration20261204210000 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(`create table ${s}.attachment (
      id uuid primary key,
      owner_sub text not null,
      agency_id text not null,
      purpose text not null,
      kind text not null,
      file_name text not null check (length(file_name) between 1 and 200),
      content_type text not null,
      size integer not null check (size > 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      status text not null default 'PENDING' check (status in ('PENDING', 'READY')),
      ticket_id text check (ticket_id is null or left(ticket_id, length(agency_id) + 1) = agency_id || ':'),
      idempotency_key text not null,
      created_at timestamptz not null default now(),
      uploaded_at timestamptz,
      linked_at timestamptz,
      unique (owner_sub, idempotency_key)
    )`);
    this.addSql(`create index attachment_owner_idx on ${s}.attachment (owner_sub, created_at desc)`);
    this.addSql(`create index attachment_ticket_idx on ${s}.attachment (ticket_id) where ticket_id is not null`);
  }
}
