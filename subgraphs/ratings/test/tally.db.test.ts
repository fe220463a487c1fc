import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, ifStarted } from '@gerbang/testing';
import { citizen, RATE, startRatings, ticket, type Ratings } from './support';

/**
 * rating_tally, rating_service_tally and ticket_tally (the rollups every summary, IKM and TPP figure reads) must equal
 * what a GROUP BY over the rows says, after every kind of write: ratings through the API, the
 * anomaly rules flagging older ratings, reviews, hand-made SQL fixes, deletes, and ticket feed
 * upserts that complete, move or cancel tickets.
 */
let r: Ratings;
const AGUS = '198703152010011002';
const RINA = '199001222015032004';

const STARS = [1, 2, 3, 4, 5].map((k) => `count(*) filter (where stars = ${k})::int as n${k}`).join(', ');
const SKM = `count(skm)::int as skm_n, ${Array.from({ length: 9 }, (_, i) => `coalesce(sum(skm[${i + 1}]), 0)::int as skm_s${i + 1}`).join(', ')}`;
const NONZERO = 'n1 + n2 + n3 + n4 + n5 <> 0';
const TALLIES: [fromRows: string, fromTally: string][] = [
  [
    `select agency_id, period, coalesce(officer_id, '') as officer_id, ${STARS}, ${SKM} from $s.rating where status = 'VALID' group by 1, 2, 3 order by 1, 2, 3`,
    `select agency_id, period, officer_id, ${[1, 2, 3, 4, 5].map((k) => `n${k}::int`).join(', ')}, skm_n::int, ${Array.from({ length: 9 }, (_, i) => `skm_s${i + 1}::int`).join(', ')}
     from $s.rating_tally where ${NONZERO} or skm_n <> 0 order by 1, 2, 3`,
  ],
  [
    `select service_id, period, coalesce(officer_id, '') as officer_id, ${STARS} from $s.rating where status = 'VALID' group by 1, 2, 3 order by 1, 2, 3`,
    `select service_id, period, officer_id, ${[1, 2, 3, 4, 5].map((k) => `n${k}::int`).join(', ')} from $s.rating_service_tally where ${NONZERO} order by 1, 2, 3`,
  ],
  [
    `select agency_id, completed_period, count(*)::int as completed from $s.ticket where status = 'COMPLETED' and completed_period is not null group by 1, 2 order by 1, 2`,
    `select agency_id, completed_period, completed::int from $s.ticket_tally where completed <> 0 order by 1, 2`,
  ],
];

async function expectTalliesExact() {
  for (const [fromRows, fromTally] of TALLIES) expect(await r.sql(fromTally)).toEqual(await r.sql(fromRows));
}

beforeAll(async () => {
  r = await startRatings({ now: new Date('2026-03-20T03:00:00Z') });
});
afterAll(() => ifStarted(r)?.stop());

describe('rollups', () => {
  it('follow the ticket feed: new, completed, moved to another month, cancelled, replayed', async () => {
    await r.publish('dispendukcapil', [
      ...Array.from({ length: 12 }, (_, i) => ticket('dispendukcapil', `T-${i}`, { citizenNik: citizen(i).nik!, officerId: i < 10 ? AGUS : RINA, serviceId: `dispendukcapil.s${i % 2}` })),
      ticket('dispendukcapil', 'T-NULL', { citizenNik: citizen(20).nik!, officerId: null }),
      ticket('dispendukcapil', 'T-WIP', { citizenNik: citizen(21).nik!, status: 'IN_PROGRESS', completedAt: null }),
    ]);
    await expectTalliesExact();
    await r.publish('dispendukcapil', [
      ticket('dispendukcapil', 'T-WIP', { citizenNik: citizen(21).nik!, version: 2 }), // completes
      ticket('dispendukcapil', 'T-11', { citizenNik: citizen(11).nik!, completedAt: '2026-02-27T10:00:00+07:00', version: 2 }), // another month
      ticket('dispendukcapil', 'T-10', { citizenNik: citizen(10).nik!, status: 'CANCELLED', completedAt: null, version: 2 }),
      ticket('dispendukcapil', 'T-9', { citizenNik: citizen(9).nik!, version: 1 }), // stale replay: ignored
    ]);
    await expectTalliesExact();
    expect(await r.sql(`select completed::int from $s.ticket_tally where agency_id = 'dispendukcapil' and completed_period = '2026-03'`)).toEqual([{ completed: 12 }]);
  });

  it('follow ratings, retries, flags, reviews and hand-made fixes', async () => {
    const rate = (i: number, stars: number, skm?: number[]) => r.call(RATE, citizen(i), { input: { ticketId: `dispendukcapil:T-${i}`, stars, idempotencyKey: `k-${i}`, ...(skm ? { skm } : {}) } });
    for (let i = 0; i < 9; i++) {
      r.clock.now = new Date(r.clock.now.getTime() + 30_000); // nine for Agus within minutes: a burst
      const { body } = await rate(i, 1 + (i % 5), i % 2 ? [4, 3, 2, 1, 4, 3, 2, 1, 4] : undefined);
      expect(body.errors).toBeUndefined();
      await expectTalliesExact();
    }
    expect((await rate(3, 4, [4, 3, 2, 1, 4, 3, 2, 1, 4])).body.errors).toBeUndefined(); // a retry stores nothing new
    await r.call(RATE, citizen(20), { input: { ticketId: 'dispendukcapil:T-NULL', stars: 5, skm: [4, 4, 4, 4, 4, 4, 4, 4, 4] } });
    await expectTalliesExact();
    expect(await r.sql(`select count(*)::int as n from $s.rating where status = 'FLAGGED'`)).not.toEqual([{ n: 0 }]);

    // Reviews: one accepted (counts again), one rejected (never counts).
    const flags = await r.sql<{ id: string }>(`select id from $s.rating_flag where status = 'OPEN' order by id limit 2`);
    const REVIEW = `mutation($id: ID!, $d: RatingFlagDecision!) { reviewRatingFlag(id: $id, decision: $d, note: "checked") { id } }`;
    for (const [k, f] of flags.entries()) {
      const { body } = await r.call(REVIEW, DEMO.admin, { id: f.id, d: k ? 'REJECT' : 'ACCEPT' });
      expect(body.errors).toBeUndefined();
      await expectTalliesExact();
    }

    // Fixes in SQL: statuses, stars, a deleted rating.
    await r.sql(`update $s.rating set status = 'VALID' where status = 'FLAGGED'`);
    await expectTalliesExact();
    await r.sql(`update $s.rating set stars = 5, skm = null where ticket_id = 'dispendukcapil:T-1'`);
    await r.sql(`update $s.rating set comment_hidden = true`);
    await expectTalliesExact();
    await r.sql(`delete from $s.rating_flag where rating_id in (select id from $s.rating where ticket_id = 'dispendukcapil:T-2')`);
    await r.sql(`delete from $s.rating where ticket_id = 'dispendukcapil:T-2'`);
    await expectTalliesExact();
  });
});
