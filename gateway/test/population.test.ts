import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { printSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { createLogger, MemoryAccessLog, verifierFromSecret } from '@gerbang/common';
import { DEMO, TEST_INTERNAL_SECRET, ifStarted } from '@gerbang/testing';
import { createSiakSimulator, generateRequestsFor, type SiakSimulator } from '@gerbang/sim-siak';
import { createPopulationServer, SiakClient } from '../../subgraphs/population/src/server';
import { startGateway, startSubgraph, type FixtureSubgraph, type TestGateway } from './support/fixtures';

/**
 * The real population subgraph (over the SIAK simulator) behind the gateway, with a stand-in for
 * the ratings subgraph's ticket ledger (`ticket(id)`), until the e2e stack has both. The lead can
 * move these cases to test/*.e2e.test.ts when test/support/stack.ts starts population and ratings.
 */
const SITI = DEMO.siti.nik!;
let sim: SiakSimulator;
let population: Awaited<ReturnType<typeof createPopulationServer>>;
let populationUrl: string;
let closePopulation: () => Promise<void>;
let ledger: FixtureSubgraph;
let gw: TestGateway;
let sitiTicket: string;

beforeAll(async () => {
  sim = createSiakSimulator({ apiKey: 'k', extraRequests: generateRequestsFor(SITI, 3) });
  const simUrl = await sim.listen(0);
  population = await createPopulationServer({
    registry: new SiakClient({ baseUrl: simUrl, apiKey: 'k', timeoutMs: 2_000 }),
    logger: createLogger('population', 'silent'),
    verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
    accessLog: new MemoryAccessLog(),
    nikHashKey: 'access-log-key-for-tests-0001',
  });
  const running = await population.listen(0);
  populationUrl = `${running.url}/graphql`;
  closePopulation = running.close;
  ledger = await startSubgraph('ledger', 'type Query { ticket(id: ID!): Ticket } type Ticket @key(fields: "id") { id: ID! }', {
    Query: { ticket: (_: unknown, args: { id: string }) => ({ id: args.id }) },
  } as never);
  const composed = composeServices([
    { name: 'population', url: populationUrl, typeDefs: parse(printSubgraphSchema(population.schema)) },
    { name: 'ledger', url: ledger.url, typeDefs: parse(printSubgraphSchema(ledger.schema)) },
  ]);
  if (composed.errors?.length) throw new Error(composed.errors.map((e) => e.message).join('; '));
  gw = await startGateway({ sdl: composed.supergraphSdl! });
  const mine = await new SiakClient({ baseUrl: simUrl, apiKey: 'k' }).requestsOf(SITI);
  sitiTicket = `dispendukcapil:${mine[0]!.id}`;
});
afterAll(async () => {
  await ifStarted(gw)?.close();
  await ifStarted(ledger)?.stop();
  await ifStarted(closePopulation)?.();
  await ifStarted(sim)?.close();
});
beforeEach(() => sim.stats.reset());

const TICKET = 'query($id: ID!) { ticket(id: $id) { id populationRequest { number status } } }';

describe('personal data through the gateway', () => {
  it('refuses an analyst requesting NIK with FORBIDDEN before SIAK is asked', async () => {
    const { status, body } = await gw.gql('{ me { nik name } }', { login: 'analis' });
    expect(status).toBe(403);
    expect(body).toEqual({ errors: [{ message: 'You may not read Query.me.', extensions: { code: 'FORBIDDEN', field: 'Query.me' } }] });
    expect(sim.stats.calls()).toBe(0);
  });

  it('shows a citizen their own full NIK and records the read', async () => {
    const before = gw.accessLog.entries.length;
    const { body } = await gw.gql('query MyTickets { me { nik name birthDate } }', { login: 'warga.siti' });
    expect(body.data.me).toEqual({ nik: SITI, name: 'Siti Rahayu', birthDate: '1990-08-17' });
    expect(gw.accessLog.entries.slice(before)).toEqual([
      expect.objectContaining({ subject: 'usr-warga-siti', roles: ['citizen'], operationName: 'MyTickets', fields: ['Citizen.nik', 'Citizen.name', 'Citizen.birthDate'], records: 1 }),
    ]);
  });

  it("does not show a citizen another citizen's ticket", async () => {
    const { body } = await gw.gql(TICKET, { login: 'warga.budi', variables: { id: sitiTicket } });
    expect(body.data.ticket).toEqual({ id: sitiTicket, populationRequest: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(JSON.stringify(body)).not.toMatch(/"number"|"status"/);
  });

  it('shows the ticket to its owner and to a Dispendukcapil officer', async () => {
    const own = await gw.gql(TICKET, { login: 'warga.siti', variables: { id: sitiTicket } });
    expect(own.body.data.ticket.populationRequest.number).toBe(sitiTicket.split(':')[1]);
    const officer = await gw.gql(TICKET, { login: 'petugas.dukcapil', variables: { id: sitiTicket } });
    expect(officer.body.data.ticket.populationRequest.number).toBe(sitiTicket.split(':')[1]);
  });

  it("refuses an officer of another agency the ticket (the subgraph's ownership check)", async () => {
    const token = await gw.idp.issue('petugas.dukcapil', { claims: { agency: 'bpkpd' } });
    const { body } = await gw.gql(TICKET, { token, variables: { id: sitiTicket } });
    expect(body.data.ticket.populationRequest).toBeNull();
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('refuses an analyst the ticket at the gateway', async () => {
    const { status, body } = await gw.gql(TICKET, { login: 'analis', variables: { id: sitiTicket } });
    expect(status).toBe(403);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'Ticket.populationRequest' });
  });

  it('lets only citizens file document requests', async () => {
    const input = { type: 'KK', note: null, idempotencyKey: 'gateway-test-0001' };
    const m = 'mutation($i: RequestDocumentInput!) { requestDocument(input: $i) { id status } }';
    const officer = await gw.gql(m, { login: 'petugas.dukcapil', variables: { i: input } });
    expect(officer.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'Mutation.requestDocument' });
    const citizen = await gw.gql(m, { login: 'warga.siti', variables: { i: input } });
    expect(citizen.body.data.requestDocument.status).toBe('SUBMITTED');
  });
});
