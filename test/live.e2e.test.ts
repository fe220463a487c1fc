import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack';
import { follow, siakStatus as siakStatusOf, sleep, testEventBuses, until, wsClient } from './support/live';
import { ifStarted } from '@gerbang/testing';

/**
 * Live ticket status through the whole graph: the ledger publishes on the event bus (PostgreSQL
 * LISTEN/NOTIFY on a bare machine, Redis with REDIS_URL, NATS with NATS_URL), the gateway serves
 * graphql-ws and resolves each event through the supergraph with the subscriber's identity.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ events: testEventBuses(), live: { connectionsPerUser: 4, subscriptionsPerConnection: 3 } });
}, 120_000);

let filed = 0;
/** A new SIAK request of `login` (a citizen), synced into the ledger: its ticket id. */
async function fileRequest(login: string): Promise<string> {
  const res = await stack.graphql('mutation File($input: RequestDocumentInput!) { requestDocument(input: $input) { id } }', {
    login,
    variables: { input: { type: 'KK', note: 'live e2e', idempotencyKey: `live-e2e-${process.pid}-${++filed}` } },
  });
  expect(res.body.errors).toBeUndefined();
  await stack.syncTickets('population');
  return res.body.data.requestDocument.id;
}
afterAll(() => ifStarted(stack)?.close());

const TICKET_FIELDS = `id status changeCursor agency { id name } service { id name } officer { id name } canRate populationRequest { number status }`;

const siakStatus = (ticketId: string, status: string) => siakStatusOf(stack, ticketId, status);

describe('live ticket status over graphql-ws', () => {
  it("delivers a citizen's ticket change with federated fields, as soon as the ledger has it", async () => {
    const ticket = await fileRequest('warga.siti');
    const client = wsClient(stack.gatewayUrl, await stack.token('warga.siti'));
    try {
      const feed = follow(client, `subscription Mine { myTicketUpdates { ${TICKET_FIELDS} } }`);
      await sleep(300);
      // The first event of an operation also plans its query; the second is what a citizen waits for.
      await siakStatus(ticket, 'VERIFIED');
      await feed.waitFor(1, 3_000);
      await siakStatus(ticket, 'IN_PROCESS');
      // A functional deadline, not a measurement (speed is measured by scripts, not tests).
      await feed.waitFor(2, 3_000);
      const event = feed.events[1]!;
      expect(event.errors).toBeUndefined();
      expect(event.data.myTicketUpdates).toMatchObject({
        id: ticket,
        status: 'IN_PROGRESS',
        agency: { id: 'dispendukcapil', name: expect.any(String) },
        service: { name: expect.any(String) },
        canRate: false,
        populationRequest: { status: 'IN_PROCESS' },
      });
      expect(event.extensions).toMatchObject({ cursor: event.data.myTicketUpdates.changeCursor, ticketId: ticket });
      feed.stop();
    } finally {
      await client.dispose();
    }
  });
});

const url = () => stack.gatewayUrl;
const codesOf = (err: unknown) => (Array.isArray(err) ? err.map((e: { extensions?: { code?: string } }) => e.extensions?.code) : [(err as { code?: number }).code]);
/** The close event a graphql-ws client reports as its error. */
const closeOf = (err: unknown) => err as { code: number; reason: string };

