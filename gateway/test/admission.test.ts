import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Admission, ClientGone, OverloadRefusal, type Release } from '../src';
import { readLimitedBody } from '../src/edge/request';
import { startPlacesAndPeople, type FixtureSubgraph, type TestGateway } from './support/fixtures';
import { ifStarted } from '@gerbang/testing';

/** An admission controller driven by hand: no timer, utilisation set by the test. */
function manual(options: ConstructorParameters<typeof Admission>[0] = {}) {
  const load = { u: 0 };
  const admission = new Admission({ intervalMs: 0, utilization: () => load.u, ...options });
  return { admission, load };
}

const settled = async <T>(p: Promise<T>) => {
  let state: 'pending' | 'granted' | 'failed' = 'pending';
  p.then(
    () => (state = 'granted'),
    () => (state = 'failed'),
  );
  await new Promise((r) => setImmediate(r));
  return state;
};

describe('Admission (the controller)', () => {
  it('grants up to the limit at once, then queues in arrival order', async () => {
    const { admission } = manual({ min: 2, max: 2 });
    const first = await admission.acquire();
    await admission.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => admission.acquire().then((release) => (order.push(n), release)));
    expect(admission.inflight).toBe(2);
    expect(admission.queued).toBe(3);
    first();
    first(); // a second call of the same release gives nothing back twice
    const r1 = await waiting[0]!;
    expect(order).toEqual([1]);
    expect(admission.inflight).toBe(2);
    r1();
    (await waiting[1]!)();
    await waiting[2];
    expect(order).toEqual([1, 2, 3]);
  });

  it('refuses at once with 503 OVERLOADED when the queue is full', async () => {
    const { admission } = manual({ min: 1, max: 1, maxQueue: 1 });
    await admission.acquire();
    void admission.acquire().catch(() => undefined);
    const refused = await admission.acquire().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OverloadRefusal);
    expect(refused).toMatchObject({ status: 503, code: 'OVERLOADED', extensions: { reason: 'queue full' }, headers: { 'retry-after': '5' } });
    admission.close();
  });

  it('gives up on a wait longer than queueTimeoutMs, and the slot goes to the next in line', async () => {
    const { admission } = manual({ min: 1, max: 1, queueTimeoutMs: 30 });
    const release = await admission.acquire();
    const late = await admission.acquire().catch((e: unknown) => e);
    expect(late).toMatchObject({ code: 'OVERLOADED', extensions: { reason: 'queue timeout', retryAfter: 1 } });
    expect(admission.queued).toBe(0);
    const next = admission.acquire();
    release();
    expect(await settled(next)).toBe('granted');
  });

  it('drops a waiter whose client has gone, without running it', async () => {
    const { admission } = manual({ min: 1, max: 1 });
    const release = await admission.acquire();
    const gone = admission.acquire(() => true);
    const present = admission.acquire(() => false);
    release();
    await expect(gone).rejects.toBeInstanceOf(ClientGone);
    expect(await settled(present)).toBe('granted');
    expect(admission.inflight).toBe(1);
  });

  it('shrinks the limit to the floor while the core is saturated', () => {
    const { admission, load } = manual({ min: 4, max: 512, initial: 64 });
    load.u = 0.99;
    const seen: number[] = [];
    for (let i = 0; i < 40; i++) {
      admission.adjust();
      seen.push(admission.limit);
    }
    expect(seen[0]).toBe(57);
    expect(seen.every((v, i) => i === 0 || v <= seen[i - 1]!)).toBe(true);
    expect(admission.limit).toBe(4);
  });

  it('grows the limit while operations wait and the core has room (I/O-bound), and lets the waiters in', async () => {
    const { admission, load } = manual({ min: 2, max: 100, initial: 2 });
    const held: Release[] = [];
    for (let i = 0; i < 2; i++) held.push(await admission.acquire());
    const waiting = Array.from({ length: 30 }, () => admission.acquire());
    load.u = 0.2; // mostly idle: ×2 per period
    admission.adjust();
    expect(admission.limit).toBe(4);
    expect(admission.inflight).toBe(4);
    admission.adjust();
    admission.adjust();
    admission.adjust();
    expect(admission.limit).toBe(32);
    expect(admission.queued).toBe(0);
    load.u = 0.6; // near the target: ×1.25, and only while someone waited
    void admission.acquire(); // two callers queue: the limit grows only while someone waits
    void admission.acquire();
    admission.adjust();
    expect(admission.limit).toBe(40);
    admission.adjust();
    expect(admission.limit).toBe(40);
    await Promise.all(waiting);
  });

  it('never grows past max, nor when nobody waited', () => {
    const { admission, load } = manual({ min: 1, max: 10, initial: 8 });
    load.u = 0;
    admission.adjust();
    expect(admission.limit).toBe(8);
    void admission.acquire().then(() => undefined);
    for (let i = 0; i < 8; i++) void admission.acquire();
    admission.adjust();
    admission.adjust();
    expect(admission.limit).toBe(10);
  });
});

