import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changesBetween, compose, formatReport, runChecks, type SubgraphInput, type UsageOperation } from '../src';

const SCHEMA = join(import.meta.dirname, '../../../schema');
const current: SubgraphInput[] = readdirSync(SCHEMA)
  .filter((f) => f.endsWith('.graphql') && f !== 'supergraph.graphql')
  .map((f) => ({ name: f.replace('.graphql', ''), routingUrl: `http://127.0.0.1:1/${f}`, sdl: readFileSync(join(SCHEMA, f), 'utf8') }));
const supergraph = compose(current).sdl!;
const sdlOf = (name: string) => current.find((s) => s.name === name)!.sdl;
const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../../gateway/operations/manifest.json'), 'utf8')) as { operations: { id: string; name: string; body: string }[] };
const safelist: UsageOperation[] = manifest.operations.map((o) => ({ source: 'safelist', name: o.name, hash: o.id, document: o.body, clients: ['portal', 'mobile'] }));

const check = (name: string, sdl: string, operations: UsageOperation[] = safelist) =>
  runChecks({ current, currentSupergraphSdl: supergraph, candidate: { name, routingUrl: `http://127.0.0.1:1/${name}`, sdl }, operations, usageDays: 30 });

const KIR = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Ticket @key(fields: "id") { id: ID! "KIR booking" kirBooking: KirBooking }
"A vehicle test booking." type KirBooking { id: ID! plate: String! }
type Query { "KIR test stations" kirStations: [String!]! }
`;

describe('registry checks', { timeout: 90_000 }, () => {
  it('passes an unchanged subgraph and a new additive one, classing the additions safe', async () => {
    const same = await check('health', sdlOf('health'));
    expect(same.report.ok).toBe(true);
    expect(same.report.changes.list).toEqual([]);
    const added = await check('kir', KIR);
    expect(added.report).toMatchObject({ ok: true, composition: { ok: true }, changes: { breaking: 0 }, usage: { failing: [] }, policy: { ok: true } });
    expect(added.report.changes.safe).toBeGreaterThan(0);
    expect(added.report.changes.list.map((c) => c.message).join('\n')).toMatch(/kirStations/);
    expect(added.supergraphSdl).toContain('kirBooking');
  });

  it('reports composition errors with subgraph, type, field and a hint', async () => {
    // KirBooking.plate conflicts with a type of another subgraph: Ticket.id as String.
    const bad = KIR.replace('type Ticket @key(fields: "id") { id: ID!', 'type Ticket @key(fields: "id") { id: String!');
    const { report, supergraphSdl } = await check('kir', bad);
    expect(supergraphSdl).toBeUndefined();
    expect(report.ok).toBe(false);
    expect(report.forcible).toBe(false);
    expect(report.composition.errors.length).toBeGreaterThan(0);
    const e = report.composition.errors.find((x) => x.code === 'FIELD_TYPE_MISMATCH')!;
    expect(e).toMatchObject({ type: 'Ticket', field: 'id' });
    expect(e.hint).toMatch(/compatible types/);
    const syntax = await check('kir', 'type Query { broken(: Int }');
    expect(syntax.report.composition.errors[0]).toMatchObject({ code: 'INVALID_GRAPHQL', subgraph: 'kir' });
    expect(formatReport(report)).toMatch(/composition {2}FAIL/);
  });

  it('classes a removed field breaking and names the safelisted operations and clients that use it', async () => {
    // MyTickets reads Ticket.status (ratings).
    const sdl = sdlOf('ratings').replace(/\n\s*status: TicketStatus!/, '');
    expect(sdl).not.toBe(sdlOf('ratings'));
    const { report } = await check('ratings', sdl);
    expect(report.ok).toBe(false);
    expect(report.forcible).toBe(true);
    expect(report.changes.list.find((c) => c.criticality === 'breaking')).toMatchObject({ path: 'Ticket.status', message: expect.stringMatching(/'status' was removed/) });
    expect(report.usage.failing.map((f) => f.operation)).toContain('MyTickets');
    expect(report.usage.failing.find((f) => f.operation === 'MyTickets')!.clients).toEqual(['portal', 'mobile']);
    const text = formatReport(report);
    expect(text).toMatch(/BREAKING/);
    expect(text).toMatch(/MyTickets \(safelist, clients: portal, mobile\)/);
  });

  it('classes argument and nullability changes (required argument: breaking; nullable output: dangerous or breaking)', async () => {
    const sdl = sdlOf('ratings').replace('satisfaction(month: Int, year: Int!)', 'satisfaction(month: Int!, year: Int!)');
    expect(sdl).not.toBe(sdlOf('ratings'));
    const { report } = await check('ratings', sdl);
    expect(report.changes.list.some((c) => c.criticality === 'breaking' && c.message.includes('month'))).toBe(true);
    // AgencyPage sends satisfaction(year: 2026) without a month.
    expect(report.usage.failing.map((f) => f.operation)).toContain('AgencyPage');
  });

  it('counts served operations by client and ignores operations already invalid', async () => {
    const served: UsageOperation[] = [
      { source: 'served', name: 'Bookings', hash: 'h1', document: '{ me { tickets(first: 5) { clinicBooking { queueNumber } } } }', clients: ['mobile', 'kiosk'], count: 42 },
      { source: 'served', name: 'Stale', hash: 'h2', document: '{ noSuchField }', clients: ['old'], count: 1 },
    ];
    const sdl = sdlOf('health').replace(/\n\s*"""The printed queue number, e.g. "A-012"."""\n\s*queueNumber: String!/, '');
    expect(sdl).not.toBe(sdlOf('health'));
    const { report } = await check('health', sdl, served);
    expect(report.usage.failing).toEqual([expect.objectContaining({ operation: 'Bookings', clients: ['mobile', 'kiosk'], count: 42 })]);
  });

  it('refuses a removed @key and a removed or loosened access rule on personal data', async () => {
    // Without its key, health's Ticket no longer composes (composition names why) …
    const noKey = sdlOf('health').replace('type Ticket\n  @key(fields: "id")\n', 'type Ticket\n  @key(fields: "id", resolvable: false)\n');
    expect(noKey).not.toBe(sdlOf('health'));
    const k = await check('health', noKey);
    expect(k.report.ok).toBe(false);
    expect(k.report.composition.errors[0]).toMatchObject({ code: 'SATISFIABILITY_ERROR' });
    // … and a key replaced by another that still composes is a breaking change of its own.
    const api = compose(current).apiSchema!;
    const changes = await changesBetween(
      { apiSchema: api, subgraphSdl: 'type Ticket @key(fields: "id") { id: ID! }' },
      { apiSchema: api, subgraphSdl: 'type Ticket @key(fields: "code") { id: ID! code: ID! }' },
    );
    expect(changes).toEqual([expect.objectContaining({ criticality: 'breaking', type: 'KEY_REMOVED', path: 'Ticket' }), expect.objectContaining({ criticality: 'safe', type: 'KEY_ADDED' })]);

    const open = sdlOf('population').replace('type Citizen\n  @key(fields: "id")\n  @policy(policies: [["owner"], ["role:officer"], ["role:admin"]])\n', 'type Citizen\n  @key(fields: "id")\n');
    expect(open).not.toBe(sdlOf('population'));
    const p = await check('population', open);
    expect(p.report.policy.ok).toBe(false);
    expect(p.report.policy.violations.map((v) => v.rule)).toEqual(expect.arrayContaining(['access-kept', 'personal-data-access']));
    expect(p.report.policy.violations.find((v) => v.rule === 'personal-data-access')!.coordinate).toMatch(/^Citizen\./);

    const looser = sdlOf('population').replace(
      '@policy(policies: [["owner"], ["role:officer"], ["role:admin"]])\n{\n  """The subject',
      '@policy(policies: [["owner"], ["role:officer"], ["role:admin"], ["role:analyst"]])\n{\n  """The subject',
    );
    expect(looser).not.toBe(sdlOf('population'));
    const l = await check('population', looser);
    expect(l.report.policy.violations[0]).toMatchObject({
      rule: 'access-kept',
      coordinate: 'Citizen',
      message:
        'the access rule of Citizen changed from @policy(policies: [["owner"], ["role:admin"]' +
        ', ["role:officer"]]) to @policy(policies: [["owner"], ["role:admin"], ["role:analyst"], ["role:officer"]])',
    });

    // The same rule written in another order is the same rule; a policy split into two directives is not (they AND).
    const reordered = sdlOf('population').replace(
      '@policy(policies: [["owner"], ["role:officer"], ["role:admin"]])\n{\n  """The subject',
      '@policy(policies: [["role:admin"], ["owner"], ["role:officer"]])\n{\n  """The subject',
    );
    expect(reordered).not.toBe(sdlOf('population'));
    expect((await check('population', reordered)).report.policy.violations).toEqual([]);
    const split = sdlOf('population').replace(
      '@policy(policies: [["owner"], ["role:officer"], ["role:admin"]])\n{\n  """The subject',
      '@policy(policies: [["owner"]])\n  @requiresScopes(scopes: [["role:officer"], ["role:admin"]])\n{\n  """The subject',
    );
    expect(split).not.toBe(sdlOf('population'));
    expect((await check('population', split)).report.policy.violations[0]).toMatchObject({ rule: 'access-kept', coordinate: 'Citizen' });
  });
});
