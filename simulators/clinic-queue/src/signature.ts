import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * BPJS-style request signing: every call carries the consumer id, the unix time in seconds and
 * `base64(HMAC-SHA256(secret, consId + "&" + timestamp))`, plus the API gateway's `user_key`.
 * The secret never travels; the timestamp bounds how long a captured header set can be replayed.
 */
export const SIGNATURE_WINDOW_SECONDS = 300;

export interface SignedHeaders {
  'X-cons-id': string;
  'X-timestamp': string;
  'X-signature': string;
  user_key: string;
  [name: string]: string;
}

export interface Credentials {
  consId: string;
  consSecret: string;
  userKey: string;
}

export function computeSignature(consId: string, consSecret: string, timestamp: string): string {
  return createHmac('sha256', consSecret).update(`${consId}&${timestamp}`).digest('base64');
}

/** The headers a client sends; `now` (a Date or epoch ms) lets tests sign for another moment. */
export function signHeaders(consId: string, secret: string, userKey: string, now: Date | number = Date.now()): SignedHeaders {
  const ms = typeof now === 'number' ? now : now.getTime();
  const timestamp = String(Math.floor(ms / 1000));
  return { 'X-cons-id': consId, 'X-timestamp': timestamp, 'X-signature': computeSignature(consId, secret, timestamp), user_key: userKey };
}

export type VerifyFailure = 'MISSING_HEADERS' | 'UNKNOWN_CONSUMER' | 'BAD_SIGNATURE' | 'STALE_TIMESTAMP' | 'BAD_USER_KEY';
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure; message: string };

/**
 * Constant-time string comparison. Both sides are hashed first so that `timingSafeEqual` gets
 * equal-length inputs and the comparison leaks neither content nor length.
 */
function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Checks the signature before the timestamp's freshness, so an unsigned caller learns nothing
 * about the clock; a correctly signed but old request is then refused as stale.
 */
export function verifySignedHeaders(headers: IncomingHttpHeaders, creds: Credentials, nowMs: number): VerifyResult {
  const consId = header(headers, 'x-cons-id');
  const timestamp = header(headers, 'x-timestamp');
  const signature = header(headers, 'x-signature');
  const userKey = header(headers, 'user_key');
  if (!consId || !timestamp || !signature || !userKey) {
    return { ok: false, reason: 'MISSING_HEADERS', message: 'Header X-cons-id, X-timestamp, X-signature dan user_key wajib diisi' };
  }
  if (!safeEqual(consId, creds.consId)) return { ok: false, reason: 'UNKNOWN_CONSUMER', message: 'X-cons-id tidak terdaftar' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'BAD_SIGNATURE', message: 'Signature tidak valid' };
  if (!safeEqual(signature, computeSignature(creds.consId, creds.consSecret, timestamp))) {
    return { ok: false, reason: 'BAD_SIGNATURE', message: 'Signature tidak valid' };
  }
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) {
    return { ok: false, reason: 'STALE_TIMESTAMP', message: 'Timestamp kedaluwarsa' };
  }
  if (!safeEqual(userKey, creds.userKey)) return { ok: false, reason: 'BAD_USER_KEY', message: 'user_key tidak valid' };
  return { ok: true };
}
