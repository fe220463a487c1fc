import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '@gerbang/common';
import { DEMO, ifStarted } from '@gerbang/testing';
import { MemoryStaffDirectory } from '../src/server';
import { citizen, codeOf, nik, RATE, startRatings, ticket, type Ratings } from './support';

let r: Ratings;
const SITI = DEMO.siti;
const BUDI = DEMO.budi;
// A Dispendukcapil officer who is also a citizen with tickets of their own.
const STAFF_CITIZEN: Caller = { sub: 'usr-staff-5', roles: ['officer', 'citizen'], nik: nik(5), nip: '199001222015032004', agencyId: 'dispendukcapil' };
// A Dispendukcapil officer (BKPSDM's register lists their NIK there) signed in with a citizen-only
// token: no officer role, no NIP, no agency claim.
const OFFICER_AS_CITIZEN: Caller = { sub: 'usr-citizen-7', roles: ['citizen'], nik: nik(7) };
const register = new MemoryStaffDirectory([
  { id: '198511302009011003', nik: nik(7), agencyId: 'dispendukcapil', tppBase: 2_200_000 },
  { id: '199001222015032004', nik: nik(5), agencyId: 'dispendukcapil', tppBase: 2_200_000 },
]);

beforeAll(async () => {
  r = await startRatings({ now: new Date('2026-03-20T03:00:00Z'), staff: register });
  const d = (id: string, over = {}) => ticket('dispendukcapil', id, { citizenNik: SITI.nik!, ...over });
  const res = await r.publish('dispendukcapil', [
    d('T-OK'),
    d('T-RETRY'),
    d('T-RACE'),
    d('T-RACE2'),
    d('T-CONFLICT'),
    d('T-RULES'),
    d('T-PROGRESS', { status: 'IN_PROGRESS', completedAt: null }),
    d('T-OLD', { completedAt: '2026-03-10T09:00:00+07:00' }),
    d('T-EDGE', { completedAt: '2026-03-13T10:00:00+07:00' }), // window closes 2026-03-20T03:00:00Z, exactly "now"
    d('T-STAFF', { citizenNik: nik(5) }),
    d('T-OFFICER', { citizenNik: nik(7) }),
    d('T-DOWN', { citizenNik: nik(8) }),
  ]);
  expect(res.status).toBe(200);
  await r.publish('dpmptsp', [
    ticket('dpmptsp', 'P-STAFF', { citizenNik: nik(5), officerId: '198808082012122001' }),
    ticket('dpmptsp', 'P-OFFICER', { citizenNik: nik(7), officerId: '198808082012122001' }),
  ]);
});
afterAll(() => ifStarted(r)?.stop());

const rate = (caller: Caller | undefined, input: Record<string, unknown>) => r.call(RATE, caller, { input });
const rows = (ticketId: string) => r.sql(`select * from $s.rating where ticket_id = ?`, [ticketId]);

