import { ifStarted } from '@gerbang/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DEFAULT_FRAUD_POLICY } from '../src/modules/moderation/fraud';
import { ModerationService } from '../src/modules/moderation/moderation.service';
import { GroupCommit, type WriteItem } from '../src/modules/ratings/group-commit';
import { RATING_COLUMNS, RATING_DATES } from '../src/modules/ratings/ratings.service';
import { Sql } from '@gerbang/common';
import { citizen, codeOf, RATE, startRatings, ticket, type Ratings } from './support';

/**
 * Group commit of rateService (modules/ratings/group-commit.ts): concurrent ratings share one
 * read and one write statement, and every caller still gets its own answer.
 */
let r: Ratings;
const OFFICER = '198602142011012005';

const status = async () =>
  ((await (await fetch(`${r.url}/health/status`)).json()) as { groupCommit: { reads: { statements: number; ratings: number }; writes: { statements: number; ratings: number } } }).groupCommit;
const rate = (i: number, input: Record<string, unknown>) => r.call(RATE, citizen(i), { input });

beforeAll(async () => {
  r = await startRatings({ now: new Date('2026-03-20T03:00:00Z') });
  const t = (i: number, over = {}) =>
    ticket('dinsos', `G-${i}`, { citizenNik: citizen(200 + i).nik!, serviceId: 'dinsos.usulan-bansos', officerId: `19860214201102${String(2000 + (i % 40)).padStart(4, '0')}`, ...over });
  const res = await r.publish('dinsos', [
    ...Array.from({ length: 60 }, (_, i) => t(i)),
    // One officer's tickets, for the burst rule.
    ...Array.from({ length: 12 }, (_, i) => t(100 + i, { officerId: OFFICER })),
    t(200),
    t(201, { status: 'IN_PROGRESS', completedAt: null }),
  ]);
  expect(res.status).toBe(200);
});
afterAll(() => ifStarted(r)?.stop());

describe('group commit', () => {
  it('stores 60 concurrent ratings in fewer statements than ratings, each answered with its own rating', async () => {
    const before = await status();
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => rate(200 + i, { ticketId: `dinsos:G-${i}`, stars: 1 + (i % 5), idempotencyKey: `gc-${i}` })));
    for (const res of results) expect(res.body.errors).toBeUndefined();
    const stored = await r.sql(`select id, ticket_id as "ticketId", stars from $s.rating where ticket_id like 'dinsos:G-%' order by ticket_id`);
    expect(stored).toHaveLength(60);
    const byTicket = new Map(stored.map((row: { ticketId: string; id: string; stars: number }) => [row.ticketId, row]));
    results.forEach((res, i) => {
      const row = byTicket.get(`dinsos:G-${i}`)!;
      expect(res.body.data.rateService).toMatchObject({ id: row.id, stars: 1 + (i % 5), ticket: { id: `dinsos:G-${i}`, canRate: false } });
    });
    const after = await status();
    const writes = { statements: after.writes.statements - before.writes.statements, ratings: after.writes.ratings - before.writes.ratings };
    expect(writes.ratings).toBe(60);
    expect(writes.statements).toBeLessThan(60);
    expect(after.reads.statements - before.reads.statements).toBeLessThan(60);
  });

  it('answers every caller of one batch on its own: a retry racing its first attempt, a second rating, bad input, an unknown ticket, a ticket in progress', async () => {
    const results = await Promise.all([
      rate(200 + 200, { ticketId: 'dinsos:G-200', stars: 4, idempotencyKey: 'same' }),
      rate(200 + 200, { ticketId: 'dinsos:G-200', stars: 4, idempotencyKey: 'same' }),
      rate(200 + 200, { ticketId: 'dinsos:G-200', stars: 2, idempotencyKey: 'other' }),
      rate(200 + 201, { ticketId: 'dinsos:G-201', stars: 4 }),
      rate(200 + 0, { ticketId: 'dinsos:G-NONE', stars: 4 }),
      rate(200 + 1, { ticketId: 'dinsos:G-1', stars: 9 }),
      rate(200 + 2, { ticketId: 'dinsos:G-2', stars: 3, idempotencyKey: 'gc-2' }), // a retry of the first test's rating
    ]);
    const [a, b, c, progress, unknown, bad, retry] = results.map((res) => res.body) as [any, any, any, any, any, any, any];
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(b.data.rateService.id).toBe(a.data.rateService.id);
    expect(codeOf(c)).toBe('ALREADY_RATED');
    expect(codeOf(progress)).toBe('TICKET_NOT_COMPLETED');
    expect(codeOf(unknown)).toBe('NOT_FOUND');
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(retry.errors).toBeUndefined();
    expect(retry.data.rateService.stars).toBe(3);
    expect(await r.sql(`select count(*)::int as n from $s.rating where ticket_id = 'dinsos:G-200'`)).toEqual([{ n: 1 }]);
  });

  it('keeps the anomaly rules: a burst for one officer sent at once is flagged (by the rating after it at the latest), with one flag per rating', async () => {
    // Eight first, one by one; then four at once: every one of the four sees the eight.
    for (let i = 0; i < 8; i++) expect((await rate(300 + i, { ticketId: `dinsos:G-${100 + i}`, stars: 5 })).body.errors).toBeUndefined();
    const burst = await Promise.all(Array.from({ length: 4 }, (_, k) => rate(300 + 8 + k, { ticketId: `dinsos:G-${108 + k}`, stars: 5 })));
    for (const res of burst) expect(res.body.errors).toBeUndefined();
    const rows = await r.sql(
      `select r.status, count(f.*)::int as flags from $s.rating r left join $s.rating_flag f on f.rating_id = r.id and f.rule = 'BURST'
                              where r.officer_id = ? group by r.id, r.status`,
      [OFFICER],
    );
    expect(rows).toHaveLength(12);
    for (const row of rows) expect(row).toEqual({ status: 'FLAGGED', flags: 1 });
  });
});

