import type http from 'node:http';
import { BlockList, isIP } from 'node:net';
import proxyaddr from 'proxy-addr';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { Safelist } from './persisted';
import { ErrorCode } from '@gerbang/common';
import { ClientGone } from './admission';
import { EdgeRefusal } from './refusal';
import { bodyTooLarge } from './limits';

/** One GraphQL operation of an HTTP request, as the edge sees it (GET parameters or a POST body entry). */
export interface EdgeOperation {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/**
 * Reads a request body up to `limit` bytes. Past the limit the rest is drained (up to 16× the
 * limit, then the connection is dropped) so that the client can read the 413 refusal instead of a
 * reset connection.
 */
export function readLimitedBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      if (over) {
        if (size > limit * 16) req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => (over ? reject(bodyTooLarge(limit, Number.isFinite(declared) ? declared : size)) : resolve(Buffer.concat(chunks))));
    // A client that hangs up mid-body, or before its body was read (while the edge checked its
    // token), must not leave this pending: that request is over, with nobody to answer.
    req.on('error', () => reject(new ClientGone()));
    if (req.destroyed && !req.readableEnded) return reject(new ClientGone());
    req.on('close', () => {
      if (!req.readableEnded) reject(new ClientGone());
    });
  });
}

/** The operations of a request: GET parameters, a POST object, or a POST array (a batch). */
export function operationsOf(method: string, search: URLSearchParams, body: unknown): { ops: EdgeOperation[]; batch: boolean } {
  if (method === 'GET') {
    const op: EdgeOperation = {};
    const json = (v: string | null) => {
      if (v === null) return undefined;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        return undefined;
      }
    };
    if (search.has('query')) op.query = search.get('query');
    if (search.has('operationName')) op.operationName = search.get('operationName');
    op.variables = json(search.get('variables'));
    op.extensions = json(search.get('extensions'));
    return { ops: [op], batch: false };
  }
  if (Array.isArray(body)) return { ops: body.filter((o): o is EdgeOperation => !!o && typeof o === 'object'), batch: true };
  if (body && typeof body === 'object') return { ops: [body], batch: false };
  return { ops: [], batch: false };
}

export function persistedHash(op: EdgeOperation): string | undefined {
  const pq = (op.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return typeof pq?.sha256Hash === 'string' ? pq.sha256Hash : undefined;
}

/**
 * An operation sent by id only gets its text here, so that the edge can judge it: from the
 * safelist manifest first, else from the APQ cache (the key Apollo Server stores it under). An
 * unknown id is left to Apollo Server, which answers PERSISTED_QUERY_NOT_FOUND.
 * Returns whether the text was filled in.
 */
export async function resolvePersisted(op: EdgeOperation, safelist: Safelist, apq: KeyValueCache | undefined): Promise<boolean> {
  if (typeof op.query === 'string') return false;
  const hash = persistedHash(op);
  if (!hash || !/^[0-9a-f]{64}$/.test(hash)) return false;
  const fromManifest = safelist.get(hash)?.body;
  const text = fromManifest ?? (await apq?.get(`apq:${hash}`));
  if (!text) return false;
  op.query = text;
  return true;
}

/**
 * Which reverse proxies in front of the gateway are ours (TRUST_PROXY): `false`, none (the
 * connection's address is the client's); a number N, the N proxies nearest the gateway (`true` is
 * 1); a list, the proxies at those addresses, CIDR ranges or proxy-addr's names (`loopback`,
 * `linklocal`, `uniquelocal`).
 */
export type TrustProxySetting = boolean | number | string[];

/** proxy-addr's trust function: is the address at hop `i` (0: the connection) one of our proxies? */
export type TrustProxy = (address: string, hop: number) => boolean;

/** Compiles TRUST_PROXY once; throws TypeError on an address that is not one. */
export function compileTrustProxy(setting: TrustProxySetting | undefined): TrustProxy | undefined {
  if (setting === undefined || setting === false || setting === 0) return undefined;
  if (setting === true || typeof setting === 'number') {
    const hops = setting === true ? 1 : setting;
    return (_address, hop) => hop < hops;
  }
  return setting.length ? proxyaddr.compile(setting) : undefined;
}

/**
 * The client's address. X-Forwarded-For is read from the right, as reverse proxies and Express's
 * `trust proxy` read it (proxy-addr, the library Express uses): each proxy appends the address it
 * received the request from, so the entries our own proxies wrote are the rightmost ones, and
 * everything left of them is whatever the client wrote itself. The client is the first address,
 * from the connection leftwards, that is not a trusted proxy. Taking the leftmost entry instead
 * let a rater rotate it to dodge the ratings' same-address rule and an anonymous caller dodge
 * the rate limits.
 */
export function clientAddress(req: http.IncomingMessage, trust: TrustProxy | undefined): string {
  const address = trust ? proxyaddr(req, trust) : req.socket.remoteAddress;
  if (!address) return 'unknown';
  // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d: one client, one address.
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * X-Device-Id: an opaque id the portal or app keeps per installation, passed (with the client
 * address) to subgraphs on mutations for the ratings' anomaly rules. Absent is fine; malformed is
 * refused, so that a client bug shows instead of silently turning the rule off.
 */
export function deviceIdOf(req: http.IncomingMessage): string | undefined {
  const v = req.headers['x-device-id'];
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || s === '') return undefined;
  if (!/^[A-Za-z0-9._:-]{8,128}$/.test(s)) {
    throw new EdgeRefusal(400, ErrorCode.BAD_USER_INPUT, 'X-Device-Id must be 8 to 128 characters of A-Z, a-z, 0-9, ".", "_", ":" or "-".', { field: 'X-Device-Id' });
  }
  return s;
}

/** Addresses that say nothing about the client: loopback, private, link-local, carrier-grade NAT, unique-local. */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');

/**
 * The client's address when it is a public one, else undefined. Behind a reverse proxy without
 * TRUST_PROXY the gateway sees only the proxy's private address: passing that on would make every
 * rater share one address (and the ratings' address rule flag them all), so nothing is passed.
 */
export function publicAddress(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return undefined;
  return NOT_PUBLIC.check(address, family === 6 ? 'ipv6' : 'ipv4') ? undefined : address;
}

export function headerValue(req: http.IncomingMessage, name: string, max = 64): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s ? s.slice(0, max) : undefined;
}
