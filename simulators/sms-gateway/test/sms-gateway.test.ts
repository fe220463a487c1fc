import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSmsGatewaySimulator, SMS_ROUTES, type SmsGatewaySimulator } from '../src/index.js';

const API_KEY = 'test-sms-gateway-key-3503';
let sim: SmsGatewaySimulator;
let base: string;

function send(body: unknown, headers: Record<string, string> = {}, timeoutMs = 5_000) {
  return fetch(`${base}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}`, ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  }).then(async (res) => ({ status: res.status, json: (await res.json()) as any }));
}
const message = { channel: 'sms', to: '+6281234567890', text: 'Layanan Anda selesai. Beri nilai: https://gerbang.invalid/r/1' };

beforeAll(async () => {
  sim = createSmsGatewaySimulator({ apiKey: API_KEY, deliveryDelayMs: 50 });
  base = await sim.listen(0, '127.0.0.1');
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.faults.reset();
  sim.replyFaults.reset();
  sim.stats.reset();
});

describe('the SMS/WhatsApp gateway simulator', () => {
  it('accepts a message once per idempotency key, then answers with the same id and sends nothing more', async () => {
    const first = await send(message, { 'idempotency-key': 'k-once-1' });
    expect(first).toMatchObject({ status: 202, json: { status: 'accepted', duplicate: false, message_id: expect.stringMatching(/^msg_/) } });
    const again = await send(message, { 'idempotency-key': 'k-once-1' });
    expect(again).toMatchObject({ status: 200, json: { message_id: first.json.message_id, duplicate: true } });
    expect(sim.messages.filter((m) => m.idempotency_key === 'k-once-1')).toHaveLength(1);
    expect(sim.stats.snapshot().routes).toMatchObject({ [SMS_ROUTES.send]: { calls: 1 }, [SMS_ROUTES.duplicate]: { calls: 1 } });
    const conflict = await send({ ...message, text: 'other' }, { 'idempotency-key': 'k-once-1' });
    expect(conflict).toMatchObject({ status: 409, json: { error: 'idempotency_key_reused' } });
  });

  it('gives a delivery receipt: accepted, then delivered', async () => {
    const { json } = await send({ ...message, channel: 'whatsapp' }, { 'idempotency-key': 'k-receipt' });
    const receipt = () => fetch(`${base}/v1/messages/${json.message_id}`, { headers: { authorization: `Bearer ${API_KEY}` } }).then((r) => r.json() as Promise<any>);
    expect(await receipt()).toMatchObject({ status: 'accepted', channel: 'whatsapp', delivered_at: null });
    await new Promise((r) => setTimeout(r, 80));
    expect(await receipt()).toMatchObject({ status: 'delivered', delivered_at: expect.any(String) });
    expect((await fetch(`${base}/v1/messages/msg_nope`, { headers: { authorization: `Bearer ${API_KEY}` } })).status).toBe(404);
  });

  it('refuses a wrong key, a missing idempotency key, a bad channel and a number that is not an Indonesian mobile', async () => {
    expect((await send(message, { authorization: 'Bearer wrong', 'idempotency-key': 'k1' })).status).toBe(401);
    expect(await send(message)).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    expect(await send({ ...message, channel: 'fax' }, { 'idempotency-key': 'k2' })).toMatchObject({ status: 400 });
    expect(await send({ ...message, to: '+6221555123' }, { 'idempotency-key': 'k3' })).toMatchObject({ status: 422, json: { error: 'invalid_recipient' } });
    expect(sim.messages.some((m) => ['k1', 'k2', 'k3'].includes(m.idempotency_key))).toBe(false);
  });

  it('a lost reply: the message reaches the citizen, the caller times out, and its retry is answered as a duplicate', async () => {
    await fetch(`${base}/__sim/sms-faults`, { method: 'POST', body: JSON.stringify({ lostReplyRate: 1, lostReplyMs: 2_000 }) });
    await expect(send(message, { 'idempotency-key': 'k-lost' }, 300)).rejects.toThrow();
    expect(sim.messages.filter((m) => m.idempotency_key === 'k-lost')).toHaveLength(1);
    await fetch(`${base}/__sim/sms-faults`, { method: 'DELETE' });
    const retry = await send(message, { 'idempotency-key': 'k-lost' });
    expect(retry).toMatchObject({ status: 200, json: { duplicate: true } });
    const listed = (await (await fetch(`${base}/__sim/messages`)).json()) as { messages: { idempotency_key: string }[] };
    expect(listed.messages.filter((m) => m.idempotency_key === 'k-lost')).toHaveLength(1);
  });

  it("simkit's faults: errors send nothing, down resets the connection", async () => {
    await fetch(`${base}/__sim/faults`, { method: 'POST', body: JSON.stringify({ errorRate: 1 }) });
    expect((await send(message, { 'idempotency-key': 'k-err' })).status).toBe(500);
    expect(sim.messages.some((m) => m.idempotency_key === 'k-err')).toBe(false);
    sim.faults.set({ errorRate: 0, down: true });
    await expect(send(message, { 'idempotency-key': 'k-down' })).rejects.toThrow();
  });
});