describe('GroupCommit on its own', () => {
  it("a statement that fails for one rating is run again per rating: only that rating's caller gets the error", async () => {
    await r.publish(
      'dinsos',
      Array.from({ length: 3 }, (_, i) => ticket('dinsos', `H-${i}`, { citizenNik: citizen(500 + i).nik!, serviceId: 'dinsos.usulan-bansos', officerId: OFFICER })),
    );
    const db = new Sql(r.orm.em.fork());
    const commit = new GroupCommit(db, new ModerationService(db, DEFAULT_FRAUD_POLICY), RATING_COLUMNS, RATING_DATES, { maxBatch: 10, maxInFlight: 1, namedStatements: false });
    const item = (i: number, stars: number): WriteItem => ({
      rating: {
        id: randomUUID(),
        ticketId: `dinsos:H-${i}`,
        citizenRef: `ref-${i}`,
        idempotencyKey: null,
        requestHash: 'h',
        agencyId: 'dinsos',
        serviceId: 'dinsos.usulan-bansos',
        officerId: OFFICER,
        stars,
        comment: i === 0 ? 'a "quoted", {braced} comment' : null,
        skm: i === 0 ? [1, 2, 3, 4, 4, 3, 2, 1, 4] : null,
        period: '2026-03',
        completedAt: new Date('2026-03-18T03:00:00Z'),
        createdAt: new Date('2026-03-20T03:00:00Z'),
        deviceRef: null,
        ipRef: null,
        status: 'VALID',
      },
      flags: [],
    });
    // stars 9 breaks the table's check constraint (the rules refuse it long before; here on purpose).
    const outcomes = await Promise.allSettled([commit.write(item(0, 4)), commit.write(item(1, 9)), commit.write(item(2, 2))]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: '23514' });
    expect(commit.stats().writes).toEqual({ statements: 1, ratings: 3 });
    const stored = await r.sql(`select ticket_id as "ticketId", stars, comment, skm from $s.rating where ticket_id like 'dinsos:H-%' order by ticket_id`);
    expect(stored).toEqual([
      { ticketId: 'dinsos:H-0', stars: 4, comment: 'a "quoted", {braced} comment', skm: [1, 2, 3, 4, 4, 3, 2, 1, 4] },
      { ticketId: 'dinsos:H-2', stars: 2, comment: null, skm: null },
    ]);
  });
});
