import http from 'node:http';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER, loadDevIdp } from '../src/dev-idp';
import { DevLogin, DEV_LOGIN_PATHS } from '../src/dev-login';
import { Portal } from '../src/edge/portal';
import { Identity } from '../src/identity';

/**
 * The portal's static files (edge/portal.ts) and the development IdP's login page (dev-login.ts),
 * served by a plain HTTP server on port 0 the way the gateway asks its page handlers.
 */
let dir: string;
let server: http.Server;
let base: string;
let identity: Identity;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gerbang-portal-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("portal")');
  writeFileSync(join(dir, 'assets', 'index-abc123.js.map'), '{}');
  const idp = await loadDevIdp({ dataDir: dir, issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
  identity = Identity.fromJwks(idp.jwks(), { issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
  const portal = new Portal({ dir, auth: { issuer: DEV_ISSUER, authorizationEndpoint: DEV_LOGIN_PATHS.authorize, tokenEndpoint: DEV_LOGIN_PATHS.token, clientId: 'portal', scope: 'openid' } });
  const login = new DevLogin(idp);
  server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    if (await login.serve(req, res, url)) return;
    if (portal.serve(req, res, url.pathname)) return;
    res.writeHead(404).end('gateway 404');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const html = { accept: 'text/html,application/xhtml+xml' };

describe('the portal files', () => {
  it('serves index.html at / with a same-origin CSP, revalidated on every load', async () => {
    const res = await fetch(`${base}/`, { headers: html });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const again = await fetch(`${base}/`, { headers: { ...html, 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('serves hashed assets as immutable, and never source maps', async () => {
    const js = await fetch(`${base}/assets/index-abc123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/assets/index-abc123.js.map`)).status).toBe(404);
    expect((await fetch(`${base}/assets/missing.js`, { headers: html })).status).toBe(404);
  });

  it("answers the portal's own routes with index.html, but not the gateway's paths, nor non-HTML requests, nor traversal", async () => {
    for (const path of ['/layanan-saya', '/instansi/dispendukcapil', '/auth/callback']) {
      const res = await fetch(`${base}${path}`, { headers: html });
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
    }
    for (const path of ['/graphql', '/health/ready', '/metrics', '/explorer/x.js', '/dev/token', '/.well-known/jwks.json']) {
      expect((await fetch(`${base}${path}`, { headers: html })).status, path).toBe(404);
    }
    expect((await fetch(`${base}/layanan-saya`, { headers: { accept: 'application/json' } })).status).toBe(404);
    const traversal = await fetch(`${base}/assets/..%2f..%2fpackage.json`);
    expect(traversal.status).toBe(404);
  });

  it('tells the portal where to sign in', async () => {
    expect(await (await fetch(`${base}/portal-config.json`)).json()).toEqual({
      auth: { issuer: DEV_ISSUER, authorizationEndpoint: DEV_LOGIN_PATHS.authorize, tokenEndpoint: DEV_LOGIN_PATHS.token, clientId: 'portal', scope: 'openid' },
    });
  });
});

const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

async function authorize(login: string, overrides: Record<string, string> = {}) {
  const verifier = 'v'.repeat(43) + Math.random().toString(36).slice(2);
  const params = {
    response_type: 'code',
    client_id: 'portal',
    redirect_uri: `${base}/auth/callback`,
    state: 'st-1',
    code_challenge: challengeOf(verifier),
    code_challenge_method: 'S256',
    login,
    ...overrides,
  };
  const res = await fetch(`${base}${DEV_LOGIN_PATHS.authorize}`, { method: 'POST', body: new URLSearchParams(params), redirect: 'manual' });
  return { res, verifier, params };
}

async function token(body: Record<string, string>) {
  const res = await fetch(`${base}${DEV_LOGIN_PATHS.token}`, { method: 'POST', body: new URLSearchParams(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("the development IdP's login page (authorization code + PKCE)", () => {
  it('lists the demo logins on a page of its own origin', async () => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: 'portal',
      redirect_uri: `${base}/auth/callback`,
      state: 's',
      code_challenge: challengeOf('x'.repeat(43)),
      code_challenge_method: 'S256',
    });
    const res = await fetch(`${base}${DEV_LOGIN_PATHS.authorize}?${q.toString()}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const login of ['warga.siti', 'hr.bkpsdm', 'admin']) expect(text).toContain(`value="${login}"`);
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self'");
  });

  it('gives a code for the chosen login, which buys one token of that login, once', async () => {
    const { res, verifier, params } = await authorize('warga.siti');
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get('location')!);
    expect(back.pathname).toBe('/auth/callback');
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code')!;
    const exchange = { grant_type: 'authorization_code', code, redirect_uri: params.redirect_uri, client_id: 'portal', code_verifier: verifier };
    const first = await token(exchange);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ token_type: 'Bearer', expires_in: 28_800 });
    await expect(identity.callerFrom(`Bearer ${String(first.json.access_token)}`)).resolves.toMatchObject({ sub: 'usr-warga-siti', roles: ['citizen'] });
    const again = await token(exchange);
    expect(again).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('refuses a wrong PKCE verifier, another redirect URI, and redirects to another origin', async () => {
    const a = await authorize('admin');
    const code = new URL(a.res.headers.get('location')!).searchParams.get('code')!;
    expect(await token({ grant_type: 'authorization_code', code, redirect_uri: a.params.redirect_uri, client_id: 'portal', code_verifier: 'w'.repeat(50) })).toMatchObject({
      status: 400,
      json: { error: 'invalid_grant' },
    });
    const b = await authorize('admin');
    const codeB = new URL(b.res.headers.get('location')!).searchParams.get('code')!;
    expect(await token({ grant_type: 'authorization_code', code: codeB, redirect_uri: `${base}/elsewhere`, client_id: 'portal', code_verifier: b.verifier })).toMatchObject({ status: 400 });
    const foreign = await authorize('admin', { redirect_uri: 'https://attacker.invalid/callback' });
    expect(foreign.res.status).toBe(400);
    const noPkce = await authorize('admin', { code_challenge_method: 'plain' });
    expect(noPkce.res.status).toBe(400);
    const unknown = await authorize('nobody');
    expect(unknown.res.status).toBe(400);
  });
});
