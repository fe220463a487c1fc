import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '@gerbang/common';
import { DEMO, ifStarted } from '@gerbang/testing';
import { MemoryStaffDirectory } from '../src/server';
import { citizen, codeOf, nik, RATE, startRatings, ticket, type Ratings } from './support';

/**
 * Ratings given while BKPSDM's staff register is down: accepted, held (FLAGGED, rule
 * REGISTER_UNCHECKED, out of every figure) and checked later by the register check, which
 * resolves them through moderation.
 */
const AGUS = '198703152010011002'; // Dispendukcapil officer who serves the tickets
const YUNI = '198808082012122001'; // DPMPTSP officer
const RINA_NIP = '199001222015032004'; // Dispendukcapil officer, known to the register by NIP only here
const ADMIN = DEMO.admin;
const DOWN = 'connect ECONNREFUSED';

// A Dispendukcapil officer signed in with a citizen-only token (the register knows the NIK).
const OFFICER_AS_CITIZEN: Caller = { sub: 'usr-citizen-7', roles: ['citizen'], nik: nik(7) };
// A staff token with a NIP but no agency claim: the register knows the NIP, not the NIK.
const STAFF_BY_NIP: Caller = { sub: 'usr-staff-9', roles: ['officer', 'citizen'], nik: nik(9), nip: RINA_NIP };

const register = new MemoryStaffDirectory(
  [
    { id: AGUS, agencyId: 'dispendukcapil', tppBase: 3_000_000 },
    { id: YUNI, agencyId: 'dpmptsp', tppBase: 2_525_000 },
    { id: '198511302009011003', nik: nik(7), agencyId: 'dispendukcapil', tppBase: 2_200_000 },
    { id: RINA_NIP, agencyId: 'dispendukcapil', tppBase: 2_200_000 },
  ],
  ['dinsos'],
);

let r: Ratings;
let n = 0;

/** A completed ticket of `agencyId` for the caller (a fresh id), rated now with a retry key. */
async function rate(caller: Caller, agencyId: 'dispendukcapil' | 'dpmptsp', stars = 4) {
  const id = `RC-${n++}`;
  // Completed an hour ago, whatever the tests did to the clock: the rating window is open.
  const completedAt = new Date(r.clock.now.getTime() - 3_600_000).toISOString();
  const submittedAt = new Date(r.clock.now.getTime() - 7_200_000).toISOString();
  await r.publish(agencyId, [ticket(agencyId, id, { citizenNik: caller.nik!, officerId: agencyId === 'dispendukcapil' ? AGUS : YUNI, submittedAt, completedAt })]);
  const input = { ticketId: `${agencyId}:${id}`, stars, idempotencyKey: `key-${id}` };
  const res = await r.call(RATE, caller, { input });
  return { res, input, caller };
}
const ratingRow = async (id: string) => (await r.sql(`select status from $s.rating where id = ?`, [id]))[0];
const flagsOf = (ratingId: string) => r.sql(`select rule, status, details, reviewed_by, reviewed_at, review_note from $s.rating_flag where rating_id = ? order by rule`, [ratingId]);
const checkOf = async (ratingId: string) => (await r.sql(`select * from $s.register_check where rating_id = ?`, [ratingId]))[0];
const logOf = (ratingId: string) => r.sql(`select actor, action, flag_id, decision, note from $s.moderation_log where rating_id = ? order by id`, [ratingId]);
const officerCount = async (officerId: string) =>
  (await r.call(`{ _entities(representations: [{ __typename: "Officer", id: "${officerId}" }]) { ... on Officer { rating { count } } } }`)).body.data._entities[0].rating.count;
const tppRatings = async (officerId: string) => {
  // The TPP report needs the register (the roster); the held ratings' state does not change by asking.
  const down = register.down;
  register.down = null;
  const { body } = await r.call(`{ tppReport(agencyId: "dispendukcapil", month: "2026-03") { rows { officer { id } ratings } } }`, DEMO.hr);
  register.down = down;
  return body.data.tppReport.rows.find((row: { officer: { id: string } }) => row.officer.id === officerId).ratings;
};
const hours = (h: number) => (r.clock.now = new Date(r.clock.now.getTime() + h * 3_600_000));

