import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm, migrate, verifierFromSecret } from '@gerbang/common';
import { memoryLogger, restartableDatabase, subgraphCaller, TEST_INTERNAL_SECRET, ifStarted } from '@gerbang/testing';
import { createDirectoryServer, entities, migrations, SCHEMA_NAME, seedDirectory } from '../src/server';

/** The directory while its PostgreSQL is down (issue 11, finding 3): an outage, not a bug. */
const callSubgraph = subgraphCaller('directory');
const log = memoryLogger('directory');
const FIND = 'query($q: String!) { agencies(search: $q, first: 5) { id } }';

let db: Awaited<ReturnType<typeof restartableDatabase>>;
let orm: MikroORM;
let close: () => Promise<void>;
let url: string;

beforeAll(async () => {
  db = await restartableDatabase();
  orm = await createOrm({ url: db.url, schema: SCHEMA_NAME, entities, migrations, poolMax: 3, logger: log.logger });
  await migrate(orm);
  await seedDirectory(orm.em.fork());
  const app = await createDirectoryServer({ orm, logger: log.logger, verifier: verifierFromSecret(TEST_INTERNAL_SECRET) });
  ({ url, close } = await app.listen(0));
});
afterAll(async () => {
  await ifStarted(close)?.();
  await ifStarted(orm)?.close(true);
  await ifStarted(db)?.close();
});

describe('directory with its database down', () => {
  it('answers UPSTREAM_UNAVAILABLE with retryAfter, logs no error, and answers again once it is back', async () => {
    expect((await callSubgraph(url, FIND, { variables: { q: 'capil' } })).body.data.agencies[0].id).toBe('dispendukcapil');
    await db.stop();
    const { status, body } = await callSubgraph(url, FIND, { variables: { q: 'capil' } });
    expect(status).toBe(200);
    expect(body).toEqual({
      data: null,
      errors: [
        {
          message: 'directory is not available right now. Try again later.',
          path: ['agencies'],
          locations: expect.any(Array),
          extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'directory', reason: 'connection refused', retryAfter: 5 },
        },
      ],
    });
    expect(log.at('error')).toEqual([]);
    await db.start();
    expect((await callSubgraph(url, FIND, { variables: { q: 'capil' } })).body.data.agencies[0].id).toBe('dispendukcapil');
  });
});
