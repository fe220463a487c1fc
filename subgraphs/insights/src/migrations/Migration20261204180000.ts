import { Migration } from '@mikro-orm/migrations';

const SKM = Array.from({ length: 9 }, (_, i) => `skm_s${i + 1}`);

/**
 * The insights schema: reference tables the ledger does not carry (each service's SLA, each
 * officer's position class, a ticket's kecamatan and channel), the rollups every question reads,
 * the analysts' daily budget use and the log of questions asked.
 *
 * Rollups hold counts and sums only, never a citizen: grain (period, agency, service, kecamatan,
 * channel, officer). officer_id is kept so that a position class cell can count its officers; it
 * never leaves the subgraph. `turnaround` is a histogram of whole days (index 1 = 0 days … index
 * 61 = 60 days or more), so medians and p90s merge exactly at day resolution.
 */
export class Migration20261204180000 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(`create table ${s}.service_sla (
      service_id text primary key,
      agency_id text not null,
      sla_days integer not null check (sla_days >= 0)
    )`);
    this.addSql(`create table ${s}.officer_class (
      officer_id text primary key,
      position_class text not null
    )`);
    // What the ledger does not say about a ticket: where the citizen lives (kecamatan code 1–14 of
    // the NIK) and how the request came in. Nothing here identifies anyone.
    this.addSql(`create table ${s}.ticket_context (
      ticket_id text primary key,
      kecamatan smallint not null check (kecamatan between 0 and 14),
      channel text not null check (channel in ('PORTAL', 'APP', 'COUNTER', 'UNKNOWN'))
    )`);
    for (const grain of ['month', 'day']) {
      this.addSql(`create table ${s}.ticket_${grain} (
        period date not null,
        agency_id text not null,
        service_id text not null,
        kecamatan smallint not null,
        channel text not null,
        officer_id text not null,
        opened integer not null,
        completed integer not null,
        completed_with_sla integer not null,
        completed_in_sla integer not null,
        dropped integer not null,
        turnaround integer[] not null,
        primary key (period, agency_id, service_id, kecamatan, channel, officer_id)
      )`);
      this.addSql(`create table ${s}.rating_${grain} (
        period date not null,
        agency_id text not null,
        service_id text not null,
        kecamatan smallint not null,
        channel text not null,
        officer_id text not null,
        ratings integer not null,
        stars_sum integer not null,
        skm_n integer not null,
        ${SKM.map((c) => `${c} integer not null`).join(',\n        ')},
        flags integer not null,
        primary key (period, agency_id, service_id, kecamatan, channel, officer_id)
      )`);
    }
    // Before the first period of the month rollup, per cell: tickets still open (for the backlog).
    this.addSql(`create table ${s}.refresh_state (
      id boolean primary key default true check (id),
      refreshed_at timestamptz not null,
      took_ms integer not null,
      tickets bigint not null,
      ratings bigint not null
    )`);
    this.addSql(`create table ${s}.budget_use (
      actor text not null,
      day date not null,
      cost bigint not null default 0,
      questions integer not null default 0,
      primary key (actor, day)
    )`);
    this.addSql(`create table ${s}.history_run (
      seed integer not null,
      months integer not null,
      citizens integer not null,
      end_month text not null,
      tickets bigint not null,
      ratings bigint not null,
      generated_at timestamptz not null,
      primary key (seed, end_month)
    )`);
  }
}