beforeAll(async () => {
  r = await startRatings({ now: new Date('2026-03-20T03:00:00Z'), staff: register, config: { registerCheck: { intervalMs: 0, batchSize: 3, maxAgeDays: 7 } } });
});
afterAll(() => ifStarted(r)?.stop());

describe('a rating while the staff register is down', () => {
  let held: { id: string; input: Record<string, unknown> };

  it('is acknowledged, and a retry with its key gets the same rating', async () => {
    register.down = DOWN;
    const { res, input } = await rate(citizen(1), 'dispendukcapil', 5);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.rateService).toMatchObject({ stars: 5, ticket: { canRate: false } });
    held = { id: res.body.data.rateService.id, input };
    const again = await r.call(RATE, citizen(1), { input });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.rateService.id).toBe(held.id);
    expect(await r.sql(`select id from $s.rating where ticket_id = ?`, [input.ticketId])).toHaveLength(1);
  });

  it("is stored FLAGGED under REGISTER_UNCHECKED, the register's reason in the flag, pending its check (attempt 1)", async () => {
    expect(await ratingRow(held.id)).toEqual({ status: 'FLAGGED' });
    expect(await flagsOf(held.id)).toEqual([
      { rule: 'REGISTER_UNCHECKED', status: 'OPEN', details: { service: 'BKPSDM staff register', reason: DOWN }, reviewed_by: null, reviewed_at: null, review_note: null },
    ]);
    expect(await checkOf(held.id)).toMatchObject({ attempts: 1, last_error: DOWN });
  });

  it('keeps the NIK only sealed: no table of the schema holds it in the clear', async () => {
    const { person } = await checkOf(held.id);
    expect(Buffer.isBuffer(person)).toBe(true);
    expect(person.length).toBe(1 + 12 + 16 + JSON.stringify({ nik: nik(1), nip: null }).length);
    const dump = await r.sql(`select string_agg(t::text, ' ') as text from (
      select to_jsonb(x)::text as t from $s.rating x union all select to_jsonb(x)::text from $s.rating_flag x
      union all select to_jsonb(x)::text from $s.register_check x union all select to_jsonb(x)::text from $s.moderation_log x
      union all select to_jsonb(x)::text from $s.ticket x) d`);
    expect(dump[0].text).toContain(held.id);
    expect(dump[0].text).not.toContain(nik(1));
    expect(dump[0].text).not.toContain(Buffer.from(nik(1)).toString('hex'));
  });

  it('does not count toward summaries or TPP while held', async () => {
    expect(await officerCount(AGUS)).toBe(0);
    expect(await tppRatings(AGUS)).toBe(0);
  });

  it('is listed to moderators with its rule, and never with who rated', async () => {
    const { body } = await r.call(`{ ratingFlags(first: 10) { rule status details rating { id status } } }`, ADMIN);
    expect(body.data.ratingFlags).toContainEqual({
      rule: 'REGISTER_UNCHECKED',
      status: 'OPEN',
      details: JSON.stringify({ reason: DOWN, service: 'BKPSDM staff register' }),
      rating: { id: held.id, status: 'FLAGGED' },
    });
  });

  it('is still refused at once when the token itself names the agency, or for the rules of the ledger', async () => {
    const staff: Caller = { sub: 'usr-staff-5', roles: ['officer', 'citizen'], nik: nik(5), nip: RINA_NIP, agencyId: 'dispendukcapil' };
    expect(codeOf((await rate(staff, 'dispendukcapil')).res.body)).toBe('OWN_AGENCY');
    expect(codeOf((await r.call(RATE, citizen(1), { input: { ...held.input, idempotencyKey: 'another-key' } })).body)).toBe('ALREADY_RATED');
    register.down = null;
  });
});

