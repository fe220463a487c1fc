import { afterEach, describe, expect, it } from 'vitest';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createLogger, createSubgraphHttpServer, MemoryNonceStore, RequestVerifier, runCheck, SharedProbe, Upstream, UpstreamRejectedError, type RunningServer } from '../src';

const schema = buildSubgraphSchema([{ typeDefs: parse('type Query { ping: String }'), resolvers: { Query: { ping: () => 'pong' } } }]);
const SECRET = 'health-test-secret-0123456789';

describe('SharedProbe', () => {
  it('shares one round between concurrent callers and reuses it for ttlMs', async () => {
    let now = 1_000;
    let calls = 0;
    let release!: () => void;
    const probe = new SharedProbe(
      () =>
        new Promise<number>((resolve) => {
          calls++;
          release = () => resolve(calls);
        }),
      5_000,
      () => now,
    );
    const waiting = Array.from({ length: 100 }, () => probe.get());
    release();
    expect(await Promise.all(waiting)).toEqual(Array(100).fill(1));
    now += 4_999;
    expect(await probe.get()).toBe(1);
    expect(calls).toBe(1);
    now += 1;
    const next = probe.get();
    release();
    expect(await next).toBe(2);
    expect(probe.rounds).toBe(2);
  });

  it('does not keep a rejected round', async () => {
    let fail = true;
    const probe = new SharedProbe(async () => {
      if (fail) throw new Error('boom');
      return 'ok';
    }, 60_000);
    await expect(probe.get()).rejects.toThrow('boom');
    fail = false;
    expect(await probe.get()).toBe('ok');
  });
});

describe('runCheck', () => {
  it('reports up, down with the reason, and a check past its deadline as down', async () => {
    expect(await runCheck(async () => 'fine')).toMatchObject({ status: 'up' });
    expect(await runCheck(async () => Promise.reject(new Error('no route to host')))).toMatchObject({ status: 'down', reason: 'no route to host' });
    expect(await runCheck(() => new Promise(() => undefined), 20)).toMatchObject({ status: 'down', reason: 'timed out after 20 ms' });
  });
});

describe('Upstream.snapshot', () => {
  it('keeps the last success and failure from real calls; a refusal of one request is an answer', async () => {
    const upstream = new Upstream({ service: 'SIAK', retries: 0 });
    expect(upstream.snapshot()).toEqual({ service: 'SIAK', state: 'closed', lastSuccessAt: null, lastFailureAt: null, lastFailure: null });
    await upstream.call(async () => 'ok', { idempotent: true });
    await expect(upstream.call(async () => Promise.reject(new Error('ECONNREFUSED')), { idempotent: true })).rejects.toThrow();
    const afterFailure = upstream.snapshot();
    expect(afterFailure).toMatchObject({ lastFailure: 'ECONNREFUSED' });
    expect(afterFailure.lastSuccessAt).not.toBeNull();
    await expect(upstream.call(async () => Promise.reject(new UpstreamRejectedError('SIAK', 'unknown NIK', 'NOT_FOUND')), { idempotent: true })).rejects.toThrow();
    expect(upstream.snapshot().lastSuccessAt! >= afterFailure.lastFailureAt!).toBe(true);
    upstream.shutdown();
  });
});

describe('a subgraph server: live, ready, status', () => {
  let running: RunningServer | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  const start = async (options: { database?: () => Promise<unknown>; status?: () => Record<string, unknown>; nonces?: { remember(): boolean; ping(): Promise<unknown> } } = {}) => {
    const app = await createSubgraphHttpServer({
      name: 'population',
      schema,
      logger: createLogger('population', 'silent'),
      // Memory unless the test says otherwise: REDIS_URL, when set for the suite, would add Redis.
      verifier: new RequestVerifier({ secrets: [SECRET], nonces: options.nonces ?? new MemoryNonceStore() }),
      context: () => ({}),
      ...(options.database ? { ready: { database: options.database } } : {}),
      ...(options.status ? { status: options.status } : {}),
      healthCacheMs: 0,
    });
    running = await app.listen(0);
    return async (path: string) => {
      const res = await fetch(`${running!.url}${path}`);
      return { status: res.status, body: (await res.json()) as any };
    };
  };

  it("stays ready with its agency system down: the system's state is in the status only", async () => {
    const upstream = new Upstream({ service: 'Dispendukcapil SIAK', retries: 0, breaker: { volumeThreshold: 1 } });
    await expect(upstream.call(async () => Promise.reject(new Error('connect ECONNREFUSED')), { idempotent: true })).rejects.toThrow();
    const get = await start({ status: () => ({ upstreams: { siak: upstream.snapshot() } }) });
    expect(await get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok', service: 'population' } });
    expect(await get('/health/ready')).toMatchObject({ status: 200, body: { status: 'ok', ready: true } });
    const status = await get('/health/status');
    expect(status).toMatchObject({ status: 200, body: { status: 'ok', ready: true, upstreams: { siak: { state: 'open', lastFailure: 'connect ECONNREFUSED' } } } });
    // /health is what it always was: readiness with the details.
    expect(await get('/health')).toEqual(status);
    upstream.shutdown();
  });

  it('is not ready while its own database does not answer, and stays live', async () => {
    const get = await start({ database: () => Promise.reject(new Error('the database system is starting up')) });
    expect((await get('/health/live')).status).toBe(200);
    expect(await get('/health/ready')).toMatchObject({ status: 503, body: { status: 'unavailable', checks: { database: { status: 'down', reason: 'the database system is starting up' } } } });
    expect((await get('/health/status')).status).toBe(503);
  });

  it('is not ready while the shared nonce store (Redis) does not answer: it could verify no call', async () => {
    const get = await start({ database: async () => undefined, nonces: { remember: () => true, ping: () => Promise.reject(new Error('Connection is closed.')) } });
    expect(await get('/health/ready')).toMatchObject({ status: 503, body: { checks: { database: { status: 'up' }, nonceStore: { status: 'down' } } } });
  });

  it('reports a status function that fails without failing readiness', async () => {
    const get = await start({
      status: () => {
        throw new Error('drop folder unreadable');
      },
    });
    expect(await get('/health/status')).toMatchObject({ status: 200, body: { ready: true, statusError: 'drop folder unreadable' } });
  });
});
