import { Migration } from '@mikro-orm/migrations';

/**
 * What the insights cube needs of the ledger (issue 14):
 * - a ticket's kecamatan (code 1–14 of where the citizen lives, 0: unknown) and channel (PORTAL,
 *   APP, COUNTER, UNKNOWN), carried by the ticket feed; null on rows written before this migration
 *   (the cube counts them as unknown unless the history's ticket context says otherwise);
 * - change cursors to keep rollups up to date incrementally: tickets already take `change_seq`
 *   (Migration20261215000000) and get an index on it; ratings take one from their own sequence on
 *   insert and whenever their status changes (moderation). Rows rated before this migration have
 *   none: the first (full) rollup build counts them.
 */
export class Migration20261217090000 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(`alter table ${s}.ticket
      add column kecamatan smallint check (kecamatan between 0 and 14),
      add column channel text check (channel in ('PORTAL', 'APP', 'COUNTER', 'UNKNOWN'))`);
    this.addSql(`create index ticket_change_seq_idx on ${s}.ticket (change_seq)`);
    this.addSql(`create sequence ${s}.rating_change_seq as bigint`);
    this.addSql(`alter table ${s}.rating add column change_seq bigint`);
    this.addSql(`alter table ${s}.rating alter column change_seq set default nextval('${s}.rating_change_seq')`);
    this.addSql(`create index rating_change_seq_idx on ${s}.rating (change_seq)`);
    this.addSql(`create function ${s}.rating_change_seq_bump() returns trigger language plpgsql as $$
      begin
        new.change_seq := nextval('${s}.rating_change_seq');
        return new;
      end $$`);
    this.addSql(`create trigger rating_change_seq_bump before update of status on ${s}.rating
      for each row when (old.status is distinct from new.status) execute function ${s}.rating_change_seq_bump()`);
  }
}