describe('the register check', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    register.down = DOWN;
    // Held: a plain citizen, an officer rating their own agency (by NIK), the same officer rating
    // another agency, an officer known by the token's NIP rating their own agency.
    ids.citizen = (await rate(citizen(2), 'dispendukcapil', 4)).res.body.data.rateService.id;
    ids.ownByNik = (await rate(OFFICER_AS_CITIZEN, 'dispendukcapil', 5)).res.body.data.rateService.id;
    ids.otherAgency = (await rate(OFFICER_AS_CITIZEN, 'dpmptsp', 5)).res.body.data.rateService.id;
    ids.ownByNip = (await rate(STAFF_BY_NIP, 'dispendukcapil', 5)).res.body.data.rateService.id;
    for (const id of Object.values(ids)) expect(id).toEqual(expect.any(String));
  });

  it('keeps every check pending while the register is still down, counting attempts and the last error', async () => {
    register.down = 'HTTP 503';
    const calls = register.calls;
    hours(1);
    const run = await r.registerCheckNow();
    // One request, then the run stops: the other batch waits for the next run instead of meeting the same outage.
    expect(register.calls - calls).toBe(1);
    expect(run).toMatchObject({ pending: 3, error: 'HTTP 503', accepted: 0, rejected: 0, handedOver: 0 });
    const checks = await r.sql(`select attempts, last_error from $s.register_check order by attempts desc, rating_id`);
    expect(checks).toHaveLength(5);
    expect(checks.filter((c) => c.attempts === 2)).toEqual(Array.from({ length: 3 }, () => ({ attempts: 2, last_error: 'HTTP 503' })));
    // The next run asks about those not yet tried first, then the longest waiting.
    hours(1);
    await r.registerCheckNow();
    expect((await r.sql(`select attempts from $s.register_check order by rating_id`)).map((c) => c.attempts).sort()).toEqual([2, 2, 2, 2, 3]);
    for (const id of Object.values(ids)) expect(await ratingRow(id)).toEqual({ status: 'FLAGGED' });
  });

  it('once the register answers: clears the raters it does not list at the agency (VALID, counted), rejects the others (OWN_AGENCY)', async () => {
    register.down = null;
    const countBefore = await officerCount(AGUS);
    const calls = register.calls;
    hours(1);
    const run = await r.registerCheckNow();
    expect(run).toEqual({ accepted: 3, rejected: 2, handedOver: 0, pending: 0, alreadyDecided: 0 });
    expect(register.calls - calls).toBe(2); // 5 checks in batches of 3, one request each
    expect(await ratingRow(ids.citizen!)).toEqual({ status: 'VALID' });
    expect(await ratingRow(ids.otherAgency!)).toEqual({ status: 'VALID' });
    expect(await ratingRow(ids.ownByNik!)).toEqual({ status: 'REJECTED' });
    expect(await ratingRow(ids.ownByNip!)).toEqual({ status: 'REJECTED' });
    // The first held rating (citizen 1, 5 stars) and citizen 2's count now; the officers' own-agency ones never.
    expect(await officerCount(AGUS)).toBe(countBefore + 2);
    expect(await tppRatings(AGUS)).toBe(2);
  });

  it('decides through moderation: reviewer system:register on the flag, an entry in the append-only log', async () => {
    expect(await flagsOf(ids.ownByNik!)).toEqual([
      expect.objectContaining({ rule: 'REGISTER_UNCHECKED', status: 'REJECTED', reviewed_by: 'system:register', review_note: expect.stringMatching(/^OWN_AGENCY: /) }),
    ]);
    expect(await flagsOf(ids.citizen!)).toEqual([expect.objectContaining({ status: 'ACCEPTED', reviewed_by: 'system:register', reviewed_at: expect.anything() })]);
    expect(await logOf(ids.ownByNip!)).toEqual([
      { actor: 'system:register', action: 'REVIEW_FLAG', flag_id: expect.any(String), decision: 'REJECT', note: expect.stringMatching(/^OWN_AGENCY: BKPSDM's staff register lists the rater/) },
    ]);
    expect(await logOf(ids.citizen!)).toEqual([expect.objectContaining({ actor: 'system:register', decision: 'ACCEPT' })]);
    const { body } = await r.call(`query($id: ID) { moderationLog(first: 5, ratingId: $id) { actor action decision note } }`, ADMIN, { id: ids.ownByNik });
    expect(body.data.moderationLog).toEqual([{ actor: 'system:register', action: 'REVIEW_FLAG', decision: 'REJECT', note: expect.stringMatching(/^OWN_AGENCY/) }]);
  });

  it('deletes the sealed identity of every resolved check', async () => {
    expect(await r.sql(`select rating_id from $s.register_check`)).toEqual([]);
    const run = await r.registerCheckNow();
    expect(run).toEqual({ accepted: 0, rejected: 0, handedOver: 0, pending: 0, alreadyDecided: 0 });
  });
});

