import { Migration } from '@mikro-orm/migrations';

/**
 * The social subgraph's own tables, all in its schema:
 * - ingested_file / quarantined_row: every register batch seen, once per (name, sha256), and the
 *   rows it could not apply with the reason;
 * - aid_eligibility: one row per person (NIK) from the newest applied batch that named them;
 * - eligibility_access_log: append-only record of officers' reads of someone's eligibility;
 * - aid_proposal / proposal_export: citizens' aid proposals and the outbox files that carried them.
 */
export class Migration20261129000001 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;

    this.addSql(`create table ${s}.ingested_file (
      id bigserial primary key,
      name text not null,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      revision integer not null check (revision >= 1),
      status text not null check (status in ('APPLIED', 'QUARANTINED')),
      -- QUARANTINED: why (problem: a stable code, reason: for people) and which manifest was seen
      -- then, so the same file is reconsidered only when its manifest changes.
      problem text,
      reason text,
      manifest_sha256 text,
      periode text check (periode ~ '^[0-9]{4}-[0-9]{2}$'),
      rows_total integer not null default 0,
      rows_valid integer not null default 0,
      rows_applied integer not null default 0,
      rows_quarantined integer not null default 0,
      ingested_at timestamptz not null default now(),
      constraint ingested_file_name_sha256_key unique (name, sha256)
    )`);

    this.addSql(`create table ${s}.quarantined_row (
      id bigserial primary key,
      file_id bigint not null references ${s}.ingested_file(id),
      line integer not null,
      raw text not null,
      reason text not null,
      kinds text[] not null,
      unique (file_id, line)
    )`);

    this.addSql(`create table ${s}.aid_eligibility (
      nik text primary key check (nik ~ '^[0-9]{16}$'),
      household_id text not null check (household_id ~ '^[0-9]{16}$'),
      name text not null,
      decile smallint not null check (decile between 1 and 10),
      programmes text[] not null default '{}',
      status text not null check (status in ('AKTIF', 'DITANGGUHKAN', 'TIDAK_MENERIMA')),
      periode text not null check (periode ~ '^[0-9]{4}-[0-9]{2}$'),
      kecamatan text not null,
      village text not null,
      source_file_id bigint not null references ${s}.ingested_file(id),
      updated_at timestamptz not null default now(),
      check (decile <= 4 or (programmes = '{}' and status = 'TIDAK_MENERIMA'))
    )`);
    this.addSql(`create index aid_eligibility_household_idx on ${s}.aid_eligibility (household_id)`);

    this.addSql(`create table ${s}.eligibility_access_log (
      id bigserial primary key,
      read_at timestamptz not null default now(),
      reader_sub text not null,
      reader_nip text,
      reader_roles text[] not null,
      reader_agency text,
      nik_masked text not null,
      nik_hash text not null,
      purpose text not null check (length(purpose) >= 10),
      found boolean not null
    )`);
    this.addSql(`create index eligibility_access_log_nik_idx on ${s}.eligibility_access_log (nik_hash, read_at)`);
    // Append-only: the log is evidence (UU PDP breach notices must say who read what).
    this.addSql(`create function ${s}.eligibility_access_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'eligibility_access_log is append-only';
      end
    $$`);
    this.addSql(`create trigger eligibility_access_log_no_change before update or delete on ${s}.eligibility_access_log
      for each row execute function ${s}.eligibility_access_log_append_only()`);
    this.addSql(`create trigger eligibility_access_log_no_truncate before truncate on ${s}.eligibility_access_log
      for each statement execute function ${s}.eligibility_access_log_append_only()`);

    this.addSql(`create sequence ${s}.proposal_export_seq`);
    this.addSql(`create table ${s}.proposal_export (
      name text primary key check (name ~ '^USULAN_[A-Za-z0-9_-]+\\.csv$'),
      rows integer not null,
      created_at timestamptz not null default now(),
      written_at timestamptz,
      acked_at timestamptz
    )`);

    this.addSql(`create sequence ${s}.aid_proposal_number_seq`);
    this.addSql(`create sequence ${s}.aid_proposal_change_seq`);
    this.addSql(`create table ${s}.aid_proposal (
      id text primary key,
      nik text not null check (nik ~ '^[0-9]{16}$'),
      household_id text check (household_id ~ '^[0-9]{16}$'),
      name text not null,
      programme text not null check (programme in ('PKH', 'BPNT', 'PBI-JK', 'BLT-DD', 'PIP')),
      reason text not null,
      client_ref text not null unique,
      status text not null default 'SUBMITTED' check (status in ('SUBMITTED', 'COMPLETED', 'REJECTED')),
      submitted_at timestamptz not null default now(),
      export_name text references ${s}.proposal_export(name),
      decision_note text,
      decided_at timestamptz,
      officer_nip text check (officer_nip ~ '^[0-9]{18}$'),
      change_seq bigint not null unique,
      check ((status = 'SUBMITTED') = (decided_at is null))
    )`);
    this.addSql(`create index aid_proposal_nik_idx on ${s}.aid_proposal (nik, submitted_at desc)`);
    this.addSql(`create index aid_proposal_pending_idx on ${s}.aid_proposal (submitted_at) where export_name is null`);
    this.addSql(`create index aid_proposal_export_idx on ${s}.aid_proposal (export_name)`);
  }
}
