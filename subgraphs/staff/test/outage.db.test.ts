import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresAccessLog, verifierFromSecret } from '@gerbang/common';
import { DEMO, memoryLogger, restartableDatabase, subgraphCaller, TEST_INTERNAL_SECRET } from '@gerbang/testing';
import { createBkpsdmSimulator, type BkpsdmSimulator } from '@gerbang/sim-bkpsdm';
import { createStaffServer, SimpegClient } from '../src/server';

/**
 * Staff keeps no tables, but it writes the access log before serving anyone else's TPP base, so the
 * log's database is its readiness: while it does not answer, /health/ready is 503 (the reads are
 * refused anyway, fail closed), /health/live stays 200, and both come back with the database.
 */
const callSubgraph = subgraphCaller('staff');
const log = memoryLogger('staff');
const AGUS = DEMO.petugasDukcapil.nip!;
const TPP = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Officer { tppBase } } }';
/** Readiness results are shared for a second (health endpoints answer anyone). */
const PAST_HEALTH_CACHE_MS = 1_100;

let db: Awaited<ReturnType<typeof restartableDatabase>>;
let sim: BkpsdmSimulator;
let register: SimpegClient;
let accessLog: PostgresAccessLog;
let url: string;
let close: () => Promise<void>;

const get = async (path: string) => {
  const res = await fetch(`${url}${path}`);
  return { status: res.status, body: (await res.json()) as any };
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  db = await restartableDatabase();
  sim = createBkpsdmSimulator({ clientId: 'gerbang-test', clientSecret: 'test-bkpsdm-secret-0001' });
  register = new SimpegClient({ baseUrl: await sim.listen(0), clientId: 'gerbang-test', clientSecret: 'test-bkpsdm-secret-0001', timeoutMs: 2_000, retries: 0 });
  accessLog = await PostgresAccessLog.open({ url: db.url, logger: log.logger, recordTimeoutMs: 1_000 });
  const app = await createStaffServer({ register, logger: log.logger, verifier: verifierFromSecret(TEST_INTERNAL_SECRET), accessLog });
  ({ url, close } = await app.listen(0));
});
/* eslint-disable @typescript-eslint/no-unnecessary-condition -- undefined at run time when beforeAll failed before assigning it; a `let` cannot say so */
afterAll(async () => {
  await close?.();
  await accessLog?.close().catch(() => undefined);
  register?.upstream.shutdown();
  await sim?.close();
  await db?.close();
});
/* eslint-enable @typescript-eslint/no-unnecessary-condition */

describe("staff with the access log's database down", () => {
  it('is not ready and refuses the reads it would have to record, stays live, and recovers', async () => {
    expect(await get('/health/ready')).toMatchObject({ status: 200, body: { ready: true, checks: { accessLog: { status: 'up' } } } });
    expect((await callSubgraph(url, TPP, { variables: { r: [{ __typename: 'Officer', id: AGUS }] }, caller: DEMO.hr })).body.data._entities).toEqual([{ tppBase: 1_875_000 }]);

    await db.stop();
    await pause(PAST_HEALTH_CACHE_MS);
    expect((await get('/health/live')).status).toBe(200);
    expect(await get('/health/ready')).toMatchObject({ status: 503, body: { status: 'unavailable', ready: false, checks: { accessLog: { status: 'down' } } } });
    const refused = await callSubgraph(url, TPP, { variables: { r: [{ __typename: 'Officer', id: AGUS }] }, caller: DEMO.hr });
    expect(refused.body.data._entities).toEqual([{ tppBase: null }]);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'access log' });
    // The owner's own figure needs no record, so it is still served.
    const own = await callSubgraph(url, TPP, { variables: { r: [{ __typename: 'Officer', id: AGUS }] }, caller: DEMO.petugasDukcapil });
    expect(own.body.data._entities).toEqual([{ tppBase: 1_875_000 }]);

    await db.start();
    await pause(PAST_HEALTH_CACHE_MS);
    expect(await get('/health/ready')).toMatchObject({ status: 200, body: { ready: true, checks: { accessLog: { status: 'up' } } } });
    expect((await callSubgraph(url, TPP, { variables: { r: [{ __typename: 'Officer', id: AGUS }] }, caller: DEMO.hr })).body.data._entities).toEqual([{ tppBase: 1_875_000 }]);
  });
});
