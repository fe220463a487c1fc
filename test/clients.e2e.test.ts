import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql, type DocumentNode } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { Client, cacheExchange, createRequest, fetchExchange, makeOperation, type OperationResult } from '@urql/core';
import { tap } from 'rxjs';
import { jakartaMonth } from '@gerbang/common';
import { Safelist, type GatewayContext } from '@gerbang/gateway';
import { startStack, type Stack } from './support/stack';
import { gatewayOver } from './support/edge';
import { ifStarted } from '@gerbang/testing';

/**
 * The two standard GraphQL clients, untouched, against the whole graph: Apollo Client 4 (HttpLink,
 * InMemoryCache; POST by default) and urql 6 (cacheExchange + fetchExchange, Node's global fetch;
 * queries as GET by default). Each runs the contract operations and meets every refusal, which it
 * must see as a GraphQL error with its `extensions.code`, not as an opaque HTTP failure.
 */
const op = (file: string) => readFileSync(join(import.meta.dirname, '..', 'gateway', 'operations', `${file}.graphql`), 'utf8');
const FIND_AGENCY = gql(op('find-agency'));
const AGENCY_PAGE = gql(op('agency-page'));
const MY_TICKETS = gql(op('my-tickets'));
const RATE_SERVICE = gql(op('rate-service'));
const TPP_REPORT = gql(op('tpp-report'));

/** 12 levels deep: over the anonymous budget (depth 10). */
const TOO_DEEP = gql(`query TooDeep { agencies(first: 1) { services { agency { services { agency { services { agency { services { agency { services { agency { id } } } } } } } } } } } }`);

/** What a client saw: data, or the first error's code and extensions, and the HTTP status and Retry-After when the client exposes them. */
interface Seen {
  data?: any;
  /** `graphql`: a GraphQL error with its extensions (what every refusal must be); `http`: an opaque HTTP/network failure. */
  kind?: 'graphql' | 'http';
  code?: string;
  extensions?: Record<string, unknown>;
  status?: number;
  retryAfter?: string | null;
}

interface ClientOptions {
  token?: string;
  clientName?: string;
  headers?: Record<string, string>;
}

interface Driver {
  query(document: DocumentNode, variables?: Record<string, unknown>): Promise<Seen>;
  mutate(document: DocumentNode, variables?: Record<string, unknown>): Promise<Seen>;
  /** A mutation sent as GET, as a misconfigured client would. */
  mutateWithGet(document: DocumentNode, variables?: Record<string, unknown>): Promise<Seen>;
}

const headersOf = (o: ClientOptions) => ({ ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers });

/** Apollo Client 4 with its defaults; `extra` adds links in front of HttpLink (APQ). */
function apolloClient(url: string, o: ClientOptions = {}, extra: { useGETForQueries?: boolean; links?: ApolloLink[] } = {}): Driver {
  const last: { response?: Response } = {};
  // HttpLink leaves the HTTP response in the operation's context: this is how an app reads the
  // status and Retry-After of a refusal that arrived as GraphQL errors.
  const capture = new ApolloLink((operation, forward) =>
    forward(operation).pipe(tap({ next: () => (last.response = operation.getContext().response), error: () => (last.response = operation.getContext().response) })),
  );
  const client = new ApolloClient({
    link: ApolloLink.from([capture, ...(extra.links ?? []), new HttpLink({ uri: url, headers: headersOf(o), ...(extra.useGETForQueries ? { useGETForQueries: true } : {}) })]),
    cache: new InMemoryCache(),
    ...(o.clientName ? { clientAwareness: { name: o.clientName, version: '1.0.0' } } : {}),
  });
  const seen = async (run: () => Promise<{ data?: unknown }>): Promise<Seen> => {
    delete last.response;
    // Read through a function: the response arrives during `run`, which TypeScript's narrowing does not see.
    const response = () => last.response;
    try {
      const { data } = await run();
      return { data, status: response()?.status };
    } catch (error) {
      if (CombinedGraphQLErrors.is(error)) {
        const first = error.errors[0]!;
        return { kind: 'graphql', code: first.extensions?.code as string, extensions: first.extensions, status: response()?.status, retryAfter: response()?.headers.get('retry-after') };
      }
      return { kind: 'http', status: (error as { statusCode?: number }).statusCode, code: (error as Error).name };
    }
  };
  return {
    query: (query, variables) => seen(() => client.query({ query, variables, fetchPolicy: 'network-only' })),
    mutate: (mutation, variables) => seen(() => client.mutate({ mutation, variables })),
    mutateWithGet: (mutation, variables) => seen(() => client.mutate({ mutation, variables, context: { fetchOptions: { method: 'GET' } } })),
  };
}

