import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether `given` equals the secret `expected`, in time that depends on neither: both are hashed
 * (SHA-256, 32 bytes whatever their length) and the digests compared with `timingSafeEqual`. A
 * plain `===` stops at the first differing character, so its timing tells an attacker how much of a
 * guess is right; comparing the raw strings with `timingSafeEqual` needs equal lengths, and checking
 * the lengths first tells the secret's length. An absent or empty value never matches.
 */
export function secretEquals(given: string | undefined, expected: string): boolean {
  if (!given || !expected) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/** An `Authorization: Bearer <token>` header carrying `token`, compared as `secretEquals` does. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  if (!authorization?.startsWith('Bearer ')) return false;
  return secretEquals(authorization.slice('Bearer '.length), token);
}
