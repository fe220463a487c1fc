import type http from 'node:http';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The citizens' portal (web/): its built static files, served by the gateway at `/` beside
 * `/graphql`, so that the portal and the graph share one origin (no CORS, one address to open).
 *
 * - The files are read once, at start, from a directory that holds `index.html` (PORTAL_DIR;
 *   else `dist/portal` beside the compiled gateway; else `web/dist` of the repository, which
 *   `npm start` builds first when it is missing or older than web/'s sources). Each is served by
 *   its exact URL path looked up in a Map: a request path is never joined to a directory.
 * - Vite names every asset after a hash of its content (`/assets/index-3f9c1a.js`): those are
 *   cached for a year (`immutable`); `index.html` is revalidated on every load (ETag), so a new
 *   build reaches the browser at once.
 * - Any other GET that asks for HTML and is none of the gateway's own paths is a page of the
 *   portal (it routes in the browser: /agency/…, /layanan-saya): it gets `index.html`.
 * - `/portal-config.json` tells the portal where to sign in (OIDC authorization-code flow with
 *   PKCE): the development IdP's login page in development, the regency's IdP in production.
 */
export interface PortalAuthConfig {
  /** The tokens' issuer (JWT_ISSUER): an ID token, when the IdP sends one, is checked against it. */
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  clientId: string;
  scope: string;
  /** Where the IdP ends the session (optional). */
  endSessionEndpoint?: string;
}

export interface PortalOptions {
  /** Directory of the built portal (holds index.html). */
  dir: string;
  /** Sign-in settings; absent: the portal shows that sign-in is not configured. */
  auth?: PortalAuthConfig;
  /** More origins the pages may connect to (PORTAL_CONNECT_SRC), e.g. the S3 bucket attachments are uploaded to. */
  connectSrc?: string[];
}

interface Loaded {
  body: Buffer;
  etag: string;
  contentType: string;
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths the gateway answers itself: never the portal's index.html. */
const GATEWAY_PATHS = ['/graphql', '/health', '/metrics', '/admin/', '/explorer/', '/dev/', '/.well-known/', '/files'];

/**
 * The portal's pages load only their own origin's scripts, styles and API; no inline script.
 * (Inline styles are allowed for the progress bars' widths, set by React as style attributes.)
 */
const csp = (connectSrc: readonly string[] = []) =>
  `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src ${["'self'", ...connectSrc].join(' ')}; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'`;

/** Where the built portal is: PORTAL_DIR, the compiled gateway's dist/portal, or web/dist. */
export function locatePortal(explicit?: string): string | undefined {
  const candidates = explicit ? [explicit] : [fileURLToPath(new URL('./portal', import.meta.url)), fileURLToPath(new URL('../../../web/dist', import.meta.url))];
  return candidates.find((d) => existsSync(join(d, 'index.html')));
}

export class Portal {
  private readonly files = new Map<string, Loaded>();
  private readonly index: Loaded;
  private readonly config: Loaded;
  private readonly csp: string;

  constructor(options: PortalOptions) {
    this.csp = csp(options.connectSrc);
    for (const file of walk(options.dir)) {
      const path = `/${relative(options.dir, file).split(sep).join('/')}`;
      if (path.endsWith('.map')) continue;
      const ext = path.slice(path.lastIndexOf('.'));
      this.files.set(path, load(readFileSync(file), TYPES[ext] ?? 'application/octet-stream', path.startsWith('/assets/')));
    }
    const index = this.files.get('/index.html');
    if (!index) throw new Error(`no index.html in the portal directory ${options.dir}`);
    this.index = index;
    this.config = load(Buffer.from(JSON.stringify({ auth: options.auth ?? null })), 'application/json', false);
  }

  /** Serves the request when it is the portal's; returns false (nothing sent) otherwise. */
  serve(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, headers: Record<string, string> = {}): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (pathname === '/portal-config.json') return (send(req, res, this.config, headers), true);
    const file = pathname === '/' ? this.index : this.files.get(pathname);
    if (file) return (send(req, res, file, file === this.index ? withPageHeaders(headers, this.csp) : headers), true);
    if (GATEWAY_PATHS.some((p) => pathname === p || pathname.startsWith(p.endsWith('/') ? p : `${p}/`))) return false;
    if (pathname.startsWith('/assets/')) return false;
    if (!/\btext\/html\b/.test(req.headers.accept ?? '')) return false;
    send(req, res, this.index, withPageHeaders(headers, this.csp));
    return true;
  }
}

function withPageHeaders(headers: Record<string, string>, policy: string): Record<string, string> {
  return { ...headers, 'content-security-policy': policy, 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' };
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

function load(body: Buffer, contentType: string, immutable: boolean): Loaded {
  return { body, contentType, immutable, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

function send(req: http.IncomingMessage, res: http.ServerResponse, file: Loaded, headers: Record<string, string>): void {
  const common = {
    ...headers,
    etag: file.etag,
    'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  };
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  res.writeHead(200, { ...common, 'content-type': file.contentType, 'content-length': file.body.length });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}