/** urql 6 with its defaults: cacheExchange + fetchExchange, preferGetMethod 'within-url-limit', Node's global fetch. */
function urqlClient(url: string, o: ClientOptions = {}): Driver & { client: Client } {
  const client = new Client({
    url,
    exchanges: [cacheExchange, fetchExchange],
    fetchOptions: { headers: { ...headersOf(o), ...(o.clientName ? { 'apollographql-client-name': o.clientName } : {}) } },
  });
  return {
    client,
    query: async (query, variables = {}) => seenByUrql(await client.query(query, variables, { requestPolicy: 'network-only' }).toPromise()),
    mutate: async (mutation, variables = {}) => seenByUrql(await client.mutation(mutation, variables).toPromise()),
    // urql itself never sends a mutation as GET: `client.query` with a mutation document throws
    // (asserted below) and its fetchExchange uses GET for operations of kind query only. An
    // operation of kind query carrying the mutation, made with urql's own makeOperation and run
    // through the untouched exchanges, is what would go out as GET.
    mutateWithGet: async (mutation, variables = {}) =>
      seenByUrql(
        await client
          .executeRequestOperation(
            makeOperation('query', createRequest(mutation, variables), client.createRequestOperation('query', createRequest(FIND_AGENCY, {}), { requestPolicy: 'network-only' }).context),
          )
          .toPromise(),
      ),
  };
}

function seenByUrql(r: OperationResult): Seen {
  if (!r.error) return { data: r.data };
  const res = r.error.response as Response | undefined;
  if (r.error.networkError) return { kind: 'http', status: res?.status, code: r.error.networkError.message };
  const first = r.error.graphQLErrors[0]!;
  return { kind: 'graphql', code: first.extensions.code as string, extensions: first.extensions, status: res?.status, retryAfter: res?.headers.get('retry-after') };
}

/** Which HTTP method each operation reached Apollo Server with (edge refusals never do). */
function methodRecorder(seen: { method?: string; operationName?: string | null; withText: boolean }[]): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart(rc) {
      seen.push({ method: rc.request.http?.method, operationName: rc.request.operationName ?? null, withText: typeof rc.request.query === 'string' });
    },
  };
}

const CLIENTS = {
  'Apollo Client 4': (url: string, o?: ClientOptions) => apolloClient(url, o),
  'urql 6': (url: string, o?: ClientOptions) => urqlClient(url, o),
} as const;

let stack: Stack;
let gw: Awaited<ReturnType<typeof gatewayOver>>;
let limited: Awaited<ReturnType<typeof gatewayOver>>;
let busy: Awaited<ReturnType<typeof gatewayOver>>;
let prod: Awaited<ReturnType<typeof gatewayOver>>;
const reached: { method?: string; operationName?: string | null; withText: boolean }[] = [];
let rateable: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  gw = await gatewayOver(stack, { rateLimit: false, plugins: [methodRecorder(reached)] });
  limited = await gatewayOver(stack, { rateLimit: { userPerMinute: 1, userBurst: 0, anonymousPerMinute: 1, clientPerMinute: 1_000 } });
  busy = await gatewayOver(stack, { rateLimit: false, admission: { min: 1, max: 1, initial: 1, maxQueue: 0, intervalMs: 0 } });
  prod = await gatewayOver(stack, { rateLimit: false, persisted: { enforce: true } });
  const { body } = await stack.graphql<{ me: { tickets: { id: string; canRate: boolean }[] } }>(op('my-tickets'), { login: 'warga.siti' });
  rateable = body.data!.me.tickets.filter((t) => t.canRate).map((t) => t.id);
}, 120_000);
afterAll(async () => {
  for (const g of [gw, limited, busy, prod]) await ifStarted(g)?.close();
  await ifStarted(stack)?.close();
});

const month = jakartaMonth(new Date());
const methodsOf = (operationName: string) => reached.filter((r) => r.operationName === operationName).map((r) => r.method);

