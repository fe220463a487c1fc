import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import type { Role } from '@gerbang/common';

/**
 * The development identity provider: an ES256 key kept in DATA_DIR/dev-idp/key.json and the demo
 * logins of the clients' contract. It exists so that a bare machine can sign in; production
 * verifies tokens of a real issuer (JWT_JWKS_URL) and refuses to start with this enabled.
 */
export interface DemoLogin {
  sub: string;
  roles: Role[];
  name: string;
  nik?: string;
  nip?: string;
  agency?: string;
  /** Publishers: the subgraph the token may publish. */
  subgraph?: string;
}

export const DEMO_LOGINS: Record<string, DemoLogin> = {
  'warga.siti': { sub: 'usr-warga-siti', roles: ['citizen'], name: 'Siti Rahayu', nik: '3503115708900001' },
  'warga.budi': { sub: 'usr-warga-budi', roles: ['citizen'], name: 'Budi Santoso', nik: '3503120203850002' },
  'petugas.dukcapil': { sub: 'usr-petugas-dukcapil', roles: ['officer'], name: 'Agus Prasetyo', nip: '198703152010011002', agency: 'dispendukcapil' },
  'petugas.dpmptsp': { sub: 'usr-petugas-dpmptsp', roles: ['officer'], name: 'Yuni Astuti', nip: '198808082012122001', agency: 'dpmptsp' },
  'petugas.bpkpd': { sub: 'usr-petugas-bpkpd', roles: ['officer'], name: 'Bambang Sutrisno', nip: '198406252008011004', agency: 'bpkpd' },
  'hr.bkpsdm': { sub: 'usr-hr-bkpsdm', roles: ['hr', 'officer'], name: 'Sri Wahyuni', nip: '198205102006042001', agency: 'bkpsdm' },
  analis: { sub: 'usr-analis', roles: ['analyst'], name: 'Dewi Lestari' },
  admin: { sub: 'usr-admin', roles: ['admin'], name: 'Admin Gerbang' },
};

/**
 * A demo login by name: one of DEMO_LOGINS, or `publisher:<subgraph>`, an agency's publisher token
 * for the schema registry, bound to that subgraph.
 */
export function demoLogin(login: string): DemoLogin | undefined {
  if (Object.hasOwn(DEMO_LOGINS, login)) return DEMO_LOGINS[login];
  const m = /^publisher:([a-z][a-z0-9-]{0,39})$/.exec(login);
  return m ? { sub: `usr-publisher-${m[1]}`, roles: ['publisher'], name: `Publisher of ${m[1]}`, subgraph: m[1]! } : undefined;
}

export const DEV_KID = 'gerbang-dev-1';
/** Issuer and audience of the development IdP (the gateway's defaults for JWT_ISSUER / JWT_AUDIENCE). */
export const DEV_ISSUER = 'https://idp.gerbang.invalid/dev';
export const DEV_AUDIENCE = 'gerbang';

export interface DevIdp {
  issuer: string;
  audience: string;
  publicJwk: JWK;
  jwks(): { keys: JWK[] };
  issue(login: string, options?: { expiresIn?: string; claims?: Record<string, unknown> }): Promise<string>;
}

/** Where the development IdP keeps its signing key. */
export const devIdpKeyFile = (dataDir: string) => join(dataDir, 'dev-idp', 'key.json');

/**
 * The key in DATA_DIR, made on first use. Several processes may start on one DATA_DIR at once
 * (gateway replicas, a seed beside them): the key is written to a file of its own, then linked
 * into place, which fails if another process got there first; the loser reads the winner's key,
 * so every replica signs and verifies with one key and none reads a half-written file.
 */
async function loadOrCreateKey(file: string): Promise<JWK> {
  const read = () => JSON.parse(readFileSync(file, 'utf8')) as JWK;
  try {
    return read();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: DEV_KID, alg: 'ES256' };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, JSON.stringify(jwk), { mode: 0o600 });
  try {
    linkSync(draft, file);
    return jwk;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return read();
  } finally {
    unlinkSync(draft);
  }
}

export async function loadDevIdp(options: { dataDir: string; issuer: string; audience: string }): Promise<DevIdp> {
  const privateJwk = await loadOrCreateKey(devIdpKeyFile(options.dataDir));
  const { d: _d, ...publicJwk } = privateJwk;
  const key = await importJWK(privateJwk, 'ES256');
  return {
    issuer: options.issuer,
    audience: options.audience,
    publicJwk: { ...publicJwk, use: 'sig' },
    jwks: () => ({ keys: [{ ...publicJwk, use: 'sig' }] }),
    async issue(login, opts = {}) {
      const who = demoLogin(login);
      if (!who) throw new Error(`unknown demo login "${login}"; one of: ${Object.keys(DEMO_LOGINS).join(', ')}, publisher:<subgraph>`);
      const { sub, ...claims } = who;
      return new SignJWT({ ...claims, ...opts.claims })
        .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid ?? DEV_KID, typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt()
        .setExpirationTime(opts.expiresIn ?? '8h')
        .sign(key);
    },
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * GET /dev/token?login=warga.siti: a token of the running gateway's development IdP, for
 * `npm run token` in another terminal (whatever DATA_DIR that terminal has). Development only,
 * like the IdP itself; answered to this machine only, and without CORS headers, so a web page in
 * a developer's browser cannot read a token from it.
 */
export function devTokenRoute(idp: DevIdp) {
  return async (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return send(403, { error: 'tokens of the development IdP are given to this machine only' });
    const login = new URL(req.url ?? '/', 'http://gateway.invalid').searchParams.get('login') ?? '';
    if (!demoLogin(login)) return send(404, { error: `unknown demo login "${login}"`, logins: Object.keys(DEMO_LOGINS) });
    send(200, { token: await idp.issue(login) });
  };
}
