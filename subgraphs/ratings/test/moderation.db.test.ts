import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type Caller } from '@gerbang/common';
import { DEMO, ifStarted } from '@gerbang/testing';
import { buildRatingsSchema, createRequestContext, MemoryStaffDirectory } from '../src/server';
import { keyedRef } from '../src/lib/refs';
import { Sql } from '@gerbang/common';
import { ModerationService, recentPerKind } from '../src/modules/moderation/moderation.service';
import { relation, SUBJECT_COLUMNS } from '../src/modules/moderation/screening';
import { citizen, codeOf, RATE, startRatings, ticket, type Ratings } from './support';

const ENDANG = '198602142011012005';
const RIZKY = '199409302022031007';
const BAMBANG = '198406252008011004';
const LILIS = '199107042017082003';
const ADMIN = DEMO.admin;
let r: Ratings;
let n = 0;

/** A completed ticket for a fresh citizen, rated now; returns the citizen and rating id. */
async function rated(agencyId: string, officerId: string, stars: number, comment?: string) {
  const i = n++;
  await r.publish(agencyId, [ticket(agencyId, `MOD-${i}`, { citizenNik: citizen(i).nik!, officerId })]);
  const { body } = await r.call(RATE, citizen(i), { input: { ticketId: `${agencyId}:MOD-${i}`, stars, ...(comment ? { comment } : {}) } });
  expect(body.errors).toBeUndefined();
  return { caller: citizen(i), ratingId: body.data.rateService.id as string, ticketId: `${agencyId}:MOD-${i}` };
}
const statusOf = async (ratingId: string) => (await r.sql(`select status from $s.rating where id = ?`, [ratingId]))[0].status;
const minutes = (m: number) => (r.clock.now = new Date(r.clock.now.getTime() + m * 60_000));

const FLAGS = `query($status: RatingFlagStatus) { ratingFlags(status: $status, first: 100) { id rule details status rating { id stars status officer { id } agency { id } } } }`;
const REVIEW = `mutation($id: ID!, $decision: RatingFlagDecision!, $note: String!) { reviewRatingFlag(id: $id, decision: $decision, note: $note) { id status reviewNote rating { id status } } }`;

beforeAll(async () => {
  r = await startRatings({
    now: new Date('2026-03-19T00:00:00Z'),
    staff: new MemoryStaffDirectory([
      { id: ENDANG, agencyId: 'dinsos', tppBase: 2_525_000 },
      { id: RIZKY, agencyId: 'dinsos', tppBase: 2_200_000 },
    ]),
  });
});
afterAll(() => ifStarted(r)?.stop());