describe('who sees what', () => {
  it("never delivers another citizen's ticket, through any subscription field, even with a forged `after`", async () => {
    const sitis = await fileRequest('warga.siti');
    const budisOwn = await fileRequest('warga.budi');
    const budi = wsClient(url(), await stack.token('warga.budi'));
    try {
      const mine = follow(budi, 'subscription { myTicketUpdates(after: "0") { id } }');
      const queue = follow(budi, 'subscription { agencyTicketQueue(agencyId: "dispendukcapil", after: "0") { id } }');
      const one = follow(budi, `subscription { ticketUpdated(id: "${sitis}", after: "0") { id status } }`);
      await one.ended();
      expect(codesOf(one.error)).toEqual(['NOT_FOUND']);
      await queue.ended();
      expect(codesOf(queue.error)).toEqual(['FORBIDDEN']);
      await mine.waitFor(1);
      await siakStatus(sitis, 'VERIFIED');
      await siakStatus(budisOwn, 'VERIFIED');
      await sleep(500);
      const ids = mine.events.map((e) => e.data.myTicketUpdates.id);
      expect(ids).toContain(budisOwn);
      expect(ids).not.toContain(sitis);
      // Every event was budi's own: the replay from "0" and the live ones.
      const own = await stack.graphql('{ me { tickets(first: 100) { id } } }', { login: 'warga.budi' });
      const budis = new Set(own.body.data.me.tickets.map((t: { id: string }) => t.id));
      for (const id of ids) expect(budis.has(id)).toBe(true);
      // None twice: every event is a later change than the one before.
      const cursors = mine.events.map((e) => BigInt(e.extensions!.cursor));
      expect(cursors.every((c, i) => i === 0 || c > cursors[i - 1]!)).toBe(true);
      mine.stop();
    } finally {
      await budi.dispose();
    }
  });

  it("lets an agency's officers follow its queue and its tickets, and no other agency's", async () => {
    const ticket = await fileRequest('warga.siti');
    const dukcapil = wsClient(url(), await stack.token('petugas.dukcapil'));
    const dpmptsp = wsClient(url(), await stack.token('petugas.dpmptsp'));
    try {
      const queue = follow(dukcapil, 'subscription { agencyTicketQueue(agencyId: "dispendukcapil") { id status populationRequest { status } canRate } }');
      const one = follow(dukcapil, `subscription { ticketUpdated(id: "${ticket}") { id status } }`);
      const other = follow(dpmptsp, `subscription { ticketUpdated(id: "${ticket}") { id } }`);
      const otherQueue = follow(dpmptsp, 'subscription { agencyTicketQueue(agencyId: "dispendukcapil") { id } }');
      const notCitizen = follow(dpmptsp, 'subscription { myTicketUpdates { id } }');
      await other.ended();
      expect(codesOf(other.error)).toEqual(['NOT_FOUND']);
      await otherQueue.ended();
      expect(codesOf(otherQueue.error)).toEqual(['FORBIDDEN']);
      await notCitizen.ended();
      expect(codesOf(notCitizen.error)).toEqual(['FORBIDDEN']);
      await sleep(200);
      await siakStatus(ticket, 'VERIFIED');
      await queue.waitFor(1);
      await one.waitFor(1);
      expect(queue.events.at(-1)!.data.agencyTicketQueue).toMatchObject({ id: ticket, status: 'IN_PROGRESS', populationRequest: { status: 'VERIFIED' }, canRate: false });
      expect(one.events[0]!.data.ticketUpdated).toEqual({ id: ticket, status: 'IN_PROGRESS' });
    } finally {
      await dukcapil.dispose();
      await dpmptsp.dispose();
    }
  });

  it('refuses a connection without a valid token, and closes one whose token expires (4403)', async () => {
    const anonymous = wsClient(url(), '', { connectionParams: {} });
    const refused = follow(anonymous, 'subscription { myTicketUpdates { id } }');
    await refused.ended();
    expect(closeOf(refused.error).code).toBe(4403);
    await anonymous.dispose();

    const bad = wsClient(url(), 'not.a.jwt');
    const badFeed = follow(bad, 'subscription { myTicketUpdates { id } }');
    await badFeed.ended();
    expect(closeOf(badFeed.error).code).toBe(4403);
    await bad.dispose();

    const short = wsClient(url(), await stack.idp.issue('warga.siti', { expiresIn: '2s' }));
    const feed = follow(short, 'subscription { myTicketUpdates { id } }');
    await feed.ended(6_000);
    expect(closeOf(feed.error)).toMatchObject({ code: 4403, reason: expect.stringMatching(/expired/) });
    await short.dispose();
  });

  it("applies the caller's query budget to the subscription's selection", async () => {
    const client = wsClient(url(), await stack.token('warga.siti'));
    try {
      const deep = follow(client, 'subscription { myTicketUpdates { agency { services { agency { services { agency { services { agency { services { agency { services { id } } } } } } } } } } } }');
      await deep.ended();
      expect(codesOf(deep.error)).toEqual(['QUERY_TOO_COMPLEX']);
      const query = follow(client, '{ agencies { id } }');
      await query.ended();
      expect(codesOf(query.error)).toEqual(['BAD_REQUEST']);
    } finally {
      await client.dispose();
    }
  });

  it('limits subscriptions per connection and connections per user', async () => {
    const token = await stack.token('warga.budi');
    const clients = Array.from({ length: 5 }, () => wsClient(url(), token));
    try {
      const feeds = Array.from({ length: 4 }, () => follow(clients[0]!, 'subscription { myTicketUpdates { id } }'));
      await feeds[3]!.ended();
      expect(codesOf(feeds[3]!.error)).toEqual(['RATE_LIMITED']);
      expect(feeds.slice(0, 3).every((f) => f.error === undefined)).toBe(true);
      // Four connections per user here (LIVE_CONNECTIONS_PER_USER): the fifth is closed with 4429.
      const others = clients.slice(1).map((c) => follow(c, 'subscription { myTicketUpdates { id } }'));
      await sleep(600);
      const closed = others.filter((f) => f.error !== undefined);
      expect(closed).toHaveLength(1);
      expect(closeOf(closed[0]!.error).code).toBe(4429);
    } finally {
      await Promise.all(
        clients.map(async (c) => {
          await c.dispose();
        }),
      );
    }
  });
});

