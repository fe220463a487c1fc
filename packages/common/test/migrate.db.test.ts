import { Migration } from '@mikro-orm/migrations';
import { afterEach, describe, expect, it } from 'vitest';
import { testDatabaseUrl, uniqueSchema } from '@gerbang/testing';
import { createOrm, migrate } from '../src/db';

class CreateTable extends Migration {
  override async up(): Promise<void> {
    const schema = this.config.get('schema');
    // Slow enough that two replicas overlap.
    this.addSql('select pg_sleep(0.2)');
    this.addSql(`create table "${schema}".thing (id int primary key)`);
  }
}

const dropped: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const d of dropped.splice(0)) await d();
});

describe('migrate', () => {
  it('lets replicas that start at once on a fresh database take turns: both start, the migration runs once', async () => {
    const schema = uniqueSchema('migrate');
    const orms = await Promise.all([1, 2].map(() => createOrm({ url: testDatabaseUrl(), schema, migrations: [{ name: 'Migration20260101000001', class: CreateTable }], poolMax: 2 })));
    dropped.push(async () => {
      await orms[0]!.em.getConnection().execute(`drop schema if exists "${schema}" cascade`);
      for (const o of orms) await o.close(true);
    });
    const results = await Promise.all(orms.map((o) => migrate(o)));
    expect(results.flat()).toEqual(['Migration20260101000001']);
  });
});