describe('a held rating that another flag also holds', () => {
  it('stays FLAGGED when the register clears it, until a moderator decides the other flag', async () => {
    register.down = DOWN;
    const id = (await rate(citizen(3), 'dispendukcapil')).res.body.data.rateService.id;
    register.down = null;
    await r.sql(`insert into $s.rating_flag (id, rating_id, rule, details, created_at) values ('other-flag', ?, 'BURST', '{}', now())`, [id]);
    expect((await r.registerCheckNow()).accepted).toBe(1);
    expect(await ratingRow(id)).toEqual({ status: 'FLAGGED' });
    const review = await r.call(`mutation { reviewRatingFlag(id: "other-flag", decision: ACCEPT, note: "Wajar.") { rating { status } } }`, ADMIN);
    expect(review.body.data.reviewRatingFlag.rating.status).toBe('VALID');
  });
});

describe('a moderator deciding a held rating first', () => {
  it('ends its check: the sealed identity is deleted with the decision, and the register is not asked', async () => {
    register.down = DOWN;
    const id = (await rate(citizen(4), 'dispendukcapil')).res.body.data.rateService.id;
    const [flag] = await r.sql(`select id from $s.rating_flag where rating_id = ?`, [id]);
    const review = await r.call(`mutation($id: ID!) { reviewRatingFlag(id: $id, decision: REJECT, note: "Pelapor meminta dihapus.") { status rating { status } } }`, ADMIN, { id: flag.id });
    expect(review.body.data.reviewRatingFlag).toEqual({ status: 'REJECTED', rating: { status: 'REJECTED' } });
    expect(await checkOf(id)).toBeUndefined();
    register.down = null;
    const calls = register.calls;
    expect(await r.registerCheckNow()).toEqual({ accepted: 0, rejected: 0, handedOver: 0, pending: 0, alreadyDecided: 0 });
    expect(register.calls).toBe(calls);
    expect(await logOf(id)).toEqual([expect.objectContaining({ actor: ADMIN.sub, decision: 'REJECT' })]);
  });
});

describe('a register that stays down for 7 days', () => {
  it('leaves the held rating to a moderator, with a note, and deletes the sealed identity', async () => {
    register.down = DOWN;
    const id = (await rate(citizen(5), 'dispendukcapil')).res.body.data.rateService.id;
    hours(24);
    await r.registerCheckNow();
    expect(await checkOf(id)).toMatchObject({ attempts: 2 });
    hours(6 * 24 - 1);
    expect(await r.registerCheckNow()).toMatchObject({ handedOver: 0, pending: 1 });
    hours(1);
    const run = await r.registerCheckNow();
    expect(run).toMatchObject({ handedOver: 1, pending: 0 });
    expect(await checkOf(id)).toBeUndefined();
    const [flag] = await flagsOf(id);
    expect(flag).toMatchObject({ rule: 'REGISTER_UNCHECKED', status: 'OPEN', reviewed_by: null });
    expect(flag.details).toMatchObject({
      reason: DOWN,
      attempts: 4,
      lastError: DOWN,
      note: expect.stringMatching(/could not be asked for 7 days \(4 attempts; last: connect ECONNREFUSED\)\. Decide this rating by hand\./),
    });
    expect(await ratingRow(id)).toEqual({ status: 'FLAGGED' });
    expect(await logOf(id)).toEqual([{ actor: 'system:register', action: 'HAND_OVER', flag_id: expect.any(String), decision: null, note: flag.details.note }]);
    // The register back: nothing left to ask; the moderator decides.
    register.down = null;
    expect((await r.registerCheckNow()).accepted).toBe(0);
    const review = await r.call(`mutation($id: ID!) { reviewRatingFlag(id: $id, decision: ACCEPT, note: "Dicek manual ke BKPSDM.") { status rating { status } } }`, ADMIN, {
      id: (await r.sql(`select id from $s.rating_flag where rating_id = ?`, [id]))[0].id,
    });
    expect(review.body.data.reviewRatingFlag).toEqual({ status: 'ACCEPTED', rating: { status: 'VALID' } });
  });
});

