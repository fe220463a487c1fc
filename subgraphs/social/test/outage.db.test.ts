import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm, migrate, verifierFromSecret } from '@gerbang/common';
import { DEMO, memoryLogger, restartableDatabase, subgraphCaller, TEST_INTERNAL_SECRET, ifStarted } from '@gerbang/testing';
import { createSocialServer, DtksDropFolder, entities, migrations, SCHEMA_NAME, seedSocial } from '../src/server';

/** The social subgraph while its PostgreSQL is down (issue 11, finding 3): an outage, not a bug. */
const callSubgraph = subgraphCaller('social');
const log = memoryLogger('social');
const outage = { message: 'social is not available right now. Try again later.', extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'social', reason: 'connection refused', retryAfter: 5 } };
const MINE = '{ myAidProposals { number status } }';
const SUBMIT = 'mutation($i: SubmitAidProposalInput!) { submitAidProposal(input: $i) { id } }';

let db: Awaited<ReturnType<typeof restartableDatabase>>;
let orm: MikroORM;
let root: string;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  db = await restartableDatabase();
  orm = await createOrm({ url: db.url, schema: SCHEMA_NAME, entities, migrations, poolMax: 3, logger: log.logger });
  await migrate(orm);
  await seedSocial(orm.em.fork(), new Date());
  root = await mkdtemp(join(tmpdir(), 'social-outage-'));
  const app = await createSocialServer({
    orm,
    logger: log.logger,
    verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
    drop: new DtksDropFolder({ dir: join(root, 'dtks-drop'), timeoutMs: 1_000 }),
    exchange: { intervalMs: 0, graceMs: 60_000 },
    reviewerNip: '198602142011012005',
    accessLogKey: 'access-log-key-for-outage-0001',
  });
  ({ url, close } = await app.listen(0));
});
afterAll(async () => {
  await ifStarted(close)?.();
  await ifStarted(orm)?.close(true);
  await ifStarted(db)?.close();
  await rm(root, { recursive: true, force: true });
});

describe('social with its database down', () => {
  it('answers a query and a mutation with UPSTREAM_UNAVAILABLE and retryAfter, and logs no error', async () => {
    expect((await callSubgraph(url, MINE, { caller: DEMO.siti })).body.errors).toBeUndefined();
    await db.stop();
    const query = await callSubgraph(url, MINE, { caller: DEMO.siti });
    expect(query.body).toEqual({ data: null, errors: [{ ...outage, path: ['myAidProposals'], locations: expect.any(Array) }] });
    const input = { programme: 'bpnt', reason: 'Suami sakit, penghasilan berkurang sejak Oktober', idempotencyKey: 'mobile-outage-0001' };
    const mutation = await callSubgraph(url, SUBMIT, { caller: DEMO.siti, variables: { i: input } });
    expect(mutation.body).toEqual({ data: null, errors: [{ ...outage, path: ['submitAidProposal'], locations: expect.any(Array) }] });
    expect(log.at('error')).toEqual([]);
    await db.start();
    expect((await callSubgraph(url, MINE, { caller: DEMO.siti })).body.errors).toBeUndefined();
  });
});
