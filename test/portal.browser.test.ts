import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl, ifStarted } from '@gerbang/testing';
import { generateHistory } from '../subgraphs/insights/src/history/generate';
import { DevLogin, DEV_LOGIN_PATHS } from '../gateway/src/dev-login';
import { Portal } from '../gateway/src/edge/portal';
import { ensurePortalBuilt, WEB_DIST } from '../scripts/portal';
import { startStack, type Stack } from './support/stack';
import { siakStatus as siakStatusOf, testEventBuses, wsClient } from './support/live';

/**
 * The portal (web/) in a real browser against the whole graph: every agency-system simulator,
 * every subgraph and the gateway (test/support/stack.ts), the gateway serving the built portal
 * and the development IdP's login page, with the safelist enforced (PERSISTED_ONLY) for the
 * portal. Chromium at 360 × 780 (a small phone); every page is checked with axe-core (WCAG 2.2
 * AA) and for horizontal overflow; screenshots of the key screens go to PORTAL_SCREENSHOTS
 * (default test-results/portal), which CI keeps. Needs Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium): `npm run test:browser`.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = resolve(process.env.PORTAL_SCREENSHOTS ?? 'test-results/portal');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const contract = (name: string) => readFileSync(new URL(`../gateway/operations/${name}.graphql`, import.meta.url), 'utf8');

let stack: Stack;
let browser: Browser;
let origin: string;
/** Every GraphQL request the pages sent: their bodies must carry an id and no text. */
const graphqlBodies: Record<string, unknown>[] = [];
/** Every subscribe message the pages sent over WebSocket: an id and an empty `query` too. */
const subscribeMessages: { payload: Record<string, any> }[] = [];
/** The newest page WebSocket on /graphql (proxied by Playwright, so a test can cut it). */
let lastSocket: { page: WebSocketRoute; server: WebSocketRoute } | undefined;
const problems: string[] = [];

beforeAll(async () => {
  ensurePortalBuilt();
  mkdirSync(SHOTS, { recursive: true });
  stack = await startStack({
    // Live ticket status ("Layanan saya"): the ledger's events on a bus of the test's own.
    events: testEventBuses(),
    gateway: (idp) => {
      const login = new DevLogin(idp);
      const portal = new Portal({
        dir: WEB_DIST,
        auth: { issuer: idp.issuer, authorizationEndpoint: DEV_LOGIN_PATHS.authorize, tokenEndpoint: DEV_LOGIN_PATHS.token, clientId: 'portal', scope: 'openid' },
      });
      return {
        persisted: { enforce: true },
        rateLimit: false,
        pages: [(req, res, url) => login.serve(req, res, url), (req, res, url, headers) => portal.serve(req, res, url.pathname, headers)],
      };
    },
  });
  origin = new URL(stack.gatewayUrl).origin;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
}, 120_000);

afterAll(async () => {
  await ifStarted(browser)?.close();
  await ifStarted(stack)?.close();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
    problems.push(`off-origin request: ${url}`);
    return route.abort('internetdisconnected');
  });
  await context.routeWebSocket(/\/graphql$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const parsed = JSON.parse(String(message)) as { type: string; payload: Record<string, any> };
      if (parsed.type === 'subscribe') subscribeMessages.push(parsed);
      server.send(message);
    });
    lastSocket = { page: ws, server };
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === '/graphql' && req.method() === 'POST') graphqlBodies.push(req.postDataJSON() as Record<string, unknown>);
  });
  return { context, page };
}

/** axe-core on the page as it is now (WCAG 2.0–2.2 A and AA), and no sideways scrolling at 360 px. */
async function checkPage(page: Page, name: string): Promise<void> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations, `axe-core on ${name}`).toEqual([]);
  const overflow = await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return d.scrollWidth - d.clientWidth;
  });
  expect(overflow, `horizontal overflow on ${name} at 360 px`).toBeLessThanOrEqual(0);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** The portal's "Masuk" → the development IdP's login page → pick the demo login → back, signed in. */
