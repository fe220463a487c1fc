import type http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { DEMO_LOGINS, type DevIdp } from './dev-idp';
import { readLimitedBody } from './edge/request';

/**
 * The development IdP's login page: the OAuth 2.0 authorization-code flow with PKCE (RFC 7636),
 * as the portal speaks it to the regency's OpenID Connect provider in production, so the portal
 * has one sign-in path. Development only, like the IdP itself (DEV_IDP).
 *
 *   GET  /dev/idp/authorize?response_type=code&client_id&redirect_uri&state&code_challenge&code_challenge_method=S256
 *        → a page listing the demo logins (no password: this IdP signs whoever is picked)
 *   POST /dev/idp/authorize (the page's form) → 303 to redirect_uri?code&state
 *   POST /dev/idp/token grant_type=authorization_code&code&redirect_uri&client_id&code_verifier
 *        → { access_token, token_type: "Bearer", expires_in }
 *
 * A code lives 60 s, is used once, and is bound to the client, the redirect URI and the PKCE
 * challenge. Redirects go to the gateway's own origin only (the Host the request came to), so
 * the page cannot be used to send a token elsewhere.
 */
export const DEV_LOGIN_PATHS = { authorize: '/dev/idp/authorize', token: '/dev/idp/token' } as const;

const CODE_TTL_MS = 60_000;
const TOKEN_TTL_SECONDS = 8 * 3600;
const ROLE_LABELS: Record<string, string> = { citizen: 'warga', officer: 'petugas', hr: 'SDM (BKPSDM)', analyst: 'analis', admin: 'admin' };

interface PendingCode {
  login: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  expires: number;
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export class DevLogin {
  private readonly codes = new Map<string, PendingCode>();
  constructor(
    private readonly idp: DevIdp,
    private readonly now: () => number = Date.now,
  ) {}

  /** Handles the two paths; returns false for any other request. */
  async serve(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    if (url.pathname === DEV_LOGIN_PATHS.authorize) {
      if (req.method === 'GET') return (this.page(req, res, url.searchParams), true);
      if (req.method === 'POST') return (await this.approve(req, res), true);
    }
    if (url.pathname === DEV_LOGIN_PATHS.token && req.method === 'POST') return (await this.token(req, res), true);
    return false;
  }

  private checkRequest(req: http.IncomingMessage, params: URLSearchParams): string | undefined {
    if (params.get('response_type') !== 'code') return 'response_type must be "code"';
    if (!params.get('client_id')) return 'client_id is missing';
    if (params.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(params.get('code_challenge') ?? '')) return 'a PKCE code_challenge (S256) is required';
    if (!sameOrigin(req, params.get('redirect_uri') ?? '')) return "redirect_uri must be on this gateway's own origin";
    if ((params.get('state') ?? '').length > 200) return 'state is too long';
    return undefined;
  }

  private page(req: http.IncomingMessage, res: http.ServerResponse, params: URLSearchParams): void {
    const problem = this.checkRequest(req, params);
    if (problem) return html(res, 400, `<h1>Permintaan masuk tidak sah</h1><p>${esc(problem)}</p>`);
    const hidden = ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method']
      .map((k) => `<input type="hidden" name="${k}" value="${esc(params.get(k) ?? '')}">`)
      .join('');
    const options = Object.entries(DEMO_LOGINS)
      .map(
        ([login, who], i) =>
          `<li><label><input type="radio" name="login" value="${esc(login)}"${i === 0 ? ' checked' : ''}> <b>${esc(login)}</b> · ${esc(who.name)} <small>(${who.roles.map((r) => ROLE_LABELS[r] ?? r).join(', ')})</small></label></li>`,
      )
      .join('');
    html(
      res,
      200,
      `<h1>Masuk ke Gerbang</h1>
<p>Penyedia identitas pengembangan: pilih akun demo. Di produksi, halaman ini adalah penyedia identitas Pemkab (OpenID Connect).</p>
<form method="post" action="${DEV_LOGIN_PATHS.authorize}">${hidden}
<fieldset><legend>Akun demo</legend><ul>${options}</ul></fieldset>
<button type="submit">Masuk</button>
</form>`,
    );
  }

  private async approve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const params = new URLSearchParams((await readLimitedBody(req, 8_192)).toString('utf8'));
    const problem = this.checkRequest(req, params);
    const login = params.get('login') ?? '';
    if (problem || !DEMO_LOGINS[login]) return html(res, 400, `<h1>Permintaan masuk tidak sah</h1><p>${esc(problem ?? 'unknown demo login')}</p>`);
    this.sweep();
    const code = randomBytes(32).toString('base64url');
    const redirectUri = params.get('redirect_uri')!;
    this.codes.set(code, { login, clientId: params.get('client_id')!, redirectUri, challenge: params.get('code_challenge')!, expires: this.now() + CODE_TTL_MS });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (params.get('state')) target.searchParams.set('state', params.get('state')!);
    res.writeHead(303, { location: target.toString(), 'cache-control': 'no-store' });
    res.end();
  }

  private async token(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const fail = (error: string, description: string) => json(res, 400, { error, error_description: description });
    const params = new URLSearchParams((await readLimitedBody(req, 8_192)).toString('utf8'));
    if (params.get('grant_type') !== 'authorization_code') return fail('unsupported_grant_type', 'only authorization_code');
    const code = params.get('code') ?? '';
    const pending = this.codes.get(code);
    this.codes.delete(code);
    if (!pending || pending.expires < this.now()) return fail('invalid_grant', 'unknown, used or expired code');
    if (pending.clientId !== params.get('client_id') || pending.redirectUri !== params.get('redirect_uri'))
      return fail('invalid_grant', 'client_id or redirect_uri differ from the authorization request');
    const verifier = params.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) return fail('invalid_grant', 'code_verifier does not match the code_challenge');
    const token = await this.idp.issue(pending.login, { expiresIn: `${TOKEN_TTL_SECONDS}s` });
    json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS });
  }

  private sweep(): void {
    const now = this.now();
    for (const [code, p] of this.codes) if (p.expires < now) this.codes.delete(code);
  }
}

function sameOrigin(req: http.IncomingMessage, uri: string): boolean {
  try {
    const u = new URL(uri);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host === req.headers.host && !u.username && !u.password;
  } catch {
    return false;
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(res: http.ServerResponse, status: number, body: string): void {
  const page = `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Masuk · Gerbang (pengembangan)</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}ul{list-style:none;padding:0}li{margin:.5rem 0}label{display:block;padding:.5rem;border:1px solid #767676;border-radius:.4rem}button{font:inherit;padding:.6rem 1.4rem;background:#0b5394;color:#fff;border:0;border-radius:.4rem;margin-top:1rem}small{color:#444}</style></head>
<body><main>${body}</main></body></html>`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': CSP, 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
  res.end(page);
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' });
  res.end(JSON.stringify(body));
}
