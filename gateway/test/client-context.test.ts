import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, startPlacesAndPeople, type FixtureSubgraph, type TestGateway } from './support/fixtures';
import { ifStarted } from '@gerbang/testing';

/**
 * Mutations carry the client's device id (X-Device-Id) and address to subgraphs inside the signed
 * caller, for the ratings' anomaly rules; queries carry neither (data minimisation).
 */
describe('device and address of the client, on mutations only', () => {
  let graph: Awaited<ReturnType<typeof startPlacesAndPeople>>;
  let places: FixtureSubgraph;
  let people: FixtureSubgraph;
  let gw: TestGateway;
  beforeAll(async () => {
    graph = await startPlacesAndPeople({ gateway: { trustProxy: true } });
    ({ places, people, gw } = graph);
  });
  afterAll(() => ifStarted(graph)?.close());
  beforeEach(() => {
    people.calls.length = 0;
    places.calls.length = 0;
  });

  it('passes both, as the subgraph verifies them, with a mutation', async () => {
    const { body } = await gw.gql('mutation { requestDocument(type: "KK") }', { login: 'warga.siti', headers: { 'x-device-id': 'android-7f3a9c21', 'x-forwarded-for': '203.0.113.7' } });
    expect(body).toEqual({ data: { requestDocument: 'filed KK' } });
    expect(people.calls[0]!.caller).toMatchObject({ sub: 'usr-warga-siti', roles: ['citizen'], deviceId: 'android-7f3a9c21', ip: '203.0.113.7' });
  });

  it('passes the address alone when the client sends no device id', async () => {
    await gw.gql('mutation Named { requestDocument(type: "KTP") }', { login: 'warga.siti', headers: { 'x-forwarded-for': '2001:db8::7' } });
    expect(people.calls[0]!.caller.ip).toBe('2001:db8::7');
    expect(people.calls[0]!.caller).not.toHaveProperty('deviceId');
  });

  it('passes no address it cannot attribute to the client: a private or loopback one (a proxy without TRUST_PROXY)', async () => {
    for (const forwarded of ['10.1.2.3', '192.168.1.20', '100.64.0.9', '::1', 'fd12::1', 'not-an-address']) {
      people.calls.length = 0;
      await gw.gql('mutation { requestDocument(type: "KK") }', { login: 'warga.siti', headers: { 'x-device-id': 'android-7f3a9c21', 'x-forwarded-for': forwarded } });
      expect(people.calls[0]!.caller).not.toHaveProperty('ip');
      expect(people.calls[0]!.caller.deviceId).toBe('android-7f3a9c21');
    }
    // And without TRUST_PROXY the gateway sees only the connection's address: here loopback.
    const direct = await startGateway([places, people]);
    try {
      people.calls.length = 0;
      await direct.gql('mutation { requestDocument(type: "KK") }', { login: 'warga.siti', headers: { 'x-forwarded-for': '203.0.113.7' } });
      expect(people.calls[0]!.caller).not.toHaveProperty('ip');
    } finally {
      await direct.close();
    }
  });

  it('passes neither with a query', async () => {
    await gw.gql('{ me { name } agencies { id } }', { login: 'warga.siti', headers: { 'x-device-id': 'android-7f3a9c21' } });
    for (const call of [...people.calls, ...places.calls]) {
      expect(call.caller).not.toHaveProperty('ip');
      expect(call.caller).not.toHaveProperty('deviceId');
    }
    expect(people.calls.length + places.calls.length).toBeGreaterThan(0);
  });

  it('refuses a malformed X-Device-Id with BAD_USER_INPUT before any subgraph is called', async () => {
    const { status, body } = await gw.gql('mutation { requestDocument(type: "KK") }', { login: 'warga.siti', headers: { 'x-device-id': 'bad id with spaces' } });
    expect(status).toBe(400);
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'X-Device-Id' });
    expect(people.calls).toHaveLength(0);
  });
});