describe('burst of ratings for one officer', () => {
  const burst: string[] = [];
  it("flags all 8 ratings an officer got within 10 minutes; the citizen's rating still succeeds", async () => {
    for (let i = 0; i < 8; i++) {
      burst.push((await rated('dinsos', ENDANG, 5)).ratingId);
      minutes(1);
    }
    for (const id of burst) expect(await statusOf(id)).toBe('FLAGGED');
    const flags = await r.sql(`select rating_id, rule, status from $s.rating_flag order by created_at`);
    expect(flags).toHaveLength(8);
    expect(new Set(flags.map((f) => f.rule))).toEqual(new Set(['BURST']));
  });

  it('leaves flagged ratings out of TPP and public summaries until reviewed', async () => {
    const tpp = await r.call(`{ tppReport(agencyId: "dinsos", month: "2026-03") { rows { officer { id } ratings basis } } }`, DEMO.hr);
    expect(tpp.body.data.tppReport.rows).toContainEqual({ officer: { id: ENDANG }, ratings: 0, basis: 'NOT_ENOUGH_RATINGS' });
    const summary = await r.call(`{ _entities(representations: [{ __typename: "Officer", id: "${ENDANG}" }]) { ... on Officer { rating { count } } } }`);
    expect(summary.body.data._entities[0].rating.count).toBe(0);
  });

  it('lists flags to administrators only, without rater identity', async () => {
    for (const caller of [DEMO.hr, DEMO.analyst, DEMO.petugasDukcapil, DEMO.siti]) expect(codeOf((await r.call(FLAGS, caller)).body)).toBe('FORBIDDEN');
    expect(codeOf((await r.call(FLAGS)).body)).toBe('UNAUTHENTICATED');
    const { body } = await r.call(FLAGS, ADMIN);
    expect(body.data.ratingFlags).toHaveLength(8);
    expect(body.data.ratingFlags[0]).toMatchObject({ rule: 'BURST', status: 'OPEN', rating: { stars: 5, status: 'FLAGGED', officer: { id: ENDANG }, agency: { id: 'dinsos' } } });
    expect(JSON.parse(body.data.ratingFlags[0].details)).toEqual({ officerId: ENDANG, ratings: 8, windowMinutes: 10 });
  });

  it('lets an administrator accept or reject each flag; the rating follows, and every decision is logged', async () => {
    const { body } = await r.call(FLAGS, ADMIN);
    const flags = body.data.ratingFlags as { id: string; rating: { id: string } }[];
    expect(codeOf((await r.call(REVIEW, ADMIN, { id: flags[0]!.id, decision: 'ACCEPT', note: '  ' })).body)).toBe('BAD_USER_INPUT');
    for (const [i, flag] of flags.entries()) {
      const decision = i < 5 ? 'ACCEPT' : 'REJECT';
      const res = await r.call(REVIEW, ADMIN, { id: flag.id, decision, note: decision === 'ACCEPT' ? 'Antrean pagi memang ramai.' : 'Pola tidak wajar.' });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.reviewRatingFlag).toMatchObject({ status: decision === 'ACCEPT' ? 'ACCEPTED' : 'REJECTED', rating: { status: decision === 'ACCEPT' ? 'VALID' : 'REJECTED' } });
    }
    expect((await r.call(FLAGS, ADMIN, { status: 'OPEN' })).body.data.ratingFlags).toEqual([]);
    const log = await r.call(`{ moderationLog(first: 20) { actor action decision note ratingId flagId } }`, ADMIN);
    expect(log.body.data.moderationLog).toHaveLength(8);
    expect(log.body.data.moderationLog.filter((e: { decision: string }) => e.decision === 'REJECT')).toHaveLength(3);
    expect(log.body.data.moderationLog[0]).toMatchObject({ actor: ADMIN.sub, action: 'REVIEW_FLAG' });
  });

  it('counts the accepted ratings again, never the rejected ones', async () => {
    const tpp = await r.call(`{ tppReport(agencyId: "dinsos", month: "2026-03") { rows { officer { id } ratings basis payout } } }`, DEMO.hr);
    expect(tpp.body.data.tppReport.rows).toContainEqual({ officer: { id: ENDANG }, ratings: 5, basis: 'OWN_RATINGS', payout: 2_525_000 });
  });

  it('does not raise the same rule again on a reviewed rating', async () => {
    minutes(3);
    await rated('dinsos', ENDANG, 5); // the accepted ones are within 10 minutes of this one
    const flagsOfBurst = await r.sql(`select count(*)::int as n from $s.rating_flag where rating_id = any(?::text[])`, [`{${burst.join(',')}}`]);
    expect(flagsOfBurst).toEqual([{ n: 8 }]);
    expect((await r.call(FLAGS, ADMIN, { status: 'OPEN' })).body.data.ratingFlags).toEqual([]);
  });

  it('refuses re-deciding a flag, an unknown flag, and non-administrators', async () => {
    const [flag] = (await r.call(FLAGS, ADMIN, { status: 'ACCEPTED' })).body.data.ratingFlags;
    expect(codeOf((await r.call(REVIEW, ADMIN, { id: flag.id, decision: 'REJECT', note: 'Lagi.' })).body)).toBe('BAD_USER_INPUT');
    expect(codeOf((await r.call(REVIEW, ADMIN, { id: 'no-such-flag', decision: 'REJECT', note: 'x' })).body)).toBe('NOT_FOUND');
    expect(codeOf((await r.call(REVIEW, DEMO.hr, { id: flag.id, decision: 'REJECT', note: 'HR?' })).body)).toBe('FORBIDDEN');
  });

  it('keeps the moderation log append-only', async () => {
    await expect(r.sql(`update $s.moderation_log set note = 'edited'`)).rejects.toThrow(/append-only/);
    await expect(r.sql(`delete from $s.moderation_log`)).rejects.toThrow(/append-only/);
  });
});

