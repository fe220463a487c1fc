import { Migration } from '@mikro-orm/migrations';

/**
 * Abandoned uploads are swept (service.ts `sweep`): a pending attachment by the last time an upload
 * URL was handed out for it (a retried declaration hands out a fresh one, so `created_at` alone
 * would sweep an upload in progress), a checked but unlinked one by `uploaded_at`. The partial
 * index serves the sweeper's scan of the unlinked rows only, which is all it ever reads.
 */
export class Migration20261205000000 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(`alter table ${s}.attachment add column upload_issued_at timestamptz`);
    this.addSql(`update ${s}.attachment set upload_issued_at = created_at`);
    this.addSql(`alter table ${s}.attachment alter column upload_issued_at set not null, alter column upload_issued_at set default now()`);
    this.addSql(`create index attachment_unlinked_idx on ${s}.attachment (status, upload_issued_at, uploaded_at) where ticket_id is null`);
  }
}
