import { LRUCache } from 'lru-cache';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ANONYMOUS, ROLES, unauthenticated, type Caller, type Role } from '@gerbang/common';

/** A JWS in compact serialisation: three base64url parts separated by dots. */
const JWS_COMPACT = /^[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+$/;
const malformed = () => unauthenticated('The token is malformed: it is not a JWT.');

/**
 * Bearer token → Caller. No token: anonymous. A token that is present but bad (signature, issuer,
 * audience, expiry, algorithm) is refused with UNAUTHENTICATED, never downgraded to anonymous.
 */
export class Identity {
  /**
   * Verified tokens until they expire: a client repeating its token costs a lookup, not a signature
   * check. At most `cacheSize` (default 10,000), least recently used dropped first.
   */
  private readonly verified: LRUCache<string, { caller: Caller; exp: number }>;

  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly options: { issuer: string; audience: string; clockToleranceSeconds?: number; cacheSize?: number },
  ) {
    this.verified = new LRUCache({ max: options.cacheSize ?? 10_000 });
  }

  static fromJwksUrl(url: string, options: { issuer: string; audience: string }) {
    return new Identity(createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 600_000 }), options);
  }

  static fromJwks(jwks: Parameters<typeof createLocalJWKSet>[0], options: { issuer: string; audience: string }) {
    return new Identity(createLocalJWKSet(jwks), options);
  }

  async callerFrom(authorization: string | undefined): Promise<Caller> {
    if (!authorization) return ANONYMOUS;
    // Two mistakes, told apart: a header without the Bearer scheme (a client sending Basic, or the
    // bare token) is the header's fault; "Bearer <something that is not a JWT>" is the token's.
    const m = /^Bearer\s+(.+)$/.exec(authorization.trim());
    if (!m) throw unauthenticated('The Authorization header must be "Bearer <token>".');
    const token = m[1]!;
    if (!JWS_COMPACT.test(token)) throw malformed();
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.exp > Date.now()) return hit.caller;
      this.verified.delete(token);
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['ES256', 'RS256', 'EdDSA'],
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw unauthenticated('Your session has expired. Sign in again.');
      // Three dot-separated parts whose header or claims do not decode to JSON: still malformed.
      if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) throw malformed();
      throw unauthenticated('The token is not valid.');
    }
    const caller = Object.freeze(callerFromClaims(payload)) as Caller;
    // Cached no longer than the token lives (exp is required, no clock tolerance here) and at most
    // five minutes, so a key withdrawn from the JWKS stops working within that time.
    this.verified.set(token, { caller, exp: Math.min(payload.exp! * 1000, Date.now() + 300_000) });
    return caller;
  }
}

export function callerFromClaims(payload: JWTPayload): Caller {
  const rolesClaim = payload.roles ?? payload.role;
  const roles = (Array.isArray(rolesClaim) ? rolesClaim : typeof rolesClaim === 'string' ? rolesClaim.split(' ') : []).filter((r): r is Role => (ROLES as readonly string[]).includes(r as string));
  const str = (v: unknown) => (typeof v === 'string' && v.length <= 200 ? v : undefined);
  const caller: Caller = { sub: payload.sub!, roles };
  const name = str(payload.name);
  const nik = str(payload.nik);
  const nip = str(payload.nip);
  const agencyId = str(payload.agency);
  if (name) caller.name = name;
  if (nik && roles.includes('citizen')) caller.nik = nik;
  if (nip) caller.nip = nip;
  if (agencyId) caller.agencyId = agencyId;
  const subgraph = str(payload.subgraph);
  if (subgraph && roles.includes('publisher')) caller.subgraph = subgraph;
  return caller;
}