describe('admission control in the gateway', () => {
  let graph: Awaited<ReturnType<typeof startPlacesAndPeople>>;
  let places: FixtureSubgraph;
  let gw: TestGateway;
  beforeAll(async () => {
    graph = await startPlacesAndPeople({ places: { delayMs: 500 }, gateway: { admission: { min: 1, max: 1, maxQueue: 1, intervalMs: 0 } } });
    ({ places, gw } = graph);
  });
  afterAll(() => ifStarted(graph)?.close());

  it('runs one operation at a time here, queues one, refuses the third with 503 OVERLOADED', async () => {
    places.calls.length = 0;
    const send = (n: number) => gw.gql(`query Q${n} { agencies { id } }`, { login: 'warga.siti' });
    const admission = gw.app.admission!;
    const first = send(1);
    await vi.waitFor(() => expect(admission.inflight).toBe(1));
    const second = send(2);
    await vi.waitFor(() => expect(admission.queued).toBe(1));
    const third = await send(3);
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('5');
    expect(third.body).toEqual({ errors: [{ message: 'The service is busy. Try again in 5 s.', extensions: { code: 'OVERLOADED', reason: 'queue full', retryAfter: 5 } }] });
    const [a, b] = await Promise.all([first, second]);
    expect(a.body).toEqual({ data: { agencies: [{ id: 'dispendukcapil' }] } });
    expect(b.body).toEqual({ data: { agencies: [{ id: 'dispendukcapil' }] } });
    // Never two at once: the second reached the subgraph only after the first was answered.
    expect(places.calls.map((c) => /Q\d/.exec(c.query)?.[0] ?? c.query)).toHaveLength(2);
    const metrics = await (await fetch(gw.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/gerbang_gateway_admission_limit 1/);
    expect(metrics).toMatch(/gerbang_gateway_admission_refused_total\{reason="queue full"\} 1/);
    expect(metrics).toMatch(/gerbang_gateway_errors_total\{code="OVERLOADED"\} 1/);
    expect(metrics).toMatch(/gerbang_gateway_admission_wait_seconds_count 2/);
  });

  it('never executes the operation of a client that hung up while it waited', async () => {
    places.calls.length = 0;
    const admission = gw.app.admission!;
    const first = gw.gql('{ agencies { id } }', { login: 'warga.siti' });
    await vi.waitFor(() => expect(admission.inflight).toBe(1));
    const token = await gw.idp.issue('warga.budi');
    const abandoned = new AbortController();
    const gone = fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ agencies { name } }' }),
      signal: abandoned.signal,
    }).catch(() => 'aborted');
    await vi.waitFor(() => expect(admission.queued).toBe(1));
    abandoned.abort();
    expect(await gone).toBe('aborted');
    expect((await first).status).toBe(200);
    await vi.waitFor(() => expect(admission.inflight + admission.queued).toBe(0));
    expect(places.calls.map((c) => c.query)).toEqual([expect.stringContaining('agencies')]);
    expect(places.calls.some((c) => c.query.includes('name'))).toBe(false);
    const metrics = await (await fetch(gw.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/gerbang_gateway_admission_refused_total\{reason="client gone"\} 1/);
    expect(metrics).toMatch(/gerbang_gateway_requests_total\{operation="anonymous",status="499"\} 1/);
  });
});

describe('readLimitedBody', () => {
  /** A server that starts reading the body after `delayMs`, and a client that hangs up after sending `sent`. */
  const hangUp = (sent: string, delayMs: number) =>
    new Promise<unknown>((resolve) => {
      const server = http.createServer((req) => {
        setTimeout(() => readLimitedBody(req, 1_000).then(resolve, resolve), delayMs);
      });
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        const req = http.request({ port, host: '127.0.0.1', method: 'POST', headers: { 'content-length': '20' } });
        req.on('error', () => undefined);
        req.write(sent);
        setTimeout(() => {
          req.destroy();
          setTimeout(() => server.close(), 200);
        }, 30);
      });
    });

  it('rejects with ClientGone when the client hangs up mid-body', async () => {
    expect(await hangUp('{"query":', 0)).toBeInstanceOf(ClientGone);
  });

  it('rejects with ClientGone when the client hung up before the body was read, instead of waiting forever', async () => {
    expect(await hangUp('{"query":"{ a }"}   ', 100)).toBeInstanceOf(ClientGone);
  });
});
