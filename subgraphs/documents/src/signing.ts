import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, short-lived URLs of the local store (`/files?…`): what a URL lets its holder do (`put`
 * the declared bytes, or `get` them with their name and type), for which file, until when, under
 * DOCUMENTS_URL_SECRET. The URL is the capability: whoever holds it may do that one thing until it
 * expires, and nothing else. (The S3 store's URLs are S3's own presigned URLs, SigV4.)
 */
export interface FileGrant {
  action: 'put' | 'get';
  key: string;
  contentType: string;
  size: number;
  fileName: string;
  /** Unix seconds. */
  expires: number;
}

const payload = (g: FileGrant) => [g.action, g.key, g.expires, g.contentType, g.size, g.fileName].join('\n');
const mac = (secret: string, g: FileGrant) => createHmac('sha256', secret).update(payload(g)).digest('base64url');

export function signGrant(secret: string, grant: FileGrant): string {
  const q = new URLSearchParams({
    a: grant.action,
    k: grant.key,
    t: grant.contentType,
    n: String(grant.size),
    f: grant.fileName,
    e: String(grant.expires),
    s: mac(secret, grant),
  });
  return q.toString();
}

export class GrantRefusal extends Error {
  constructor(
    readonly code: 'SIGNED_URL_EXPIRED' | 'SIGNED_URL_INVALID',
    message: string,
  ) {
    super(message);
  }
}

/** The grant a URL's query carries, once its signature (any of `secrets`) and expiry check out. */
export function verifyGrant(secrets: readonly string[], query: URLSearchParams, nowSeconds = Math.floor(Date.now() / 1000)): FileGrant {
  const action = query.get('a');
  const expires = Number(query.get('e'));
  const size = Number(query.get('n'));
  const sig = query.get('s') ?? '';
  if ((action !== 'put' && action !== 'get') || !query.get('k') || !Number.isSafeInteger(expires) || !Number.isSafeInteger(size)) {
    throw new GrantRefusal('SIGNED_URL_INVALID', 'This link is not a valid file link.');
  }
  const grant: FileGrant = { action, key: query.get('k')!, contentType: query.get('t') ?? '', size, fileName: query.get('f') ?? '', expires };
  const given = Buffer.from(sig, 'base64url');
  const ok = secrets.some((secret) => {
    const want = Buffer.from(mac(secret, grant), 'base64url');
    return want.length === given.length && timingSafeEqual(want, given);
  });
  if (!ok) throw new GrantRefusal('SIGNED_URL_INVALID', 'This link is not a valid file link.');
  // After the signature: an expiry is only meaningful once we know it was not edited.
  if (expires < nowSeconds) throw new GrantRefusal('SIGNED_URL_EXPIRED', 'This link has expired; ask for a new one.');
  return grant;
}
