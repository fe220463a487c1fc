import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { AccessLogUnavailableError, createLogger, PostgresAccessLog, type AccessLogEntry } from '../src';
import { testDatabaseUrl, uniqueSchema } from '@gerbang/testing';

const schema = uniqueSchema('audit');
const logger = createLogger('audit', 'silent');
let client: pg.Client;

const entry = (i: number, extra: Partial<AccessLogEntry> = {}): AccessLogEntry => ({
  at: new Date(),
  requestId: `req-${i}`,
  subject: 'usr-hr-bkpsdm',
  roles: ['hr'],
  clientName: null,
  operationName: null,
  fields: ['Officer.tppBase'],
  records: 1,
  source: 'staff',
  purpose: 'hr',
  recordRefs: [`nip:${i}`],
  ...extra,
});

beforeAll(async () => {
  client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
});
afterAll(async () => {
  const connected = client as pg.Client | undefined; // unset when beforeAll failed
  await connected?.query(`drop schema if exists "${schema}" cascade`);
  await connected?.end();
});

const count = async () => Number((await client.query(`select count(*) from "${schema}".access_log`)).rows[0].count);

describe('the shared access log', () => {
  it('migrates once however many processes open it at the same time', async () => {
    const logs = await Promise.all([1, 2, 3].map(() => PostgresAccessLog.open({ url: testDatabaseUrl(), schema, logger })));
    await Promise.all(logs.map((l) => l.close()));
    const { rows } = await client.query(`select version from "${schema}".schema_migrations order by version`);
    expect(rows.map((r) => r.version)).toEqual(['20261130000001_access_log', '20261208000001_access_log_records']);
  });

  it("records: resolves only once the entry is committed, and writes one tick's entries in one statement", async () => {
    const log = await PostgresAccessLog.open({ url: testDatabaseUrl(), schema, logger });
    const query = vi.spyOn(pg.Pool.prototype, 'query');
    try {
      const before = await count();
      await Promise.all(Array.from({ length: 50 }, (_, i) => log.record(entry(i))));
      expect(await count()).toBe(before + 50);
      expect(query.mock.calls.filter(([sql]) => sql.startsWith('insert into'))).toHaveLength(1);
      const { rows } = await client.query(`select source, purpose, record_refs from "${schema}".access_log where request_id = 'req-7'`);
      expect(rows).toEqual([{ source: 'staff', purpose: 'hr', record_refs: ['nip:7'] }]);
    } finally {
      query.mockRestore();
      await log.close();
    }
  });

  it('keeps the gateway\'s entries (no source given) as source "gateway"', async () => {
    const log = await PostgresAccessLog.open({ url: testDatabaseUrl(), schema, logger, flushMs: 5 });
    log.append({ at: new Date(), requestId: 'req-gw', subject: 'usr-warga-siti', roles: ['citizen'], clientName: 'mobile', operationName: 'Profile', fields: ['Citizen.nik'], records: 1 });
    await log.close();
    const { rows } = await client.query(`select source, purpose, record_refs from "${schema}".access_log where request_id = 'req-gw'`);
    expect(rows).toEqual([{ source: 'gateway', purpose: null, record_refs: [] }]);
  });

  it('refuses a reader (UPSTREAM_UNAVAILABLE, no database detail) when the entry cannot be written', async () => {
    const errors: unknown[] = [];
    const log = await PostgresAccessLog.open({ url: testDatabaseUrl(), schema, logger: Object.assign(Object.create(logger), { error: (o: unknown) => errors.push(o) }) });
    await client.query(`alter table "${schema}".access_log rename to access_log_away`);
    try {
      const refused = await log.record(entry(900)).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AccessLogUnavailableError);
      expect((refused as AccessLogUnavailableError).extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', service: 'access log', reason: 'write failed' });
      // The entry is not lost silently: the error line carries it.
      expect(errors).toEqual([expect.objectContaining({ entries: [expect.objectContaining({ requestId: 'req-900' })] })]);
    } finally {
      await client.query(`alter table "${schema}".access_log_away rename to access_log`);
      await log.close();
    }
  });

  it('refuses a reader after recordTimeoutMs when the database does not answer, and still writes the entry later', async () => {
    const log = await PostgresAccessLog.open({ url: testDatabaseUrl(), schema, logger, recordTimeoutMs: 200 });
    const locker = new pg.Client({ connectionString: testDatabaseUrl() });
    await locker.connect();
    await locker.query('begin');
    await locker.query(`lock table "${schema}".access_log in access exclusive mode`);
    try {
      const refused = await log.record(entry(901)).catch((e: unknown) => e);
      expect((refused as AccessLogUnavailableError).extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', reason: 'timed out after 200 ms' });
    } finally {
      await locker.query('commit');
      await locker.end();
      await log.close();
    }
    // Over-recording a refused read is harmless; missing a served one is not.
    expect((await client.query(`select 1 from "${schema}".access_log where request_id = 'req-901'`)).rowCount).toBe(1);
  });
});
