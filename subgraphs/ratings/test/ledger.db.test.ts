import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, TicketFeedPublisher, devFeedKey } from '@gerbang/common';
import { DEMO, ifStarted } from '@gerbang/testing';
import { createRatingsServer, defaultRatingsConfig, MemoryStaffDirectory } from '../src/server';
import { codeOf, startRatings, ticket, type Ratings } from './support';

let r: Ratings;
beforeAll(async () => {
  r = await startRatings();
});
afterAll(() => ifStarted(r)?.stop());

const SITI_NIK = DEMO.siti.nik!;
const MY_TICKETS = `query($id: ID!) { _entities(representations: [{ __typename: "Citizen", id: $id }]) { ... on Citizen {
  tickets(first: 20) { id status submittedAt completedAt agency { id } service { id } officer { id } myRating { stars comment } canRate } } } }`;

describe('ticket feed: signature', () => {
  const events = [ticket('dispendukcapil', 'SIG-1', { citizenNik: SITI_NIK })];

  it('refuses an unsigned batch with 401', async () => {
    expect((await r.publish('dispendukcapil', events, { unsigned: true })).status).toBe(401);
  });

  it('refuses a batch signed with a wrong key', async () => {
    expect((await r.publish('dispendukcapil', events, { key: 'not-the-feed-key-of-anyone' })).status).toBe(401);
  });

  it('refuses a batch signed by another agency (its own valid key) claiming to be Dispendukcapil', async () => {
    const res = await r.publish('dispendukcapil', events, { key: devFeedKey('dpmptsp'), envelopeAgency: 'dpmptsp' });
    expect(res.status).toBe(401);
    const envelopeMismatch = await r.publish('dispendukcapil', events, { key: devFeedKey('dispendukcapil'), envelopeAgency: 'dpmptsp' });
    expect(envelopeMismatch.status).toBe(401);
  });

  it('refuses a batch signed with the right key for another audience, with the reason', async () => {
    const res = await r.publish('dispendukcapil', events, { audience: 'ratings' });
    expect(res).toEqual({ status: 401, body: { error: 'bad signature', reason: 'audience' } });
  });

  it('refuses an agency without a feed key', async () => {
    expect((await r.publish('kominfo', [ticket('kominfo', 'X-1')], { key: devFeedKey('kominfo') })).status).toBe(401);
  });

  it('stored nothing from refused batches', async () => {
    expect(await r.sql(`select id from $s.ticket where id = 'dispendukcapil:SIG-1'`)).toEqual([]);
  });
});

describe('ticket feed: validation', () => {
  it("refuses with 400 and reasons when a ticket carries another agency's prefix — and applies none of the batch", async () => {
    const res = await r.publish('dispendukcapil', [ticket('dispendukcapil', 'OK-1'), ticket('dpmptsp', 'OSS-1', { serviceId: 'dispendukcapil.ktp-el' })]);
    expect(res.status).toBe(400);
    expect(res.body.reasons).toEqual([expect.stringContaining('events[1].ticketId')]);
    expect(await r.sql(`select id from $s.ticket where id in ('dispendukcapil:OK-1', 'dpmptsp:OSS-1')`)).toEqual([]);
  });

  it('refuses malformed JSON and invalid fields with 400', async () => {
    const res = await r.publish('dispendukcapil', [ticket('dispendukcapil', 'BAD-1', { citizenNik: '1234', status: 'DONE' as never })]);
    expect(res.status).toBe(400);
    expect(res.body.reasons).toHaveLength(2);
  });

  it('answers 405 to anything but POST', async () => {
    expect((await fetch(`${r.url}/internal/ticket-events`)).status).toBe(405);
  });
});

