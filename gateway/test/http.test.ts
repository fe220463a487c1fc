import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphqlMediaType } from '../src/edge/refusal';
import { deepQuery, startPlacesAndPeople, type FixtureSubgraph, type TestGateway } from './support/fixtures';
import { ifStarted } from '@gerbang/testing';

/**
 * GraphQL over HTTP as standard clients speak it: queries over GET (urql's default), mutations over
 * POST only, CSRF judged for a bearer-token API, and refusals in the media type the client accepts
 * (`application/graphql-response+json`, which Apollo Client 4 parses as GraphQL errors whatever
 * the status). The clients themselves run in test/clients.e2e.test.ts.
 */
const AC4_ACCEPT = 'application/graphql-response+json,application/json;q=0.9';
const URQL_ACCEPT = 'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed';

let graph: Awaited<ReturnType<typeof startPlacesAndPeople>>;
let gw: TestGateway;
let people: FixtureSubgraph;
beforeAll(async () => {
  graph = await startPlacesAndPeople();
  ({ gw, people } = graph);
});
afterAll(() => ifStarted(graph)?.close());
beforeEach(() => {
  people.calls.length = 0;
});

const get = (params: Record<string, string>, headers: Record<string, string> = {}) => fetch(`${gw.url}?${new URLSearchParams(params).toString()}`, { headers });

describe('GET', () => {
  it('answers a query with no special header, as anonymous, cookies or not', async () => {
    for (const headers of [{}, { accept: URQL_ACCEPT }, { cookie: 'session=abc' }] as Record<string, string>[]) {
      const res = await get({ query: 'query Places { agencies { id } }' }, headers);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: { agencies: [{ id: 'dispendukcapil' }] } });
    }
  });

  it('answers a signed-in query with its token', async () => {
    const res = await get({ query: '{ me { name } }' }, { authorization: `Bearer ${await gw.idp.issue('warga.siti')}` });
    expect(await res.json()).toEqual({ data: { me: { name: 'Siti Rahayu' } } });
  });

  it('refuses a mutation with 405 METHOD_NOT_ALLOWED and Allow: POST before any subgraph is called', async () => {
    const res = await get({ query: 'mutation { requestDocument(type: "KK") }' }, { authorization: `Bearer ${await gw.idp.issue('warga.siti')}`, accept: URQL_ACCEPT });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(res.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
    expect(await res.json()).toEqual({ errors: [{ message: 'Mutations must be sent with POST.', extensions: { code: 'METHOD_NOT_ALLOWED', method: 'GET' } }] });
    expect(people.calls).toHaveLength(0);
  });

  it('refuses the named mutation of a document that also holds a query, and runs the query', async () => {
    const doc = 'query Q { agencies { id } } mutation M { requestDocument(type: "KK") }';
    expect((await get({ query: doc, operationName: 'M' })).status).toBe(405);
    expect(await (await get({ query: doc, operationName: 'Q' })).json()).toEqual({ data: { agencies: [{ id: 'dispendukcapil' }] } });
  });

  it('serves no CDN landing page to a browser when the explorer is off', async () => {
    const res = await fetch(gw.url, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(res.headers.get('content-type')).not.toMatch(/html/);
    expect(await res.text()).not.toMatch(/cdn|apollographql\.com/i);
  });
});

describe('CSRF: POST keeps the preflight requirement', () => {
  const body = JSON.stringify({ query: 'mutation { requestDocument(type: "KK") }' });
  it('refuses a simple POST (a form or text/plain, no preflight header) with 400 BAD_REQUEST, even with a token', async () => {
    const token = await gw.idp.issue('warga.siti');
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'TEXT/PLAIN; charset=utf-8']) {
      const res = await fetch(gw.url, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${token}` }, body });
      expect(res.status, type).toBe(400);
      expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
    }
    const none = await fetch(gw.url, { method: 'POST', body: new Uint8Array(Buffer.from(body)) });
    expect(none.status).toBe(400);
    expect(people.calls).toHaveLength(0);
  });

  it('lets a POST through with a content type browsers preflight, or with a preflight header', async () => {
    const token = await gw.idp.issue('warga.siti');
    const ok = async (headers: Record<string, string>) => await (await fetch(gw.url, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers }, body })).json();
    expect(await ok({ 'content-type': 'application/json' })).toEqual({ data: { requestDocument: 'filed KK' } });
    expect(await ok({ 'content-type': 'text/plain', 'apollo-require-preflight': 'true' })).toEqual({ data: { requestDocument: 'filed KK' } });
    expect(await ok({ 'content-type': 'text/plain', 'x-apollo-operation-name': 'M' })).toEqual({ data: { requestDocument: 'filed KK' } });
  });

  it('answers other methods with 405 METHOD_NOT_ALLOWED', async () => {
    const res = await fetch(gw.url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
    expect(((await res.json()) as { errors: { extensions: unknown }[] }).errors[0]!.extensions).toEqual({ code: 'METHOD_NOT_ALLOWED', method: 'PUT' });
  });
});

describe('refusals in the media type the client accepts, with their HTTP status', () => {
  it('negotiates like Apollo Server: application/graphql-response+json when accepted, JSON otherwise', () => {
    expect(graphqlMediaType(AC4_ACCEPT)).toBe('application/graphql-response+json; charset=utf-8');
    expect(graphqlMediaType(URQL_ACCEPT)).toBe('application/graphql-response+json; charset=utf-8');
    expect(graphqlMediaType('application/json, application/graphql-response+json;q=0.5')).toBe('application/json; charset=utf-8');
    for (const accept of [undefined, '', '*/*', 'application/json', 'text/html']) expect(graphqlMediaType(accept)).toBe('application/json; charset=utf-8');
  });

  it('answers edge refusals and Apollo Server errors alike', async () => {
    const cases: [string, Promise<Response>, number, string][] = [
      [
        'bad token',
        fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: AC4_ACCEPT, authorization: 'Bearer a.b.c' }, body: JSON.stringify({ query: '{ agencies { id } }' }) }),
        401,
        'UNAUTHENTICATED',
      ],
      ['too deep (GET)', get({ query: deepQuery(12) }, { accept: URQL_ACCEPT }), 400, 'QUERY_TOO_COMPLEX'],
      ['invalid JSON', fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: AC4_ACCEPT }, body: '{' }), 400, 'BAD_REQUEST'],
      ['validation (Apollo Server)', get({ query: '{ agencies { nope } }' }, { accept: AC4_ACCEPT }), 400, 'GRAPHQL_VALIDATION_FAILED'],
    ];
    for (const [what, pending, status, code] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(status);
      expect(res.headers.get('content-type'), what).toBe('application/graphql-response+json; charset=utf-8');
      expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code, what).toBe(code);
    }
  });

  it('keeps application/json for clients that do not ask for the GraphQL media type', async () => {
    const res = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer a.b.c' }, body: JSON.stringify({ query: '{ agencies { id } }' }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });
});

describe('an operation the document does not hold', () => {
  it('is refused with 400 OPERATION_RESOLUTION_FAILURE (not an internal error), like two operations and no name', async () => {
    const doc = 'query Q { agencies { id } } query R { agencies { name } }';
    for (const [params, message] of [
      [{ query: doc, operationName: 'Nope' }, 'The document holds no operation named "Nope".'],
      [{ query: '{ agencies { id } }', operationName: 'Places' }, 'The document holds no operation named "Places".'],
      [{ query: doc }, 'Name the operation to run: the document holds more than one.'],
    ] as const) {
      const res = await get(params, { accept: URQL_ACCEPT });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ errors: [{ message, extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }] });
    }
  });
});
