import { Migration } from '@mikro-orm/migrations';

const STARS = ['n1', 'n2', 'n3', 'n4', 'n5'];
const SKM = ['skm_n', ...Array.from({ length: 9 }, (_, i) => `skm_s${i + 1}`)];

/** How a set of signed rating rows `d` adds up to each measure. */
const MEASURE: Record<string, string> = {
  ...Object.fromEntries(STARS.map((m, k) => [m, `sum(d.sign * (d.stars = ${k + 1})::int)`])),
  skm_n: 'sum(d.sign * (d.skm is not null)::int)',
  ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`skm_s${i + 1}`, `sum(d.sign * coalesce(d.skm[${i + 1}], 0))`])),
};

/**
 * Rollups that the summaries, IKM and TPP read instead of scanning ratings and tickets (the
 * benchmark's satisfaction over a year of 1,000,000 ratings took ~450 ms; from these, ~15 ms):
 *
 * - rating_tally: VALID ratings per (agency, month, officer): count per star, SKM respondents and
 *   answer sums. Agency, officer, IKM, TPP and the anomaly rules' unit figures read it.
 * - rating_service_tally: VALID ratings per (service, month, officer): count per star.
 * - ticket_tally: COMPLETED tickets per (agency, month): the Krejcie–Morgan population.
 * officer_id '' stands for "no officer". Every key holds the officer, so concurrent ratings of
 * different officers never wait for each other on a tally row.
 *
 * They are kept by statement-level triggers on rating and ticket, so every path that writes those
 * tables (rating, flagging, reviews, the ticket feed, a hand-made fix in SQL) keeps them exact, in
 * the same transaction, with one upsert per table and statement however many rows it touched. The
 * upserts take their rows in key order.
 */
