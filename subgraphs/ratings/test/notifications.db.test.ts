import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, verifierFromSecret } from '@gerbang/common';
import { memoryLogger, TEST_INTERNAL_SECRET, ifStarted } from '@gerbang/testing';
import { createSmsGatewaySimulator, type SmsGatewaySimulator } from '@gerbang/sim-sms-gateway';
import { createRatingsServer, MemoryStaffDirectory } from '../src/server';
import { citizen, codeOf, startRatings, ticket, type Ratings } from './support';

/**
 * Notifications over the wire: ticket facts published to the ledger's feed endpoint (signed, as an
 * agency subgraph does), the outbox drained by the ratings subgraph's sender into the SMS/WhatsApp
 * gateway simulator over HTTP, settings through the subgraph's GraphQL with a signed caller.
 */
const API_KEY = 'test-sms-gateway-key-3503';
const SETTINGS = `mutation Set($input: NotificationSettingsInput!) { setNotificationSettings(input: $input) { enabled channel phone updatedAt } }`;
const READ = `query Read($reps: [_Any!]!) { _entities(representations: $reps) { ... on Citizen { id notificationSettings { enabled channel phone } } } }`;
const PHONE = '0812-3456-7890';

let sms: SmsGatewaySimulator;
let r: Ratings;
const logs = memoryLogger('ratings', 'debug');
let seq = 0;
/** A ticket completed "now" by the test's clock, for citizen i. */
const completed = (i: number) => ticket('dpmptsp', `N-${++seq}`, { citizenNik: citizen(i).nik!, completedAt: '2026-03-20T02:00:00Z', submittedAt: '2026-03-19T02:00:00Z' });
const messagesFor = (ticketId: string) => sms.messages.filter((m) => m.text.includes(ticketId.slice(-20)));

beforeAll(async () => {
  sms = createSmsGatewaySimulator({ apiKey: API_KEY, deliveryDelayMs: 10 });
  const smsUrl = await sms.listen(0);
  r = await startRatings({
    logger: logs.logger,
    config: {
      notifications: {
        channel: { url: smsUrl, apiKey: API_KEY, timeoutMs: 300 },
        sender: { intervalMs: 0, maxAttempts: 12, backoffMs: 1, backoffMaxMs: 1, leaseMs: 1_000, batchSize: 20, link: 'https://gerbang.invalid/' },
      },
    },
  });
  // Citizens 0–3 give numbers; 0 by SMS, 1 by WhatsApp.
  for (const i of [0, 1, 2, 3]) {
    const res = await r.call(SETTINGS, citizen(i), { input: { enabled: true, phone: `081234567${890 + i}`, ...(i === 1 ? { channel: 'WHATSAPP' } : {}) } });
    expect(res.body.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await ifStarted(r)?.stop();
  await ifStarted(sms)?.close();
});
beforeEach(() => {
  sms.faults.reset();
  sms.replyFaults.reset();
});

/** Runs the sender until the outbox has nothing due (the clock moved past every backoff). */
async function drain(runs = 10) {
  for (let n = 0; n < runs; n++) {
    r.at(new Date(r.clock.now.getTime() + 1_000).toISOString());
    await r.notifyNow();
  }
}

describe('settings', () => {
  it("are the caller's own: set idempotently, read back masked, never another citizen's", async () => {
    const first = await r.call(SETTINGS, citizen(5), { input: { enabled: true, channel: 'SMS', phone: PHONE } });
    expect(first.body.data.setNotificationSettings).toMatchObject({ enabled: true, channel: 'SMS', phone: '+6281******890' });
    const again = await r.call(SETTINGS, citizen(5), { input: { enabled: true, channel: 'SMS', phone: '+62 812 3456 7890' } });
    expect(again.body.data.setNotificationSettings).toEqual(first.body.data.setNotificationSettings);
    // The subgraph stores the number sealed, never in clear.
    const [row] = await r.sql<{ sealed: Buffer; masked: string }>(`select phone_sealed as sealed, phone_masked as masked from $s.notification_settings where phone_masked = '+6281******890' limit 1`);
    expect(Buffer.from(row!.sealed).toString('latin1')).not.toContain('81234567890');
    // Reading another citizen's settings through an entity reference is refused; setting names no one but the caller.
    const other = await r.call(READ, citizen(6), { reps: [{ __typename: 'Citizen', id: citizen(5).sub }] });
    expect(codeOf(other.body)).toBe('FORBIDDEN');
    const own = await r.call(READ, citizen(5), { reps: [{ __typename: 'Citizen', id: citizen(5).sub }] });
    expect(own.body.data._entities[0].notificationSettings).toMatchObject({ enabled: true, phone: '+6281******890' });
    const off = await r.call(SETTINGS, citizen(6), { input: { enabled: false } });
    expect(off.body.data.setNotificationSettings).toMatchObject({ enabled: false, phone: null });
    expect((await r.call(READ, citizen(5), { reps: [{ __typename: 'Citizen', id: citizen(5).sub }] })).body.data._entities[0].notificationSettings.enabled).toBe(true);
  });

  it('refuse a number that is not an Indonesian mobile (BAD_USER_INPUT, field phone), an anonymous caller and an officer', async () => {
    const bad = await r.call(SETTINGS, citizen(7), { input: { enabled: true, phone: '021-555-1234' } });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'phone' });
    expect(codeOf((await r.call(SETTINGS, undefined, { input: { enabled: false } })).body)).toBe('UNAUTHENTICATED');
    expect(codeOf((await r.call(SETTINGS, { sub: 'usr-officer', roles: ['officer'], agencyId: 'dpmptsp' }, { input: { enabled: false } })).body)).toBe('FORBIDDEN');
  });
});

