import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, startSubgraph, PLACES_SDL, placesResolvers, type FixtureSubgraph, type TestGateway } from './support/fixtures';

/**
 * A shutdown drains (server.ts `close`, what main.ts runs on SIGTERM/SIGINT): readiness says 503 at
 * once, no new connection is taken, a request in flight still gets its whole answer, up to
 * SHUTDOWN_DRAIN_MS; past that deadline its connection is cut. The subgraphs' servers
 * (common's createSubgraphHttpServer) drain the same way. Over the wire, on port 0.
 */

const QUERY = '{ agencies(first: 1) { id name } }';

/**
 * One request on a connection of its own: its status; `refused` when nothing listens; `dropped`
 * when a connection the kernel accepted just before the listener closed is closed unanswered
 * (the drain ends every connection with no request in flight).
 */
function getOnce(url: string): Promise<number | 'refused' | 'dropped'> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') resolve('refused');
      else if (err.code === 'ECONNRESET' || err.message === 'socket hang up') resolve('dropped');
      else reject(err);
    });
  });
}

/** Until `call` reaches the subgraph (the request is then in flight at the gateway). */
async function untilCalled(subgraph: FixtureSubgraph, count = 1): Promise<void> {
  for (let i = 0; i < 200 && subgraph.calls.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  expect(subgraph.calls.length).toBeGreaterThanOrEqual(count);
}

/** Asks readiness on new connections until they are refused; every answer before that must be 503. */
async function readinessUntilRefused(base: string): Promise<(number | 'refused' | 'dropped')[]> {
  const seen: (number | 'refused' | 'dropped')[] = [];
  for (let i = 0; i < 100; i++) {
    const status = await getOnce(`${base}/health/ready`);
    seen.push(status);
    if (status === 'refused') break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return seen;
}

let places: FixtureSubgraph | undefined;
let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  await places?.stop();
  gw = places = undefined;
});

describe('gateway shutdown', () => {
  it('lets a request in flight finish with 200 while new connections are refused and readiness is never 200', async () => {
    places = await startSubgraph('places', PLACES_SDL, placesResolvers({ delayMs: 1_500 }));
    gw = await startGateway([places], { shutdownDrainMs: 5_000 });
    const base = gw.url.replace('/graphql', '');
    expect(await getOnce(`${base}/health/ready`)).toBe(200);

    const inFlight = gw.gql(QUERY);
    await untilCalled(places);
    const began = performance.now();
    const closing = gw.app.close();

    const readiness = await readinessUntilRefused(base);
    expect(readiness.at(-1)).toBe('refused');
    expect(readiness.filter((s) => s !== 'refused' && s !== 'dropped' && s !== 503)).toEqual([]);

    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { agencies: [{ id: 'dispendukcapil', name: 'Dinas Kependudukan dan Pencatatan Sipil' }] } });
    await closing;
    // It waited for the answer (the subgraph's 1.5 s), not for the 5 s deadline.
    expect(performance.now() - began).toBeLessThan(4_500);
  });

  it('says 503 "draining" on /health/ready (and not ready on /health/status and /health) once the drain has begun; /health/live stays 200', async () => {
    places = await startSubgraph('places', PLACES_SDL, placesResolvers());
    gw = await startGateway([places], { healthCacheMs: 0 });
    const base = gw.url.replace('/graphql', '');
    const json = async (path: string) => {
      const res = await fetch(`${base}${path}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await json('/health/ready')).toMatchObject({ status: 200, body: { status: 'ok' } });
    // The first thing close() does, before Apollo Server's drain stops the listener.
    gw.app.health.drain();
    expect(await json('/health/ready')).toEqual({ status: 503, body: { status: 'draining' } });
    expect(await json('/health/status')).toMatchObject({ status: 503, body: { status: 'draining', live: true, ready: false } });
    expect(await json('/health')).toMatchObject({ status: 503, body: { status: 'draining' } });
    expect(await json('/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('cuts a request still running at the deadline and finishes closing soon after it', async () => {
    places = await startSubgraph('places', PLACES_SDL, placesResolvers({ delayMs: 2_000 }));
    gw = await startGateway([places], { shutdownDrainMs: 200, subgraphTimeoutMs: 10_000 });
    const inFlight = gw.gql(QUERY).then(
      (r) => ({ answered: r.status }),
      (err: unknown) => ({ cut: (err as Error).message }),
    );
    await untilCalled(places);
    const began = performance.now();
    await gw.app.close();
    const took = performance.now() - began;
    expect(took).toBeGreaterThanOrEqual(150);
    expect(took).toBeLessThan(900);
    expect(await inFlight).toEqual({ cut: 'fetch failed' });
  });
});

describe('subgraph shutdown (common createSubgraphHttpServer)', () => {
  it('answers the call in flight, then refuses new connections', async () => {
    places = await startSubgraph('places', PLACES_SDL, placesResolvers({ delayMs: 1_500 }));
    gw = await startGateway([places]);
    const subgraphBase = places.url.replace('/graphql', '');
    expect(await getOnce(`${subgraphBase}/health/ready`)).toBe(200);

    const inFlight = gw.gql(QUERY);
    await untilCalled(places);
    const stopping = places.stop();
    const readiness = await readinessUntilRefused(subgraphBase);
    expect(readiness.at(-1)).toBe('refused');
    expect(readiness.filter((s) => s !== 'refused' && s !== 'dropped' && s !== 503)).toEqual([]);

    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { agencies: [{ id: 'dispendukcapil', name: 'Dinas Kependudukan dan Pencatatan Sipil' }] } });
    await stopping;
    places = undefined;
  });
});

describe('close', () => {
  it('is shared by concurrent callers: a second close while the first drains resolves with it', async () => {
    places = await startSubgraph('places', PLACES_SDL, placesResolvers({ delayMs: 500 }));
    gw = await startGateway([places]);
    const inFlight = gw.gql(QUERY);
    await untilCalled(places);
    const first = gw.app.close();
    const second = gw.app.close();
    const outcome = await Promise.race([Promise.all([first, second]).then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 5_000))]);
    expect(outcome).toBe('closed');
    expect((await inFlight).status).toBe(200);
  });
});
