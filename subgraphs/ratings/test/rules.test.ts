import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/lib/domain-error';
import {
  assertMayRateTicket,
  assertRater,
  canRate,
  DEFAULT_RATING_POLICY,
  idempotentReplay,
  DEFAULT_REGISTER_CHECK_POLICY,
  normalizeRatingInput,
  ratingWindowClosesAt,
  registerCheckExpired,
  registerCheckVerdict,
  registerUnchecked,
  ticketRefusal,
  type LedgerTicket,
  type Rater,
} from '../src/modules/ratings/rules';

const policy = DEFAULT_RATING_POLICY;
const completedAt = new Date('2026-11-20T03:00:00Z');
const ticket: LedgerTicket = {
  id: 'dispendukcapil:SIAK-2026-000101',
  agencyId: 'dispendukcapil',
  citizenRef: 'ref-siti',
  serviceId: 'dispendukcapil.ktp-el',
  officerId: '198703152010011002',
  status: 'COMPLETED',
  submittedAt: new Date('2026-11-18T02:00:00Z'),
  completedAt,
};
const siti = { signedIn: true, citizenRef: 'ref-siti', agencyId: null } as Rater & { citizenRef: string };
const now = new Date('2026-11-21T00:00:00Z');

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return 'OK';
};
const check = (over: Partial<Parameters<typeof assertMayRateTicket>[0]> = {}) => code(() => assertMayRateTicket({ ticket, rater: siti, alreadyRated: false, now, policy, ...over }));
const input = (over: Record<string, unknown> = {}) => ({ ticketId: ticket.id, stars: 4, ...over });

describe('rating input', () => {
  it.each([0, 6, -1, 2.5])('refuses %s stars with BAD_USER_INPUT', (stars) => {
    expect(code(() => normalizeRatingInput(input({ stars }), policy))).toBe('BAD_USER_INPUT');
  });

  it('accepts 1 to 5 stars', () => {
    for (const stars of [1, 2, 3, 4, 5]) expect(normalizeRatingInput(input({ stars }), policy).stars).toBe(stars);
  });

  it('trims the comment, stores an empty one as null, and limits its length (counted after trimming)', () => {
    expect(normalizeRatingInput(input({ comment: '  Cepat dan ramah.  ' }), policy).comment).toBe('Cepat dan ramah.');
    expect(normalizeRatingInput(input({ comment: '   ' }), policy).comment).toBeNull();
    expect(normalizeRatingInput(input({ comment: ` ${'a'.repeat(1000)} ` }), policy).comment).toHaveLength(1000);
    expect(code(() => normalizeRatingInput(input({ comment: 'a'.repeat(1001) }), policy))).toBe('BAD_USER_INPUT');
    expect(code(() => normalizeRatingInput(input({ comment: 'abcdef' }), { ...policy, commentMax: 5 }))).toBe('BAD_USER_INPUT');
  });

  it('takes exactly nine SKM answers, each 1–4, or none', () => {
    expect(normalizeRatingInput(input({ skm: [4, 3, 4, 4, 3, 4, 4, 3, 4] }), policy).skm).toEqual([4, 3, 4, 4, 3, 4, 4, 3, 4]);
    expect(normalizeRatingInput(input({ skm: null }), policy).skm).toBeNull();
    expect(code(() => normalizeRatingInput(input({ skm: [4, 3, 4, 4, 3, 4, 4, 3] }), policy))).toBe('BAD_USER_INPUT');
    expect(code(() => normalizeRatingInput(input({ skm: [4, 3, 4, 4, 3, 4, 4, 3, 4, 4] }), policy))).toBe('BAD_USER_INPUT');
    expect(code(() => normalizeRatingInput(input({ skm: [] }), policy))).toBe('BAD_USER_INPUT');
    expect(code(() => normalizeRatingInput(input({ skm: [4, 3, 4, 4, 5, 4, 4, 3, 4] }), policy))).toBe('BAD_USER_INPUT');
    expect(code(() => normalizeRatingInput(input({ skm: [4, 3, 4, 4, 0, 4, 4, 3, 4] }), policy))).toBe('BAD_USER_INPUT');
  });

  it('refuses a malformed idempotency key', () => {
    expect(code(() => normalizeRatingInput(input({ idempotencyKey: '' }), policy))).toBe('BAD_USER_INPUT');
    expect(code(() => normalizeRatingInput(input({ idempotencyKey: 'a b' }), policy))).toBe('BAD_USER_INPUT');
    expect(normalizeRatingInput(input({ idempotencyKey: 'rate-8f2c:1' }), policy).idempotencyKey).toBe('rate-8f2c:1');
  });

  it('fingerprints the normalised request, so a retry matches and a changed payload does not', () => {
    const a = normalizeRatingInput(input({ comment: 'Bagus ' }), policy);
    const b = normalizeRatingInput(input({ comment: ' Bagus' }), policy);
    const c = normalizeRatingInput(input({ stars: 5, comment: 'Bagus' }), policy);
    expect(a.requestHash).toBe(b.requestHash);
    expect(a.requestHash).not.toBe(c.requestHash);
  });
});

