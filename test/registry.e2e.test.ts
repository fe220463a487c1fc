import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchServiceSdl } from '@gerbang/registry';
import { TEST_INTERNAL_SECRET, testDatabaseUrl, ifStarted } from '@gerbang/testing';
import { startStack, type Stack } from './support/stack';

/**
 * The schema registry's "done when", end to end: a new agency's subgraph, scaffolded by
 * `npm run agency:new` into a folder outside the workspace's subgraph list and running as a process
 * of its own, is published with the `gerbang` CLI (the bin, as an agency runs it) by a publisher
 * token bound to its name. Two gateway replicas that were already running serve its fields without
 * a restart, and `me.tickets` lists its tickets (its ticket feed into the ratings ledger). Then a
 * breaking change is refused naming the operations and clients it would break (served through the
 * gateway, and safelisted), an admin forces it with a reason (logged, append-only), a rollback
 * restores the previous graph, and an agency cannot publish another's subgraph.
 */
const root = resolve(import.meta.dirname, '..');
// Inside the checkout (git ignores .data), so that the package finds the hub's node_modules as one
// in agencies/ does; outside the workspace list all the same.
const base = join(root, '.data', `registry-e2e-${randomBytes(4).toString('hex')}`);
const BIN = join(root, 'packages/cli/bin/gerbang.mjs');
const FEED_KEY = 'e2e-dishub-ticket-feed-key-0123456789';
const SITI_TICKETS = '{ me { tickets(first: 50) { id status kirBooking { code status } } } }';
const KIOSK_SUBJECT = 'query KioskBookingSubject { kirBooking(code: "B-0001") { code subject } }';
const SAFELISTED = 'query KioskBookings($code: String!) {\n  kirBooking(code: $code) {\n    code\n    subject\n  }\n}';

interface Agency {
  url: string;
  process: ChildProcess;
  log: string[];
}