async function signIn(page: Page, login: string): Promise<void> {
  await page.locator('header').getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL((u) => u.pathname === DEV_LOGIN_PATHS.authorize);
  await page.locator(`input[name="login"][value="${login}"]`).check();
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL((u) => u.origin === origin && !u.pathname.startsWith('/dev/') && u.pathname !== '/auth/callback');
  await expect.poll(() => page.locator('header .who').textContent()).toMatch(/Masuk sebagai/);
}

async function respondents(page: Page): Promise<number> {
  const cell = page.getByTestId('ikm-respondents');
  await cell.waitFor();
  return Number(await cell.getAttribute('data-count'));
}

const siakStatus = (ticketId: string, status: string) => siakStatusOf(stack, ticketId, status);

describe('the portal, in Chromium at 360 px, against the whole graph', () => {
  it("serves the portal at / with its own CSP, and index.html for its routes, not for the gateway's paths", async () => {
    const home = await fetch(`${origin}/`, { headers: { accept: 'text/html' } });
    expect(home.status).toBe(200);
    expect(home.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await home.text()).toMatch(/<div id="root">/);
    const route = await fetch(`${origin}/layanan-saya`, { headers: { accept: 'text/html' } });
    expect(route.status).toBe(200);
    const missing = await fetch(`${origin}/assets/nope.js`);
    expect(missing.status).toBe(404);
    const config = (await (await fetch(`${origin}/portal-config.json`)).json()) as { auth: { authorizationEndpoint: string } };
    expect(config.auth.authorizationEndpoint).toBe(DEV_LOGIN_PATHS.authorize);
  });

  it('citizen: finds Dispendukcapil by "capil", signs in as warga.siti, sees five agencies\' tickets, rates one with SKM, and the IKM respondents grow by one', async () => {
    const { context, page } = await newPage();
    await page.goto(`${origin}/`);
    await checkPage(page, 'home');
    await page.getByLabel('Nama atau singkatan instansi').fill('capil');
    await page.getByRole('button', { name: 'Cari' }).click();
    const link = page.getByRole('link', { name: /Dinas Kependudukan dan Pencatatan Sipil/ });
    await link.waitFor();
    await shot(page, '01-search-capil');
    await checkPage(page, 'search results');
    await link.click();
    await page.waitForURL(`${origin}/instansi/dispendukcapil`);
    await page.getByRole('heading', { level: 1, name: /Dinas Kependudukan/ }).waitFor();
    const before = await respondents(page);
    await page.getByRole('heading', { name: 'Layanan', exact: true }).waitFor();
    await shot(page, '02-agency-dispendukcapil');
    await checkPage(page, 'agency page');

    await signIn(page, 'warga.siti');
    expect(new URL(page.url()).pathname).toBe('/instansi/dispendukcapil');
    await page.getByRole('link', { name: 'Layanan saya' }).click();
    const tickets = page.getByTestId('tickets').locator(':scope > li');
    await tickets.first().waitFor();
    const agencies = new Set(await tickets.evaluateAll((items) => items.map((i) => (i as unknown as { dataset: { agency: string } }).dataset.agency)));
    expect(agencies.size).toBe(5);
    await shot(page, '03-layanan-saya');
    await checkPage(page, 'Layanan saya');

    const ticketId = await page
      .locator('[data-agency="dispendukcapil"]')
      .filter({ has: page.getByRole('button', { name: /^Beri penilaian/ }) })
      .first()
      .getAttribute('data-ticket');
    const ticket = page.locator(`[data-ticket="${ticketId}"]`);
    await ticket.getByRole('button', { name: /^Beri penilaian/ }).click();
    await ticket.getByRole('radio', { name: '5 bintang', exact: true }).check();
    await ticket.getByLabel('Komentar (opsional)').fill('Pelayanan cepat, petugas ramah.');
    await ticket.getByLabel(/Survei Kepuasan Masyarakat/).check();
    const questions = ticket.locator('fieldset.skm-q');
    expect(await questions.count()).toBe(9);
    for (let i = 0; i < 9; i++)
      await questions
        .nth(i)
        .getByRole('radio', { name: i % 2 ? 'Baik' : 'Sangat baik', exact: true })
        .check();
    await shot(page, '04-rate-with-skm');
    await checkPage(page, 'rating form with SKM');
    await ticket.getByRole('button', { name: 'Kirim penilaian' }).click();
    await ticket.getByText('Penilaian Anda: 5 bintang').waitFor();

    await page.goto(`${origin}/instansi/dispendukcapil`);
    await expect.poll(() => respondents(page), { timeout: 15_000 }).toBe(before + 1);
    await shot(page, '05-agency-after-rating');

    // The English switch, and back.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: /Citizen satisfaction index/ }).waitFor();
    await checkPage(page, 'agency page in English');
    await page.getByRole('button', { name: 'Ganti ke Bahasa Indonesia' }).click();
    await page.getByRole('heading', { name: /Indeks Kepuasan Masyarakat/ }).waitFor();
    await context.close();
  }, 180_000);

  it('citizen: with SIMPERDA down, the permit section says so while the rest of "Layanan saya" renders', async () => {
    const { context, page } = await newPage();
    stack.simulators.permits.faults.set({ down: true });
    try {
      await page.goto(`${origin}/`);
      await signIn(page, 'warga.siti');
      await page.getByRole('link', { name: 'Layanan saya' }).click();
      const permits = page.locator('#permits');
      await permits.locator('[data-outage]').waitFor({ timeout: 20_000 });
      expect(await permits.textContent()).toMatch(/SIMPERDA \(DPMPTSP\) sedang tidak dapat dihubungi/);
      expect(await page.getByTestId('tickets').locator(':scope > li').count()).toBeGreaterThan(0);
      for (const other of ['#documents', '#clinic', '#tax', '#tickets']) expect(await page.locator(`${other} [data-outage]`).count(), other).toBe(0);
      await shot(page, '06-simperda-down');
      await checkPage(page, 'Layanan saya with SIMPERDA down');
    } finally {
      await shot(page, '06-simperda-down');
      stack.simulators.permits.faults.set({ down: false });
      await context.close();
    }
  }, 180_000);

  it('citizen: requests a population document, applies for a permit, books a Puskesmas queue number and checks a PBB bill', async () => {
    const { context, page } = await newPage();
    await page.goto(`${origin}/`);
    await signIn(page, 'warga.siti');
    await page.getByRole('link', { name: 'Layanan saya' }).click();
    await page.getByTestId('tickets').waitFor();

    const documents = page.locator('#documents');
    await documents.getByText('Ajukan dokumen kependudukan').click();
    await documents.getByLabel('Jenis dokumen').selectOption('KTP_EL');
    await documents.getByLabel('Catatan (opsional)').fill('KTP rusak, mohon cetak ulang.');
    await documents.getByRole('button', { name: 'Ajukan', exact: true }).click();
    await documents.getByText(/^Berhasil: /).waitFor({ timeout: 20_000 });

    const permits = page.locator('#permits');
    await permits.getByText('Ajukan izin daerah').click();
    await permits.getByLabel('Jenis izin').selectOption('REKLAME');
    await permits.getByLabel('Uraian').fill('Papan nama toko 2 x 1 m');
    await permits.getByLabel('Lokasi').fill('Jl. Panglima Sudirman No. 21, Ngantru');
    await permits.getByRole('button', { name: 'Ajukan izin' }).click();
    await permits.getByText(/^Berhasil: /).waitFor({ timeout: 20_000 });

    const clinic = page.locator('#clinic');
    await clinic.getByText('Ambil nomor antrean Puskesmas').click();
    const poli = clinic.getByLabel('Poli');
    await expect.poll(() => poli.locator('option:not([disabled])').count(), { timeout: 20_000 }).toBeGreaterThan(1);
    const value = await poli.locator('option:not([disabled])').nth(1).getAttribute('value');
    await poli.selectOption(value);
    await clinic.getByRole('button', { name: 'Ambil antrean' }).click();
    await clinic.getByText(/^Berhasil: Nomor antrean /).waitFor({ timeout: 20_000 });

    const tax = page.locator('#tax');
    await tax.getByText('Cek tagihan PBB').click();
    await tax.getByLabel('NOP (18 digit)').fill('35.03.110.005.001-0012.0');
    await tax.getByLabel('Tahun pajak').fill('2026');
    await tax.getByRole('button', { name: 'Cek', exact: true }).click();
    await tax.getByText('Wajib pajak').waitFor({ timeout: 20_000 });
    await shot(page, '10-requests-and-bookings');
    await checkPage(page, 'Layanan saya with its forms open');
    await context.close();
  }, 180_000);

  it('citizen: attaches scans to a document request and a permit application, is refused a file that is not what it says, and downloads their own', async () => {
    const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(13, 1), Buffer.alloc(64, 7)]);
    const { context, page } = await newPage();
    await page.goto(`${origin}/`);
    await signIn(page, 'warga.budi');
    await page.getByRole('link', { name: 'Layanan saya' }).click();
    await page.getByTestId('tickets').waitFor();

    const documents = page.locator('#documents');
    await documents.getByText('Ajukan dokumen kependudukan').click();
    await documents.getByLabel('Jenis dokumen').selectOption('KK');
    await documents.getByLabel('Jenis lampiran').selectOption('KK');
    const picker = documents.getByLabel('Lampirkan pindaian (PDF, JPEG, atau PNG, paling besar 5 MB)');
    await picker.setInputFiles({ name: 'kk-budi.pdf', mimeType: 'application/pdf', buffer: PDF });
    await documents.getByText('kk-budi.pdf terunggah').waitFor({ timeout: 20_000 });
    // HTML named and typed as a photo: the server reads the bytes and refuses it, in Indonesian.
    await documents.getByLabel('Jenis lampiran').selectOption('PHOTO');
    await picker.setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: Buffer.from('<!doctype html><script>alert(1)</script>') });
    await documents.getByText('Berkas harus PDF, JPEG, atau PNG (isi berkas diperiksa, bukan hanya namanya).').waitFor({ timeout: 20_000 });
    await shot(page, '11-attachment-refused');
    await checkPage(page, 'document request with attachments');
    await documents.getByRole('button', { name: 'Hapus foto.png dari pengajuan' }).click();
    await documents.getByRole('button', { name: 'Ajukan', exact: true }).click();
    await documents.getByText(/^Berhasil: /).waitFor({ timeout: 20_000 });

    const permits = page.locator('#permits');
    await permits.getByText('Ajukan izin daerah').click();
    await permits.getByLabel('Jenis izin').selectOption('REKLAME');
    await permits.getByLabel('Uraian').fill('Papan reklame 3 x 2 m');
    await permits.getByLabel('Lokasi').fill('Jl. Soekarno-Hatta No. 5, Trenggalek');
    await permits.getByLabel('Jenis lampiran').selectOption('PHOTO');
    await permits.getByLabel('Lampirkan pindaian (PDF, JPEG, atau PNG, paling besar 5 MB)').setInputFiles({ name: 'lokasi.png', mimeType: 'image/png', buffer: PNG });
    await permits.getByText('lokasi.png terunggah').waitFor({ timeout: 20_000 });
    await permits.getByRole('button', { name: 'Ajukan izin' }).click();
    await permits.getByText(/^Berhasil: /).waitFor({ timeout: 20_000 });

    // "Lampiran saya": both, each attached to its request (never the refused one), and a download.
    const mine = page.getByTestId('attachments').locator(':scope > li');
    await expect.poll(() => mine.count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(async () => (await mine.allTextContents()).every((text) => text.includes('untuk '))).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Unduh kk-budi.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('kk-budi.pdf');
    expect(readFileSync(await download.path()).equals(PDF)).toBe(true);
    await page.locator('#attachments').scrollIntoViewIfNeeded();
    await shot(page, '12-my-attachments');
    await checkPage(page, 'Layanan saya with attachments');

    await context.close();

    // Another citizen sees none of them.
    const siti = await newPage();
    await siti.page.goto(`${origin}/`);
    await signIn(siti.page, 'warga.siti');
    await siti.page.getByRole('link', { name: 'Layanan saya' }).click();
    const theirs = siti.page.locator('#attachments');
    await theirs.getByText('Belum ada lampiran.').waitFor({ timeout: 20_000 });
    expect(await theirs.textContent()).not.toMatch(/kk-budi|lokasi/);
    await siti.context.close();
  }, 180_000);

  it('officer: sees their own stars and their TPP row', async () => {
    const { context, page } = await newPage();
    await page.goto(`${origin}/`);
    await signIn(page, 'petugas.dukcapil');
    await page.getByRole('link', { name: 'Kinerja saya' }).click();
    await page.getByRole('heading', { name: /Agus Prasetyo/ }).waitFor({ timeout: 20_000 });
    const table = page.getByRole('table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(1);
    expect(await table.locator('tbody tr th').textContent()).toBe('Agus Prasetyo');
    await shot(page, '11-officer');
    await checkPage(page, 'officer page');
    await context.close();
  }, 180_000);

  it("HR: finalises a closed month of an agency's TPP report", async () => {
    const { context, page } = await newPage();
    await page.goto(`${origin}/`);
    await signIn(page, 'hr.bkpsdm');
    await page.getByRole('link', { name: 'TPP (BKPSDM)' }).click();
    await page.getByLabel('Instansi', { exact: true }).selectOption('dispendukcapil');
    const state = page.getByTestId('tpp-state');
    await state.waitFor();
    expect(await state.getAttribute('data-finalized')).toBe('false');
    await shot(page, '07-hr-tpp-report');
    await checkPage(page, 'HR TPP report');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: /^Finalkan laporan/ }).click();
    await expect.poll(() => state.getAttribute('data-finalized'), { timeout: 15_000 }).toBe('true');
    expect(await state.textContent()).toMatch(/Final sejak/);
    await shot(page, '08-hr-finalised');
    await context.close();
  }, 180_000);

  it('admin: resolves a flagged rating from the moderation queue', async () => {
    // A rating given while BKPSDM's register is down is held with a REGISTER_UNCHECKED flag.
    // The safelisted contract operations (the gateway enforces the safelist here).
    const { body } = await stack.graphql(contract('my-tickets'), { login: 'warga.budi' });
    const ticket = body.data.me.tickets.find((t: { canRate: boolean; agency: { id: string } }) => t.canRate && t.agency.id !== 'dispendukcapil');
    expect(ticket).toBeDefined();
    stack.simulators.bkpsdm.faults.set({ down: true });
    try {
      const rated = await stack.graphql(contract('rate-service'), {
        login: 'warga.budi',
        variables: { input: { ticketId: ticket.id, stars: 2, comment: 'Antre lama.' } },
      });
      expect(rated.body.errors).toBeUndefined();
    } finally {
      stack.simulators.bkpsdm.faults.set({ down: false });
    }

    const { context, page } = await newPage();
    await page.goto(`${origin}/`);
    await signIn(page, 'admin');
    await page.getByRole('link', { name: 'Moderasi' }).click();
    const flags = page.getByTestId('flags').locator(':scope > li');
    await flags.first().waitFor();
    const count = await flags.count();
    await shot(page, '09-admin-moderation');
    await checkPage(page, 'moderation queue');
    const flag = flags.filter({ hasText: 'Antre lama.' }).first();
    await flag.getByLabel('Catatan moderasi').fill('Diperiksa: pelapor bukan pegawai instansi.');
    await flag.getByRole('button', { name: 'Terima penilaian' }).click();
    await page.getByText('Tanda diselesaikan: ACCEPTED').waitFor();
    await expect.poll(() => flags.count()).toBe(count - 1);
    await context.close();
  }, 180_000);

  it('citizen: "Layanan saya" shows a new ticket and its status changes at SIAK without reload, and resumes after a dropped connection', async () => {
    const { context, page } = await newPage();
    await page.goto(`${origin}/`);
    await signIn(page, 'warga.siti');
    await page.getByRole('link', { name: 'Layanan saya' }).click();
    const items = page.getByTestId('tickets').locator(':scope > li');
    await items.first().waitFor();
    const live = page.getByTestId('live-state');
    await expect.poll(() => live.getAttribute('data-state'), { timeout: 20_000 }).toBe('live');
    // A marker a reload would wipe.
    await page.evaluate(() => ((globalThis as unknown as { liveMarker: number }).liveMarker = 1));
    const before = new Set(await items.evaluateAll((list) => list.map((i) => (i as unknown as { dataset: { ticket: string } }).dataset.ticket)));

    // A KK request from the page; SIAK's feed brings it into the ledger, and the list gains it live.
    const documents = page.locator('#documents');
    await documents.getByText('Ajukan dokumen kependudukan').click();
    await documents.getByLabel('Jenis dokumen').selectOption('KK');
    await documents.getByRole('button', { name: 'Ajukan', exact: true }).click();
    await documents.getByText(/^Berhasil: /).waitFor({ timeout: 20_000 });
    await stack.syncTickets('population');
    let ticketId = '';
    await expect
      .poll(
        async () => {
          const ids = await items.evaluateAll((list) => list.map((i) => (i as unknown as { dataset: { ticket: string } }).dataset.ticket));
          ticketId = ids.find((id) => !before.has(id)) ?? '';
          return ticketId;
        },
        { timeout: 20_000 },
      )
      .not.toBe('');
    const ticket = page.locator(`[data-ticket="${ticketId}"]`);
    await ticket.getByText('Diajukan', { exact: true }).waitFor();

    // An officer at SIAK verifies it: the status changes in place.
    await siakStatus(ticketId, 'VERIFIED');
    await ticket.getByText('Diproses', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('live-last').textContent()).toMatch(/kini Diproses/);
    await shot(page, '12-layanan-saya-live');
    await checkPage(page, 'Layanan saya, live');

    // The connection drops; SIAK completes the request meanwhile; the page reconnects with `after`
    // and gets the change it missed.
    const subscribed = subscribeMessages.length;
    await lastSocket!.server.close();
    await lastSocket!.page.close({ code: 1012, reason: 'test: connection dropped' });
    await siakStatus(ticketId, 'COMPLETED');
    await ticket.getByText('Selesai', { exact: true }).waitFor({ timeout: 30_000 });
    await ticket.getByRole('button', { name: /^Beri penilaian/ }).waitFor();
    const resumed = subscribeMessages.slice(subscribed);
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed.at(-1)!.payload.variables.after).toMatch(/^\d+$/);
    expect(await live.getAttribute('data-state')).toBe('live');
    expect(await page.evaluate(() => (globalThis as unknown as { liveMarker?: number }).liveMarker)).toBe(1);
    await context.close();
  }, 180_000);

  it('live status under PERSISTED_ONLY: a subscription by safelisted id is served, text or an unknown id refused with their codes', async () => {
    const token = await stack.token('warga.budi');
    const client = wsClient(stack.gatewayUrl, token);
    const outcome = (payload: Record<string, unknown>) =>
      new Promise<{ codes?: string[]; next?: boolean }>((resolve) => {
        let stop: () => void = () => undefined;
        stop = client.subscribe(payload as never, {
          next: () => (stop(), resolve({ next: true })),
          error: (err) => resolve({ codes: Array.isArray(err) ? err.map((e: { extensions?: { code?: string } }) => String(e.extensions?.code)) : [String(err)] }),
          complete: () => resolve({}),
        });
      });
    try {
      const id = Object.entries(JSON.parse(readFileSync(new URL('../web/src/gql/persisted-documents.json', import.meta.url), 'utf8')) as Record<string, string>).find(([, text]) =>
        text.startsWith('subscription MyTicketUpdates'),
      )![0];
      expect(await outcome({ query: 'subscription Mine { myTicketUpdates { id status } }' })).toEqual({ codes: ['PERSISTED_QUERY_REQUIRED'] });
      expect(await outcome({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } })).toEqual({ codes: ['PERSISTED_QUERY_NOT_FOUND'] });
      expect(await outcome({ query: 'subscription Mine { myTicketUpdates { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: id } } })).toEqual({
        codes: ['PERSISTED_QUERY_HASH_MISMATCH'],
      });
      // By id: replays warga.budi's tickets changed after cursor 0, so the first event comes at once.
      expect(await outcome({ query: '', operationName: 'MyTicketUpdates', variables: { after: '0' }, extensions: { persistedQuery: { version: 1, sha256Hash: id } } })).toEqual({ next: true });
    } finally {
      await client.dispose();
    }
  }, 60_000);

  it('analyst: the insights dashboard charts SLA, stars and IKM by agency and month, marks and explains suppressed cells, shows the budget and exports the table as CSV', async () => {
    // A history to analyse: the last six months (insights' generator), then the rollups.
    const thisMonth = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
    const db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 1 });
    try {
      const client = await db.connect();
      try {
        await generateHistory(client, { seed: 15, months: 6, citizens: 8000, endMonth: thisMonth, now: new Date(), ledgerSchema: stack.insights.ledgerSchema, insightsSchema: stack.insights.schema });
      } finally {
        client.release();
      }
    } finally {
      await db.end();
    }
    await stack.insights.refresh();

    const { context, page } = await newPage();
    await page.goto(`${origin}/`);
    await signIn(page, 'analis');
    await page.getByRole('link', { name: 'Analisis' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dasbor analisis layanan' }).waitFor();
    const table = page.getByTestId('insights-table');
    await table.waitFor({ timeout: 30_000 });

    // Charts: one per agency, SLA first, then stars on request; each says its values in its name.
    const charts = page.locator('#charts svg[role="img"]');
    expect(await charts.count()).toBeGreaterThan(3);
    expect(await charts.first().getAttribute('data-measure')).toBe('COMPLETED_WITHIN_SLA_PERCENT');
    expect(await charts.first().getAttribute('aria-label')).toMatch(/^Selesai sesuai SLA \(%\), /);
    await page.getByRole('radio', { name: 'Rata-rata bintang' }).check();
    expect(await charts.first().getAttribute('data-measure')).toBe('AVERAGE_STARS');

    // The table: suppressed cells marked as such, as many as the API suppressed, and explained.
    const question = {
      measures: ['COMPLETED_WITHIN_SLA_PERCENT', 'TICKETS_COMPLETED', 'AVERAGE_STARS', 'RATINGS', 'IKM'],
      dimensions: ['AGENCY', 'MONTH'],
      from: await page.getByLabel('Dari bulan').inputValue(),
      to: thisMonth,
    };
    const api = await stack.graphql('query Same($q: InsightQuestionInput!) { insights(question: $q) { suppressedCells rows { month } } }', { login: 'analis', variables: { q: question } });
    expect(api.body.errors).toBeUndefined();
    const suppressed = table.locator('td[data-suppressed="true"]');
    expect(api.body.data.insights.suppressedCells).toBeGreaterThan(0);
    expect(await suppressed.count()).toBe(api.body.data.insights.suppressedCells);
    expect(await suppressed.first().textContent()).toMatch(/disembunyikan/);
    expect(await table.locator('tbody tr').count()).toBe(api.body.data.insights.rows.length);
    expect(await page.getByTestId('suppressed-note').textContent()).toMatch(new RegExp(`menyembunyikan ${api.body.data.insights.suppressedCells} sel`));
    const budget = page.getByTestId('budget');
    expect(Number(await budget.getAttribute('data-remaining'))).toBeGreaterThan(0);
    expect(await budget.textContent()).toMatch(/^Sisa .* dari .* baris/);
    await shot(page, '13-analyst-dashboard');
    await checkPage(page, 'analyst dashboard');

    // Export: the table the page holds, as CSV.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Unduh tabel (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe(`insights-${question.from}-${thisMonth}.csv`);
    const lines = readFileSync(await download.path(), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'agency_id,agency,month,completed_within_sla_percent,completed_within_sla_percent_suppressed,tickets_completed,tickets_completed_suppressed,average_stars,average_stars_suppressed,ratings,ratings_suppressed,ikm,ikm_suppressed',
    );
    expect(lines.length - 1).toBe(api.body.data.insights.rows.length);
    expect(
      lines
        .slice(1)
        .join('\n')
        .match(/,,true/g)?.length,
    ).toBe(api.body.data.insights.suppressedCells);
    await page.getByText(/^Berkas insights-.*\.csv diunduh\.$/).waitFor();
    await context.close();
  }, 300_000);

  it('sent only persisted operations (ids, no text), loaded nothing off-origin, and broke no CSP', () => {
    expect(graphqlBodies.length).toBeGreaterThan(5);
    for (const body of graphqlBodies) {
      expect(body.query).toBeUndefined();
      expect((body.extensions as { persistedQuery?: { sha256Hash?: string } }).persistedQuery?.sha256Hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(subscribeMessages.length).toBeGreaterThan(0);
    for (const { payload } of subscribeMessages) {
      expect(payload.query).toBe('');
      expect(payload.extensions.persistedQuery.sha256Hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(problems).toEqual([]);
  });
});
