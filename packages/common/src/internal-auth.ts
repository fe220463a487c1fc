import { createHash, createHmac, randomFillSync, timingSafeEqual } from 'node:crypto';
import { ROLES, type Caller, type Role } from './caller';
import { redisNonceStore } from './nonce-store';

/**
 * Gateway → subgraph envelope. Subgraphs answer only calls the gateway signed:
 *   x-gerbang-caller:    base64url(JSON caller)
 *   x-gerbang-signature: v2,t=<unix seconds>,n=<nonce>,a=<audience>,s=<base64url HMAC-SHA256>
 * The MAC covers version, timestamp, nonce, audience, SHA-256 of the body and the caller header,
 * so neither the body nor the identity can be swapped, and a nonce seen before (within the
 * clock-skew window) is refused as a replay. The audience is the name of the service the call is
 * for (the subgraph's name in the supergraph, or the ticket ledger's): every subgraph shares the
 * signing secret and keeps its own nonces, so without it a call captured on its way to one
 * subgraph could be replayed to another within the window. In the spirit of X-Road / APEX: every
 * exchange signed, timestamped and addressed.
 *
 * v1 signatures (no audience) are refused: the gateway and the subgraphs are deployed together.
 */
export const CALLER_HEADER = 'x-gerbang-caller';
export const SIGNATURE_HEADER = 'x-gerbang-signature';
const VERSION = 'v2';

/** What an audience may be: a service name (`land-tax`) or a named endpoint (`ratings:ticket-feed`). */
const AUDIENCE = /^[A-Za-z0-9_:/-]{1,64}$/;

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');
const sha256 = (body: string | Buffer) => createHash('sha256').update(body).digest('base64url');
const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
const signedPayload = (t: number, n: string, audience: string, body: string | Buffer, callerHeader: string) => `${VERSION}.${t}.${n}.${audience}.${sha256(body)}.${callerHeader}`;

function checkAudience(audience: string): void {
  if (!AUDIENCE.test(audience)) throw new Error(`signature audience "${audience.slice(0, 80)}" must be 1-64 of A-Z a-z 0-9 _ : / -`);
}

export const encodeCaller = (caller: Caller) => b64url(JSON.stringify(caller));

/** Signs a call for `audience`, the name of the service it is sent to. */
export function signRequest(secret: string, body: string | Buffer, caller: Caller, audience: string, now = Date.now()): Record<string, string> {
  return signWithCallerHeader(secret, body, encodeCaller(caller), audience, now);
}

/**
 * 96 random bits per signature, drawn from a pool refilled 256 nonces at a time: one
 * randomFillSync per call cost the gateway ~2 % of its CPU (16 signed calls per operation).
 */
