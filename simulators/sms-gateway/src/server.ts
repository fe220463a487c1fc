import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { createSimulator, sendJson, type Faults, type Simulator } from '@gerbang/simkit';

/**
 * The regency's SMS/WhatsApp gateway (Diskominfo's messaging service) as the hub meets it: JSON
 * over HTTP with a bearer API key.
 *
 * - `POST /v1/messages` `{ channel: "sms" | "whatsapp", to: "+628…", text }` with an
 *   `Idempotency-Key` header (required): `202 { message_id, status: "accepted" }`. The same key with
 *   the same message again answers `200` with the first `message_id` and `duplicate: true` and
 *   sends nothing; the same key with another message is `409 idempotency_key_reused`.
 * - `GET /v1/messages/{id}`: the delivery receipt (`accepted`, then `delivered` after the
 *   delivery delay).
 *
 * Faults besides simkit's latency, errors and downtime (`/__sim/faults`): `POST /__sim/sms-faults`
 * `{ lostReplyRate, lostReplyMs }` accepts a message (it is sent to the citizen) and then holds the
 * reply for `lostReplyMs` and drops the connection, so the caller cannot know it was sent.
 * `GET /__sim/messages` lists what reached citizens (this is the test's view of their phones).
 */
export interface SmsGatewaySimulatorOptions {
  apiKey: string;
  faults?: Partial<Faults>;
  /** From accepted to delivered on the receipt (default 100 ms). */
  deliveryDelayMs?: number;
}

export interface SentMessage {
  message_id: string;
  idempotency_key: string;
  channel: 'sms' | 'whatsapp';
  to: string;
  text: string;
  accepted_at: string;
}

export interface ReplyFaults {
  /** Share (0..1) of accepted messages whose reply is lost. */
  lostReplyRate: number;
  /** How long the reply is held before the connection is dropped. */
  lostReplyMs: number;
}

export type SmsGatewaySimulator = Simulator & {
  /** Every message that reached a citizen, in order. */
  readonly messages: readonly SentMessage[];
  readonly replyFaults: { get(): ReplyFaults; set(patch: Partial<ReplyFaults>): ReplyFaults; reset(): ReplyFaults };
};