describe('idempotency', () => {
  const request = normalizeRatingInput(input({ idempotencyKey: 'k1' }), policy);
  it('replays the first result for the same request', () => {
    const earlier = { id: 'r1', requestHash: request.requestHash };
    expect(idempotentReplay(earlier, request)).toBe(earlier);
    expect(idempotentReplay(null, request)).toBeNull();
  });
  it('refuses a reused key with a different payload: IDEMPOTENCY_CONFLICT', () => {
    expect(code(() => idempotentReplay({ id: 'r1', requestHash: 'other' }, request))).toBe('IDEMPOTENCY_CONFLICT');
  });
});

describe('who may rate which ticket', () => {
  it("lets the ticket's citizen rate a completed ticket within the window", () => {
    expect(check()).toBe('OK');
  });

  it('refuses anonymous callers (UNAUTHENTICATED) and callers without a NIK (FORBIDDEN)', () => {
    expect(code(() => assertRater({ signedIn: false, citizenRef: null }))).toBe('UNAUTHENTICATED');
    expect(code(() => assertRater({ signedIn: true, citizenRef: null, agencyId: 'dispendukcapil' }))).toBe('FORBIDDEN');
    expect(code(() => assertRater(siti))).toBe('OK');
  });

  it("NOT_FOUND, with one and the same message, for a ticket the ledger does not know and for somebody else's", () => {
    expect(check({ ticket: undefined })).toBe('NOT_FOUND');
    expect(check({ rater: { ...siti, citizenRef: 'ref-budi' } })).toBe('NOT_FOUND');
    const unknown = ticketRefusal({ ticket: undefined, rater: siti, alreadyRated: false, now, policy });
    // Somebody else's ticket, already rated, out of its window, of the rater's own agency: still just "not yours".
    const theirs = ticketRefusal({ ticket: { ...ticket, citizenRef: 'ref-budi' }, rater: { ...siti, agencyId: 'dispendukcapil' }, alreadyRated: true, now: new Date('2027-01-01'), policy });
    expect(theirs).toEqual(unknown);
    expect(unknown).toEqual({ code: 'NOT_FOUND', message: 'No such ticket of yours.', details: { field: 'ticketId' } });
  });

  it('OWN_AGENCY for staff rating a ticket of their own agency, by the token', () => {
    expect(check({ rater: { ...siti, agencyId: 'dispendukcapil' } })).toBe('OWN_AGENCY');
    expect(check({ rater: { ...siti, agencyId: 'dpmptsp' } })).toBe('OK');
  });

  it("OWN_AGENCY when BKPSDM's register lists the rater at the ticket's agency, whatever the token says", () => {
    expect(check({ employment: { agencyIds: ['dispendukcapil'] } })).toBe('OWN_AGENCY');
    expect(check({ employment: { agencyIds: ['dpmptsp'] } })).toBe('OK');
    expect(check({ employment: { agencyIds: [] } })).toBe('OK');
  });

  it('refuses nothing because the register could not be asked: the rating is held for the register check instead', () => {
    const down = { unavailable: 'timeout' } as const;
    expect(check({ employment: down })).toBe('OK');
    expect(registerUnchecked(down)).toBe('timeout');
    expect(registerUnchecked({ agencyIds: [] })).toBeNull();
    expect(registerUnchecked({ agencyIds: ['dispendukcapil'] })).toBeNull();
    // Every other rule still answers at once, the token's own agency included.
    expect(check({ employment: down, ticket: undefined })).toBe('NOT_FOUND');
    expect(check({ employment: down, alreadyRated: true })).toBe('ALREADY_RATED');
    expect(check({ employment: down, rater: { ...siti, agencyId: 'dispendukcapil' } })).toBe('OWN_AGENCY');
  });

  it("decides a held rating from the register's later answer: OWN_AGENCY rejects, anything else accepts", () => {
    expect(registerCheckVerdict(['dispendukcapil'], 'dispendukcapil')).toEqual({ decision: 'REJECT', note: expect.stringMatching(/^OWN_AGENCY: /) });
    expect(registerCheckVerdict(['dpmptsp', 'dispendukcapil'], 'dispendukcapil').decision).toBe('REJECT');
    expect(registerCheckVerdict(['dpmptsp'], 'dispendukcapil').decision).toBe('ACCEPT');
    expect(registerCheckVerdict([], 'dispendukcapil').decision).toBe('ACCEPT');
  });

  it('leaves a held rating to a moderator once the register has not answered for 7 days (policy)', () => {
    const heldAt = new Date('2026-11-21T00:00:00Z');
    const days = (d: number, ms = 0) => new Date(heldAt.getTime() + d * 86_400_000 + ms);
    expect(DEFAULT_REGISTER_CHECK_POLICY.maxAgeDays).toBe(7);
    expect(registerCheckExpired(heldAt, days(7, -1), DEFAULT_REGISTER_CHECK_POLICY)).toBe(false);
    expect(registerCheckExpired(heldAt, days(7), DEFAULT_REGISTER_CHECK_POLICY)).toBe(true);
    expect(registerCheckExpired(heldAt, days(7), { maxAgeDays: 14 })).toBe(false);
  });

  it.each(['SUBMITTED', 'IN_PROGRESS', 'REJECTED', 'CANCELLED'] as const)('TICKET_NOT_COMPLETED for a %s ticket', (status) => {
    expect(check({ ticket: { ...ticket, status, completedAt: null } })).toBe('TICKET_NOT_COMPLETED');
  });

  it('ALREADY_RATED once rated', () => {
    expect(check({ alreadyRated: true })).toBe('ALREADY_RATED');
  });

  it('RATING_WINDOW_CLOSED after the window (policy: 7 days), open up to its last millisecond', () => {
    const closes = ratingWindowClosesAt(completedAt, policy);
    expect(closes.toISOString()).toBe('2026-11-27T03:00:00.000Z');
    expect(check({ now: closes })).toBe('OK');
    expect(check({ now: new Date(closes.getTime() + 1) })).toBe('RATING_WINDOW_CLOSED');
    expect(check({ now: new Date(closes.getTime() + 1), policy: { ...policy, windowDays: 14 } })).toBe('OK');
  });

  it('answers canRate with the same rules', () => {
    expect(canRate({ ticket, rater: siti, alreadyRated: false, now, policy })).toBe(true);
    expect(canRate({ ticket, rater: siti, alreadyRated: true, now, policy })).toBe(false);
    expect(canRate({ ticket, rater: { signedIn: false, citizenRef: null }, alreadyRated: false, now, policy })).toBe(false);
    expect(canRate({ ticket: { ...ticket, status: 'IN_PROGRESS', completedAt: null }, rater: siti, alreadyRated: false, now, policy })).toBe(false);
  });
});