describe('resume and delivery', () => {
  it('a client cut off and resuming with `after` gets every ticket changed meanwhile, once, then live changes', async () => {
    const first = await fileRequest('warga.siti');
    const token = await stack.token('warga.siti');
    let client = wsClient(url(), token);
    const before = follow(client, 'subscription { myTicketUpdates { id status changeCursor } }');
    await sleep(200);
    await siakStatus(first, 'VERIFIED');
    await before.waitFor(1);
    const seen = before.events.at(-1)!.data.myTicketUpdates;
    await client.dispose(); // the cut

    await siakStatus(first, 'IN_PROCESS');
    const second = await fileRequest('warga.siti');
    await siakStatus(first, 'COMPLETED');

    client = wsClient(url(), token);
    try {
      const after = follow(client, 'subscription Resume($after: String) { myTicketUpdates(after: $after) { id status changeCursor canRate } }', { after: seen.changeCursor });
      await after.waitFor(2);
      await sleep(300);
      const replayed = after.events.map((e) => e.data.myTicketUpdates);
      expect(replayed.map((t) => t.id)).toEqual([second, first]);
      expect(replayed[1]).toMatchObject({ status: 'COMPLETED', canRate: true });
      const cursors = replayed.map((t) => BigInt(t.changeCursor));
      expect(cursors[0]! > BigInt(seen.changeCursor) && cursors[1]! > cursors[0]!).toBe(true);
      await siakStatus(second, 'VERIFIED');
      await after.waitFor(3);
      await sleep(300);
      expect(after.events.map((e) => e.data.myTicketUpdates.id)).toEqual([second, first, second]);
    } finally {
      await client.dispose();
    }
  });

  it("with an agency system down, only that agency's view is null, with UPSTREAM_UNAVAILABLE", async () => {
    const ticket = await fileRequest('warga.siti');
    const client = wsClient(url(), await stack.token('warga.siti'));
    stack.simulators.siak.faults.set({ down: true });
    try {
      const feed = follow(client, `subscription { ticketUpdated(id: "${ticket}", after: "0") { id status agency { name } populationRequest { status } } }`);
      await feed.waitFor(1, 15_000);
      const event = feed.events[0]!;
      expect(event.data.ticketUpdated).toMatchObject({ id: ticket, status: 'SUBMITTED', agency: { name: expect.any(String) }, populationRequest: null });
      expect(event.errors).toEqual([expect.objectContaining({ path: ['ticketUpdated', 'populationRequest'], extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE' }) })]);
    } finally {
      stack.simulators.siak.faults.reset();
      await client.dispose();
    }
  });

  it('every gateway replica delivers each change once to its own subscribers', async () => {
    const replica = await stack.addGateway();
    const token = await stack.token('warga.siti');
    const a = wsClient(url(), token);
    const b = wsClient(replica.url, token);
    try {
      const ticket = await fileRequest('warga.siti');
      const query = `subscription { ticketUpdated(id: "${ticket}") { id status } }`;
      const onA = follow(a, query);
      const onB = follow(b, query);
      await sleep(300);
      await siakStatus(ticket, 'VERIFIED');
      await onA.waitFor(1);
      await onB.waitFor(1);
      await sleep(300);
      expect(onA.events.map((e) => e.data.ticketUpdated.status)).toEqual(['IN_PROGRESS']);
      expect(onB.events.map((e) => e.data.ticketUpdated.status)).toEqual(['IN_PROGRESS']);
    } finally {
      await a.dispose();
      await b.dispose();
      await replica.close();
    }
  });

  it('reports open connections, events in and out and delivery lag on /metrics', async () => {
    const text = await (await fetch(url().replace(/\/graphql$/, '/metrics'))).text();
    expect(text).toMatch(/gerbang_gateway_live_connections\{transport="ws"\} \d+/);
    expect(text).toMatch(/gerbang_gateway_live_events_in_total [1-9]/);
    expect(text).toMatch(/gerbang_gateway_live_events_out_total\{field="myTicketUpdates"\} [1-9]/);
    expect(text).toMatch(/gerbang_gateway_live_delivery_lag_seconds_count\{field="myTicketUpdates"\} [1-9]/);
    expect(text).toMatch(/gerbang_gateway_live_events_withheld_total\{reason="forbidden"\}|gerbang_gateway_live_refused_total/);
  });
});

describe('standard clients, untouched', () => {
  const SUBSCRIPTION = (ticket: string) => `subscription Watch { ticketUpdated(id: "${ticket}") { id status agency { name } service { name } canRate } }`;

  it('Apollo Client 4 with GraphQLWsLink', async () => {
    const { ApolloClient, InMemoryCache, gql } = await import('@apollo/client');
    const { GraphQLWsLink } = await import('@apollo/client/link/subscriptions');
    const ticket = await fileRequest('warga.siti');
    const ws = wsClient(url(), await stack.token('warga.siti'));
    const client = new ApolloClient({ link: new GraphQLWsLink(ws), cache: new InMemoryCache() });
    const seen: any[] = [];
    const subscription = client.subscribe({ query: gql(SUBSCRIPTION(ticket)) }).subscribe({ next: (r) => seen.push(r) });
    try {
      await sleep(300);
      await siakStatus(ticket, 'VERIFIED');
      await until(() => seen.length >= 1);
      expect(seen[0].data.ticketUpdated).toMatchObject({ id: ticket, status: 'IN_PROGRESS', agency: { name: expect.any(String) }, canRate: false });
    } finally {
      subscription.unsubscribe();
      await ws.dispose();
    }
  });

  it('urql 6 with subscriptionExchange over graphql-ws', async () => {
    const { Client, subscriptionExchange, fetchExchange } = await import('@urql/core');
    const ticket = await fileRequest('warga.siti');
    const ws = wsClient(url(), await stack.token('warga.siti'));
    const client = new Client({
      url: url(),
      exchanges: [
        fetchExchange,
        subscriptionExchange({
          forwardSubscription(request) {
            const input = { ...request, query: request.query || '' };
            return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
          },
        }),
      ],
    });
    const seen: any[] = [];
    const subscription = client.subscription(SUBSCRIPTION(ticket), {}).subscribe((r) => seen.push(r));
    try {
      await sleep(300);
      await siakStatus(ticket, 'VERIFIED');
      await until(() => seen.length >= 1);
      expect(seen[0].error).toBeUndefined();
      expect(seen[0].data.ticketUpdated).toMatchObject({ id: ticket, status: 'IN_PROGRESS', service: { name: expect.any(String) } });
    } finally {
      subscription.unsubscribe();
      await ws.dispose();
    }
  });

  it("graphql-sse's client (distinct connections), and an SSE client resuming with Last-Event-ID", async () => {
    const { createClient } = await import('graphql-sse');
    const ticket = await fileRequest('warga.siti');
    const token = await stack.token('warga.siti');
    const client = createClient({ url: url(), headers: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    const seen: any[] = [];
    let failed: unknown;
    const stop = client.subscribe({ query: SUBSCRIPTION(ticket) }, { next: (r) => void seen.push(r), error: (e) => void (failed = e), complete: () => undefined });
    try {
      await sleep(400);
      await siakStatus(ticket, 'VERIFIED');
      await until(() => seen.length >= 1 || failed !== undefined);
      expect(failed).toBeUndefined();
      expect(seen[0].data.ticketUpdated).toMatchObject({ id: ticket, status: 'IN_PROGRESS', agency: { name: expect.any(String) } });
      const cursor = seen[0].extensions.cursor as string;
      stop();

      // Cut: two changes while nobody listens; then a plain SSE request with Last-Event-ID.
      await siakStatus(ticket, 'IN_PROCESS');
      await siakStatus(ticket, 'COMPLETED');
      const controller = new AbortController();
      const res = await fetch(url(), {
        method: 'POST',
        headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: `Bearer ${token}`, 'last-event-id': cursor },
        body: JSON.stringify({ query: SUBSCRIPTION(ticket) }),
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reader = res.body!.getReader();
      let text = '';
      const pump = (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += new TextDecoder().decode(value);
        }
      })().catch(() => undefined);
      await until(() => text.includes('event: next'), 5_000);
      await sleep(300);
      controller.abort();
      await pump;
      const events = text.split('\n\n').filter((block) => block.includes('event: next'));
      // Only the ticket's state now, once (the two changes collapse into its latest), with its cursor as the id.
      expect(events).toHaveLength(1);
      const id = /^id: (\d+)$/m.exec(events[0]!)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(events[0]!)![1]!);
      expect(data.data.ticketUpdated).toMatchObject({ id: ticket, status: 'COMPLETED', canRate: true });
      expect(id).toBe(data.extensions.cursor);
      expect(BigInt(id!) > BigInt(cursor)).toBe(true);
    } finally {
      stop();
    }
  });

  it('refuses an SSE subscription without a token (401), and a subscription sent as a plain POST', async () => {
    const sse = await fetch(url(), {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'subscription { myTicketUpdates { id } }' }),
    });
    expect(sse.status).toBe(401);
    expect(((await sse.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const plain = await stack.graphql('subscription { myTicketUpdates { id } }', { login: 'warga.siti' });
    expect(plain.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });
});
