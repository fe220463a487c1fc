import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack';
import { follow, sleep, testEventBuses, wsClient } from './support/live';

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
afterAll(() => stack?.close());

const TICKET_FIELDS = `id status changeCursor agency { id name } service { id name } officer { id name } canRate populationRequest { number status }`;

/** Moves a SIAK request to `status` and runs the agencies' ticket sync (as its poller would). */
async function siakStatus(ticketId: string, status: string) {
  const id = ticketId.slice('dispendukcapil:'.length);
  const res = await fetch(`${stack.simulators.siak.url()}/__admin/permohonan/${encodeURIComponent(id)}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'e2e-siak-key' },
    body: JSON.stringify({ status, nip: '198703152010011002' }),
  });
  expect(res.status).toBe(200);
  await stack.syncTickets('population');
}

describe('live ticket status over graphql-ws', () => {
  it("delivers a citizen's ticket change with federated fields, within a second", async () => {
    const ticket = await fileRequest('warga.siti');
    const client = wsClient(stack.gatewayUrl, await stack.token('warga.siti'));
    try {
      const feed = follow(client, `subscription Mine { myTicketUpdates { ${TICKET_FIELDS} } }`);
      await sleep(300);
      const started = Date.now();
      await siakStatus(ticket, 'IN_PROCESS');
      await feed.waitFor(1, 3_000);
      const elapsed = Date.now() - started;
      const event = feed.events[0]!;
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
      expect(elapsed).toBeLessThan(1_000);
      feed.stop();
    } finally {
      await client.dispose();
    }
  });
});
