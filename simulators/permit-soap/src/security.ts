import { createHash, timingSafeEqual } from 'node:crypto';
import * as soap from 'soap';

/**
 * WS-Security UsernameToken check (OASIS Username Token Profile 1.0), both password types:
 * PasswordText, and PasswordDigest = Base64(SHA-1(nonce + created + password)). A digest token must be
 * fresh and its nonce unused, otherwise a captured message could be replayed.
 */
export interface Credentials {
  username: string;
  password: string;
}

const PASSWORD_DIGEST = '#PasswordDigest';
/** How far a token's Created may lie from this host's clock (the profile suggests minutes, not hours). */
const MAX_SKEW_MS = 5 * 60 * 1000;

export type TokenCheck = { ok: true; username: string } | { ok: false; reason: string };

/** Text content of a parsed element: node-soap gives `{ attributes, $value }` when there are attributes. */
function text(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object' && '$value' in node) {
    const value = node.$value;
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

function attribute(node: unknown, name: string): string | undefined {
  if (node && typeof node === 'object' && 'attributes' in node) {
    const attributes = (node as { attributes: Record<string, unknown> | null | undefined }).attributes;
    const value = attributes?.[name];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

function sameText(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export class UsernameTokenVerifier {
  /** Nonces seen within the freshness window, with the time they may be forgotten. */
  private readonly seenNonces = new Map<string, number>();

  constructor(
    private readonly credentials: Credentials,
    /** Real time, not the simulator's business clock: tokens are stamped by the caller's real clock. */
    private readonly realNow: () => number = Date.now,
  ) {}

  verify(security: unknown): TokenCheck {
    if (!security || typeof security !== 'object') return { ok: false, reason: 'WS-Security header is missing' };
    const token = (security as { UsernameToken?: Record<string, unknown> }).UsernameToken;
    if (!token || typeof token !== 'object') return { ok: false, reason: 'UsernameToken is missing' };

    const username = text(token.Username);
    const password = text(token.Password);
    if (!username || password === undefined) return { ok: false, reason: 'UsernameToken needs a Username and a Password' };

    const expires = text((security as { Timestamp?: Record<string, unknown> }).Timestamp?.Expires);
    if (expires !== undefined && !(Date.parse(expires) > this.realNow())) return { ok: false, reason: 'the security timestamp has expired' };

    const type = attribute(token.Password, 'Type') ?? '';
    let passwordOk: boolean;
    if (type.endsWith(PASSWORD_DIGEST)) {
      const nonce = text(token.Nonce);
      const created = text(token.Created);
      if (!nonce || !created) return { ok: false, reason: 'a PasswordDigest token needs a Nonce and a Created time' };
      const createdMs = Date.parse(created);
      if (Number.isNaN(createdMs) || Math.abs(this.realNow() - createdMs) > MAX_SKEW_MS) return { ok: false, reason: 'the token is not fresh' };
      passwordOk = sameText(password, soap.passwordDigest(nonce, created, this.credentials.password));
      if (passwordOk && !this.rememberNonce(nonce)) return { ok: false, reason: 'the nonce was already used' };
    } else {
      passwordOk = sameText(password, this.credentials.password);
    }
    // Username and password are both compared before answering, so timing does not tell which was wrong.
    const userOk = sameText(username, this.credentials.username);
    if (!userOk || !passwordOk) return { ok: false, reason: 'invalid username or password' };
    return { ok: true, username };
  }

  private rememberNonce(nonce: string): boolean {
    const now = this.realNow();
    for (const [seen, forgetAt] of this.seenNonces) if (forgetAt <= now) this.seenNonces.delete(seen);
    if (this.seenNonces.has(nonce)) return false;
    this.seenNonces.set(nonce, now + 2 * MAX_SKEW_MS);
    return true;
  }
}