describe("an officer's month far from the unit's", () => {
  it('flags the low ratings of an officer 1.5+ stars below the rest of the unit', async () => {
    r.at('2026-03-19T06:00:00Z');
    for (let i = 0; i < 10; i++) {
      await rated('bpkpd', BAMBANG, 5);
      minutes(5);
    }
    const lilis: string[] = [];
    for (const s of [1, 1, 2, 1, 1]) {
      lilis.push((await rated('bpkpd', LILIS, s)).ratingId);
      minutes(5);
    }
    const flags = await r.sql(`select rating_id, rule, details from $s.rating_flag where rule = 'OFFICER_DEVIATION'`);
    expect(new Set(flags.map((f) => f.rating_id))).toEqual(new Set(lilis));
    expect(flags[0].details).toMatchObject({ officerId: LILIS, direction: 'LOW', officerMean: 1.2, unitMean: 5 });
  });
});

describe('one device rating many officers', () => {
  it('flags every rating from a device that rated more than 3 officers within 24 hours', async () => {
    // The gateway passes a device id in its signed envelope; here the context is built directly.
    const schema = await buildRatingsSchema();
    r.at('2026-03-19T12:00:00Z');
    const officers = ['198703152010011002', '199001222015032004', '198511302009011003', '198808082012122001'];
    const ids: string[] = [];
    for (const [k, officerId] of officers.entries()) {
      const i = n++;
      const agencyId = k < 3 ? 'dispendukcapil' : 'dpmptsp';
      await r.publish(agencyId, [ticket(agencyId, `DEV-${i}`, { citizenNik: citizen(i).nik!, officerId })]);
      const caller = { ...citizen(i), deviceId: 'android-7f3a' } as Caller;
      const ctx = createRequestContext({ orm: r.orm, config: r.config, staff: r.staff, now: () => r.clock.now }, { requestId: 'dev', caller, logger: createLogger('t', 'silent') });
      const result = await graphql({ schema, source: RATE, variableValues: { input: { ticketId: `${agencyId}:DEV-${i}`, stars: 5 } }, contextValue: ctx });
      expect(result.errors).toBeUndefined();
      ids.push((result.data as { rateService: { id: string } }).rateService.id);
      minutes(30);
    }
    const flags = await r.sql(`select rating_id, details from $s.rating_flag where rule = 'DEVICE_SPREAD'`);
    expect(new Set(flags.map((f) => f.rating_id))).toEqual(new Set(ids));
    expect(flags[0].details).toEqual({ distinctOfficers: 4, ratings: 4, windowHours: 24 });
    const stored = await r.sql(`select device_ref from $s.rating where id = ?`, [ids[0]]);
    expect(stored[0].device_ref).not.toContain('android');
  });
});