/** `node --import tsx src/main.ts` in the agency's folder, as its README says to run it; resolves with its URL. */
function runAgency(dir: string, env: Record<string, string>): Promise<Agency> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      INTERNAL_SIGNING_SECRET: TEST_INTERNAL_SECRET,
      DATA_DIR: join(dir, '.data'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`agency subgraph in ${dir} did not start:\n${log.join('')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      log.push(chunk.toString());
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)".*subgraph listening/.exec(log.join(''));
      if (m) {
        clearTimeout(timer);
        resolvePromise({ url: `${m[1]}/graphql`, process: child, log });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`agency subgraph in ${dir} exited with ${code}:\n${log.join('')}`));
    });
  });
}

describe('an agency plugs in through the registry (issue 12, done when)', () => {
  let stack: Stack;
  let replica: Awaited<ReturnType<Stack['addGateway']>>;
  let v1: Agency;
  let v2: Agency;
  let registryUrl: string;

  /** The CLI's bin, run as a process (what an agency's CI runs); not spawnSync: the gateways answer from this process. */
  const gerbang = async (args: string[], login?: string) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', GERBANG_REGISTRY: registryUrl, INTERNAL_SIGNING_SECRET: TEST_INTERNAL_SECRET };
    if (login) env.GERBANG_TOKEN = await stack.token(login);
    const t0 = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((done) => child.once('close', (c) => done(c)));
    if (process.env.REGISTRY_E2E_VERBOSE) console.log(`gerbang ${args.slice(0, 2).join(' ')}: exit ${code} in ${Date.now() - t0} ms\n${err}`);
    return { code, out, err };
  };
  const on = (gatewayUrl: string, query: string, options: { login?: string; headers?: Record<string, string> } = {}) =>
    (async () => {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
      if (options.login) headers.authorization = `Bearer ${await stack.token(options.login)}`;
      const res = await fetch(gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query }) });
      return (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
    })();
  const gateways = () => [stack.gatewayUrl, replica.url];

  beforeAll(async () => {
    mkdirSync(base, { recursive: true });
    // The starter kit, as an agency runs it.
    const scaffold = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/agency-new.ts'), 'kir', '--dir', join(base, 'kir'), '--agency', 'dishub', '--service', 'dishub.uji-kir'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(scaffold.status, scaffold.stderr).toBe(0);
    // Its next release: a field removed (a breaking change), deployed beside it.
    cpSync(join(base, 'kir'), join(base, 'kir-next'), { recursive: true });
    const schemaFile = join(base, 'kir-next/src/schema.ts');
    const source = readFileSync(schemaFile, 'utf8');
    const next = source.replace("  @Field(() => String, { description: 'What the booking is for.' })\n  subject!: string;\n\n", '').replace(' subject: b.subject,', '');
    expect(next).not.toBe(source);
    writeFileSync(schemaFile, next.replace('subject!: string', ''));

    // A safelisted operation of the portal's clients that reads the new agency's field.
    const manifest = JSON.parse(readFileSync(join(root, 'gateway/operations/manifest.json'), 'utf8')) as { operations: unknown[] };
    manifest.operations.push({ id: createHash('sha256').update(SAFELISTED).digest('hex'), name: 'KioskBookings', type: 'query', body: SAFELISTED });
    writeFileSync(join(base, 'manifest.json'), JSON.stringify(manifest));

    [stack, v2] = await Promise.all([
      startStack({ registry: { safelistPath: join(base, 'manifest.json'), pollMs: 1_000 }, feedKeys: { dishub: FEED_KEY } }),
      runAgency(join(base, 'kir-next'), { TICKET_FEED_KEY: FEED_KEY, TICKET_SYNC_INTERVAL_MS: '0' }),
    ]);
    // Not listed anywhere in the workspace: its own process and port, its ticket feed to the hub's ledger.
    v1 = await runAgency(join(base, 'kir'), { TICKET_FEED_KEY: FEED_KEY, TICKET_SYNC_INTERVAL_MS: '200', RATINGS_URL: stack.subgraphUrls.ratings!.replace(/\/graphql$/, '') });
    replica = await stack.addGateway();
    registryUrl = stack.gatewayUrl.replace(/\/graphql$/, '');
  }, 180_000);

  afterAll(async () => {
    for (const a of [v1, v2]) ifStarted(a)?.process.kill('SIGTERM');
    await ifStarted(stack)?.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('publishes the new subgraph with the CLI; the running gateways serve it and me.tickets lists its tickets', async () => {
    const before = await on(stack.gatewayUrl, '{ kirBooking(code: "B-0001") { code } }', { login: 'warga.siti' });
    expect(before.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const published = await gerbang(['subgraph', 'publish', '--name', 'kir', '--url', v1.url, '--routing-url', v1.url, '--commit', 'c0ffee'], 'publisher:kir');
    expect(published.err).toBe('');
    expect(published.code, published.out).toBe(0);
    expect(published.out).toMatch(/Published: "kir" subgraph version \d+, supergraph version \d+/);

    for (const url of gateways()) {
      await expect
        .poll(async () => (await on(url, SITI_TICKETS, { login: 'warga.siti' })).data?.me?.tickets?.filter((t: { id: string }) => t.id.startsWith('dishub:')), { timeout: 20_000, interval: 250 })
        .toEqual([
          { id: 'dishub:B-0002', status: 'SUBMITTED', kirBooking: { code: 'B-0002', status: 'BOOKED' } },
          { id: 'dishub:B-0001', status: 'COMPLETED', kirBooking: { code: 'B-0001', status: 'DONE' } },
        ]);
    }
    // Another citizen sees neither the tickets nor the booking.
    expect((await on(replica.url, '{ kirBooking(code: "B-0001") { code } }', { login: 'warga.budi' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("refuses an agency publishing another agency's subgraph, or forcing", async () => {
    const sdlFile = join(base, 'kir.graphql');
    writeFileSync(sdlFile, await fetchServiceSdl(v1.url, 'kir', TEST_INTERNAL_SECRET));
    const other = await gerbang(['subgraph', 'publish', '--name', 'population', '--schema', sdlFile, '--routing-url', v1.url], 'publisher:kir');
    expect(other.code, other.err).toBe(3);
    expect(other.err).toMatch(/FORBIDDEN: This token publishes subgraph "kir" only, not "population"/);
    const forced = await gerbang(['subgraph', 'publish', '--name', 'kir', '--url', v2.url, '--routing-url', v2.url, '--force', '--reason', 'mine'], 'publisher:kir');
    expect(forced.code).toBe(3);
    expect(forced.err).toMatch(/Only an admin may force/);
  });

  it('refuses a breaking change naming the operations and clients it breaks; an admin forces it with a reason, logged; a rollback restores the graph', async () => {
    // A client of the agency's own, served by the gateway (the registry records what it serves).
    const kiosk = await on(replica.url, KIOSK_SUBJECT, { login: 'warga.siti', headers: { 'apollographql-client-name': 'dishub-kiosk' } });
    expect(kiosk.data.kirBooking).toEqual({ code: 'B-0001', subject: 'demo booking 1' });
    await stack.registry!.flushServed();

    const refused = await gerbang(['subgraph', 'publish', '--name', 'kir', '--url', v2.url, '--routing-url', v2.url], 'publisher:kir');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/SCHEMA_CHECK_FAILED: Publish of "kir" refused: 1 breaking change\(s\), 2 operation\(s\) in use would fail \(clients: portal, mobile, dishub-kiosk\)/);
    expect(refused.out).toMatch(/changes +FAIL +1 breaking/);
    expect(refused.out).toMatch(/Field 'subject' was removed from object type 'KirBooking'/);
    expect(refused.out).toMatch(/KioskBookings \(safelist, clients: portal, mobile\)/);
    expect(refused.out).toMatch(/KioskBookingSubject \(served, clients: dishub-kiosk, 1 served, last /);
    const asJson = await gerbang(['subgraph', 'check', '--name', 'kir', '--url', v2.url, '--json'], 'publisher:kir');
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.out).report.usage.failing.map((f: { operation: string; clients: string[] }) => [f.operation, f.clients])).toEqual(
      expect.arrayContaining([
        ['KioskBookings', ['portal', 'mobile']],
        ['KioskBookingSubject', ['dishub-kiosk']],
      ]),
    );
    // Nothing changed.
    for (const url of gateways()) expect((await on(url, KIOSK_SUBJECT, { login: 'warga.siti' })).data.kirBooking.subject).toBe('demo booking 1');

    const forced = await gerbang(['subgraph', 'publish', '--name', 'kir', '--url', v2.url, '--routing-url', v2.url, '--force', '--reason', 'kiosk retired on 1 December'], 'admin');
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/FORCED: "kir" subgraph version \d+, supergraph version (\d+)/);
    for (const url of gateways()) {
      await expect.poll(async () => (await on(url, KIOSK_SUBJECT, { login: 'warga.siti' })).errors?.[0]?.extensions?.code, { timeout: 10_000, interval: 200 }).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    const log = JSON.parse((await gerbang(['subgraph', 'log', '--name', 'kir', '--json'], 'admin')).out).entries as { action: string; actor: string; reason: string }[];
    expect(log.map((e) => e.action)).toEqual(['force', 'refuse', 'publish']);
    expect(log[0]).toMatchObject({ actor: 'usr-admin', reason: expect.stringMatching(/^kiosk retired on 1 December \(overriding: 1 breaking change\(s\), 2 operation\(s\) in use would fail/) });
    expect(log[1]).toMatchObject({ actor: 'usr-publisher-kir' });
    // The log is append-only, whoever holds the database.
    const db = new pg.Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    try {
      await expect(db.query(`UPDATE "${stack.registry!.schema}".log SET reason = 'nothing happened' WHERE action = 'force'`)).rejects.toThrow(/append-only/);
      await expect(db.query(`DELETE FROM "${stack.registry!.schema}".log`)).rejects.toThrow(/append-only/);
    } finally {
      await db.end();
    }

    const versions = JSON.parse((await gerbang(['supergraph', 'list', '--json'], 'admin')).out).versions as { id: number }[];
    const previous = versions[1]!.id;
    expect((await gerbang(['supergraph', 'rollback', '--to', String(previous), '--reason', 'kiosk back'], 'publisher:kir')).code).toBe(3);
    const rolled = await gerbang(['supergraph', 'rollback', '--to', String(previous), '--reason', 'the kiosk is back in use'], 'admin');
    expect(rolled.code).toBe(0);
    expect(rolled.out).toMatch(new RegExp(`restores version ${previous}`));
    for (const url of gateways()) {
      await expect.poll(async () => (await on(url, KIOSK_SUBJECT, { login: 'warga.siti' })).data?.kirBooking?.subject, { timeout: 10_000, interval: 200 }).toBe('demo booking 1');
    }
  });
});
