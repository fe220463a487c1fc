import { Migration } from '@mikro-orm/migrations';

/**
 * The ledger's change order, for live ticket status (subscriptions at the gateway). Every change of
 * a ticket row takes the next value of `ticket_change_seq` into `change_seq`; the ledger writes
 * under a transaction-level advisory lock, so values are committed in increasing order and "every
 * change after N" (a client resuming) never skips one committed late. Existing rows get values in
 * their last-change order.
 */
export class Migration20261215000000 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(`create sequence ${s}.ticket_change_seq as bigint`);
    this.addSql(`alter table ${s}.ticket add column change_seq bigint`);
    this.addSql(`update ${s}.ticket t set change_seq = o.n
      from (select id, row_number() over (order by updated_at, id) as n from ${s}.ticket) o where o.id = t.id`);
    this.addSql(`select setval('${s}.ticket_change_seq', greatest((select max(change_seq) from ${s}.ticket), 0) + 1, false)`);
    this.addSql(`alter table ${s}.ticket alter column change_seq set default nextval('${s}.ticket_change_seq'), alter column change_seq set not null`);
    this.addSql(`create index ticket_citizen_change_idx on ${s}.ticket (citizen_ref, change_seq)`);
    this.addSql(`create index ticket_agency_change_idx on ${s}.ticket (agency_id, change_seq)`);
  }
}