describe('rateService', () => {
  it('rates a completed ticket of the caller and stores it trimmed, with the completion month', async () => {
    const { body } = await rate(SITI, { ticketId: 'dispendukcapil:T-OK', stars: 5, comment: '  Cepat, petugas ramah.  ', skm: [4, 4, 3, 4, 4, 4, 4, 3, 4] });
    expect(body.errors).toBeUndefined();
    expect(body.data.rateService).toMatchObject({ stars: 5, ticket: { id: 'dispendukcapil:T-OK', canRate: false } });
    const [row] = await rows('dispendukcapil:T-OK');
    expect(row).toMatchObject({
      id: body.data.rateService.id,
      stars: 5,
      comment: 'Cepat, petugas ramah.',
      skm: [4, 4, 3, 4, 4, 4, 4, 3, 4],
      period: '2026-03',
      agency_id: 'dispendukcapil',
      service_id: 'dispendukcapil.layanan',
      officer_id: '198703152010011002',
      status: 'VALID',
      comment_hidden: false,
    });
    expect(row.citizen_ref).not.toContain(SITI.nik);
    expect(JSON.stringify(await r.sql(`select * from $s.rating`))).not.toContain(SITI.nik!);
  });

  it("shows the rating as myRating on the citizen's ticket, and canRate turns false", async () => {
    const { body } = await r.call(
      `query($id: ID!) { _entities(representations: [{ __typename: "Citizen", id: $id }]) { ... on Citizen { tickets { id myRating { stars comment skm } canRate } } } }`,
      SITI,
      { id: SITI.sub },
    );
    const t = body.data._entities[0].tickets.find((x: { id: string }) => x.id === 'dispendukcapil:T-OK');
    expect(t).toEqual({ id: 'dispendukcapil:T-OK', myRating: { stars: 5, comment: 'Cepat, petugas ramah.', skm: [4, 4, 3, 4, 4, 4, 4, 3, 4] }, canRate: false });
  });

  it('ALREADY_RATED on a second rating of the same ticket', async () => {
    expect(codeOf((await rate(SITI, { ticketId: 'dispendukcapil:T-OK', stars: 1 })).body)).toBe('ALREADY_RATED');
    expect(await rows('dispendukcapil:T-OK')).toHaveLength(1);
  });

  it.each([
    ['stars above 5', { stars: 6 }],
    ['stars below 1', { stars: 0 }],
    ['a comment over 1000 characters', { comment: 'x'.repeat(1001) }],
    ['eight SKM answers', { skm: [4, 4, 4, 4, 4, 4, 4, 4] }],
    ['an SKM answer of 5', { skm: [4, 4, 4, 4, 5, 4, 4, 4, 4] }],
  ])('BAD_USER_INPUT for %s', async (_label, over) => {
    expect(codeOf((await rate(SITI, { ticketId: 'dispendukcapil:T-RULES', stars: 4, ...over })).body)).toBe('BAD_USER_INPUT');
  });

  it('NOT_FOUND for a ticket the ledger does not know', async () => {
    expect(codeOf((await rate(SITI, { ticketId: 'dispendukcapil:NOPE', stars: 4 })).body)).toBe('NOT_FOUND');
  });

  it("answers another citizen's ticket exactly as an unknown one (NOT_FOUND), so ids cannot be probed", async () => {
    const theirs = await rate(BUDI, { ticketId: 'dispendukcapil:T-RULES', stars: 1 });
    const unknown = await rate(BUDI, { ticketId: 'dispendukcapil:NOPE', stars: 1 });
    expect(theirs.body.errors).toEqual([expect.objectContaining({ message: 'No such ticket of yours.', path: ['rateService'], extensions: { code: 'NOT_FOUND', field: 'ticketId' } })]);
    expect(unknown.body).toEqual(theirs.body);
    // The same with a retry key, an already rated ticket and a closed window: nothing but NOT_FOUND.
    expect((await rate(BUDI, { ticketId: 'dispendukcapil:T-OK', stars: 1, idempotencyKey: 'probe-1' })).body).toEqual(theirs.body);
    expect((await rate(BUDI, { ticketId: 'dispendukcapil:T-OLD', stars: 1 })).body).toEqual(theirs.body);
  });

  it('FORBIDDEN for signed-in callers without a NIK, whatever the ticket id', async () => {
    expect(codeOf((await rate(DEMO.petugasDukcapil, { ticketId: 'dispendukcapil:T-RULES', stars: 1 })).body)).toBe('FORBIDDEN');
    expect(codeOf((await rate(DEMO.petugasDukcapil, { ticketId: 'dispendukcapil:NOPE', stars: 1 })).body)).toBe('FORBIDDEN');
  });

  it('UNAUTHENTICATED for anonymous callers', async () => {
    expect(codeOf((await rate(undefined, { ticketId: 'dispendukcapil:T-RULES', stars: 4 })).body)).toBe('UNAUTHENTICATED');
  });

  it('TICKET_NOT_COMPLETED for a ticket in progress', async () => {
    expect(codeOf((await rate(SITI, { ticketId: 'dispendukcapil:T-PROGRESS', stars: 4 })).body)).toBe('TICKET_NOT_COMPLETED');
  });

  it('RATING_WINDOW_CLOSED more than 7 days after completion; open until the last instant', async () => {
    expect(codeOf((await rate(SITI, { ticketId: 'dispendukcapil:T-OLD', stars: 4 })).body)).toBe('RATING_WINDOW_CLOSED');
    expect((await rate(SITI, { ticketId: 'dispendukcapil:T-EDGE', stars: 4 })).body.errors).toBeUndefined();
  });

  it("OWN_AGENCY when staff rate a ticket of their own agency; another agency's ticket is fine", async () => {
    expect(codeOf((await rate(STAFF_CITIZEN, { ticketId: 'dispendukcapil:T-STAFF', stars: 5 })).body)).toBe('OWN_AGENCY');
    expect((await rate(STAFF_CITIZEN, { ticketId: 'dpmptsp:P-STAFF', stars: 5 })).body.errors).toBeUndefined();
  });

  it("OWN_AGENCY for an officer signed in with a citizen-only token: BKPSDM's register decides, not the token", async () => {
    const calls = register.calls;
    const refused = await rate(OFFICER_AS_CITIZEN, { ticketId: 'dispendukcapil:T-OFFICER', stars: 5 });
    expect(refused.body.errors).toEqual([expect.objectContaining({ message: 'Staff may not rate a service of their own agency.', extensions: { code: 'OWN_AGENCY' } })]);
    expect(register.calls - calls).toBe(1);
    // Another agency's ticket is fine.
    expect((await rate(OFFICER_AS_CITIZEN, { ticketId: 'dpmptsp:P-OFFICER', stars: 5 })).body.errors).toBeUndefined();
  });

  it('asks the register only once every rule of the ledger has passed', async () => {
    const calls = register.calls;
    for (const ticketId of ['dispendukcapil:NOPE', 'dispendukcapil:T-RULES', 'dispendukcapil:T-PROGRESS', 'dispendukcapil:T-OLD']) {
      await rate(OFFICER_AS_CITIZEN, { ticketId, stars: 4 });
    }
    expect(register.calls).toBe(calls);
  });

  it('accepts a rating while the register cannot be asked, held out of the figures for the register check; the other rules still answer', async () => {
    register.down = 'test: down';
    try {
      const held = await rate(citizen(8), { ticketId: 'dispendukcapil:T-DOWN', stars: 5 });
      expect(held.body.errors).toBeUndefined();
      expect(held.body.data.rateService).toMatchObject({ stars: 5, ticket: { id: 'dispendukcapil:T-DOWN', canRate: false } });
      const [row] = await rows('dispendukcapil:T-DOWN');
      expect(row).toMatchObject({ id: held.body.data.rateService.id, status: 'FLAGGED' });
      expect(await r.sql(`select rule, status from $s.rating_flag where rating_id = ?`, [row.id])).toEqual([{ rule: 'REGISTER_UNCHECKED', status: 'OPEN' }]);
      expect(codeOf((await rate(citizen(8), { ticketId: 'dispendukcapil:NOPE', stars: 5 })).body)).toBe('NOT_FOUND');
      // The token alone already says own agency: refused without the register.
      expect(codeOf((await rate(STAFF_CITIZEN, { ticketId: 'dispendukcapil:T-STAFF', stars: 5 })).body)).toBe('OWN_AGENCY');
    } finally {
      register.down = null;
    }
  });

  it('stored nothing for any refusal', async () => {
    for (const id of ['T-RULES', 'T-PROGRESS', 'T-OLD', 'T-STAFF', 'T-OFFICER']) expect(await rows(`dispendukcapil:${id}`)).toEqual([]);
  });
});