describe.each(Object.entries(CLIENTS))('%s', (name, make) => {
  const clientIndex = Object.keys(CLIENTS).indexOf(name);
  /** Contract operations are named; a per-client variable keeps the two clients' requests apart in `reached`. */
  const q = clientIndex === 0 ? 'capil' : 'kependudukan';

  describe('runs the contract operations', () => {
    it('FindAgency, anonymously', async () => {
      const before = methodsOf('FindAgency').length;
      const seen = await make(gw.url).query(FIND_AGENCY, { q });
      expect(seen.kind).toBeUndefined();
      expect(seen.data.agencies[0]).toMatchObject({ id: 'dispendukcapil', abbreviation: 'Dispendukcapil' });
      // urql sends queries as GET, Apollo Client as POST: both are answered.
      expect(methodsOf('FindAgency').slice(before)).toEqual([clientIndex === 0 ? 'POST' : 'GET']);
    });

    it('AgencyPage, anonymously', async () => {
      const seen = await make(gw.url).query(AGENCY_PAGE, { id: 'dispendukcapil' });
      expect(seen.kind).toBeUndefined();
      expect(seen.data.agency.services.map((s: { id: string }) => s.id)).toContain('dispendukcapil.ktp-el');
      expect(seen.data.agency.satisfaction.elements).toHaveLength(9);
    });

    it('MyTickets, signed in', async () => {
      const seen = await make(gw.url, { token: await stack.token('warga.siti') }).query(MY_TICKETS);
      expect(seen.kind).toBeUndefined();
      expect(seen.data.me).toMatchObject({ id: 'usr-warga-siti', name: 'Siti Rahayu' });
      expect(seen.data.me.tickets.length).toBeGreaterThan(0);
    });

    it('RateService (a mutation: POST), signed in', async () => {
      expect(rateable.length).toBeGreaterThanOrEqual(2);
      const ticketId = rateable[clientIndex]!;
      const seen = await make(gw.url, { token: await stack.token('warga.siti') }).mutate(RATE_SERVICE, {
        input: { ticketId, stars: 4, comment: `via ${name}`, idempotencyKey: `clients-${clientIndex}` },
      });
      expect(seen.kind).toBeUndefined();
      expect(seen.data.rateService).toMatchObject({ stars: 4, ticket: { id: ticketId, canRate: false } });
      expect(methodsOf('RateService').at(-1)).toBe('POST');
    });

    it('TppReport, as HR', async () => {
      const seen = await make(gw.url, { token: await stack.token('hr.bkpsdm') }).query(TPP_REPORT, { agencyId: 'dispendukcapil', month });
      expect(seen.kind).toBeUndefined();
      expect(seen.data.tppReport).toMatchObject({ month, finalized: false });
      expect(seen.data.tppReport.rows.length).toBeGreaterThan(0);
    });
  });

  describe('where the safelist is enforced (production), as the portal', () => {
    // Both clients' caches add __typename to every selection set they send: the safelist must
    // still recognise the contract operations.
    it('runs the contract queries by text', async () => {
      const portal = (token?: string) => make(prod.url, { clientName: 'portal', ...(token ? { token } : {}) });
      expect((await portal().query(FIND_AGENCY, { q })).data.agencies[0].id).toBe('dispendukcapil');
      expect((await portal().query(AGENCY_PAGE, { id: 'dispendukcapil' })).data.agency.id).toBe('dispendukcapil');
      expect((await portal(await stack.token('warga.siti')).query(MY_TICKETS)).data.me.name).toBe('Siti Rahayu');
      expect((await portal(await stack.token('hr.bkpsdm')).query(TPP_REPORT, { agencyId: 'dispendukcapil', month })).data.tppReport.month).toBe(month);
    });

    it('lets RateService through to the rating rules (6 stars: BAD_USER_INPUT, not PERSISTED_QUERY_REQUIRED)', async () => {
      const seen = await make(prod.url, { clientName: 'portal', token: await stack.token('warga.siti') }).mutate(RATE_SERVICE, { input: { ticketId: rateable[0]!, stars: 6 } });
      expect(seen).toMatchObject({ kind: 'graphql', code: 'BAD_USER_INPUT' });
    });
  });

  describe('sees every refusal as a GraphQL error with its code', () => {
    it('UNAUTHENTICATED: an expired token (401)', async () => {
      const token = await stack.idp.issue('warga.siti', { expiresIn: '-10min' });
      const seen = await make(gw.url, { token }).query(MY_TICKETS);
      expect(seen).toMatchObject({ kind: 'graphql', code: 'UNAUTHENTICATED' });
      expect(seen.data).toBeUndefined();
      expect(seen.status).toBe(401);
    });

    it('FORBIDDEN: an analyst asking for a TPP report (403)', async () => {
      const seen = await make(gw.url, { token: await stack.token('analis') }).query(TPP_REPORT, { agencyId: 'dispendukcapil', month });
      expect(seen).toMatchObject({ kind: 'graphql', code: 'FORBIDDEN', status: 403 });
    });

    it('QUERY_TOO_COMPLEX: a query over the depth budget (400), with the figures', async () => {
      const seen = await make(gw.url).query(TOO_DEEP);
      expect(seen).toMatchObject({ kind: 'graphql', code: 'QUERY_TOO_COMPLEX', extensions: { depth: 12, maxDepth: 10 }, status: 400 });
    });

    it('RATE_LIMITED: over the per-user rate (429, Retry-After)', async () => {
      const client = make(limited.url, { token: await stack.token(clientIndex === 0 ? 'warga.siti' : 'warga.budi') });
      expect((await client.query(FIND_AGENCY, { q })).data.agencies[0].id).toBe('dispendukcapil');
      const seen = await client.query(FIND_AGENCY, { q });
      expect(seen).toMatchObject({ kind: 'graphql', code: 'RATE_LIMITED', extensions: { scope: 'user', retryAfter: expect.any(Number) } });
      expect(seen.status).toBe(429);
      expect(Number(seen.retryAfter)).toBeGreaterThan(0);
    });

    it('OVERLOADED: no execution slot and no room to wait (503, Retry-After); answered again once the slot is free', async () => {
      const release = await busy.app.admission!.acquire();
      let seen: Seen;
      try {
        seen = await make(busy.url).query(FIND_AGENCY, { q });
      } finally {
        release();
      }
      expect(seen).toMatchObject({ kind: 'graphql', code: 'OVERLOADED', extensions: { reason: 'queue full' } });
      expect(seen.status).toBe(503);
      expect(Number(seen.retryAfter)).toBeGreaterThan(0);
      expect((await make(busy.url).query(FIND_AGENCY, { q })).data.agencies[0].id).toBe('dispendukcapil');
    });

    it('BAD_USER_INPUT: from the ratings subgraph (6 stars) and from the edge (a malformed X-Device-Id, 400)', async () => {
      const token = await stack.token('warga.siti');
      const input = { ticketId: rateable[2] ?? rateable[0]!, stars: 6 };
      // A resolver's error: HTTP 200 with `data: null` and the error, as GraphQL over HTTP has it.
      expect(await make(gw.url, { token }).mutate(RATE_SERVICE, { input })).toMatchObject({ kind: 'graphql', code: 'BAD_USER_INPUT', status: 200 });
      const seen = await make(gw.url, { token, headers: { 'x-device-id': 'not a device id' } }).mutate(RATE_SERVICE, { input: { ...input, stars: 4 } });
      expect(seen).toMatchObject({ kind: 'graphql', code: 'BAD_USER_INPUT', extensions: { field: 'X-Device-Id' }, status: 400 });
    });

    it('PERSISTED_QUERY_REQUIRED: an ad-hoc operation from the mobile client where the safelist is enforced (400)', async () => {
      const seen = await make(prod.url, { clientName: 'mobile' }).query(gql('query AdHoc { agencies(first: 1) { id phone } }'));
      expect(seen).toMatchObject({ kind: 'graphql', code: 'PERSISTED_QUERY_REQUIRED', status: 400 });
    });

    it('BAD_REQUEST: a simple (CSRF-able) POST, from a client made to send text/plain (400)', async () => {
      const seen = await make(gw.url, { token: await stack.token('warga.siti'), headers: { 'content-type': 'text/plain' } }).mutate(RATE_SERVICE, { input: { ticketId: rateable[0]!, stars: 4 } });
      expect(seen).toMatchObject({ kind: 'graphql', code: 'BAD_REQUEST' });
      expect(seen.status).toBe(400);
    });

    it('METHOD_NOT_ALLOWED: a mutation sent as GET (405), never executed', async () => {
      const before = methodsOf('RateService').length;
      const seen = await make(gw.url, { token: await stack.token('warga.budi') }).mutateWithGet(RATE_SERVICE, { input: { ticketId: rateable[0]!, stars: 1 } });
      expect(seen).toMatchObject({ kind: 'graphql', code: 'METHOD_NOT_ALLOWED', extensions: { method: 'GET' } });
      expect(seen.status).toBe(405);
      expect(methodsOf('RateService').length).toBe(before);
    });

    it('GRAPHQL_VALIDATION_FAILED: a field the schema does not have (400, from Apollo Server)', async () => {
      const seen = await make(gw.url).query(gql('query Unknown { agencies(first: 1) { id nope } }'));
      expect(seen).toMatchObject({ kind: 'graphql', code: 'GRAPHQL_VALIDATION_FAILED', status: 400 });
    });
  });
});

