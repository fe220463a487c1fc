import { createHash, createHmac, randomBytes } from 'node:crypto';
import { badInput, ErrorCode, forbidden, GerbangError, hasRole, RequestVerifier, type Caller, type Logger, type NonceStore, type Sql } from '@gerbang/common';
import { claimedAgency } from './feed';

/**
 * Ticket feed keys issued to agencies, so that a new agency publishes to the ledger without a
 * TICKET_FEED_KEYS entry and a redeploy. A key is HMAC-SHA256(FEED_KEY_SECRET, `<agency>:<nonce>`),
 * handed out once; the ledger keeps the nonce and the key's SHA-256, and derives the key again to
 * check a batch. Several keys of one agency are all valid (rotation: issue a new one, move the
 * agency to it). Agencies named in TICKET_FEED_KEYS keep their configured key only.
 */
export const deriveFeedKey = (secret: string, agencyId: string, nonce: string) => createHmac('sha256', secret).update(`${agencyId}:${nonce}`).digest('base64url');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface IssuedFeedKey {
  agencyId: string;
  key: string;
  issuedAt: Date;
}

export class FeedKeyStore {
  /** Verifiers of issued keys per agency, kept while the agency's set of nonces is the same. */
  private readonly verifiers = new Map<string, { nonces: string; verifier: RequestVerifier }>();

  constructor(
    private readonly options: {
      /** FEED_KEY_SECRET; undefined: issuance is off (TICKET_FEED_KEYS only). */
      secret: string | undefined;
      /** Where issued keys' verifiers remember nonces (replays refused across replicas with Redis). */
      nonces: NonceStore;
      logger: Logger;
    },
  ) {}

  /**
   * Issues a key to `agencyId` (administrators only); the key is in the answer and nowhere else.
   * Not to an agency with a configured key (`configured`, TICKET_FEED_KEYS): the route checks that
   * one first, so an issued key would never count.
   */
  async issue(db: Sql, caller: Caller, agencyId: string, now: Date, configured: ReadonlyMap<string, string>): Promise<IssuedFeedKey> {
    if (!hasRole(caller, 'admin')) throw forbidden('Only administrators issue ticket feed keys.');
    if (claimedAgency({ agencyId }) !== agencyId) throw badInput('agencyId must be 2–64 lower-case letters, digits and "-".', 'agencyId');
    if (configured.has(agencyId)) throw badInput(`${agencyId} has its feed key in TICKET_FEED_KEYS; change it there.`, 'agencyId');
    const secret = this.options.secret;
    if (!secret) throw new GerbangError(ErrorCode.FORBIDDEN, 'Ticket feed keys are not issued here: FEED_KEY_SECRET is not set (use TICKET_FEED_KEYS).', { reason: 'FEED_KEY_SECRET unset' });
    const nonce = randomBytes(16).toString('base64url');
    const key = deriveFeedKey(secret, agencyId, nonce);
    await db.all(`insert into ${db.t('feed_key')} (nonce, agency_id, key_hash, issued_by, issued_at) values (?, ?, ?, ?, ?::timestamptz)`, [
      nonce,
      agencyId,
      sha256(key),
      caller.sub ?? 'admin',
      now.toISOString(),
    ]);
    this.options.logger.info({ agencyId, issuedBy: caller.sub }, 'ticket feed key issued');
    return { agencyId, key, issuedAt: now };
  }

  /** A verifier of the keys issued to `agencyId`, or undefined when it has none (or issuance is off). */
  async verifierFor(db: Sql, agencyId: string): Promise<RequestVerifier | undefined> {
    const secret = this.options.secret;
    if (!secret) return undefined;
    const rows = await db.all<{ nonce: string; keyHash: string }>(`select nonce, key_hash as "keyHash" from ${db.t('feed_key')} where agency_id = ? order by issued_at, nonce`, [agencyId]);
    const keys: string[] = [];
    for (const row of rows) {
      const key = deriveFeedKey(secret, agencyId, row.nonce);
      // Issued under another FEED_KEY_SECRET: that key cannot be derived here, so it is not trusted.
      if (sha256(key) === row.keyHash) keys.push(key);
      else this.options.logger.warn({ agencyId }, 'ticket feed key issued under another FEED_KEY_SECRET ignored');
    }
    if (!keys.length) return undefined;
    const nonces = rows.map((r) => r.nonce).join(',');
    const cached = this.verifiers.get(agencyId);
    if (cached?.nonces === nonces) return cached.verifier;
    const verifier = new RequestVerifier({ secrets: keys, nonces: this.options.nonces });
    this.verifiers.set(agencyId, { nonces, verifier });
    return verifier;
  }
}
