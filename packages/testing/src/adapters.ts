import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';

/**
 * The over-the-wire harness of the adapter tests (subgraphs/<name>/test/*-adapter.test.ts): one
 * agency-system simulator per test file, started on a free port, its faults and call counts reset
 * before each test; the adapter's clients shut down and the simulator stopped after the file; the
 * fault scenarios every adapter must pass (retry then UPSTREAM_UNAVAILABLE, deadline, circuit
 * breaker); and a tiny HTTP server that sends whatever malformed reply a test needs.
 */

/** Upstream settings that keep the fault scenarios fast: 300 ms deadline, one retry, a breaker that opens after 3 calls. */
export const FAST_UPSTREAM = { timeoutMs: 300, retries: 1, retryDelayMs: 10, breaker: { volumeThreshold: 3, resetTimeoutMs: 200 } };

/** What every simkit simulator offers a test (packages/simkit). */
export interface TestSimulator {
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
  url(): string;
  faults: { set(patch: { latencyMs?: number; errorRate?: number; down?: boolean }): unknown; reset(): unknown };
  stats: { reset(): void; calls(route?: string): number };
}

/** An adapter: it owns an Upstream (timeout, retries, breaker) that must be shut down. */
export interface TestAdapter {
  upstream: { shutdown(): void; readonly state: string; readonly attempts: number };
}

/** The adapter options a test may override (the adapter's own constructor options, all optional). */
type Overrides = { retries?: number };

export interface AdapterHarness<S, C, O extends Overrides> {
  /** The simulator of this file (started in beforeAll). */
  readonly sim: S;
  /** The adapter made in beforeAll. */
  readonly client: C;
  /** Another adapter on the same simulator, with `overrides`; shut down after the file. */
  clientWith(overrides?: Partial<O>): C;
  /** An adapter to another address (a ReplyServer), with `overrides`; shut down after the file. */
  connectTo(url: string, overrides?: Partial<O>): C;
}

/**
 * Registers the file's hooks: `start()` makes the simulator (it listens on a free port), `connect(url,
 * overrides)` makes an adapter to it (FAST_UPSTREAM, then the overrides); `reset` runs before each
 * test, after the simulator's faults and call counts are reset.
 */
export function adapterHarness<S extends TestSimulator, C extends TestAdapter, O extends Overrides>(setup: {
  start: () => S;
  connect: (url: string, overrides: Partial<O>) => C;
  reset?: (sim: S) => void;
}): AdapterHarness<S, C, O> {
  let sim: S | undefined;
  let client: C | undefined;
  const clients: C[] = [];
  const started = () => {
    if (!sim) throw new Error('the simulator is started in beforeAll');
    return sim;
  };
  const connectTo = (url: string, overrides: Partial<O> = {}): C => {
    const made = setup.connect(url, overrides);
    clients.push(made);
    return made;
  };
  const clientWith = (overrides: Partial<O> = {}): C => connectTo(started().url(), overrides);
  beforeAll(async () => {
    sim = setup.start();
    await sim.listen(0);
    client = clientWith();
  });
  afterAll(async () => {
    for (const c of clients) c.upstream.shutdown();
    await sim?.close();
  });
  beforeEach(() => {
    const s = started();
    s.faults.reset();
    s.stats.reset();
    setup.reset?.(s);
  });
  return {
    get sim() {
      return started();
    },
    get client() {
      if (!client) throw new Error('the client is made in beforeAll');
      return client;
    },
    clientWith,
    connectTo,
  };
}

/**
 * The fault scenarios every adapter answers alike, as tests: a failing system is asked twice (one
 * retry), then UPSTREAM_UNAVAILABLE naming it; a slow one times out; a system that is down opens the
 * breaker, calls then fail fast, and once it is back one probe closes it again. `read` is an
 * idempotent read of the adapter that succeeds on a healthy system.
 */
