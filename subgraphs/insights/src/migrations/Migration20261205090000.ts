import { Migration } from '@mikro-orm/migrations';

/** The new rollups and their dimension columns (as cube/cuboids.ts had them when this was written). */
const NEW_ROLLUPS: [string, string[]][] = [
  ['day_a', ['agency_id', 'service_id']],
  ['month_a', ['agency_id', 'service_id']],
  ['month_o', ['agency_id', 'service_id', 'channel', 'officer_id']],
  ['month_s', ['agency_id', 'service_id', 'kecamatan', 'channel']],
];
const SKM = Array.from({ length: 9 }, (_, i) => `skm_s${i + 1}`);

/**
 * Incremental rollups (issue 14, point 5):
 * - `ticket_fact` / `rating_fact`: what each ticket and rating last contributed to the rollups
 *   (its days, dimensions and figures, no citizen), so that a change in the ledger is applied as
 *   a delta (minus the old contribution, plus the new one) instead of a rebuild;
 * - `refresh_cursor`: how far the ledger's change sequences have been applied;
 * - smaller rollups of the same counts (cuboids.ts): by agency and service only (day and month),
 *   without the officer, and without the kecamatan, so most questions read a few thousand rows.
 */
export class Migration20261205090000 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(`create table ${s}.ticket_fact (
      ticket_id text primary key,
      agency_id text not null,
      service_id text not null,
      kecamatan smallint not null,
      channel text not null,
      officer_id text not null,
      opened date not null,
      completed date,
      dropped date,
      tdays integer,
      sla integer
    )`);
    this.addSql(`create table ${s}.rating_fact (
      rating_id text primary key,
      period date not null,
      agency_id text not null,
      service_id text not null,
      kecamatan smallint not null,
      channel text not null,
      officer_id text not null,
      valid boolean not null,
      stars smallint not null,
      skm smallint[]
    )`);
    this.addSql(`create table ${s}.refresh_cursor (
      source text primary key check (source in ('ticket', 'rating')),
      seq bigint not null,
      prev bigint not null
    )`);
    for (const [suffix, cols] of NEW_ROLLUPS) {
      const colDefs = cols.map((col) => `${col} ${col === 'kecamatan' ? 'smallint' : 'text'} not null`).join(',\n        ');
      this.addSql(`create table ${s}.ticket_${suffix} (
        period date not null,
        ${colDefs},
        opened integer not null,
        completed integer not null,
        completed_with_sla integer not null,
        completed_in_sla integer not null,
        dropped integer not null,
        turnaround integer[] not null,
        primary key (period, ${cols.join(', ')})
      )`);
      this.addSql(`create table ${s}.rating_${suffix} (
        period date not null,
        ${colDefs},
        ratings integer not null,
        stars_sum integer not null,
        skm_n integer not null,
        ${SKM.map((x) => `${x} integer not null`).join(',\n        ')},
        flags integer not null,
        primary key (period, ${cols.join(', ')})
      )`);
    }
  }
}