describe('GET for queries', () => {
  it('Apollo Client with useGETForQueries: every contract query is answered over GET', async () => {
    const client = apolloClient(gw.url, { token: await stack.token('hr.bkpsdm') }, { useGETForQueries: true });
    const before = reached.length;
    expect((await client.query(FIND_AGENCY, { q: 'dukcapil' })).data.agencies[0].id).toBe('dispendukcapil');
    expect((await client.query(AGENCY_PAGE, { id: 'dinsos' })).data.agency.id).toBe('dinsos');
    expect((await client.query(TPP_REPORT, { agencyId: 'dispendukcapil', month })).data.tppReport.month).toBe(month);
    expect(reached.slice(before).map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
  });

  it('Apollo Client automatic persisted queries over GET: hash only, the text once when the gateway does not know it', async () => {
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const apq = () => apolloClient(gw.url, {}, { links: [new PersistedQueryLink({ sha256, useGETForHashedQueries: true })] });
    const AGENCY_NAME = gql('query AgencyName($id: ID!) { agency(id: $id) { id name } }');
    expect((await apq().query(AGENCY_NAME, { id: 'bpkpd' })).data.agency.id).toBe('bpkpd');
    // First: the hash alone over GET (unknown: PERSISTED_QUERY_NOT_FOUND), then hash and text over POST.
    expect(reached.filter((r) => r.operationName === 'AgencyName').map((r) => [r.method, r.withText])).toEqual([
      ['GET', false],
      ['POST', true],
    ]);
    // A second client: the hash alone over GET is enough now (the edge fills the text from the APQ cache).
    expect((await apq().query(AGENCY_NAME, { id: 'dinsos' })).data.agency.id).toBe('dinsos');
    expect(reached.filter((r) => r.operationName === 'AgencyName').at(-1)?.method).toBe('GET');
  });

  it('Apollo Client automatic persisted queries where the safelist is enforced: its own hashes, the text once', async () => {
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const apq = () => apolloClient(prod.url, { clientName: 'mobile' }, { links: [new PersistedQueryLink({ sha256, useGETForHashedQueries: true })] });
    // Its hash is of the text with __typename, unknown to the manifest: the text follows once and is judged by the safelist.
    expect((await apq().query(AGENCY_PAGE, { id: 'bpkpd' })).data.agency.id).toBe('bpkpd');
    expect((await apq().query(AGENCY_PAGE, { id: 'dinsos' })).data.agency.id).toBe('dinsos');
    const notSafelisted = await apq().query(gql('query AgencyPhone($id: ID!) { agency(id: $id) { phone } }'), { id: 'bpkpd' });
    expect(notSafelisted).toMatchObject({ kind: 'graphql', code: 'PERSISTED_QUERY_REQUIRED' });
  });

  it('urql refuses on its own to send a mutation through query (so never as GET)', () => {
    const { client } = urqlClient(gw.url);
    expect(() => client.query(RATE_SERVICE, { input: { ticketId: rateable[0]!, stars: 1 } })).toThrow(/Expected operation of type "query" but found "mutation"/);
  });

  it('urql: a safelisted operation by id alone over GET (the persisted-query extension in the URL)', async () => {
    const id = Safelist.fromFile().manifest.operations.find((o) => o.name === 'FindAgency')!.id;
    const { client } = urqlClient(prod.url, { clientName: 'mobile' });
    const r = await client.executeQuery(createRequest(FIND_AGENCY, { q: 'capil' }, { persistedQuery: { version: 1, sha256Hash: id } })).toPromise();
    expect(r.error).toBeUndefined();
    expect(r.data.agencies[0].id).toBe('dispendukcapil');
  });
});