describe('one device rating all day (a tablet at the service counter)', () => {
  it('flags each further rating once, with one flag of its own, and reads at most recentPerKind of its ratings', async () => {
    const cap = recentPerKind(r.config.fraud);
    const schema = await buildRatingsSchema();
    r.at('2026-03-21T00:00:00Z');
    const officers = ['198703152010011002', '199001222015032004', '198511302009011003', '198808082012122001'];
    const total = cap + 30;
    const first = n;
    const byAgency = new Map<string, ReturnType<typeof ticket>[]>();
    for (let k = 0; k < total; k++) {
      const agencyId = k % 4 < 3 ? 'dispendukcapil' : 'dpmptsp';
      byAgency.set(agencyId, [...(byAgency.get(agencyId) ?? []), ticket(agencyId, `TAB-${first + k}`, { citizenNik: citizen(first + k).nik!, officerId: officers[k % 4]! })]);
    }
    for (const [agencyId, tickets] of byAgency) await r.publish(agencyId, tickets);
    n += total;
    const rate = async (k: number) => {
      const agencyId = k % 4 < 3 ? 'dispendukcapil' : 'dpmptsp';
      const caller = { ...citizen(first + k), deviceId: 'counter-tablet-01' };
      const ctx = createRequestContext({ orm: r.orm, config: r.config, staff: r.staff, now: () => r.clock.now }, { requestId: 'tab', caller, logger: createLogger('t', 'silent') });
      const result = await graphql({ schema, source: RATE, variableValues: { input: { ticketId: `${agencyId}:TAB-${first + k}`, stars: 5 } }, contextValue: ctx });
      expect(result.errors).toBeUndefined();
      minutes(2);
      return (result.data as { rateService: { id: string } }).rateService.id;
    };
    const ids: string[] = [];
    for (let k = 0; k < total - 1; k++) ids.push(await rate(k));

    const tablet = keyedRef(r.config.pepper, 'device', 'counter-tablet-01');
    const deviceFlags = async () =>
      Number((await r.sql(`select count(*)::int as c from $s.rating_flag f join $s.rating x on x.id = f.rating_id where f.rule = 'DEVICE_SPREAD' and x.device_ref = ?`, [tablet]))[0].c);
    const before = await deviceFlags();
    const last = await rate(total - 1);
    expect(await statusOf(last)).toBe('FLAGGED');
    expect(await deviceFlags()).toBe(before + 1);
    // Every rating from the fourth officer on is under review, each with exactly one DEVICE_SPREAD flag.
    const perRating = await r.sql(`select rating_id, count(*)::int as c from $s.rating_flag where rule = 'DEVICE_SPREAD' group by rating_id having count(*) > 1`);
    expect(perRating).toEqual([]);
    expect(await deviceFlags()).toBe(total);

    // What the rules read for the next rating from this tablet: capped, however long the day.
    const db = new Sql(r.orm.em.fork());
    const moderation = new ModerationService(db, r.config.fraud);
    const { burstSince, spreadSince } = moderation.windows(r.clock.now);
    const [row] = await db.all<{ facts: unknown }>(
      `with subjects as (select null::text as officer_id, 'dispendukcapil'::text as agency_id, '2026-03'::text as period, ?::text as device_ref, null::text as ip_ref,
                                ?::timestamptz as burst_since, ?::timestamptz as spread_since)
       select ${moderation.factsSql(db, relation('subjects'))} as facts`,
      [tablet, burstSince, spreadSince],
    );
    const subject = { id: 'next', officerId: null, agencyId: 'dispendukcapil', period: '2026-03', stars: 5, createdAt: r.clock.now, deviceRef: tablet, ipRef: null };
    const [read] = row!.facts as [unknown[], unknown[]];
    expect(read.length).toBe(cap);
    // The rules see the newest `cap` of the tablet's ratings, each of them already flagged: the next rating's finding names itself only.
    const findings = moderation.findings(subject, moderation.facts(row!.facts));
    expect(findings).toEqual([{ rule: 'DEVICE_SPREAD', ratingIds: ['next'], details: { distinctOfficers: 4, ratings: cap + 1, windowHours: 24 } }]);
  });

  it('reads for a batch exactly the facts it reads for each of its ratings alone (once per officer, device and address)', async () => {
    const db = new Sql(r.orm.em.fork());
    const moderation = new ModerationService(db, r.config.fraud);
    const tablet = keyedRef(r.config.pepper, 'device', 'counter-tablet-01');
    const officers = ['198703152010011002', '199001222015032004', '198511302009011003', '198808082012122001'];
    // Ratings made at different moments (their windows differ), sharing officers and the tablet.
    const subjects = officers.flatMap((officerId, k) =>
      [0, 7, 45, 300].map((ago) => ({
        officerId,
        agencyId: k < 3 ? 'dispendukcapil' : 'dpmptsp',
        period: '2026-03',
        deviceRef: ago % 2 ? tablet : null,
        ipRef: null,
        createdAt: new Date(r.clock.now.getTime() - ago * 60_000),
      })),
    );
    const read = async (list: typeof subjects) => {
      const windows = list.map((x) => moderation.windows(x.createdAt));
      const [row] = await db.prepared<{ facts: unknown }>(
        `with subjects as (select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[])
                             as s(${SUBJECT_COLUMNS.join(', ')}))
         select ${moderation.factsSql(db, relation('subjects'))} as facts`,
        [
          list.map((x) => x.officerId),
          list.map((x) => x.agencyId),
          list.map((x) => x.period),
          list.map((x) => x.deviceRef),
          list.map((x) => x.ipRef),
          windows.map((w) => w.burstSince),
          windows.map((w) => w.spreadSince),
        ],
      );
      return moderation.facts(row!.facts);
    };
    const own = (facts: Awaited<ReturnType<typeof read>>, x: (typeof subjects)[number]) => {
      const f = facts.of({ ...x, ...moderation.windows(x.createdAt) });
      const recent = [...f.recent].sort((a, b) => (a.id < b.id ? -1 : 1));
      return { recent, raised: recent.map((q) => f.raised.get(q.id) ?? []), month: [...(f.officerMonth ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1)), unit: f.unitOthers };
    };
    const batch = await read(subjects);
    let seen = 0;
    for (const x of subjects) {
      const alone = own(await read([x]), x);
      expect(own(batch, x)).toEqual(alone);
      seen += alone.recent.length;
    }
    expect(seen).toBeGreaterThan(subjects.length);
  });
});