describe('ticket feed: idempotent upsert by version', () => {
  it('stores a ticket, ignores replays and older versions, applies newer ones', async () => {
    const v1 = ticket('dispendukcapil', 'SIAK-2026-000201', { citizenNik: SITI_NIK, status: 'SUBMITTED', completedAt: null, officerId: null, version: 1 });
    const v3 = { ...v1, status: 'COMPLETED' as const, completedAt: '2026-03-18T10:00:00+07:00', officerId: '198703152010011002', version: 3 };
    const v2 = { ...v1, status: 'IN_PROGRESS' as const, version: 2 };

    expect((await r.publish('dispendukcapil', [v1])).body).toEqual({ accepted: 1, applied: 1 });
    expect((await r.publish('dispendukcapil', [v1])).body).toEqual({ accepted: 1, applied: 0 });
    expect((await r.publish('dispendukcapil', [v3])).body).toEqual({ accepted: 1, applied: 1 });
    // A late delivery of version 2 does not undo version 3.
    expect((await r.publish('dispendukcapil', [v2])).body).toEqual({ accepted: 1, applied: 0 });

    const [row] = await r.sql(`select status, officer_id, completed_period, version::int as version from $s.ticket where id = ?`, [v1.ticketId]);
    expect(row).toEqual({ status: 'COMPLETED', officer_id: '198703152010011002', completed_period: '2026-03', version: 3 });
  });

  it('keeps the highest version when a batch repeats a ticket', async () => {
    const a = ticket('dpmptsp', 'PRM-77', { status: 'IN_PROGRESS', completedAt: null, version: 4 });
    const b = { ...a, status: 'COMPLETED' as const, completedAt: '2026-03-19T08:00:00+07:00', version: 5 };
    expect((await r.publish('dpmptsp', [b, a])).body).toEqual({ accepted: 2, applied: 1 });
    expect((await r.sql(`select status from $s.ticket where id = 'dpmptsp:PRM-77'`))[0].status).toBe('COMPLETED');
  });

  it('stores a keyed hash of the NIK, never the NIK', async () => {
    const rows = await r.sql(`select * from $s.ticket`);
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(SITI_NIK);
  });

  it('completion month follows Asia/Jakarta: 23:30 WIB on 31 March is March, 00:30 WIB on 1 April is April', async () => {
    await r.publish('bpkpd', [
      ticket('bpkpd', 'M-1', { serviceId: 'bpkpd.salinan-sppt', completedAt: '2026-03-31T23:30:00+07:00' }),
      ticket('bpkpd', 'M-2', { serviceId: 'bpkpd.salinan-sppt', completedAt: '2026-04-01T00:30:00+07:00' }),
    ]);
    const rows = await r.sql(`select id, completed_period from $s.ticket where agency_id = 'bpkpd' order by id`);
    expect(rows).toEqual([
      { id: 'bpkpd:M-1', completed_period: '2026-03' },
      { id: 'bpkpd:M-2', completed_period: '2026-04' },
    ]);
  });

  it('works with the common TicketFeedPublisher the agency subgraphs use', async () => {
    const publisher = new TicketFeedPublisher({ ledgerUrl: r.url, agencyId: 'dinsos', key: devFeedKey('dinsos') });
    expect(await publisher.publish([ticket('dinsos', 'USUL-9', { serviceId: 'dinsos.usulan-bansos', citizenNik: SITI_NIK })])).toEqual({ accepted: 1, applied: 1 });
  });
});

describe('ticket feed: kecamatan and channel (for the insights cube)', () => {
  it('stores what the agency sends, else the kecamatan of a Trenggalek NIK and UNKNOWN', async () => {
    const res = await r.publish('dispendukcapil', [
      ticket('dispendukcapil', 'KC-1', { kecamatan: 7, channel: 'APP' }),
      ticket('dispendukcapil', 'KC-2', { citizenNik: SITI_NIK }),
      ticket('dispendukcapil', 'KC-3', { citizenNik: '3578015708900001', channel: null }),
    ]);
    expect(res.body).toEqual({ accepted: 3, applied: 3 });
    expect(await r.sql(`select id, kecamatan, channel from $s.ticket where id like 'dispendukcapil:KC-%' order by id`)).toEqual([
      { id: 'dispendukcapil:KC-1', kecamatan: 7, channel: 'APP' },
      { id: 'dispendukcapil:KC-2', kecamatan: Number(SITI_NIK.slice(4, 6)), channel: 'UNKNOWN' },
      { id: 'dispendukcapil:KC-3', kecamatan: 0, channel: 'UNKNOWN' },
    ]);
    // A later version that changes them moves the ticket (the cube follows by its change cursor).
    await r.publish('dispendukcapil', [ticket('dispendukcapil', 'KC-1', { kecamatan: 2, channel: 'COUNTER', version: 2 })]);
    expect(await r.sql(`select kecamatan, channel from $s.ticket where id = 'dispendukcapil:KC-1'`)).toEqual([{ kecamatan: 2, channel: 'COUNTER' }]);
  });

  it('refuses an unknown channel or kecamatan code with 400 and the reason', async () => {
    const res = await r.publish('dispendukcapil', [ticket('dispendukcapil', 'KC-9', { kecamatan: 15, channel: 'FAX' as never })]);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('events[0].kecamatan');
    expect(JSON.stringify(res.body)).toContain('events[0].channel');
  });
});

