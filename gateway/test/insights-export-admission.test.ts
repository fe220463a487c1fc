import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RequestVerifier } from '@gerbang/common';
import { TEST_INTERNAL_SECRET } from '@gerbang/testing';
import { placesResolvers, PLACES_SDL, startGateway, startSubgraph, type FixtureSubgraph, type TestGateway } from './support/fixtures';

/**
 * POST /insights/export waits in the same admission control as /graphql's operations: with one
 * slot and a queue of one, an export holding the slot, and one waiting, the next export (or
 * operation) gets the same 503 OVERLOADED, with Retry-After, that /graphql gives.
 */

/** Stands in for the insights subgraph's /export: checks the signed envelope, and answers only when the test says. */
function heldExports() {
  const verifier = new RequestVerifier({ secrets: [TEST_INTERNAL_SECRET] });
  const held: (() => void)[] = [];
  let reached = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      verifier.verify(req.headers, Buffer.concat(chunks), 'insights:export').then(
        (caller) => {
          reached++;
          held.push(() => res.writeHead(200, { 'content-type': 'text/csv' }).end(`agency,month\r\n# for ${caller.sub}\r\n`));
        },
        () => res.writeHead(401).end(),
      );
    });
  });
  return {
    held,
    reached: () => reached,
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let exports: ReturnType<typeof heldExports>;
let places: FixtureSubgraph;
let insights: FixtureSubgraph;
let gw: TestGateway;
beforeAll(async () => {
  exports = heldExports();
  const exportUrl = await exports.listen();
  places = await startSubgraph('places', PLACES_SDL, placesResolvers());
  // The insights subgraph's schema, routed to the stand-in (its /export is beside /graphql).
  insights = { ...(await startSubgraph('insights', 'type Query { insightsPing: Int }', { Query: { insightsPing: () => 1 } })), url: `${exportUrl}/graphql` };
  gw = await startGateway([places, insights], { admission: { min: 1, max: 1, maxQueue: 1, intervalMs: 0 } });
});
afterAll(async () => {
  await gw.close();
  await places.stop();
  await insights.stop();
  await exports.close();
});

const exportUrl = () => gw.url.replace(/\/graphql$/, '/insights/export');
async function postExport(login?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (login) headers.authorization = `Bearer ${await gw.idp.issue(login)}`;
  const res = await fetch(exportUrl(), { method: 'POST', headers, body: JSON.stringify({ question: { measures: ['RATINGS'], dimensions: ['AGENCY'] }, format: 'CSV' }) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('POST /insights/export under admission control', () => {
  it('holds a slot while it streams; beyond the limit and the queue it is refused as /graphql is (503 OVERLOADED, Retry-After)', async () => {
    const admission = gw.app.admission!;
    const first = postExport('analis');
    await vi.waitFor(() => expect(exports.reached()).toBe(1));
    expect(admission.inflight).toBe(1);
    const second = postExport('analis');
    await vi.waitFor(() => expect(admission.queued).toBe(1));

    const third = await postExport('analis');
    const operation = await gw.gql('{ agencies { id } }', { login: 'warga.siti' });
    // The same refusal, status and body, on both paths.
    expect(third.status).toBe(503);
    expect(operation.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('5');
    expect(operation.headers.get('retry-after')).toBe('5');
    const refusal = { errors: [{ message: 'The service is busy. Try again in 5 s.', extensions: { code: 'OVERLOADED', reason: 'queue full', retryAfter: 5 } }] };
    expect(JSON.parse(third.text)).toEqual(refusal);
    expect(operation.body).toEqual(refusal);
    // The refused export never reached the subgraph; the queued one has not yet.
    expect(exports.reached()).toBe(1);

    // The first answers; the queued one gets the slot only then.
    exports.held.shift()!();
    const a = await first;
    expect(a.status).toBe(200);
    expect(a.text).toContain('agency,month');
    await vi.waitFor(() => expect(exports.reached()).toBe(2));
    exports.held.shift()!();
    expect((await second).status).toBe(200);
    await vi.waitFor(() => expect(admission.inflight + admission.queued).toBe(0));
  });

  it('refuses an anonymous export before it waits for a slot', async () => {
    const admission = gw.app.admission!;
    const held = postExport('analis');
    await vi.waitFor(() => expect(admission.inflight).toBe(1));
    const anonymous = await postExport();
    expect(anonymous.status).toBe(401);
    expect(admission.queued).toBe(0);
    await vi.waitFor(() => expect(exports.held.length).toBe(1));
    exports.held.shift()!();
    expect((await held).status).toBe(200);
  });
});