describe('idempotency', () => {
  it('a retry with the same key returns the first result and stores nothing new', async () => {
    const input = { ticketId: 'dispendukcapil:T-RETRY', stars: 4, comment: 'Oke', idempotencyKey: 'retry-1' };
    const first = await rate(SITI, input);
    const again = await rate(SITI, input);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.rateService.id).toBe(first.body.data.rateService.id);
    expect(await rows('dispendukcapil:T-RETRY')).toHaveLength(1);
  });

  it('IDEMPOTENCY_CONFLICT when the same key comes with a different rating', async () => {
    await rate(SITI, { ticketId: 'dispendukcapil:T-CONFLICT', stars: 4, idempotencyKey: 'key-c' });
    expect(codeOf((await rate(SITI, { ticketId: 'dispendukcapil:T-CONFLICT', stars: 2, idempotencyKey: 'key-c' })).body)).toBe('IDEMPOTENCY_CONFLICT');
    expect(codeOf((await rate(SITI, { ticketId: 'dispendukcapil:T-RULES', stars: 4, idempotencyKey: 'key-c' })).body)).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('keys are per citizen: another citizen may use the same key', async () => {
    await r.publish('bpkpd', [ticket('bpkpd', 'B-1', { citizenNik: BUDI.nik!, serviceId: 'bpkpd.salinan-sppt' })]);
    expect((await rate(BUDI, { ticketId: 'bpkpd:B-1', stars: 3, idempotencyKey: 'key-c' })).body.errors).toBeUndefined();
  });
});

describe('concurrent submissions', () => {
  it('the same request sent 5 times at once stores one rating and answers every copy with it', async () => {
    const input = { ticketId: 'dispendukcapil:T-RACE', stars: 5, idempotencyKey: 'race-1' };
    const results = await Promise.all(Array.from({ length: 5 }, () => rate(SITI, input)));
    for (const res of results) expect(res.body.errors).toBeUndefined();
    expect(new Set(results.map((res) => res.body.data.rateService.id)).size).toBe(1);
    expect(await rows('dispendukcapil:T-RACE')).toHaveLength(1);
  });

  it('different ratings of one ticket at once: one wins, the rest get ALREADY_RATED', async () => {
    const results = await Promise.all([1, 2, 3, 4].map((stars) => rate(SITI, { ticketId: 'dispendukcapil:T-RACE2', stars, idempotencyKey: `race2-${stars}` })));
    const ok = results.filter((res) => !res.body.errors);
    expect(ok).toHaveLength(1);
    expect(results.filter((res) => codeOf(res.body) === 'ALREADY_RATED')).toHaveLength(3);
    const stored = await rows('dispendukcapil:T-RACE2');
    expect(stored).toHaveLength(1);
    expect(stored[0].stars).toBe(ok[0]!.body.data.rateService.stars);
  });
});

describe('many citizens', () => {
  it("rates 20 citizens' tickets and keeps them apart", async () => {
    await r.publish(
      'dinsos',
      Array.from({ length: 20 }, (_, i) => ticket('dinsos', `U-${i}`, { citizenNik: nik(100 + i), serviceId: 'dinsos.usulan-bansos', officerId: '198602142011012005' })),
    );
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => rate(citizen(100 + i), { ticketId: `dinsos:U-${i}`, stars: 1 + (i % 5) })));
    expect(results.every((res) => !res.body.errors)).toBe(true);
    expect(codeOf((await rate(citizen(101), { ticketId: 'dinsos:U-0', stars: 5 })).body)).toBe('NOT_FOUND');
    expect((await r.sql(`select count(*)::int as n from $s.rating where agency_id = 'dinsos'`))[0].n).toBe(20);
  });
});
