import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createLogger, PostgresAccessLog, verifierFromSecret } from '@gerbang/common';
import { subgraphCaller, DEMO, TEST_INTERNAL_SECRET, testDatabaseUrl, uniqueSchema } from '@gerbang/testing';
import { createBkpsdmSimulator, type BkpsdmSimulator } from '@gerbang/sim-bkpsdm';
import { createStaffServer, SimpegClient } from '../src/server';

/**
 * Reads of TPP bases and rosters land in the access log's table whatever the log level: `npm
 * start` runs at `warn`, where the info-level lines they used to be were never written.
 */
/** Calls signed for this subgraph, as the gateway signs them (the audience is its name). */
const callSubgraph = subgraphCaller('staff');
const AGUS = DEMO.petugasDukcapil.nip!;
const schema = uniqueSchema('audit');
let sim: BkpsdmSimulator;
let register: SimpegClient;
let log: PostgresAccessLog;
let client: pg.Client;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  sim = createBkpsdmSimulator({ clientId: 'gerbang-test', clientSecret: 'test-bkpsdm-secret-0001' });
  register = new SimpegClient({ baseUrl: await sim.listen(0), clientId: 'gerbang-test', clientSecret: 'test-bkpsdm-secret-0001', timeoutMs: 2_000, retries: 0 });
  log = await PostgresAccessLog.open({ url: testDatabaseUrl(), schema, logger: createLogger('audit', 'silent') });
  const app = await createStaffServer({ register, logger: createLogger('staff', 'silent'), verifier: verifierFromSecret(TEST_INTERNAL_SECRET), accessLog: log });
  ({ url, close } = await app.listen(0));
  client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
});
/* eslint-disable @typescript-eslint/no-unnecessary-condition -- undefined at run time when beforeAll failed before assigning it; a `let` cannot say so */
afterAll(async () => {
  await close?.();
  await log?.close();
  register?.upstream.shutdown();
  await sim?.close();
  await client?.query(`drop schema if exists "${schema}" cascade`);
  await client?.end();
});
/* eslint-enable @typescript-eslint/no-unnecessary-condition */

const rows = async () => (await client.query(`select * from "${schema}".access_log order by id`)).rows;

describe('staff: reads of HR data in the access log', () => {
  it("writes a row for HR's read of an officer's TPP base, at log level silent", async () => {
    const { body } = await callSubgraph(url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Officer { tppBase } } }', {
      variables: { r: [{ __typename: 'Officer', id: AGUS }] },
      caller: DEMO.hr,
    });
    expect(body.data._entities).toEqual([{ tppBase: 1_875_000 }]);
    // Committed before the answer left: no flush, no wait.
    expect(await rows()).toEqual([
      expect.objectContaining({ source: 'staff', subject: DEMO.hr.sub, roles: DEMO.hr.roles, fields: ['Officer.tppBase'], records: 1, purpose: 'hr', record_refs: [`nip:${AGUS}`] }),
    ]);
  });

  it("writes a row for an administrator's read of an agency roster", async () => {
    const before = (await rows()).length;
    const { body } = await callSubgraph(url, '{ staffOfAgency(agencyId: "bpkpd") { id } }', { caller: DEMO.admin });
    const listed = body.data.staffOfAgency.map((o: { id: string }) => o.id);
    expect(listed.length).toBeGreaterThan(1);
    const added = (await rows()).slice(before);
    expect(added).toEqual([
      expect.objectContaining({
        source: 'staff',
        subject: DEMO.admin.sub,
        fields: ['Query.staffOfAgency'],
        records: listed.length,
        purpose: 'admin',
        record_refs: ['agency:bpkpd', ...listed.map((n: string) => `nip:${n}`)],
      }),
    ]);
  });
});