describe('hiding a comment', () => {
  it('hides the text from everyone but administrators; the rating stays and counts', async () => {
    r.at('2026-03-20T01:00:00Z');
    const { caller, ratingId, ticketId } = await rated('dinsos', RIZKY, 2, 'Petugasnya <kata kasar>!');
    const HIDE = `mutation($id: ID!, $reason: String!) { hideRatingComment(ratingId: $id, reason: $reason) { id stars comment commentHidden status } }`;
    expect(codeOf((await r.call(HIDE, DEMO.hr, { id: ratingId, reason: 'kasar' })).body)).toBe('FORBIDDEN');
    const { body } = await r.call(HIDE, ADMIN, { id: ratingId, reason: 'Kata-kata kasar.' });
    expect(body.data.hideRatingComment).toEqual({ id: ratingId, stars: 2, comment: 'Petugasnya <kata kasar>!', commentHidden: true, status: 'VALID' });
    const mine = await r.call(`query($id: ID!) { _entities(representations: [{ __typename: "Citizen", id: $id }]) { ... on Citizen { tickets { id myRating { stars comment } } } } }`, caller, {
      id: caller.sub,
    });
    expect(mine.body.data._entities[0].tickets.find((t: { id: string }) => t.id === ticketId).myRating).toEqual({ stars: 2, comment: null });
    const summary = await r.call(`{ _entities(representations: [{ __typename: "Officer", id: "${RIZKY}" }]) { ... on Officer { rating { count } } } }`);
    expect(summary.body.data._entities[0].rating.count).toBe(1);
    const log = await r.call(`query($id: ID) { moderationLog(ratingId: $id) { action note actor } }`, ADMIN, { id: ratingId });
    expect(log.body.data.moderationLog).toEqual([{ action: 'HIDE_COMMENT', note: 'Kata-kata kasar.', actor: ADMIN.sub }]);
    expect(codeOf((await r.call(HIDE, ADMIN, { id: 'nope', reason: 'x' })).body)).toBe('NOT_FOUND');
  });
});

describe('ratingForReview', () => {
  const Q = `query($id: ID!) { ratingForReview(id: $id) { id stars } }`;
  it('answers an unknown id with null and NOT_FOUND naming the argument, like every look-up by id', async () => {
    const { body } = await r.call(Q, ADMIN, { id: 'no-such-rating' });
    expect(body.data).toEqual({ ratingForReview: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ message: 'Rating not found.', path: ['ratingForReview'], extensions: { code: 'NOT_FOUND', field: 'id' } });
  });
});

describe('rater identity', () => {
  it('is not a field of any type in the API', async () => {
    const { body } = await r.call(`{ __schema { types { name fields { name } } } }`);
    const names = (body.data.__schema.types as { name: string; fields: { name: string }[] | null }[]).flatMap((t) => (t.fields ?? []).map((f) => `${t.name}.${f.name}`));
    expect(names.filter((f) => /citizen_?ref|device|(^|\.)ip|nik|rater/i.test(f))).toEqual([]);
  });
});
