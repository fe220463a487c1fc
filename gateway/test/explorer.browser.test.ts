import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlacesAndPeople } from './support/fixtures';
import { ifStarted } from '@gerbang/testing';

/**
 * The development explorer in a real browser (Chromium, driven by playwright-core), with every
 * request that would leave the gateway's origin blocked and recorded: GraphiQL must load and run
 * queries with no internet. Needs Chromium: CHROMIUM_PATH, default /usr/bin/chromium (Debian's
 * `apt-get install -y chromium`). Run with `npm run test:browser`.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let graph: Awaited<ReturnType<typeof startPlacesAndPeople>>;
let browser: Browser;
let page: Page;
const offOrigin: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  graph = await startPlacesAndPeople({ gateway: { explorer: true } });
  // Chromium refuses to start its sandbox as root (CI containers): run it without there only.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  const context = await browser.newContext();
  const origin = new URL(graph.gw.url).origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
    offOrigin.push(url);
    return route.abort('internetdisconnected');
  });
  page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
}, 60_000);
afterAll(async () => {
  await ifStarted(browser)?.close();
  await ifStarted(graph)?.close();
});

/** Replaces the text of a visible CodeMirror editor (GraphiQL 3 uses CodeMirror 5, which hangs its API on the element). */
async function setEditor(selector: string, text: string) {
  const editor = page.locator(`${selector} .CodeMirror`).filter({ visible: true });
  await editor.evaluate((el, value) => (el as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(value), text);
}

/**
 * Replaces the query and waits until GraphiQL has taken in its operation name (it does so after a
 * debounce; running before would send the previous name with the new text).
 */
async function setQuery(text: string, operationName: string) {
  await setEditor('.graphiql-query-editor', text);
  const tabState = () => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('graphiql:tabState') ?? '';
  await expect.poll(() => page.evaluate(tabState)).toContain(`"operationName":"${operationName}"`);
}

const result = () => page.locator('.result-window');

describe('GraphiQL, offline, in Chromium', () => {
  it('loads from the gateway alone and runs a query', async () => {
    await page.goto(graph.gw.url);
    await page.waitForSelector('.graphiql-container');
    // Its default query (FindAgency) is for the real graph (checked in explorer.test.ts); the fixture graph is smaller.
    await expect.poll(() => page.locator('.graphiql-query-editor').innerText()).toMatch(/query FindAgency/);
    await setQuery('query Places { agencies(search: "capil", first: 5) { id name abbreviation } }', 'Places');
    await page.click('.graphiql-execute-button');
    await expect.poll(() => result().innerText(), { timeout: 10_000 }).toMatch(/"id": "dispendukcapil"/);
  });

  it('runs a signed-in query with the token put in its Headers editor', async () => {
    const token = await graph.gw.idp.issue('warga.siti');
    await setQuery('query Me { me { name } }', 'Me');
    await page.getByRole('button', { name: 'Headers' }).click();
    await setEditor('.graphiql-editor-tool', JSON.stringify({ Authorization: `Bearer ${token}` }));
    await page.click('.graphiql-execute-button');
    await expect.poll(() => result().innerText(), { timeout: 10_000 }).toMatch(/"name": "Siti Rahayu"/);
  });

  it('loaded its schema (introspection) and asked for nothing outside the origin, with no errors', async () => {
    await page.getByRole('button', { name: /documentation explorer/i }).click();
    await expect.poll(() => page.locator('.graphiql-doc-explorer').innerText()).toMatch(/Query/);
    expect(offOrigin).toEqual([]);
    expect(problems).toEqual([]);
  });
});
