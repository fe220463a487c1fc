import { Migration } from '@mikro-orm/migrations';

export class Migration20261128100001 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;

    // Rows that must never change once written (moderation decisions, access records, finalised
    // TPP months) are protected in the database itself, not only by the code that writes them.
    this.addSql(`create function ${s}.refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception '%.% is append-only', tg_table_schema, tg_table_name using errcode = 'restrict_violation';
      end
    $$`);

    // The ticket ledger: facts published by the agency subgraphs. The citizen is a keyed hash of
    // the NIK. completed_period is the Asia/Jakarta month of completed_at (written by the feed).
    this.addSql(`create table ${s}.ticket (
      id text primary key,
      agency_id text not null,
      citizen_ref text not null,
      service_id text not null,
      officer_id text,
      status text not null check (status in ('SUBMITTED', 'IN_PROGRESS', 'COMPLETED', 'REJECTED', 'CANCELLED')),
      submitted_at timestamptz not null,
      completed_at timestamptz,
      completed_period text check (completed_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      version bigint not null check (version >= 0),
      updated_at timestamptz not null default now(),
      check (left(id, length(agency_id) + 1) = agency_id || ':'),
      check ((completed_at is null) = (completed_period is null))
    )`);
    this.addSql(`create index ticket_citizen_idx on ${s}.ticket (citizen_ref, submitted_at desc, id)`);
    this.addSql(`create index ticket_completed_idx on ${s}.ticket (agency_id, completed_period) where status = 'COMPLETED'`);

    // One rating per ticket (unique ticket_id), one result per (citizen, idempotency key).
    // period = Asia/Jakarta month of the ticket's completion: TPP and IKM group by it.
    this.addSql(`create table ${s}.rating (
      id text primary key,
      ticket_id text not null references ${s}.ticket (id),
      citizen_ref text not null,
      idempotency_key text,
      request_hash text not null,
      agency_id text not null,
      service_id text not null,
      officer_id text,
      stars smallint not null check (stars between 1 and 5),
      comment text,
      comment_hidden boolean not null default false,
      skm smallint[] check (skm is null or (cardinality(skm) = 9 and 1 <= all (skm) and 4 >= all (skm))),
      period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      completed_at timestamptz not null,
      created_at timestamptz not null,
      device_ref text,
      ip_ref text,
      status text not null default 'VALID' check (status in ('VALID', 'FLAGGED', 'REJECTED'))
    )`);
    this.addSql(`create unique index rating_ticket_uq on ${s}.rating (ticket_id)`);
    this.addSql(`create unique index rating_idempotency_uq on ${s}.rating (citizen_ref, idempotency_key) where idempotency_key is not null`);
    // The GROUP BYs of the summaries, IKM and TPP; the included columns allow index-only scans.
    this.addSql(`create index rating_agency_period_idx on ${s}.rating (agency_id, period) include (status, stars, skm)`);
    this.addSql(`create index rating_officer_period_idx on ${s}.rating (officer_id, period) include (status, stars)`);
    this.addSql(`create index rating_service_idx on ${s}.rating (service_id) include (status, stars)`);
    // The anomaly rules look back a short while per officer, device and address.
    this.addSql(`create index rating_officer_created_idx on ${s}.rating (officer_id, created_at)`);
    this.addSql(`create index rating_device_idx on ${s}.rating (device_ref, created_at) where device_ref is not null`);
    this.addSql(`create index rating_ip_idx on ${s}.rating (ip_ref, created_at) where ip_ref is not null`);
    this.addSql(`create index rating_flagged_idx on ${s}.rating (created_at) where status = 'FLAGGED'`);

    this.addSql(`create table ${s}.rating_flag (
      id text primary key,
      rating_id text not null references ${s}.rating (id),
      rule text not null check (rule in ('BURST', 'DEVICE_SPREAD', 'IP_SPREAD', 'OFFICER_DEVIATION')),
      details jsonb not null default '{}',
      status text not null default 'OPEN' check (status in ('OPEN', 'ACCEPTED', 'REJECTED')),
      created_at timestamptz not null,
      reviewed_by text,
      reviewed_at timestamptz,
      review_note text,
      unique (rating_id, rule),
      check ((status = 'OPEN') = (reviewed_at is null))
    )`);
    this.addSql(`create index rating_flag_status_idx on ${s}.rating_flag (status, created_at)`);

    // Every moderation decision, append-only.
    this.addSql(`create table ${s}.moderation_log (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      actor text not null,
      action text not null check (action in ('REVIEW_FLAG', 'HIDE_COMMENT')),
      rating_id text not null,
      flag_id text,
      decision text,
      note text not null
    )`);
    this.addSql(`create trigger moderation_log_append_only before update or delete on ${s}.moderation_log for each row execute function ${s}.refuse_change()`);

    // A finalised TPP month: the rows exactly as served (JSON text, not jsonb, so the bytes stay
    // the bytes) and their SHA-256.
    this.addSql(`create table ${s}.tpp_report (
      agency_id text not null,
      month text not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      finalized_at timestamptz not null,
      finalized_by text not null,
      snapshot text not null,
      content_hash text not null,
      primary key (agency_id, month)
    )`);
    this.addSql(`create trigger tpp_report_immutable before update or delete on ${s}.tpp_report for each row execute function ${s}.refuse_change()`);

    this.addSql(`create table ${s}.tpp_appeal (
      id text primary key,
      agency_id text not null,
      month text not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      officer_id text not null,
      reason text not null,
      filed_by text not null,
      filed_at timestamptz not null,
      status text not null default 'OPEN' check (status in ('OPEN', 'UPHELD', 'REJECTED')),
      resolved_by text,
      resolved_at timestamptz,
      resolution_note text,
      check ((status = 'OPEN') = (resolved_at is null))
    )`);
    this.addSql(`create unique index tpp_appeal_open_uq on ${s}.tpp_appeal (agency_id, month, officer_id) where status = 'OPEN'`);
    this.addSql(`create index tpp_appeal_officer_idx on ${s}.tpp_appeal (officer_id, filed_at desc)`);
    this.addSql(`create index tpp_appeal_agency_idx on ${s}.tpp_appeal (agency_id, month, status)`);

    // Who read staff scores, when and what (UU PDP: scoring staff needs an access record).
    this.addSql(`create table ${s}.access_log (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      actor text not null,
      roles text not null,
      action text not null,
      subject jsonb not null
    )`);
    this.addSql(`create trigger access_log_append_only before update or delete on ${s}.access_log for each row execute function ${s}.refuse_change()`);
  }
}
