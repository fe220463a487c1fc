import type http from 'node:http';
import { createHash } from 'node:crypto';
import { accessSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Negotiator from 'negotiator';

/**
 * A GraphQL explorer for development that works offline: GraphiQL served by the gateway itself.
 * Apollo Server's default landing page loads Apollo Sandbox from a CDN, so on a machine without
 * internet it shows only "you might be offline"; this page and every file it loads come from the
 * gateway's origin.
 *
 * GraphiQL 3.9 is the last line shipped as prebuilt browser files (`graphiql.min.js`, a UMD
 * bundle that expects the React 18 UMD globals, and `graphiql.min.css` with its fonts inlined):
 * GraphiQL 4 and 5 ship only ES modules for a bundler and load Monaco's workers. React 19 no longer
 * ships UMD files, hence React 18.3. The three are development dependencies of the repository, so
 * the explorer runs only outside production (config refuses EXPLORER=true in production). The
 * compiled gateway (`npm run build`, the image, which has no node_modules) finds copies of them
 * in dist/explorer/, beside itself.
 *
 * Only the files named in ASSETS are served, looked up by exact name: a request path is never
 * joined to a directory, so there is no path to traverse.
 */
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** URL name under /explorer/ → where the file is (package, path inside it) or its text, and its type. */
const ASSETS: Record<string, { contentType: string } & ({ pkg: string; file: string } | { text: string })> = {
  'react.production.min.js': { pkg: 'react', file: 'umd/react.production.min.js', contentType: JS },
  'react-dom.production.min.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', contentType: JS },
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', contentType: JS },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', contentType: CSS },
  // Our own start script and style are files too, so that the page needs no inline script or
  // style and its Content-Security-Policy can allow only its own origin.
  'start.js': { text: startScript(), contentType: JS },
  'page.css': { text: 'html, body, #graphiql { height: 100%; margin: 0; }\n', contentType: CSS },
};

/** Where the page is served and where it finds its files (relative, so a path prefix added by a proxy still works). */
const EXPLORER_ASSET_PREFIX = '/explorer/';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gerbang GraphiQL (development)</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="explorer/graphiql.min.css">
<link rel="stylesheet" href="explorer/page.css">
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="explorer/react.production.min.js"></script>
<script src="explorer/react-dom.production.min.js"></script>
<script src="explorer/graphiql.min.js"></script>
<script src="explorer/start.js"></script>
</body>
</html>
`;

/**
 * Same origin only: scripts, styles, fonts (inlined as data: URLs in GraphiQL's CSS) and requests.
 * Styles also allow 'unsafe-inline': GraphiQL's bundle inserts a <style> element (for its dialogs)
 * and CodeMirror's dialogs carry style attributes. Scripts stay 'self' only.
 */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function startScript(): string {
  const query = `# Gerbang, development explorer. To sign in: npm run -s token -- warga.siti
# and put {"Authorization": "Bearer <token>"} in Headers below.
query FindAgency {
  agencies(search: "capil", first: 5) {
    id
    name
    abbreviation
    rating { average count }
  }
}
`;
  return `'use strict';
(function () {
  var url = window.location.href.split(/[?#]/)[0];
  var fetcher = GraphiQL.createFetcher({ url: url });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: ${JSON.stringify(query)},
    defaultEditorToolsVisibility: true,
  }));
})();
`;
}

interface Loaded {
  body: Buffer;
  etag: string;
  contentType: string;
}

export class Explorer {
  private readonly files = new Map<string, () => Loaded>();
  private readonly page: Loaded;

  /** Resolves every file now, so that a missing package fails at start, not on first use. */
  constructor() {
    const require = createRequire(import.meta.url);
    const locate = (pkg: string, file: string) => {
      const built = fileURLToPath(new URL(`./explorer/${pkg}/${file}`, import.meta.url));
      return existsSync(built) ? built : join(dirname(require.resolve(`${pkg}/package.json`)), file);
    };
    for (const [name, asset] of Object.entries(ASSETS)) {
      let loaded: Loaded | undefined;
      const path = 'pkg' in asset ? locate(asset.pkg, asset.file) : undefined;
      if (path) accessSync(path);
      // Read once, on first request: GraphiQL is about 1 MB that gateways in tests never serve.
      this.files.set(name, () => (loaded ??= load('text' in asset ? Buffer.from(asset.text) : readFileSync(path!), asset.contentType)));
    }
    this.page = load(Buffer.from(PAGE), 'text/html; charset=utf-8');
  }

  /** The page is for browsers: a GET whose Accept prefers HTML to every GraphQL response type (as Apollo Server decides for its landing page). */
  static wantsPage(req: http.IncomingMessage): boolean {
    const accept = req.headers.accept;
    if (req.method !== 'GET' || !accept) return false;
    return new Negotiator({ headers: { accept } }).mediaType(['application/json', 'application/graphql-response+json', 'multipart/mixed', 'text/html']) === 'text/html';
  }

  servePage(req: http.IncomingMessage, res: http.ServerResponse, headers: Record<string, string> = {}): void {
    send(req, res, this.page, { ...headers, 'content-security-policy': CSP, 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
  }

  /** Serves /explorer/<name> when <name> is one of ours; returns false (nothing sent) otherwise. */
  serveAsset(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, headers: Record<string, string> = {}): boolean {
    if (!pathname.startsWith(EXPLORER_ASSET_PREFIX)) return false;
    const file = this.files.get(pathname.slice(EXPLORER_ASSET_PREFIX.length));
    if (!file) return false;
    send(req, res, file(), headers);
    return true;
  }
}

function load(body: Buffer, contentType: string): Loaded {
  return { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

function send(req: http.IncomingMessage, res: http.ServerResponse, file: Loaded, headers: Record<string, string>): void {
  // Revalidated on every load (no-cache + ETag): after `npm ci` brings another GraphiQL, the browser sees it.
  const common = { ...headers, etag: file.etag, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  res.writeHead(200, { ...common, 'content-type': file.contentType, 'content-length': file.body.length });
  res.end(file.body);
}
