import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { ANONYMOUS } from '@gerbang/common';
import { readGatewayConfig } from '../src/config';
import { Identity } from '../src/identity';
import { loadDevIdp, type DevIdp } from '../src/dev-idp';

const ISSUER = 'https://idp.gerbang.invalid/test';
let dir: string;
let idp: DevIdp;
let identity: Identity;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gerbang-id-'));
  idp = await loadDevIdp({ dataDir: dir, issuer: ISSUER, audience: 'gerbang' });
  identity = Identity.fromJwks(idp.jwks(), { issuer: ISSUER, audience: 'gerbang' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const refusal = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });

describe('identity', () => {
  it('treats a missing token as anonymous', async () => {
    expect(await identity.callerFrom(undefined)).toBe(ANONYMOUS);
  });

  it('takes subject and roles from a valid token', async () => {
    const caller = await identity.callerFrom(`Bearer ${await idp.issue('hr.bkpsdm')}`);
    expect(caller).toMatchObject({ sub: 'usr-hr-bkpsdm', roles: ['hr', 'officer'], agencyId: 'bkpsdm' });
  });

  it('refuses an expired token, saying so', async () => {
    const token = await idp.issue('warga.siti', { expiresIn: '-5min' });
    await expect(identity.callerFrom(`Bearer ${token}`)).rejects.toMatchObject({ message: 'Your session has expired. Sign in again.', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a forged signature, another issuer, another audience, a token without expiry and alg none', async () => {
    const good = await idp.issue('warga.siti');
    await refusal(identity.callerFrom(`Bearer ${good.slice(0, -6)}AAAAAA`));
    const other = await loadDevIdp({ dataDir: join(dir, 'other'), issuer: ISSUER, audience: 'gerbang' });
    await refusal(identity.callerFrom(`Bearer ${await other.issue('admin')}`));
    const wrongIssuer = await loadDevIdp({ dataDir: dir, issuer: 'https://evil.invalid', audience: 'gerbang' });
    await refusal(identity.callerFrom(`Bearer ${await wrongIssuer.issue('admin')}`));
    const wrongAudience = await loadDevIdp({ dataDir: dir, issuer: ISSUER, audience: 'another-app' });
    await refusal(identity.callerFrom(`Bearer ${await wrongAudience.issue('admin')}`));
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', roles: ['admin'], iss: ISSUER, aud: 'gerbang', exp: 9999999999 })).toString('base64url')}.`;
    await refusal(identity.callerFrom(`Bearer ${none}`));
    await refusal(identity.callerFrom('Basic dXNlcjpwYXNz'));
  });

  it("says a malformed token is malformed, and a header without the Bearer scheme is the header's fault", async () => {
    const MALFORMED = { message: 'The token is malformed: it is not a JWT.', extensions: { code: 'UNAUTHENTICATED' } };
    const HEADER = { message: 'The Authorization header must be "Bearer <token>".', extensions: { code: 'UNAUTHENTICATED' } };
    const undecodable = `${Buffer.from('not json').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.c2ln`;
    for (const token of ['garbage', 'a.b', 'a.b.c.d', 'ey J.x.y', '{"sub":"x"}', undecodable]) {
      await expect(identity.callerFrom(`Bearer ${token}`), token).rejects.toMatchObject(MALFORMED);
    }
    const good = await idp.issue('warga.siti');
    for (const header of ['Basic dXNlcjpwYXNz', good, 'Bearer', 'Bearer   ', `Token ${good}`]) {
      await expect(identity.callerFrom(header), header).rejects.toMatchObject(HEADER);
    }
    // A well-formed token that fails verification keeps its own message.
    await expect(identity.callerFrom(`Bearer ${good.slice(0, -6)}AAAAAA`)).rejects.toMatchObject({ message: 'The token is not valid.' });
  });

  it('refuses a token signed with an HMAC of the public key (algorithm confusion)', async () => {
    const forged = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer(ISSUER)
      .setAudience('gerbang')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(JSON.stringify(idp.publicJwk)));
    await refusal(identity.callerFrom(`Bearer ${forged}`));
  });

  it('drops unknown roles and keeps a NIK only for citizens', async () => {
    const token = await idp.issue('petugas.dukcapil', { claims: { roles: ['officer', 'superuser'], nik: '3503115708900001' } });
    const caller = await identity.callerFrom(`Bearer ${token}`);
    expect(caller.roles).toEqual(['officer']);
    expect(caller.nik).toBeUndefined();
  });
});

describe('configuration and production posture', () => {
  const prod = {
    NODE_ENV: 'production',
    JWT_JWKS_URL: 'https://idp.example.invalid/jwks',
    JWT_ISSUER: 'https://idp.example.invalid',
    INTERNAL_SIGNING_SECRET: 'a-real-secret-from-the-vault-0123',
    DATABASE_URL: 'postgresql://gateway@db.invalid/gerbang',
  };

  it('starts in production with real secrets, with the safelist on and introspection off', () => {
    const c = readGatewayConfig(prod);
    expect(c).toMatchObject({ production: true, devIdp: false, persistedOnly: true, introspection: false, corsOrigins: [] });
  });

  it('refuses the development IdP in production', () => {
    expect(() => readGatewayConfig({ ...prod, DEV_IDP: 'true' })).toThrow(/DEV_IDP: the development identity provider must not run in production/);
  });

  it('refuses missing and development secrets in production', () => {
    const { INTERNAL_SIGNING_SECRET: _s, ...missing } = prod;
    expect(() => readGatewayConfig(missing)).toThrow(/INTERNAL_SIGNING_SECRET: is required in production/);
    expect(() => readGatewayConfig({ ...prod, INTERNAL_SIGNING_SECRET: 'dev-internal-signing-secret-change-me' })).toThrow(/development default/);
    expect(() => readGatewayConfig({ ...prod, INTERNAL_SIGNING_SECRET: 'short' })).toThrow(/at least 16/);
  });

  it('requires an issuer JWKS without the dev IdP, and the access-log database in production', () => {
    const { JWT_JWKS_URL: _j, ...noJwks } = prod;
    expect(() => readGatewayConfig(noJwks)).toThrow(/JWT_JWKS_URL/);
    const { DATABASE_URL: _d, ...noDb } = prod;
    expect(() => readGatewayConfig(noDb)).toThrow(/DATABASE_URL: is required in production/);
  });

  it('runs in development with dev defaults and the dev IdP', () => {
    expect(readGatewayConfig({})).toMatchObject({ production: false, devIdp: true, persistedOnly: false, introspection: true, corsOrigins: ['*'] });
  });

  it('reads admission control and the heap setting, with their defaults; MAX 0 turns admission off; MAX below MIN is refused', () => {
    expect(readGatewayConfig({})).toMatchObject({ admission: { min: 4, max: 512, maxQueue: 1_000, queueTimeoutMs: 10_000 }, HEAP_GROWING_PERCENT: 100 });
    expect(
      readGatewayConfig({ ADMISSION_MIN_CONCURRENCY: '8', ADMISSION_MAX_CONCURRENCY: '64', ADMISSION_MAX_QUEUE: '50', ADMISSION_QUEUE_TIMEOUT_MS: '2000', HEAP_GROWING_PERCENT: '0' }),
    ).toMatchObject({
      admission: { min: 8, max: 64, maxQueue: 50, queueTimeoutMs: 2_000 },
      HEAP_GROWING_PERCENT: 0,
    });
    expect(readGatewayConfig({ ADMISSION_MAX_CONCURRENCY: '0' }).admission).toBe(false);
    expect(() => readGatewayConfig({ ADMISSION_MIN_CONCURRENCY: '8', ADMISSION_MAX_CONCURRENCY: '4' })).toThrow(/ADMISSION_MAX_CONCURRENCY: is below ADMISSION_MIN_CONCURRENCY/);
  });

  it('parses per-role query limits and settings', () => {
    const c = readGatewayConfig({
      QUERY_LIMITS: '{"analyst":{"cost":80000},"default":{"depth":8}}',
      CORS_ORIGINS: 'https://portal.trenggalekkab.go.id, https://m.trenggalekkab.go.id',
      PERSISTED_ONLY: 'true',
      INTROSPECTION: 'false',
    });
    expect(c.QUERY_LIMITS.analyst!.cost).toBe(80_000);
    expect(c.QUERY_LIMITS.analyst!.depth).toBe(15);
    expect(c.QUERY_LIMITS.default.depth).toBe(8);
    expect(c.corsOrigins).toEqual(['https://portal.trenggalekkab.go.id', 'https://m.trenggalekkab.go.id']);
    expect(c).toMatchObject({ persistedOnly: true, introspection: false });
    expect(() => readGatewayConfig({ QUERY_LIMITS: '{"wizard":{"cost":1}}' })).toThrow(/QUERY_LIMITS/);
    expect(() => readGatewayConfig({ QUERY_LIMITS: '{"analyst":{"cost":"lots"}}' })).toThrow(/QUERY_LIMITS/);
  });
});
