import { Migration } from '@mikro-orm/migrations';

/**
 * Invalidation of the gateway's response cache (gateway/src/edge/response-cache.ts): after a
 * statement changes agencies, services or officers, a NOTIFY on channel `gerbang_cache` tells the
 * gateway to drop everything it cached (delivered at commit, never for a rolled-back change).
 * Everything, not only the rows' ids: a renamed agency changes which searches find it. The
 * directory changes rarely (an administrator's edit, the seed at start).
 */
export class Migration20261211090000 extends Migration {
  override async up(): Promise<void> {
    const schema = this.config.get('schema');
    const s = `"${schema}"`;
    this.addSql(`create function ${s}.directory_cache_changed() returns trigger language plpgsql as $$
      begin
        perform pg_notify('gerbang_cache', json_build_object('schema', '${schema}', 'all', true)::text);
        return null;
      end
    $$`);
    for (const table of ['agency', 'service', 'officer']) {
      this.addSql(`create trigger ${table}_cache_changed after insert or update or delete or truncate on ${s}.${table}
        for each statement execute function ${s}.directory_cache_changed()`);
    }
  }

  override async down(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;
    for (const table of ['agency', 'service', 'officer']) this.addSql(`drop trigger if exists ${table}_cache_changed on ${s}.${table}`);
    this.addSql(`drop function if exists ${s}.directory_cache_changed()`);
  }
}