export function upstreamFaultScenarios<S extends TestSimulator, C extends TestAdapter, O extends Overrides>(
  harness: AdapterHarness<S, C, O>,
  options: { service: string; read: (client: C) => Promise<unknown>; faultRoute?: string },
): void {
  it('retries a read once, then reports UPSTREAM_UNAVAILABLE naming the system', async () => {
    harness.sim.faults.set({ errorRate: 1 });
    await expect(options.read(harness.client)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', service: options.service } });
    expect(harness.sim.stats.calls(options.faultRoute ?? '!fault')).toBe(2);
  });

  it('times out a slow system', async () => {
    harness.sim.faults.set({ latencyMs: 1_000 });
    const timedOut: unknown = expect.stringMatching(/timed out/);
    await expect(options.read(harness.client)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: timedOut } });
  });

  it('opens the circuit when the system is down, then fails fast, then recovers', async () => {
    // A client of its own, so the breaker's rolling window holds only this test's calls.
    const breaker = harness.clientWith({ retries: 0 } as Partial<O>);
    harness.sim.faults.set({ down: true });
    for (let i = 0; i < 3; i++) await options.read(breaker).catch(() => undefined);
    expect(breaker.upstream.state).toBe('open');
    const attempts = breaker.upstream.attempts;
    await expect(options.read(breaker)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', service: options.service, reason: 'circuit open' } });
    expect(breaker.upstream.attempts).toBe(attempts);
    harness.sim.faults.reset();
    // Past resetTimeoutMs the breaker lets one probe through: wait for that state, not for a fixed time.
    await vi.waitFor(() => expect(breaker.upstream.state).toBe('half-open'), { timeout: 5_000, interval: 10 });
    await options.read(breaker);
    expect(breaker.upstream.state).toBe('closed');
  });
}

/**
 * What every adapter does with a reply that breaks its system's interface, as tests: UPSTREAM_INVALID
 * naming the system and the first bad field, asked once (not retried), and counted against the
 * system's breaker like any other failure. `reply` is the malformed answer the ReplyServer sends.
 */
export function invalidReplyScenarios<S extends TestSimulator, C extends TestAdapter, O extends Overrides>(
  harness: AdapterHarness<S, C, O>,
  replies: { readonly server: ReplyServer },
  options: { service: string; read: (client: C) => Promise<unknown>; reply: CannedReply | ((req: IncomingMessage, body: string) => CannedReply); wirePath: string | RegExp },
): void {
  it('answers a reply that breaks the interface with UPSTREAM_INVALID naming the system and the first bad field, without a retry', async () => {
    const client = harness.connectTo(replies.server.url);
    replies.server.reply(options.reply);
    const before = replies.server.requests.length;
    await expect(options.read(client)).rejects.toMatchObject(upstreamInvalid(options.service, options.wirePath));
    expect(replies.server.requests.length - before).toBe(1);
    expect(client.upstream.state).toBe('closed');
  });

  it('counts replies that break the interface against the breaker', async () => {
    const client = harness.connectTo(replies.server.url, { retries: 0 } as Partial<O>);
    replies.server.reply(options.reply);
    for (let i = 0; i < 3; i++) await expect(options.read(client)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_INVALID' } });
    expect(client.upstream.state).toBe('open');
    await expect(options.read(client)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', service: options.service, reason: 'circuit open' } });
  });
}

/** One reply of the malformed-reply server. */
export interface CannedReply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as it is; anything else as JSON. */
  body: unknown;
}

export interface ReplyServer {
  readonly url: string;
  /** Requests received, by method and path (`POST /rpc`). */
  readonly requests: string[];
  /** What to answer next (to every request until changed); the function form sees the request. */
  reply(answer: CannedReply | ((req: IncomingMessage, body: string) => CannedReply)): void;
  close(): Promise<void>;
}

/**
 * A tiny HTTP server on a free port that answers what the test says: an agency system that breaks
 * its interface (a field missing or mistyped, a code outside its list, a body that is not JSON).
 * Stopped after the file.
 */
export function useReplyServer(): { readonly server: ReplyServer } {
  let server: ReplyServer | undefined;
  beforeAll(async () => {
    server = await startReplyServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the reply server is started in beforeAll');
      return server;
    },
  };
}

async function startReplyServer(): Promise<ReplyServer> {
  let answer: CannedReply | ((req: IncomingMessage, body: string) => CannedReply) = { status: 500, body: 'no reply set' };
  const requests: string[] = [];
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(`${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0]!}`);
      const a = typeof answer === 'function' ? answer(req, Buffer.concat(chunks).toString('utf8')) : answer;
      const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
      res.writeHead(a.status ?? 200, { 'content-type': typeof a.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...a.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(next) {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** The error an adapter must answer for a reply that breaks the interface: UPSTREAM_INVALID naming the system and the first bad field. */
export function upstreamInvalid(service: string, wirePath: string | RegExp) {
  const path: unknown = typeof wirePath === 'string' ? wirePath : expect.stringMatching(wirePath);
  return { extensions: { code: 'UPSTREAM_INVALID', service, wirePath: path } };
}
