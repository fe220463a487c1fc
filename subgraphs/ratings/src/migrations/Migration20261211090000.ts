import { Migration } from '@mikro-orm/migrations';

/**
 * Invalidation of the gateway's response cache (gateway/src/edge/response-cache.ts): after a
 * statement changes ratings or the ticket ledger, a NOTIFY on channel `gerbang_cache` names the
 * agencies, services and officers whose public figures (rating summaries, satisfaction) it may
 * have changed. NOTIFY is delivered only when the transaction commits, and not at all when it
 * rolls back: the gateway drops what it cached for those ids right after the change is visible.
 * Statement-level, one notification per statement whatever its size (a group-commit batch of
 * ratings is one), so the cost is one NOTIFY per writing statement, not per row.
 *
 * Payload: {"schema": <this schema>, "keys": [ids…]}, or {"schema", "all": true} when the ids would
 * not fit in a notification (PostgreSQL's limit is 8000 bytes).
 */
export class Migration20261211090000 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    this.addSql(
      `create function ${s}.notify_cache_keys(keys text[]) returns void language plpgsql as $$
      declare
        payload text;
      begin
        if keys is null or cardinality(keys) = 0 then return; end if;
        payload := json_build_object('schema', tg_table_schema_of_caller(), 'keys', keys)::text;
        if octet_length(payload) > 7900 then
          payload := json_build_object('schema', tg_table_schema_of_caller(), 'all', true)::text;
        end if;
        perform pg_notify('gerbang_cache', payload);
      end
    $$`.replaceAll('tg_table_schema_of_caller()', `'${this.config.get('schema')}'`),
    );
    // Ratings: inserted (rateService), changed (moderation, the register check), removed (hand-made fixes).
    for (const [event, table] of [
      ['insert', 'new'],
      ['update', 'new'],
      ['delete', 'old'],
    ] as const) {
      this.addSql(`create function ${s}.rating_cache_${event}() returns trigger language plpgsql as $$
        begin
          perform ${s}.notify_cache_keys(array(
            select distinct k from ${table}_rows r, unnest(array[r.agency_id, r.service_id, r.officer_id]) k where k is not null));
          return null;
        end
      $$`);
      this.addSql(`create trigger rating_cache_${event} after ${event} on ${s}.rating
        referencing ${table} table as ${table}_rows for each statement execute function ${s}.rating_cache_${event}()`);
      // The ledger: completed tickets are the population of the satisfaction index.
      this.addSql(`create function ${s}.ticket_cache_${event}() returns trigger language plpgsql as $$
        begin
          perform ${s}.notify_cache_keys(array(select distinct t.agency_id from ${table}_rows t));
          return null;
        end
      $$`);
      this.addSql(`create trigger ticket_cache_${event} after ${event} on ${s}.ticket
        referencing ${table} table as ${table}_rows for each statement execute function ${s}.ticket_cache_${event}()`);
    }
  }

  override async down(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    for (const event of ['insert', 'update', 'delete']) {
      this.addSql(`drop trigger if exists rating_cache_${event} on ${s}.rating`);
      this.addSql(`drop trigger if exists ticket_cache_${event} on ${s}.ticket`);
      this.addSql(`drop function if exists ${s}.rating_cache_${event}()`);
      this.addSql(`drop function if exists ${s}.ticket_cache_${event}()`);
    }
    this.addSql(`drop function if exists ${s}.notify_cache_keys(text[])`);
  }
}
