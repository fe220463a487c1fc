import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createLogger, nikRef, PostgresAccessLog, ReadRecorder, type Caller } from '@gerbang/common';
import { DEMO, testDatabaseUrl, uniqueSchema } from '@gerbang/testing';
import { PopulationService } from '../src/modules/population.service';
import { createLoaders } from '../src/modules/context';
import { MemoryPopulationRegistry } from './memory-registry';

/**
 * A full NIK read by someone other than its owner lands in the access log's table whatever the log
 * level: `npm start` runs at `warn`, where the info-level line this used to be was never written.
 * (No field of today's graph hands an officer another resident's Citizen; the service is tested
 * directly, as the rule every future path goes through.)
 */
const KEY = 'access-log-key-for-tests-0001';
const SITI = DEMO.siti.nik!;
const schema = uniqueSchema('audit');
let log: PostgresAccessLog;
let client: pg.Client;

beforeAll(async () => {
  log = await PostgresAccessLog.open({ url: testDatabaseUrl(), schema, logger: createLogger('audit', 'silent') });
  client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
});
/* eslint-disable @typescript-eslint/no-unnecessary-condition -- undefined at run time when beforeAll failed before assigning it; a `let` cannot say so */
afterAll(async () => {
  await log?.close();
  await client?.query(`drop schema if exists "${schema}" cascade`);
  await client?.end();
});
/* eslint-enable @typescript-eslint/no-unnecessary-condition */

const nikAs = (caller: Caller, requestId: string) => {
  const registry = new MemoryPopulationRegistry([]);
  const service = new PopulationService({
    caller,
    logger: createLogger('population', 'silent'),
    registry,
    loaders: createLoaders(registry),
    reads: new ReadRecorder(log, { source: 'population', requestId, caller }),
    nikHashKey: KEY,
  });
  return service.nik({ id: 'usr-warga-siti', lookupNik: SITI });
};

describe('population: full NIK reads in the access log', () => {
  it("writes a row for an officer's and an administrator's read, at log level silent, with the NIK hashed", async () => {
    expect(await nikAs(DEMO.petugasDukcapil, 'req-nik-1')).toBe(SITI);
    expect(await nikAs(DEMO.admin, 'req-nik-2')).toBe(SITI);
    expect(await nikAs(DEMO.siti, 'req-nik-3')).toBe(SITI);
    // Committed before the value was returned: read straight away, without a flush.
    const { rows } = await client.query(`select * from "${schema}".access_log order by id`);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      source: 'population',
      request_id: 'req-nik-1',
      subject: 'usr-petugas-dukcapil',
      roles: ['officer'],
      fields: ['Citizen.nik'],
      records: 1,
      purpose: 'officer of dispendukcapil',
      record_refs: [nikRef(KEY, SITI)],
    });
    expect(rows[1]).toMatchObject({ request_id: 'req-nik-2', subject: 'usr-admin', purpose: 'admin' });
    expect(JSON.stringify(rows)).not.toContain(SITI);
  });
});