export const SMS_ROUTES = { send: 'send', duplicate: 'send:duplicate', receipt: 'receipt' } as const;
/** Indonesian mobile numbers in E.164: +62 8xx, 10 to 13 digits after the country code. */
export const MSISDN = /^\+628\d{8,11}$/;
const KEY = /^[A-Za-z0-9._:-]{1,128}$/;
const MAX_TEXT = 640;

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createSmsGatewaySimulator(options: SmsGatewaySimulatorOptions): SmsGatewaySimulator {
  const expected = digest(options.apiKey);
  const delay = options.deliveryDelayMs ?? 100;
  const messages: SentMessage[] = [];
  const byId = new Map<string, SentMessage & { at: number }>();
  const byKey = new Map<string, { id: string; fingerprint: string }>();
  const defaults: ReplyFaults = { lostReplyRate: 0, lostReplyMs: 10_000 };
  let reply: ReplyFaults = { ...defaults };
  const replyFaults = {
    get: () => ({ ...reply }),
    set(patch: Partial<ReplyFaults>) {
      if (typeof patch.lostReplyRate === 'number' && patch.lostReplyRate >= 0 && patch.lostReplyRate <= 1) reply.lostReplyRate = patch.lostReplyRate;
      if (typeof patch.lostReplyMs === 'number' && patch.lostReplyMs >= 0) reply.lostReplyMs = patch.lostReplyMs;
      return { ...reply };
    },
    reset: () => ({ ...(reply = { ...defaults }) }),
  };

  const authorized = (req: http.IncomingMessage) => {
    const header = req.headers.authorization ?? '';
    return header.startsWith('Bearer ') && timingSafeEqual(digest(header.slice(7)), expected);
  };

  const receipt = (m: SentMessage & { at: number }) => {
    const delivered = Date.now() - m.at >= delay;
    return {
      message_id: m.message_id,
      channel: m.channel,
      status: delivered ? 'delivered' : 'accepted',
      accepted_at: m.accepted_at,
      delivered_at: delivered ? new Date(m.at + delay).toISOString() : null,
    };
  };

  const send = async (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || !KEY.test(key)) return sendJson(res, 400, { error: 'invalid_request', detail: 'Idempotency-Key header required: 1-128 of A-Za-z0-9._:-' });
    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, 400, { error: 'invalid_request', detail: 'body is not JSON' });
    }
    if (typeof input !== 'object' || input === null) return sendJson(res, 400, { error: 'invalid_request', detail: 'body must be an object' });
    const { channel, to, text } = input as { channel?: unknown; to?: unknown; text?: unknown };
    if (channel !== 'sms' && channel !== 'whatsapp') return sendJson(res, 400, { error: 'invalid_request', detail: 'channel must be "sms" or "whatsapp"' });
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TEXT) return sendJson(res, 400, { error: 'invalid_request', detail: `text: 1-${MAX_TEXT} characters` });
    if (typeof to !== 'string' || !MSISDN.test(to)) return sendJson(res, 422, { error: 'invalid_recipient', detail: 'to must be an Indonesian mobile number, +628…' });
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([channel, to, text]))
      .digest('hex');
    const seen = byKey.get(key);
    if (seen) {
      if (seen.fingerprint !== fingerprint) return sendJson(res, 409, { error: 'idempotency_key_reused', detail: 'this Idempotency-Key was used for another message' });
      sim.stats.record(SMS_ROUTES.duplicate);
      return sendJson(res, 200, { message_id: seen.id, status: 'accepted', duplicate: true });
    }
    const at = Date.now();
    const message: SentMessage = { message_id: `msg_${randomUUID()}`, idempotency_key: key, channel, to, text, accepted_at: new Date(at).toISOString() };
    byKey.set(key, { id: message.message_id, fingerprint });
    byId.set(message.message_id, { ...message, at });
    messages.push(message);
    sim.stats.record(SMS_ROUTES.send);
    if (reply.lostReplyRate > 0 && Math.random() < reply.lostReplyRate) {
      // Sent to the citizen, but the caller never hears so.
      await sleep(reply.lostReplyMs);
      req.socket.destroy();
      return;
    }
    return sendJson(res, 202, { message_id: message.message_id, status: 'accepted', duplicate: false });
  };

  const sim = createSimulator({
    name: 'sms-gateway',
    faults: options.faults,
    maxBodyBytes: 16_000,
    control: {
      '/__sim/messages': (_req, res) => sendJson(res, 200, { messages }),
      '/__sim/sms-faults': (req, res, body) => {
        if (req.method === 'DELETE') return sendJson(res, 200, replyFaults.reset());
        if (req.method === 'POST') return sendJson(res, 200, replyFaults.set(body.length ? (JSON.parse(body.toString('utf8')) as Partial<ReplyFaults>) : {}));
        return sendJson(res, 200, replyFaults.get());
      },
    },
    handler: async (req, res, body) => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (!authorized(req)) return sendJson(res, 401, { error: 'unauthorized', detail: 'Authorization: Bearer <API key> required' });
      if (path === '/v1/messages' && req.method === 'POST') return send(req, res, body);
      const match = /^\/v1\/messages\/([A-Za-z0-9_-]{1,80})$/.exec(path);
      if (match && req.method === 'GET') {
        sim.stats.record(SMS_ROUTES.receipt);
        const m = byId.get(match[1]!);
        return m ? sendJson(res, 200, receipt(m)) : sendJson(res, 404, { error: 'not_found' });
      }
      return sendJson(res, 404, { error: 'not_found', detail: 'POST /v1/messages, GET /v1/messages/{id}' });
    },
  });
  return Object.assign(sim, { messages, replyFaults });
}