describe('a completed ticket asks its citizen to rate it', () => {
  it('exactly once at the gateway, with the outbox row written with the ledger change; replays ask nothing more', async () => {
    const t = completed(0);
    expect((await r.publish('dpmptsp', [t])).status).toBe(200);
    const [row] = await r.sql(`select state, attempts from $s.notification_outbox where ticket_id = ?`, [t.ticketId]);
    expect(row).toMatchObject({ state: 'pending', attempts: 0 });
    await r.publish('dpmptsp', [{ ...t, version: 2 }]);
    await drain(2);
    expect(messagesFor(t.ticketId)).toEqual([expect.objectContaining({ channel: 'sms', to: '+6281234567890' })]);
    expect(await r.sql(`select state from $s.notification_outbox where ticket_id = ?`, [t.ticketId])).toEqual([{ state: 'sent' }]);
    // A ticket not completed, or completed outside the rating window, asks nothing.
    const open = { ...completed(1), status: 'IN_PROGRESS' as const, completedAt: null };
    const old = { ...completed(1), completedAt: '2026-02-01T00:00:00Z', submittedAt: '2026-01-30T00:00:00Z' };
    await r.publish('dpmptsp', [open, old]);
    expect(await r.sql(`select ticket_id from $s.notification_outbox where ticket_id in (?, ?)`, [open.ticketId, old.ticketId])).toEqual([]);
  });

  it('under errors, downtime and lost replies: retried with backoff, and still exactly one message per ticket', async () => {
    const tickets = [completed(0), completed(1), completed(2), completed(3)];
    await r.publish('dpmptsp', tickets);
    sms.faults.set({ down: true });
    await drain(1);
    sms.faults.set({ down: false, errorRate: 0.5 });
    sms.replyFaults.set({ lostReplyRate: 0.5, lostReplyMs: 1_000 });
    await drain(6);
    sms.faults.reset();
    sms.replyFaults.reset();
    await drain(3);
    for (const t of tickets) expect(messagesFor(t.ticketId), t.ticketId).toHaveLength(1);
    expect(messagesFor(tickets[1]!.ticketId)[0]).toMatchObject({ channel: 'whatsapp' });
    const rows = await r.sql<{ state: string; attempts: number }>(`select state, attempts from $s.notification_outbox where ticket_id = any(?)`, [
      `{${tickets.map((t) => `"${t.ticketId}"`).join(',')}}`,
    ]);
    expect(rows.every((x) => x.state === 'sent')).toBe(true);
    expect(Math.max(...rows.map((x) => x.attempts))).toBeGreaterThan(1);
    // Phone numbers are never logged whole.
    expect(JSON.stringify(logs.lines)).not.toMatch(/81234567\d{3}/);
    expect(logs.lines.some((l) => JSON.stringify(l).includes('+6281******890'))).toBe(true);
  });

  it('a sender that dies mid-send (the gateway sent it, the sender never recorded it): its successor resends with the same key and the citizen gets one message', async () => {
    const t = completed(2);
    await r.publish('dpmptsp', [t]);
    // The first sender: the gateway accepts and holds its reply; the process dies while waiting.
    const crashed = await createRatingsServer({
      orm: r.orm,
      logger: createLogger('crashed', 'silent'),
      verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
      config: { ...r.config, notifications: { ...r.config.notifications!, sender: { ...r.config.notifications!.sender, leaseMs: 60_000 } } },
      staff: new MemoryStaffDirectory([]),
      now: () => r.clock.now,
    });
    sms.replyFaults.set({ lostReplyRate: 1, lostReplyMs: 5_000 });
    const inFlight = crashed.notifyNow();
    await expect.poll(() => messagesFor(t.ticketId).length, { timeout: 5_000 }).toBe(1);
    await crashed.close().catch(() => undefined);
    await inFlight.catch(() => undefined);
    sms.replyFaults.reset();
    expect(await r.sql(`select state, attempts from $s.notification_outbox where ticket_id = ?`, [t.ticketId])).toEqual([{ state: 'sending', attempts: 1 }]);
    // Within the dead sender's lease nobody takes the row over; after it, the restarted sender does.
    await r.notifyNow();
    expect(await r.sql(`select state from $s.notification_outbox where ticket_id = ?`, [t.ticketId])).toEqual([{ state: 'sending' }]);
    r.at(new Date(r.clock.now.getTime() + 61_000).toISOString());
    await drain(1);
    expect(await r.sql(`select state, attempts from $s.notification_outbox where ticket_id = ?`, [t.ticketId])).toEqual([{ state: 'sent', attempts: 2 }]);
    expect(messagesFor(t.ticketId)).toHaveLength(1);
  });

  it('switched off, or no number: nothing is sent; after N failed attempts, dead-lettered; the counts are on /health/status', async () => {
    await r.call(SETTINGS, citizen(3), { input: { enabled: false } });
    const off = completed(3);
    const noPhone = completed(9);
    await r.publish('dpmptsp', [off, noPhone]);
    await drain(2);
    expect(messagesFor(off.ticketId)).toHaveLength(0);
    expect(messagesFor(noPhone.ticketId)).toHaveLength(0);
    const states = await r.sql<{ ticket_id: string; state: string; last_error: string }>(
      `select ticket_id, state, last_error from $s.notification_outbox where ticket_id in (?, ?) order by ticket_id`,
      [off.ticketId, noPhone.ticketId],
    );
    expect(states.map((s) => [s.state, s.last_error])).toEqual(
      expect.arrayContaining([
        ['skipped', 'switched off'],
        ['skipped', 'no phone number'],
      ]),
    );
    await r.call(SETTINGS, citizen(3), { input: { enabled: true } });
    const failing = completed(0);
    await r.publish('dpmptsp', [failing]);
    sms.faults.set({ errorRate: 1 });
    await drain(14);
    expect(await r.sql(`select state, attempts, last_error from $s.notification_outbox where ticket_id = ?`, [failing.ticketId])).toEqual([
      { state: 'dead', attempts: 12, last_error: 'answered 500 INTERNAL' },
    ]);
    expect(messagesFor(failing.ticketId)).toHaveLength(0);
    const status = (await (await fetch(`${r.url}/health/status`)).json()) as any;
    expect(status.notifications).toMatchObject({ channel: 'sms-gateway', outbox: expect.objectContaining({ dead: 1, skipped: 2 }), counters: expect.objectContaining({ dead: 1 }) });
  });
});