const NONCE_BYTES = 12;
const noncePool = Buffer.alloc(NONCE_BYTES * 256);
let nonceOffset = noncePool.length;
function nonce(): string {
  if (nonceOffset === noncePool.length) {
    randomFillSync(noncePool);
    nonceOffset = 0;
  }
  const n = noncePool.toString('base64url', nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
  return n;
}

/** Signs with an already-encoded caller header (the gateway encodes it once per operation). */
export function signWithCallerHeader(secret: string, body: string | Buffer, callerHeader: string, audience: string, now = Date.now()): Record<string, string> {
  checkAudience(audience);
  const t = Math.floor(now / 1000);
  const n = nonce();
  const s = mac(secret, signedPayload(t, n, audience, body, callerHeader));
  return { [CALLER_HEADER]: callerHeader, [SIGNATURE_HEADER]: `${VERSION},t=${t},n=${n},a=${audience},s=${s}` };
}

/**
 * Why a signed call was refused (sent to the caller as `extensions.reason` with the 401):
 * `audience`: a valid signature, for another service.
 */
export type InternalAuthReason = 'missing' | 'malformed' | 'stale' | 'audience' | 'forged' | 'replayed';

export class InternalAuthError extends Error {
  constructor(public readonly reason: InternalAuthReason) {
    super(`internal signature ${reason}`);
  }
}

/** Remembers nonces for the skew window; a Redis-backed one is used when several replicas run. */
export interface NonceStore {
  /** Returns false when the nonce was already seen. */
  remember(nonce: string, ttlSeconds: number): Promise<boolean> | boolean;
  /** Resolves when the store answers (a shared store; memory has nothing to check). */
  ping?(): Promise<unknown>;
}

export class MemoryNonceStore implements NonceStore {
  private seen = new Map<string, number>();
  private lastSweep = 0;
  remember(nonce: string, ttlSeconds: number): boolean {
    const now = Date.now();
    if (now - this.lastSweep > 10_000) {
      for (const [k, exp] of this.seen) if (exp < now) this.seen.delete(k);
      this.lastSweep = now;
    }
    const exp = this.seen.get(nonce);
    if (exp !== undefined && exp >= now) return false;
    this.seen.set(nonce, now + ttlSeconds * 1000);
    return true;
  }
}

export interface VerifierOptions {
  /** Current secret first; older ones are accepted during rotation. */
  secrets: string[];
  maxSkewSeconds?: number;
  /** Default: Redis when REDIS_URL is set (replicas share what they have seen), else memory. */
  nonces?: NonceStore;
}

/**
 * Where a verifier remembers nonces unless told otherwise: REDIS_URL's Redis, so that a call
 * replayed to another replica of the same subgraph is refused too; memory without Redis (one
 * replica). Read here rather than in every subgraph's bootstrap so that all of them get it.
 */
export function defaultNonceStore(env: NodeJS.ProcessEnv = process.env): NonceStore {
  const url = env.REDIS_URL;
  if (!url) return new MemoryNonceStore();
  const store = redisNonceStore(url);
  return { remember: (nonce, ttl) => store.then((s) => s.remember(nonce, ttl)), ping: () => store.then((s) => s.ping()) };
}

export class RequestVerifier {
  private readonly skew: number;
  private readonly nonces: NonceStore;
  constructor(private readonly options: VerifierOptions) {
    if (!options.secrets.length || options.secrets.some((s) => s.length < 16)) {
      throw new Error('internal signing secret must be at least 16 characters');
    }
    this.skew = options.maxSkewSeconds ?? 60;
    this.nonces = options.nonces ?? defaultNonceStore();
  }

  /**
   * What verification depends on, for readiness: the shared nonce store (Redis), which fails
   * closed, so a subgraph that cannot reach it refuses every call. Empty with a memory store.
   */
  dependencyChecks(): Record<string, () => Promise<unknown>> {
    const store = this.nonces;
    return store.ping ? { nonceStore: () => store.ping!() } : {};
  }

  /** The caller of a call signed for `audience` (this service's name), or an InternalAuthError. */
  async verify(headers: Record<string, string | string[] | undefined>, body: string | Buffer, audience: string, now = Date.now()): Promise<Caller> {
    const callerHeader = one(headers[CALLER_HEADER]);
    const sig = one(headers[SIGNATURE_HEADER]);
    if (!callerHeader || !sig) throw new InternalAuthError('missing');
    const parts = Object.fromEntries(
      sig
        .split(',')
        .slice(1)
        .map((kv) => {
          const i = kv.indexOf('=');
          return [kv.slice(0, i), kv.slice(i + 1)];
        }),
    ) as Record<string, string>;
    if (!sig.startsWith(`${VERSION},`) || !parts.t || !parts.n || !parts.a || !parts.s || !/^\d+$/.test(parts.t)) throw new InternalAuthError('malformed');
    const t = Number(parts.t);
    if (Math.abs(now / 1000 - t) > this.skew) throw new InternalAuthError('stale');
    // Checked before the MAC, so that the reason says what happened; `a` is under the MAC, so
    // rewriting it to this service's name makes the call forged.
    if (parts.a !== audience) throw new InternalAuthError('audience');
    const payload = signedPayload(t, parts.n, audience, body, callerHeader);
    const given = Buffer.from(parts.s);
    const ok = this.options.secrets.some((secret) => {
      const expected = Buffer.from(mac(secret, payload));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!ok) throw new InternalAuthError('forged');
    if (!(await this.nonces.remember(parts.n, this.skew * 2))) throw new InternalAuthError('replayed');
    return parseCaller(callerHeader);
  }
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function parseCaller(header: string): Caller {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  } catch {
    throw new InternalAuthError('malformed');
  }
  const c = raw as Partial<Caller>;
  const roles = Array.isArray(c.roles) ? c.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)) : [];
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const caller: Caller = { roles };
  for (const key of ['sub', 'name', 'nik', 'nip', 'agencyId', 'deviceId', 'ip'] as const) {
    const v = str(c[key]);
    if (v !== undefined) caller[key] = v;
  }
  return caller;
}