export class Migration20261128130000 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    const measures = (list: string[]) => list.map((m) => `${m} bigint not null default 0`).join(',\n      ');

    this.addSql(`create table ${s}.rating_tally (
      agency_id text not null,
      period text not null,
      officer_id text not null,
      ${measures([...STARS, ...SKM])},
      primary key (agency_id, period, officer_id)
    )`);
    this.addSql(`create index rating_tally_officer_idx on ${s}.rating_tally (officer_id, period)`);
    this.addSql(`create table ${s}.rating_service_tally (
      service_id text not null,
      period text not null,
      officer_id text not null,
      ${measures(STARS)},
      primary key (service_id, period, officer_id)
    )`);
    this.addSql(`create table ${s}.ticket_tally (
      agency_id text not null,
      completed_period text not null,
      completed bigint not null default 0,
      primary key (agency_id, completed_period)
    )`);

    // d(sign, agency_id, service_id, period, officer_id, stars, skm): +1 for a row that now counts,
    // -1 for one that no longer does. Only VALID ratings count.
    const upsert = (table: string, key: string, list: string[], delta: string) => `
      insert into ${s}.${table} as t (${key}, period, officer_id, ${list.join(', ')})
      select d.${key}, d.period, coalesce(d.officer_id, ''), ${list.map((m) => MEASURE[m]).join(', ')}
      from (${delta}) d
      group by 1, 2, 3
      order by 1, 2, 3
      on conflict (${key}, period, officer_id) do update set ${list.map((m) => `${m} = t.${m} + excluded.${m}`).join(', ')}`;
    const upsertRatings = (delta: string) => `${upsert('rating_tally', 'agency_id', [...STARS, ...SKM], delta)};\n${upsert('rating_service_tally', 'service_id', STARS, delta)}`;
    const cols = 'agency_id, service_id, period, officer_id, stars, skm';
    const changed = `o.id = n.id and ((o.status = 'VALID') <> (n.status = 'VALID')
      or (n.status = 'VALID' and (o.agency_id, o.service_id, o.period, o.officer_id, o.stars, o.skm) is distinct from (n.agency_id, n.service_id, n.period, n.officer_id, n.stars, n.skm)))`;
    this.addSql(`create function ${s}.rating_tally_apply() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          ${upsertRatings(`select 1 as sign, ${cols} from new_rows where status = 'VALID'`)};
        elsif tg_op = 'DELETE' then
          ${upsertRatings(`select -1 as sign, ${cols} from old_rows where status = 'VALID'`)};
        else
          ${upsertRatings(`select -1 as sign, o.agency_id, o.service_id, o.period, o.officer_id, o.stars, o.skm
                             from old_rows o join new_rows n on ${changed} where o.status = 'VALID'
                           union all
                           select 1, n.agency_id, n.service_id, n.period, n.officer_id, n.stars, n.skm
                             from old_rows o join new_rows n on ${changed} where n.status = 'VALID'`)};
        end if;
        return null;
      end
    $$`);
    this.addSql(`create trigger rating_tally_insert after insert on ${s}.rating referencing new table as new_rows
      for each statement execute function ${s}.rating_tally_apply()`);
    this.addSql(`create trigger rating_tally_update after update on ${s}.rating referencing old table as old_rows new table as new_rows
      for each statement execute function ${s}.rating_tally_apply()`);
    this.addSql(`create trigger rating_tally_delete after delete on ${s}.rating referencing old table as old_rows
      for each statement execute function ${s}.rating_tally_apply()`);

    const upsertTickets = (delta: string) => `
      insert into ${s}.ticket_tally as t (agency_id, completed_period, completed)
      select d.agency_id, d.completed_period, sum(d.sign) from (${delta}) d
      group by 1, 2
      order by 1, 2
      on conflict (agency_id, completed_period) do update set completed = t.completed + excluded.completed`;
    const counted = (r: string) => `${r}.status = 'COMPLETED' and ${r}.completed_period is not null`;
    const ticketChanged = `o.id = n.id and ((${counted('o')}) is distinct from (${counted('n')})
      or (${counted('n')} and (o.agency_id, o.completed_period) is distinct from (n.agency_id, n.completed_period)))`;
    this.addSql(`create function ${s}.ticket_tally_apply() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          ${upsertTickets(`select 1 as sign, agency_id, completed_period from new_rows r where ${counted('r')}`)};
        elsif tg_op = 'DELETE' then
          ${upsertTickets(`select -1 as sign, agency_id, completed_period from old_rows r where ${counted('r')}`)};
        else
          ${upsertTickets(`select -1 as sign, o.agency_id, o.completed_period from old_rows o join new_rows n on ${ticketChanged} where ${counted('o')}
                           union all
                           select 1, n.agency_id, n.completed_period from old_rows o join new_rows n on ${ticketChanged} where ${counted('n')}`)};
        end if;
        return null;
      end
    $$`);
    this.addSql(`create trigger ticket_tally_insert after insert on ${s}.ticket referencing new table as new_rows
      for each statement execute function ${s}.ticket_tally_apply()`);
    this.addSql(`create trigger ticket_tally_update after update on ${s}.ticket referencing old table as old_rows new table as new_rows
      for each statement execute function ${s}.ticket_tally_apply()`);
    this.addSql(`create trigger ticket_tally_delete after delete on ${s}.ticket referencing old table as old_rows
      for each statement execute function ${s}.ticket_tally_apply()`);

    // What is already there.
    for (const sql of upsertRatings(`select 1 as sign, ${cols} from ${s}.rating where status = 'VALID'`).split(';\n')) this.addSql(sql);
    this.addSql(upsertTickets(`select 1 as sign, agency_id, completed_period from ${s}.ticket r where ${counted('r')}`));

    // The covering indexes that served the GROUP BYs over ratings by agency and by service: nothing
    // reads ratings that way any more, and every rating paid for their upkeep (the wide one holds
    // the SKM answers). By officer (the anomaly rules' month) and the rest stay.
    this.addSql(`drop index ${s}.rating_agency_period_idx`);
    this.addSql(`drop index ${s}.rating_service_idx`);
  }
}
