import { createHmac } from 'node:crypto';

/**
 * The queue service's request signature (BPJS antrean style): every call carries the consumer id,
 * the Unix time in seconds, `base64(HMAC-SHA256(consSecret, consId + "&" + timestamp))` and the
 * API gateway's `user_key`. The secret itself never travels; the service refuses a timestamp more
 * than a few minutes off its clock, so headers are made afresh for every attempt, never reused.
 *
 * Our own implementation of the published scheme: the hub does not depend on the simulator's code.
 */
export interface ClinicCredentials {
  consId: string;
  consSecret: string;
  userKey: string;
}

export function clinicSignature(consId: string, consSecret: string, timestamp: string): string {
  return createHmac('sha256', consSecret).update(`${consId}&${timestamp}`, 'utf8').digest('base64');
}

export function signedHeaders(creds: ClinicCredentials, nowMs: number = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    'X-cons-id': creds.consId,
    'X-timestamp': timestamp,
    'X-signature': clinicSignature(creds.consId, creds.consSecret, timestamp),
    user_key: creds.userKey,
  };
}
