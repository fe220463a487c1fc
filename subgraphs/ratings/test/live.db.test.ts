import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest, type Caller } from '@gerbang/common';
import { MemoryEventBus } from '@gerbang/common/events';
import { TEST_INTERNAL_SECRET, ifStarted } from '@gerbang/testing';
import { citizen, codeOf, startRatings, ticket, type Ratings } from './support';

/** The ledger's side of live ticket status (src/modules/tickets/live.ts). */
const bus = new MemoryEventBus();
const published: any[] = [];
let r: Ratings;
beforeAll(async () => {
  await bus.subscribe('tickets', (e) => published.push(...(e as { changes: unknown[] }).changes));
  r = await startRatings({ events: bus });
});
afterAll(() => ifStarted(r)?.stop());

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
const officer = (agencyId: string): Caller => ({ sub: `usr-officer-${agencyId}`, roles: ['officer'], agencyId });

async function changes(caller: Caller, body: Record<string, unknown>, audience = 'ratings:ticket-changes') {
  const text = JSON.stringify(body);
  const res = await fetch(`${r.url}/internal/ticket-changes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signRequest(TEST_INTERNAL_SECRET, text, caller, audience) },
    body: text,
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('publishing ledger changes', () => {
  it('publishes each changed ticket once, after commit, with its version and cursor and no NIK', async () => {
    published.length = 0;
    const res = await r.publish('dispendukcapil', [
      ticket('dispendukcapil', 'LIVE-1', { citizenNik: citizen(0).nik!, version: 3 }),
      ticket('dispendukcapil', 'LIVE-2', { citizenNik: citizen(1).nik!, version: 1 }),
    ]);
    expect(res).toMatchObject({ status: 200, body: { applied: 2 } });
    await settle();
    expect(published.map((e) => e.ticketId).sort()).toEqual(['dispendukcapil:LIVE-1', 'dispendukcapil:LIVE-2']);
    const stored = await r.sql<{ id: string; change_seq: string }>(`select id, change_seq::text from $s.ticket where id like 'dispendukcapil:LIVE-%' order by change_seq`);
    expect(published.map((e) => e.cursor).sort()).toEqual(stored.map((s) => s.change_seq).sort());
    expect(published.find((e) => e.ticketId === 'dispendukcapil:LIVE-1')).toMatchObject({ agencyId: 'dispendukcapil', status: 'COMPLETED', version: '3', at: expect.any(Number) });
    expect(JSON.stringify(published)).not.toContain(citizen(0).nik);
  });

  it('publishes nothing for a replayed or older version, and a new cursor for a newer one', async () => {
    const [before] = await r.sql<{ change_seq: string }>(`select change_seq::text from $s.ticket where id = 'dispendukcapil:LIVE-1'`);
    published.length = 0;
    await r.publish('dispendukcapil', [ticket('dispendukcapil', 'LIVE-1', { citizenNik: citizen(0).nik!, version: 3 })]);
    await r.publish('dispendukcapil', [ticket('dispendukcapil', 'LIVE-1', { citizenNik: citizen(0).nik!, version: 2, status: 'COMPLETED', completedAt: '2026-03-19T03:00:00Z' })]);
    await settle();
    expect(published).toEqual([]);
    await r.publish('dispendukcapil', [ticket('dispendukcapil', 'LIVE-1', { citizenNik: citizen(0).nik!, version: 4, status: 'IN_PROGRESS' })]);
    await settle();
    expect(published).toHaveLength(1);
    expect(BigInt(published[0].cursor) > BigInt(before!.change_seq)).toBe(true);
    expect(published[0]).toMatchObject({ status: 'IN_PROGRESS', version: '4' });
  });
});

describe('POST /internal/ticket-changes', () => {
  it("gives a citizen their own tickets' changes after a cursor, and the head without one", async () => {
    const all = await changes(citizen(0), { scope: 'mine', after: '0' });
    expect(all.status).toBe(200);
    expect(all.body.changes.map((c: any) => c.ticketId)).toEqual(['dispendukcapil:LIVE-1']);
    const head = await changes(citizen(0), { scope: 'mine' });
    expect(head.body).toMatchObject({ changes: [], head: all.body.changes[0].cursor, citizenRef: all.body.citizenRef });
    const none = await changes(citizen(0), { scope: 'mine', after: head.body.head });
    expect(none.body.changes).toEqual([]);
  });

  it("answers another citizen's ticket exactly as an unknown one (NOT_FOUND), whatever the cursor", async () => {
    const others = await changes(citizen(1), { scope: 'ticket', ticketId: 'dispendukcapil:LIVE-1', after: '0' });
    const unknown = await changes(citizen(1), { scope: 'ticket', ticketId: 'dispendukcapil:NOPE', after: '0' });
    expect(others).toEqual({ status: 404, body: { error: 'No such ticket of yours.', code: 'NOT_FOUND' } });
    expect(unknown).toEqual(others);
    const own = await changes(citizen(0), { scope: 'ticket', ticketId: 'dispendukcapil:LIVE-1', after: '0' });
    expect(own.body.changes).toHaveLength(1);
  });

  it("lets an agency's officers (and no one else) follow its queue and its tickets", async () => {
    expect((await changes(officer('dispendukcapil'), { scope: 'agency', agencyId: 'dispendukcapil', after: '0' })).body.changes.length).toBeGreaterThanOrEqual(2);
    expect((await changes(officer('dispendukcapil'), { scope: 'ticket', ticketId: 'dispendukcapil:LIVE-2', after: '0' })).status).toBe(200);
    expect((await changes(officer('dpmptsp'), { scope: 'agency', agencyId: 'dispendukcapil', after: '0' })).body.code).toBe('FORBIDDEN');
    expect((await changes(officer('dpmptsp'), { scope: 'ticket', ticketId: 'dispendukcapil:LIVE-2', after: '0' })).status).toBe(404);
    expect((await changes(citizen(0), { scope: 'agency', agencyId: 'dispendukcapil', after: '0' })).status).toBe(403);
    expect((await changes(officer('dispendukcapil'), { scope: 'mine', after: '0' })).status).toBe(403);
  });

  it('refuses a bad cursor, a bad body, an unsigned call and one signed for another audience', async () => {
    expect((await changes(citizen(0), { scope: 'mine', after: '1; drop table' })).body.code).toBe('BAD_USER_INPUT');
    expect((await changes(citizen(0), { scope: 'everything' })).status).toBe(400);
    expect((await changes(citizen(0), { scope: 'mine' }, 'ratings')).status).toBe(401);
    const res = await fetch(`${r.url}/internal/ticket-changes`, { method: 'POST', body: '{"scope":"mine"}' });
    expect(res.status).toBe(401);
  });
});

describe('Query.ticket', () => {
  it("serves a ticket to its citizen and its agency's officers, and NOT_FOUND to anyone else", async () => {
    const q = `query($id: ID!) { ticket(id: $id) { id status changeCursor } }`;
    const own = await r.call(q, citizen(0), { id: 'dispendukcapil:LIVE-1' });
    expect(own.body.data.ticket).toMatchObject({ id: 'dispendukcapil:LIVE-1', status: 'IN_PROGRESS', changeCursor: expect.stringMatching(/^\d+$/) });
    expect((await r.call(q, officer('dispendukcapil'), { id: 'dispendukcapil:LIVE-1' })).body.data.ticket.id).toBe('dispendukcapil:LIVE-1');
    const other = await r.call(q, citizen(1), { id: 'dispendukcapil:LIVE-1' });
    expect(other.body.data.ticket).toBeNull();
    expect(codeOf(other.body)).toBe('NOT_FOUND');
    expect(codeOf((await r.call(q, officer('dpmptsp'), { id: 'dispendukcapil:LIVE-1' })).body)).toBe('NOT_FOUND');
  });
});
