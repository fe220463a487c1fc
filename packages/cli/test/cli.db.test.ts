import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printSubgraphSchema } from '@apollo/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_INTERNAL_SECRET } from '@gerbang/testing';
import { startSubgraph, type FixtureSubgraph } from '../../../gateway/test/support/fixtures';
import { startRegistryGateway } from '../../../gateway/test/support/registry';
import { EXIT, main } from '../src/main';

const TICKETS = `
  type Query { "Tickets" tickets: [Ticket!]! }
  type Ticket @key(fields: "id") { id: ID! "Status" status: String! }
`;
const KIR = `
  type Ticket @key(fields: "id") { id: ID! "The KIR booking of this ticket" kirBooking: KirBooking }
  "A vehicle test (KIR) booking" type KirBooking { "Booking code" code: String! "Vehicle plate" plate: String! }
`;
const KIR_BREAKING = KIR.replace('"Vehicle plate" plate: String!', '');
const DATA = [{ id: 'kir:1', status: 'SUBMITTED' }];
const kirResolvers = { Ticket: { __resolveReference: (r: { id: string }) => ({ id: r.id }), kirBooking: () => ({ code: 'KIR-1', plate: 'AG 1234 XY' }) } };

describe('gerbang CLI', () => {
  let env: Awaited<ReturnType<typeof startRegistryGateway>>;
  let tickets: FixtureSubgraph;
  let kir: FixtureSubgraph;
  let kirBreaking: FixtureSubgraph;
  let dir: string;
  const run = async (args: string[], login?: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main([...args, '--registry', env.gw.url.replace('/graphql', '')], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: { ...(login ? { GERBANG_TOKEN: await env.token(login) } : {}), INTERNAL_SIGNING_SECRET: TEST_INTERNAL_SECRET },
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    tickets = await startSubgraph('tickets', TICKETS, { Query: { tickets: () => DATA }, Ticket: { __resolveReference: (r: { id: string }) => DATA.find((t) => t.id === r.id) } });
    kir = await startSubgraph('kir', KIR, kirResolvers);
    kirBreaking = await startSubgraph('kir', KIR_BREAKING, kirResolvers);
    env = await startRegistryGateway([{ name: 'tickets', routingUrl: tickets.url, sdl: printSubgraphSchema(tickets.schema) }]);
    dir = mkdtempSync(join(tmpdir(), 'gerbang-cli-'));
    writeFileSync(join(dir, 'kir.graphql'), printSubgraphSchema(kir.schema));
    writeFileSync(join(dir, 'kir-breaking.graphql'), printSubgraphSchema(kirBreaking.schema));
  });
  afterAll(async () => {
    // Any of them is still unset when beforeAll failed before starting it.
    const gateway = env as typeof env | undefined;
    const subgraphs: (FixtureSubgraph | undefined)[] = [tickets, kir, kirBreaking];
    await gateway?.close();
    for (const s of subgraphs) await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('checks, publishes and lists with exit codes CI can use', async () => {
    expect((await run(['subgraph', 'check', '--name', 'kir', '--schema', join(dir, 'kir.graphql')], 'publisher:kir')).code).toBe(EXIT.OK);
    const asJson = await run(['subgraph', 'check', '--name', 'kir', '--url', kir.url, '--json'], 'publisher:kir');
    expect(JSON.parse(asJson.out).report).toMatchObject({ ok: true, subgraph: 'kir' });
    const published = await run(['subgraph', 'publish', '--name', 'kir', '--schema', join(dir, 'kir.graphql'), '--routing-url', kir.url, '--commit', 'f00d'], 'publisher:kir');
    expect(published).toMatchObject({ code: EXIT.OK, out: expect.stringMatching(/Published: "kir" subgraph version \d+, supergraph version \d+/) });
    const list = await run(['subgraph', 'list'], 'publisher:kir');
    expect(list.out).toMatch(/kir +\d+ +http:\/\/127\.0\.0\.1:\d+\/graphql +usr-admin +f00d/);
    expect((await run(['subgraph', 'publish', '--name', 'tickets', '--schema', join(dir, 'kir.graphql'), '--routing-url', kir.url], 'publisher:kir')).code).toBe(EXIT.AUTH);
    expect((await run(['subgraph', 'publish', '--name', 'kir', '--schema', join(dir, 'kir.graphql'), '--routing-url', kir.url])).code).toBe(EXIT.AUTH);
    expect((await run(['subgraph', 'publish', '--name', 'kir', '--schema', join(dir, 'kir.graphql')], 'publisher:kir')).code).toBe(EXIT.USAGE);
    expect((await run(['subgraph', 'publish', '--name', 'kir', '--schema', join(dir, 'kir.graphql'), '--routing-url', 'http://127.0.0.1:9/graphql'], 'publisher:kir')).code).toBe(EXIT.UNREACHABLE);
    expect(await main(['subgraph', 'list', '--registry', 'http://127.0.0.1:9'], { out: () => undefined, err: () => undefined, env: {} })).toBe(EXIT.UNREACHABLE);
  });

  it('refuses a breaking change naming the operations and clients, forces it as admin with a reason, and rolls back', async () => {
    await env.gw.gql('query PlateLookup { tickets { kirBooking { plate } } }', { headers: { 'apollographql-client-name': 'dishub-kiosk' } });
    await env.served.flush();
    const refused = await run(['subgraph', 'publish', '--name', 'kir', '--schema', join(dir, 'kir-breaking.graphql'), '--routing-url', kirBreaking.url], 'publisher:kir');
    expect(refused.code).toBe(EXIT.CHECKS_FAILED);
    expect(refused.out).toMatch(/changes +FAIL +1 breaking/);
    expect(refused.out).toMatch(/PlateLookup \(served, clients: dishub-kiosk, 1 served/);
    expect(refused.err).toMatch(/SCHEMA_CHECK_FAILED/);
    const asJson = await run(['subgraph', 'check', '--name', 'kir', '--schema', join(dir, 'kir-breaking.graphql'), '--json'], 'publisher:kir');
    expect(asJson.code).toBe(EXIT.CHECKS_FAILED);
    expect(JSON.parse(asJson.out).report.usage.failing[0]).toMatchObject({ operation: 'PlateLookup', clients: ['dishub-kiosk'] });

    expect((await run(['subgraph', 'publish', '--name', 'kir', '--schema', join(dir, 'kir-breaking.graphql'), '--routing-url', kirBreaking.url, '--force'], 'admin')).code).toBe(EXIT.USAGE);
    const forced = await run(
      ['subgraph', 'publish', '--name', 'kir', '--schema', join(dir, 'kir-breaking.graphql'), '--routing-url', kirBreaking.url, '--force', '--reason', 'kiosk replaced'],
      'admin',
    );
    expect(forced).toMatchObject({ code: EXIT.OK, out: expect.stringMatching(/FORCED: "kir"/) });
    const log = await run(['subgraph', 'log', '--name', 'kir'], 'admin');
    expect(log.out).toMatch(/force +kir +usr-admin +\d+ +kiosk replaced \(overriding: 1 breaking change/);
    expect(log.out).toMatch(/refuse +kir +usr-admin/);

    const versions = JSON.parse((await run(['supergraph', 'list', '--json'], 'admin')).out).versions as { id: number }[];
    const previous = versions[1]!.id;
    const rolled = await run(['supergraph', 'rollback', '--to', String(previous), '--reason', 'kiosk still in use'], 'admin');
    expect(rolled).toMatchObject({ code: EXIT.OK, out: expect.stringMatching(new RegExp(`restores version ${previous}`)) });
    await expect.poll(async () => (await env.gw.gql('{ tickets { kirBooking { plate } } }')).body.data?.tickets?.[0]?.kirBooking?.plate, { timeout: 10_000 }).toBe('AG 1234 XY');
    expect((await run(['supergraph', 'rollback', '--to', String(previous), '--reason', 'x'], 'publisher:kir')).code).toBe(EXIT.AUTH);
  });

  it('runs the conformance kit against a running subgraph as a pass/fail table', async () => {
    const r = await run(['subgraph', 'verify', '--name', 'kir', '--url', kir.url]);
    expect(r.out).toMatch(/PASS +refuses unsigned calls +HTTP 401/);
    expect(r.out).toMatch(/PASS +refuses a replayed call +HTTP 401, reason replayed/);
    expect(r.out).toMatch(/PASS +entities: 100 Ticket in one request within 1000 ms +100 answered/);
    expect(r.out).toMatch(/PASS +descriptions on every field/);
    expect(r.out).toMatch(/PASS +health: GET \/health\/ready/);
    expect(r.out).toMatch(/PASS +errors carry documented codes/);
    expect(r.code).toBe(EXIT.OK);
    // tickets' Query.tickets … all described; a subgraph with an undescribed field fails the rule.
    const bare = await startSubgraph('bare', 'type Query { a: Int }', { Query: { a: () => 1 } });
    try {
      const b = await run(['subgraph', 'verify', '--name', 'bare', '--url', bare.url, '--json']);
      expect(b.code).toBe(EXIT.CHECKS_FAILED);
      const results = JSON.parse(b.out).results as { rule: string; ok: boolean; detail: string }[];
      expect(results.find((x) => x.rule === 'descriptions on every field')).toMatchObject({ ok: false, detail: expect.stringContaining('Query.a') });
      expect(results.find((x) => x.rule.startsWith('entities'))).toMatchObject({ ok: false });
    } finally {
      await bare.stop();
    }
  });

  it('is a bin: gerbang --help', () => {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '../bin/gerbang.mjs'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/gerbang subgraph publish/);
  });
});
