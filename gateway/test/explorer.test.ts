import http from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGatewayConfig } from '../src/config';
import { subgraphsOf } from '../src/supergraph';
import { startGateway, startPlacesAndPeople, type TestGateway } from './support/fixtures';
import { ifStarted } from '@gerbang/testing';

/**
 * The development explorer: GraphiQL served by the gateway from its own origin, so it works with no
 * internet (Apollo's landing page loads Sandbox from a CDN). test: the page, its same-origin
 * assets and their types, the allowlist; explorer.browser.test.ts runs it in Chromium.
 */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

let graph: Awaited<ReturnType<typeof startPlacesAndPeople>>;
let gw: TestGateway;
beforeAll(async () => {
  graph = await startPlacesAndPeople({ gateway: { explorer: true } });
  gw = graph.gw;
});
afterAll(() => ifStarted(graph)?.close());

/** Every URL the page loads: script src and stylesheet href. */
const referencesOf = (html: string) => [...html.matchAll(/<(?:script|link)\b[^>]*?\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);

/** A raw request: fetch would normalise `..` and percent-escapes away before they reach the gateway. */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
      .on('error', reject);
  });
}

describe('GraphiQL at GET /graphql for browsers', () => {
  it('serves the page to a browser, with a same-origin-only Content-Security-Policy', async () => {
    const res = await fetch(gw.url, { headers: { accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toMatch(/<div id="graphiql">/);
  });

  it('references only same-origin files, each served with its content type', async () => {
    const html = await (await fetch(gw.url, { headers: { accept: BROWSER_ACCEPT } })).text();
    const all = referencesOf(html);
    // An empty inline icon, so that the browser does not ask for /favicon.ico.
    expect(all[0]).toBe('data:,');
    const refs = all.slice(1);
    expect(refs).toEqual([
      'explorer/graphiql.min.css',
      'explorer/page.css',
      'explorer/react.production.min.js',
      'explorer/react-dom.production.min.js',
      'explorer/graphiql.min.js',
      'explorer/start.js',
    ]);
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    for (const ref of refs) {
      const url = new URL(ref, gw.url);
      expect(url.origin).toBe(new URL(gw.url).origin);
      const res = await fetch(url);
      expect(res.status, ref).toBe(200);
      expect(res.headers.get('content-type'), ref).toBe(ref.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
      expect(res.headers.get('x-content-type-options'), ref).toBe('nosniff');
      const text = await res.text();
      expect(text.length, ref).toBeGreaterThan(30);
      // Nothing they load comes from elsewhere: GraphiQL's fonts are inlined as data: URLs.
      if (ref.endsWith('.css'))
        expect(
          [...text.matchAll(/url\(([^)]*)\)/g)].every((m) => m[1]!.startsWith('data:')),
          ref,
        ).toBe(true);
    }
  });

  it('serves the React 18 UMD builds and GraphiQL 3 UMD bundle the page needs', async () => {
    const text = async (name: string) => (await fetch(new URL(`explorer/${name}`, gw.url))).text();
    expect(await text('react.production.min.js')).toMatch(/^\/\*\*\n \* @license React\n \* react\.production\.min\.js/);
    expect(await text('react-dom.production.min.js')).toMatch(/react-dom\.production\.min\.js[\s\S]*createRoot/);
    expect(await text('graphiql.min.js')).toMatch(/\.GraphiQL=t\(e\.React,e\.ReactDOM\)/);
    expect(await text('start.js')).toMatch(/GraphiQL\.createFetcher/);
  });

  it('answers a revalidation with 304 Not Modified', async () => {
    const first = await fetch(new URL('explorer/graphiql.min.js', gw.url));
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(new URL('explorer/graphiql.min.js', gw.url), { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('serves nothing outside its allowlist: other names, source maps, traversal attempts', async () => {
    for (const path of [
      '/explorer/',
      '/explorer/graphiql.min.js.map',
      '/explorer/package.json',
      '/explorer/../package.json',
      '/explorer/..%2fpackage.json',
      '/explorer/%2e%2e/%2e%2e/package.json',
      '/explorer/graphiql.min.js/..',
      '/explorer//etc/passwd',
      '/explorer/umd/react.production.min.js',
    ]) {
      const res = await rawGet(gw.url, path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toMatch(/"name"|root:/);
    }
  });

  it("starts with a query the real graph accepts (the committed supergraph's schema)", async () => {
    const script = await (await fetch(new URL('explorer/start.js', gw.url))).text();
    const query = JSON.parse(/defaultQuery: ("(?:[^"\\]|\\.)*")/.exec(script)![1]!) as string;
    expect(query).toMatch(/query FindAgency/);
    const sdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
    // No subgraph answers on port 9: a valid query gets UPSTREAM_UNAVAILABLE, an invalid one GRAPHQL_VALIDATION_FAILED.
    const real = await startGateway({ sdl }, { subgraphUrls: Object.fromEntries(subgraphsOf(sdl).map((s) => [s.name, 'http://127.0.0.1:9/graphql'])), breaker: { volumeThreshold: 1_000 } });
    try {
      const { body } = await real.gql(query);
      expect(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(expect.arrayContaining(['UPSTREAM_UNAVAILABLE']));
      expect(body.errors.every((e: { extensions: { code: string } }) => e.extensions.code === 'UPSTREAM_UNAVAILABLE')).toBe(true);
    } finally {
      await real.close();
    }
  });

  it('still answers GraphQL at GET /graphql to non-browser clients, and POST', async () => {
    const get = await fetch(`${gw.url}?query=${encodeURIComponent('{ agencies { id } }')}`, { headers: { accept: 'application/graphql-response+json, application/json' } });
    expect(await get.json()).toEqual({ data: { agencies: [{ id: 'dispendukcapil' }] } });
    expect((await gw.gql('{ agencies { id } }')).body).toEqual({ data: { agencies: [{ id: 'dispendukcapil' }] } });
  });
});

describe('EXPLORER setting', () => {
  const prod = {
    NODE_ENV: 'production',
    JWT_JWKS_URL: 'https://idp.example.invalid/jwks',
    JWT_ISSUER: 'https://idp.example.invalid',
    INTERNAL_SIGNING_SECRET: 'a-real-secret-from-the-vault-0123',
    DATABASE_URL: 'postgresql://gateway@db.invalid/gerbang',
  };

  it('is on in development, off in production, and refused there', () => {
    expect(readGatewayConfig({}).explorer).toBe(true);
    expect(readGatewayConfig({ EXPLORER: 'false' }).explorer).toBe(false);
    expect(readGatewayConfig(prod).explorer).toBe(false);
    expect(() => readGatewayConfig({ ...prod, EXPLORER: 'true' })).toThrow(/EXPLORER: is a development tool/);
  });

  it('serves no page and no files when off', async () => {
    const off = await startPlacesAndPeople();
    try {
      const page = await fetch(off.gw.url, { headers: { accept: BROWSER_ACCEPT } });
      expect(page.headers.get('content-type')).not.toMatch(/html/);
      expect((await fetch(new URL('explorer/graphiql.min.js', off.gw.url))).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