describe('me.tickets (Citizen.tickets)', () => {
  it("lists the caller's tickets of every agency, newest first, with canRate and myRating", async () => {
    await r.publish('dispendukcapil', [
      ticket('dispendukcapil', 'SIAK-2026-000301', { citizenNik: SITI_NIK, submittedAt: '2026-03-17T09:00:00+07:00' }),
      ticket('dispendukcapil', 'SIAK-2026-000302', { citizenNik: SITI_NIK, submittedAt: '2026-03-19T09:00:00+07:00', status: 'IN_PROGRESS', completedAt: null }),
      ticket('dispendukcapil', 'SIAK-2026-000399', { citizenNik: DEMO.budi.nik!, submittedAt: '2026-03-19T10:00:00+07:00' }),
    ]);
    const { body } = await r.call(MY_TICKETS, DEMO.siti, { id: DEMO.siti.sub });
    expect(body.errors).toBeUndefined();
    const tickets = body.data._entities[0].tickets;
    const ids = tickets.map((t: { id: string }) => t.id);
    expect(ids).not.toContain('dispendukcapil:SIAK-2026-000399');
    expect(ids).toEqual(expect.arrayContaining(['dispendukcapil:SIAK-2026-000301', 'dispendukcapil:SIAK-2026-000302', 'dinsos:USUL-9']));
    const submitted = tickets.map((t: { submittedAt: string }) => t.submittedAt);
    expect([...submitted].sort().reverse()).toEqual(submitted);
    expect(tickets.find((t: { id: string }) => t.id === 'dispendukcapil:SIAK-2026-000302')).toMatchObject({ status: 'IN_PROGRESS', completedAt: null, canRate: false, myRating: null });
    expect(tickets.find((t: { id: string }) => t.id === 'dispendukcapil:SIAK-2026-000301')).toEqual({
      id: 'dispendukcapil:SIAK-2026-000301',
      status: 'COMPLETED',
      submittedAt: '2026-03-17T09:00:00+07:00',
      completedAt: '2026-03-18T10:00:00+07:00',
      agency: { id: 'dispendukcapil' },
      service: { id: 'dispendukcapil.layanan' },
      officer: { id: '198703152010011002' },
      myRating: null,
      canRate: true,
    });
  });

  it("refuses to list another citizen's tickets (FORBIDDEN) and anonymous callers (UNAUTHENTICATED)", async () => {
    expect(codeOf((await r.call(MY_TICKETS, DEMO.budi, { id: DEMO.siti.sub })).body)).toBe('FORBIDDEN');
    expect(codeOf((await r.call(MY_TICKETS, undefined, { id: DEMO.siti.sub })).body)).toBe('UNAUTHENTICATED');
  });

  it('gives a caller without a NIK (staff) an empty list', async () => {
    const { body } = await r.call(MY_TICKETS, DEMO.petugasDukcapil, { id: DEMO.petugasDukcapil.sub });
    expect(body.data._entities[0].tickets).toEqual([]);
  });

  it('resolves a Ticket reference only for its own citizen', async () => {
    const q = `{ _entities(representations: [{ __typename: "Ticket", id: "dispendukcapil:SIAK-2026-000301" }]) { ... on Ticket { id status } } }`;
    expect((await r.call(q, DEMO.siti)).body.data._entities).toEqual([{ id: 'dispendukcapil:SIAK-2026-000301', status: 'COMPLETED' }]);
    expect((await r.call(q, DEMO.budi)).body.data._entities).toEqual([null]);
    expect((await r.call(q)).body.data._entities).toEqual([null]);
  });

  it("answers another citizen's ticket exactly as an unknown one, myRating and canRate included: no oracle of which ids exist", async () => {
    const q = (id: string) => `{ _entities(representations: [{ __typename: "Ticket", id: "${id}" }]) { ... on Ticket { id myRating { stars } canRate } } }`;
    const theirs = await r.call(q('dispendukcapil:SIAK-2026-000301'), DEMO.budi);
    const unknown = await r.call(q('dispendukcapil:SIAK-2026-999999'), DEMO.budi);
    expect(theirs.body).toEqual({ data: { _entities: [null] } });
    expect(unknown.body).toEqual(theirs.body);
  });

  it('works while every agency system is down: the ledger answers alone', async () => {
    // Nothing but this subgraph and its database is running in this file.
    const { body } = await r.call(MY_TICKETS, DEMO.siti, { id: DEMO.siti.sub });
    expect(body.data._entities[0].tickets.length).toBeGreaterThanOrEqual(3);
  });
});

describe('feed keys', () => {
  it('accepts only the configured agencies when TICKET_FEED_KEYS is set', async () => {
    const app = await createRatingsServer({
      orm: r.orm,
      logger: createLogger('ratings', 'silent'),
      verifier: (await import('@gerbang/common')).verifierFromSecret('test-internal-signing-secret-0123456789'),
      config: defaultRatingsConfig({ feedKeys: new Map([['dispendukcapil', 'a-real-feed-key-for-dukcapil-0001']]) }),
      staff: new MemoryStaffDirectory([]),
    });
    const running = await app.listen(0);
    try {
      const ok = new TicketFeedPublisher({ ledgerUrl: running.url, agencyId: 'dispendukcapil', key: 'a-real-feed-key-for-dukcapil-0001' });
      expect(await ok.publish([ticket('dispendukcapil', 'KEY-1')])).toEqual({ accepted: 1, applied: 1 });
      const dev = new TicketFeedPublisher({ ledgerUrl: running.url, agencyId: 'dispendukcapil', key: devFeedKey('dispendukcapil') });
      await expect(dev.publish([ticket('dispendukcapil', 'KEY-2')])).rejects.toThrow(/401/);
    } finally {
      await running.close();
    }
  });
});