describe('a register back after more than 7 days', () => {
  it('still decides the held rating by itself: the check gives up only after an attempt that failed', async () => {
    register.down = DOWN;
    const id = (await rate(citizen(10), 'dispendukcapil')).res.body.data.rateService.id;
    register.down = null;
    hours(8 * 24);
    expect(await r.registerCheckNow()).toMatchObject({ accepted: 1, handedOver: 0 });
    expect(await ratingRow(id)).toEqual({ status: 'VALID' });
    expect(await checkOf(id)).toBeUndefined();
  });
});

describe('a sealed identity that cannot be read', () => {
  it('is refused (altered, or moved to another rating) and the rating left to a moderator', async () => {
    register.down = DOWN;
    const altered = (await rate(citizen(6), 'dispendukcapil')).res.body.data.rateService.id;
    const moved = (await rate(citizen(8), 'dispendukcapil')).res.body.data.rateService.id;
    register.down = null;
    await r.sql(`update $s.register_check set person = set_byte(person, 20, get_byte(person, 20) # 1) where rating_id = ?`, [altered]);
    // Another rating's sealed identity (say, an officer's swapped for a citizen's) does not open here.
    await r.sql(`update $s.register_check set person = (select person from $s.register_check where rating_id = ?) where rating_id = ?`, [altered, moved]);
    const calls = register.calls;
    const run = await r.registerCheckNow();
    expect(run).toMatchObject({ handedOver: 2, accepted: 0, rejected: 0 });
    expect(register.calls).toBe(calls);
    for (const id of [altered, moved]) {
      expect(await checkOf(id)).toBeUndefined();
      expect((await flagsOf(id))[0].details.note).toMatch(/cannot be read/);
      expect(await ratingRow(id)).toEqual({ status: 'FLAGGED' });
    }
  });
});

describe('the register check in the background', () => {
  it('runs by itself every REGISTER_RECHECK_INTERVAL_MS once the server listens, and reports its last run in /health/status', async () => {
    const staff = new MemoryStaffDirectory([{ id: '198511302009011003', nik: nik(7), agencyId: 'dispendukcapil', tppBase: 2_200_000 }]);
    staff.down = DOWN;
    const bg = await startRatings({ now: new Date('2026-03-20T03:00:00Z'), staff, config: { registerCheck: { intervalMs: 50, batchSize: 100, maxAgeDays: 7 } } });
    try {
      await bg.publish('dispendukcapil', [ticket('dispendukcapil', 'BG-1', { citizenNik: nik(7) })]);
      const res = await bg.call(RATE, OFFICER_AS_CITIZEN, { input: { ticketId: 'dispendukcapil:BG-1', stars: 5 } });
      expect(res.body.errors).toBeUndefined();
      const id = res.body.data.rateService.id;
      await expect.poll(async () => (await bg.sql(`select attempts from $s.register_check where rating_id = ?`, [id]))[0]?.attempts, { timeout: 5000 }).toBeGreaterThan(1);
      staff.down = null;
      await expect.poll(async () => (await bg.sql(`select status from $s.rating where id = ?`, [id]))[0].status, { timeout: 5000 }).toBe('REJECTED');
      expect(await bg.sql(`select rating_id from $s.register_check`)).toEqual([]);
      const status = (await (await fetch(`${bg.url}/health/status`)).json()) as { registerCheck: Record<string, unknown> };
      expect(status.registerCheck).toMatchObject({ at: expect.any(String), pending: 0 });
    } finally {
      await bg.stop();
    }
  });
});
