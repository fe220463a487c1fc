import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000001 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    // pg_trgm powers misspelling-tolerant agency search; it is a trusted extension (PG 13+).
    this.addSql('create extension if not exists pg_trgm with schema public');
    this.addSql(`create table ${s}.agency (
      id text primary key,
      name text not null,
      abbreviation text not null,
      address text not null,
      phone text,
      website text,
      keywords text not null default '',
      search_text text generated always as (lower(name || ' ' || abbreviation || ' ' || keywords)) stored,
      search_vector tsvector generated always as (
        setweight(to_tsvector('simple', abbreviation), 'A') ||
        setweight(to_tsvector('simple', name), 'B') ||
        setweight(to_tsvector('simple', keywords), 'C')) stored
    )`);
    this.addSql(`create index agency_search_trgm on ${s}.agency using gin (search_text public.gin_trgm_ops)`);
    this.addSql(`create index agency_search_fts on ${s}.agency using gin (search_vector)`);
    this.addSql(`create table ${s}.service (
      id text primary key,
      agency_id text not null references ${s}.agency(id),
      name text not null,
      description text not null default '',
      requirements text[] not null default '{}',
      sla_days integer not null check (sla_days >= 0),
      fee integer not null check (fee >= 0)
    )`);
    this.addSql(`create index service_agency_idx on ${s}.service (agency_id)`);
    this.addSql(`create table ${s}.officer (
      id text primary key check (id ~ '^[0-9]{18}$'),
      agency_id text not null references ${s}.agency(id),
      name text not null,
      position text not null
    )`);
    this.addSql(`create index officer_agency_idx on ${s}.officer (agency_id)`);
  }
}
