import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * AWS Signature Version 4 as S3 checks it, for both forms a client uses: the `Authorization`
 * header (SDK calls) and the query string of a presigned URL (X-Amz-Signature, X-Amz-Expires).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
 */
export interface SigV4Request {
  method: string;
  /** The request target as sent: path and query, still percent-encoded. */
  target: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type SigV4Result =
  | { ok: true; accessKeyId: string }
  | { ok: false; code: 'AccessDenied' | 'SignatureDoesNotMatch' | 'InvalidAccessKeyId' | 'AuthorizationQueryParametersError' | 'RequestTimeTooSkewed' | 'XAmzContentSHA256Mismatch'; message: string };

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ */
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** `20261204T210000Z` → Date. */
const parseAmzDate = (s: string) => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : null;
};

function queryPairs(query: string): [string, string][] {
  if (!query) return [];
  return query
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const i = part.indexOf('=');
      const k = i < 0 ? part : part.slice(0, i);
      const v = i < 0 ? '' : part.slice(i + 1);
      return [decodeURIComponent(k.replace(/\+/g, '%20')), decodeURIComponent(v.replace(/\+/g, '%20'))];
    });
}

const header = (headers: SigV4Request['headers'], name: string) => {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

export function verifySigV4(req: SigV4Request, secrets: ReadonlyMap<string, string>, options: { region: string; now?: Date; maxSkewSeconds?: number }): SigV4Result {
  const now = options.now ?? new Date();
  const [path = '/', rawQuery = ''] = req.target.split(/\?(.*)/s);
  const pairs = queryPairs(rawQuery);
  const q = new Map(pairs);
  const presigned = q.has('X-Amz-Signature');
  let credential: string;
  let signedHeaders: string;
  let signature: string;
  let amzDate: string;
  let payloadHash: string;
  if (presigned) {
    if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return { ok: false, code: 'AuthorizationQueryParametersError', message: 'X-Amz-Algorithm must be AWS4-HMAC-SHA256' };
    credential = q.get('X-Amz-Credential') ?? '';
    signedHeaders = q.get('X-Amz-SignedHeaders') ?? '';
    signature = q.get('X-Amz-Signature') ?? '';
    amzDate = q.get('X-Amz-Date') ?? '';
    const expires = Number(q.get('X-Amz-Expires'));
    const date = parseAmzDate(amzDate);
    if (!date || !Number.isInteger(expires) || expires < 1 || expires > 604_800) return { ok: false, code: 'AuthorizationQueryParametersError', message: 'X-Amz-Date or X-Amz-Expires is invalid' };
    if (now.getTime() > date.getTime() + expires * 1000) return { ok: false, code: 'AccessDenied', message: 'Request has expired' };
    payloadHash = 'UNSIGNED-PAYLOAD';
  } else {
    const auth = header(req.headers, 'authorization') ?? '';
    const m = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) return { ok: false, code: 'AccessDenied', message: 'Missing or malformed Authorization' };
    [, credential, signedHeaders, signature] = m as unknown as [string, string, string, string];
    amzDate = header(req.headers, 'x-amz-date') ?? '';
    const date = parseAmzDate(amzDate);
    if (!date || Math.abs(now.getTime() - date.getTime()) > (options.maxSkewSeconds ?? 900) * 1000)
      return { ok: false, code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the server time is too large' };
    payloadHash = header(req.headers, 'x-amz-content-sha256') ?? '';
    if (!payloadHash) return { ok: false, code: 'AccessDenied', message: 'x-amz-content-sha256 is required' };
    if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256hex(req.body))
      return { ok: false, code: 'XAmzContentSHA256Mismatch', message: 'The provided x-amz-content-sha256 does not match the body' };
  }
  const [accessKeyId = '', day = '', region = '', service = '', terminator = ''] = credential.split('/');
  const secret = secrets.get(accessKeyId);
  if (!secret) return { ok: false, code: 'InvalidAccessKeyId', message: 'The access key id does not exist' };
  if (day !== amzDate.slice(0, 8) || region !== options.region || service !== 's3' || terminator !== 'aws4_request') {
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'Credential scope is wrong' };
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host')) return { ok: false, code: 'AccessDenied', message: 'host must be signed' };
  const canonicalHeaders = names.map((n) => `${n}:${(header(req.headers, n) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalQuery = pairs
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [req.method, path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
  const want = createHmac('sha256', key).update(stringToSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== want.length || !timingSafeEqual(given, want))
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided' };
  return { ok: true, accessKeyId };
}
