import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PEOPLE_SDL, peopleResolvers, PLACES_SDL, placesResolvers, startGateway, startSubgraph, type FixtureSubgraph, type TestGateway } from './support/fixtures';

/**
 * Mutations carry the client's device id (X-Device-Id) and address to subgraphs inside the signed
 * caller, for the ratings' anomaly rules; queries carry neither (data minimisation).
 */
describe('device and address of the client, on mutations only', () => {
  let places: FixtureSubgraph;
  let people: FixtureSubgraph;
  let gw: TestGateway;
  beforeAll(async () => {
    places = await startSubgraph('places', PLACES_SDL, placesResolvers());
    people = await startSubgraph('people', PEOPLE_SDL, peopleResolvers);
    gw = await startGateway([places, people]);
  });
  afterAll(async () => {
    await gw?.close();
    await places?.stop();
    await people?.stop();
  });
  beforeEach(() => {
    people.calls.length = 0;
    places.calls.length = 0;
  });

  it('passes both, as the subgraph verifies them, with a mutation', async () => {
    const { body } = await gw.gql('mutation { requestDocument(type: "KK") }', { login: 'warga.siti', headers: { 'x-device-id': 'android-7f3a9c21' } });
    expect(body).toEqual({ data: { requestDocument: 'filed KK' } });
    expect(people.calls[0]!.caller).toMatchObject({ sub: 'usr-warga-siti', roles: ['citizen'], deviceId: 'android-7f3a9c21', ip: expect.stringMatching(/127\.0\.0\.1$/) });
  });

  it('passes the address alone when the client sends no device id', async () => {
    await gw.gql('mutation Named { requestDocument(type: "KTP") }', { login: 'warga.siti' });
    expect(people.calls[0]!.caller.ip).toMatch(/127\.0\.0\.1$/);
    expect(people.calls[0]!.caller).not.toHaveProperty('deviceId');
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
