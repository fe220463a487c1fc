import { Migration } from '@mikro-orm/migrations';

/**
 * Distinct-citizen measures (CITIZENS_SERVED, CITIZENS_RATING): each fact carries `citizen`, a
 * 64-bit hash (hashtextextended) of the ledger's keyed NIK hash: enough to count distinct citizens
 * exactly (a collision among a million citizens has a chance of about 3·10⁻⁸), never selected out
 * of PostgreSQL. Indexes by day let a question read one period's facts. The refresh cursors are
 * cleared, so the next refresh is a full rebuild that fills the new column.
 */
export class Migration20261206090000 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(`alter table ${s}.ticket_fact add column citizen bigint`);
    this.addSql(`alter table ${s}.rating_fact add column citizen bigint`);
    this.addSql(`create index ticket_fact_opened_idx on ${s}.ticket_fact (opened) include (agency_id, service_id, kecamatan, channel, citizen)`);
    this.addSql(`create index rating_fact_period_idx on ${s}.rating_fact (period) include (valid, agency_id, service_id, kecamatan, channel, citizen)`);
    this.addSql(`delete from ${s}.refresh_cursor`);
  }
}
