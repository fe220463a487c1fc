import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmsGatewaySimulator, type SmsGatewaySimulator } from '@gerbang/sim-sms-gateway';
import { startStack, type Stack } from './support/stack';
import { ifStarted } from '@gerbang/testing';

/**
 * Notifications through the whole graph: a citizen sets a number through the gateway, SIAK (the
 * simulator) completes their request, the population subgraph's sync puts it in the ledger, and the
 * ratings subgraph's sender asks them to rate it at the SMS/WhatsApp gateway simulator, once, even
 * when the gateway loses its reply and the sender retries.
 */
const API_KEY = 'e2e-sms-gateway-key';
let sms: SmsGatewaySimulator;
let stack: Stack;
beforeAll(async () => {
  sms = createSmsGatewaySimulator({ apiKey: API_KEY });
  stack = await startStack({ notifications: { url: await sms.listen(0), apiKey: API_KEY } });
  // The demo's tickets completed this week ask their citizens, who gave no number: nothing is sent.
  while ((await stack.notifyNow()) > 0);
  expect(sms.messages).toEqual([]);
}, 120_000);
afterAll(async () => {
  await ifStarted(stack)?.close();
  await ifStarted(sms)?.close();
});

const SET = 'mutation Set($input: NotificationSettingsInput!) { setNotificationSettings(input: $input) { enabled channel phone } }';
const READ = '{ me { id notificationSettings { enabled channel phone } } }';
let filed = 0;

/** A new SIAK request of `login`, completed at SIAK and synced into the ledger: its ticket id. */
async function completedRequest(login: string): Promise<string> {
  const res = await stack.graphql('mutation File($input: RequestDocumentInput!) { requestDocument(input: $input) { id } }', {
    login,
    variables: { input: { type: 'KK', note: 'notify e2e', idempotencyKey: `notify-e2e-${process.pid}-${++filed}` } },
  });
  expect(res.body.errors).toBeUndefined();
  const ticketId: string = res.body.data.requestDocument.id;
  const done = await fetch(`${stack.simulators.siak.url()}/__admin/permohonan/${encodeURIComponent(ticketId.slice('dispendukcapil:'.length))}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'e2e-siak-key' },
    body: JSON.stringify({ status: 'COMPLETED', nip: '198703152010011002' }),
  });
  expect(done.status).toBe(200);
  await stack.syncTickets('population');
  return ticketId;
}
const sentFor = (ticketId: string) => sms.messages.filter((m) => m.text.includes(ticketId.slice(-20)));

describe('notifications through the gateway', () => {
  it("settings are the caller's own: authorization directives at the gateway, masked number, idempotent", async () => {
    const set = await stack.graphql(SET, { login: 'warga.siti', variables: { input: { enabled: true, channel: 'WHATSAPP', phone: '0812 3456 7001' } } });
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data.setNotificationSettings).toEqual({ enabled: true, channel: 'WHATSAPP', phone: '+6281******001' });
    const again = await stack.graphql(SET, { login: 'warga.siti', variables: { input: { enabled: true, channel: 'WHATSAPP', phone: '+6281234567001' } } });
    expect(again.body.data).toEqual(set.body.data);
    const read = await stack.graphql(READ, { login: 'warga.siti' });
    expect(read.body.data.me.notificationSettings).toEqual({ enabled: true, channel: 'WHATSAPP', phone: '+6281******001' });
    // Another citizen changes only their own; an officer and an anonymous caller change nothing.
    await stack.graphql(SET, { login: 'warga.budi', variables: { input: { enabled: false } } });
    expect((await stack.graphql(READ, { login: 'warga.siti' })).body.data.me.notificationSettings.enabled).toBe(true);
    expect((await stack.graphql(SET, { login: 'petugas.dukcapil', variables: { input: { enabled: false } } })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await stack.graphql(SET, { variables: { input: { enabled: false } } })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a completed ticket reaches the citizen exactly once, with the gateway losing its first reply; switched off, nothing', async () => {
    const ticket = await completedRequest('warga.siti');
    sms.replyFaults.set({ lostReplyRate: 1, lostReplyMs: 3_000 });
    await stack.notifyNow();
    expect(sentFor(ticket)).toHaveLength(1);
    sms.replyFaults.reset();
    for (let i = 0; i < 3; i++) await stack.notifyNow();
    expect(sentFor(ticket)).toEqual([expect.objectContaining({ channel: 'whatsapp', to: '+6281234567001' })]);
    expect(sms.stats.snapshot().routes['send:duplicate']?.calls).toBeGreaterThanOrEqual(1);

    await stack.graphql(SET, { login: 'warga.siti', variables: { input: { enabled: false } } });
    const quiet = await completedRequest('warga.siti');
    for (let i = 0; i < 2; i++) await stack.notifyNow();
    expect(sentFor(quiet)).toHaveLength(0);
  });
});
