import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { createOrm, devFeedKey, migrate, TicketFeedPublisher, verifierFromSecret } from '@gerbang/common';
import { memoryLogger, restartableDatabase, TEST_INTERNAL_SECRET, ifStarted } from '@gerbang/testing';
import { createRatingsServer, defaultRatingsConfig, MemoryStaffDirectory, migrations } from '../../subgraphs/ratings/src/server';
import { compose, startGateway, type TestGateway } from './support/fixtures';

/**
 * Issue 11, finding 3: while PostgreSQL was down, rateService answered INTERNAL_SERVER_ERROR 157
 * times out of 157, indistinguishable from a bug. The real ratings subgraph on a PostgreSQL of its
 * own, behind the gateway; the server is stopped under it, then started again.
 */
const AGUS = '198703152010011002';
const RATE = 'mutation($input: RateServiceInput!) { rateService(input: $input) { id } }';
const TPP = '{ tppReport(agencyId: "dispendukcapil", month: "2026-03") { month rows { payout } } }';
// @apollo/gateway adds the subgraph's name as serviceName.
const outage = {
  message: 'ratings is not available right now. Try again later.',
  extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'ratings', reason: expect.any(String), retryAfter: 5, serviceName: 'ratings' },
};

let db: Awaited<ReturnType<typeof restartableDatabase>>;
let orm: MikroORM;
let closeRatings: () => Promise<void>;
let ratingsUrl: string;
let gw: TestGateway;
const ratingsLog = memoryLogger('ratings');
const gatewayLog = memoryLogger('gateway');

beforeAll(async () => {
  db = await restartableDatabase();
  orm = await createOrm({ url: db.url, schema: 'ratings', migrations, poolMax: 3, logger: ratingsLog.logger });
  await migrate(orm);
  const app = await createRatingsServer({
    orm,
    logger: ratingsLog.logger,
    verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
    config: defaultRatingsConfig(),
    staff: new MemoryStaffDirectory([{ id: AGUS, agencyId: 'dispendukcapil', tppBase: 3_000_000 }]),
  });
  const running = await app.listen(0);
  closeRatings = running.close;
  ratingsUrl = running.url;
  gw = await startGateway({ sdl: compose([{ name: 'ratings', url: `${running.url}/graphql`, schema: app.schema }]) }, { logger: gatewayLog.logger });
});
afterAll(async () => {
  await ifStarted(gw)?.close();
  await ifStarted(closeRatings)?.();
  await ifStarted(orm)?.close(true);
  await ifStarted(db)?.close();
});

describe('the ratings database down, behind the gateway', () => {
  it('answers while it is up', async () => {
    expect((await gw.gql(TPP, { login: 'hr.bkpsdm' })).body).toEqual({ data: { tppReport: { month: '2026-03', rows: [{ payout: 3_000_000 }] } } });
  });

  it('answers a mutation and a query with UPSTREAM_UNAVAILABLE, the service, a reason and retryAfter, while it is down', async () => {
    await db.stop();
    for (let i = 0; i < 3; i++) {
      const rate = await gw.gql(RATE, { login: 'warga.siti', variables: { input: { ticketId: 'dispendukcapil:SIAK-2026-000101', stars: 5, comment: 'Cepat.' } } });
      expect(rate.status).toBe(200);
      expect(rate.body.data).toBeNull();
      expect(rate.body.errors).toEqual([{ ...outage, path: ['rateService'] }]);
      const tpp = await gw.gql(TPP, { login: 'hr.bkpsdm' });
      expect(tpp.body.data).toEqual({ tppReport: null });
      expect(tpp.body.errors).toEqual([{ ...outage, path: ['tppReport'] }]);
    }
    expect(ratingsLog.at('warn').filter((l) => l.msg === 'dependency unavailable').length).toBeGreaterThanOrEqual(6);
  });

  it('answers a ticket-feed batch with 503 and Retry-After, so the agency sends it again', async () => {
    const publisher = new TicketFeedPublisher({
      ledgerUrl: ratingsUrl,
      agencyId: 'dispendukcapil',
      key: devFeedKey('dispendukcapil'),
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        expect(await res.clone().json()).toEqual({ error: 'ledger unavailable', reason: 'connection refused', retryAfter: 5 });
        return res;
      },
    });
    const event = {
      ticketId: 'dispendukcapil:SIAK-1',
      citizenNik: '3503115708900001',
      serviceId: 'dispendukcapil.ktp-el',
      officerId: null,
      status: 'SUBMITTED' as const,
      submittedAt: '2026-03-16T09:00:00+07:00',
      completedAt: null,
      version: 1,
    };
    await expect(publisher.publish([event])).rejects.toThrow(/HTTP 503/);
  });

  it('logs it as a warning in the subgraph and nothing at error level in either process', () => {
    expect(ratingsLog.at('warn').find((l) => l.msg === 'dependency unavailable')).toMatchObject({ service: 'ratings', reason: expect.stringMatching(/connection refused|database/) });
    expect(ratingsLog.at('error')).toEqual([]);
    expect(gatewayLog.at('error')).toEqual([]);
  });

  it('answers again once it is back', async () => {
    await db.start();
    expect((await gw.gql(TPP, { login: 'hr.bkpsdm' })).body).toEqual({ data: { tppReport: { month: '2026-03', rows: [{ payout: 3_000_000 }] } } });
  });

  it('answers a query whose connection an administrator terminated (57P01) as an outage, not a bug', async () => {
    // The query waits on a lock the administrator holds; then its backend is terminated under it.
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query('begin');
      const { rows } = await admin.query(`select tablename from pg_tables where schemaname = 'ratings' and tablename <> 'mikro_orm_migrations'`);
      await admin.query(`lock table ${rows.map((r) => `ratings."${r.tablename}"`).join(', ')} in access exclusive mode`);
      const pending = gw.gql(TPP, { login: 'hr.bkpsdm' });
      let waiting: number | undefined;
      for (let i = 0; i < 100 && waiting === undefined; i++) {
        const found = await admin.query(`select pid from pg_stat_activity where wait_event_type = 'Lock' and pid <> pg_backend_pid()`);
        waiting = found.rows[0]?.pid;
        if (waiting === undefined) await new Promise((r) => setTimeout(r, 20));
      }
      expect(waiting).toBeDefined();
      await admin.query('select pg_terminate_backend($1)', [waiting]);
      const { body } = await pending;
      expect(body.data).toEqual({ tppReport: null });
      expect(body.errors).toEqual([{ ...outage, path: ['tppReport'], extensions: { ...outage.extensions, reason: 'database: shutting down (57P01 admin shutdown)' } }]);
    } finally {
      await admin.query('rollback');
      await admin.end();
    }
    expect((await gw.gql(TPP, { login: 'hr.bkpsdm' })).body.errors).toBeUndefined();
    expect(ratingsLog.at('error')).toEqual([]);
  });
});
