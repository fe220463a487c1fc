/**
 * The measurements of `npm run bench:live` (bench/live/run.ts starts this file under Vitest with
 * LIVE_BENCH = JSON of the options and LIVE_BENCH_OUT = where to write the results).
 *
 * The graph is started as test/live.e2e.test.ts starts it (test/support/stack.ts: every subgraph,
 * the gateway with subscriptions on, the event bus picked from NATS_URL / REDIS_URL / PostgreSQL).
 * Subscribers run in a child process (clients.ts). Ticket changes are published as agencies publish
 * them: signed batches to the ledger's POST /internal/ticket-events (TicketFeedPublisher), one batch
 * every 50 ms. Each change is a new ticket, so a subscriber must receive each exactly once.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { it } from 'vitest';
import { devFeedKey, TicketFeedPublisher, type TicketEvent } from '@gerbang/common';
import { eventBusSettingsFromEnv } from '@gerbang/common/events';
import { startStack } from '../../test/support/stack';
import { testEventBuses, wsUrl } from '../../test/support/live';

export interface LiveBenchOptions {
  connections: number;
  rates: number[];
  durationS: number;
  latencySubscribers: number;
  replicaSubscribers: number;
  replicaEvents: number;
  drainS: number;
}

const AGENCY = 'dispendukcapil';
const NIK = { siti: '3503115708900001', budi: '3503120203850002' };
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const gc = () => (globalThis as { gc?: () => void }).gc?.();

function busName() {
  const s = eventBusSettingsFromEnv();
  const transport = s.transport ?? (s.natsUrl ? 'nats' : s.redisUrl ? 'redis' : 'postgres');
  return transport === 'nats' ? 'NATS JetStream' : transport === 'redis' ? 'Redis pub/sub' : 'PostgreSQL LISTEN/NOTIFY';
}

class Clients {
  private next = 0;
  private readonly waiting = new Map<number, (v: any) => void>();
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: any) => {
      if (typeof m?.id === 'number') {
        this.waiting.get(m.id)?.(m);
        this.waiting.delete(m.id);
      }
    });
  }
  static async start(): Promise<Clients> {
    const child = fork(fileURLToPath(new URL('./clients.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the clients' process exited (${code})`)));
    });
    return new Clients(child);
  }
  call<T = any>(msg: Record<string, unknown>): Promise<T> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ ...msg, id });
    });
  }
  kill() {
    this.child.kill();
  }
}

function quantiles(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]! : NaN);
  return { n: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s.at(-1) ?? NaN };
}

it('measures live ticket status', async () => {
  const opts = JSON.parse(process.env.LIVE_BENCH ?? '{}') as LiveBenchOptions;
  const big = opts.connections + 1_000;
  const stack = await startStack({ events: testEventBuses(), live: { connectionsPerUser: big, connectionsPerAddress: big, subscriptionsPerConnection: 20 } });
  const clients = await Clients.start();
  const results: Record<string, unknown> = { options: opts, bus: busName() };
  try {
    const gatewayBase = stack.gatewayUrl.replace(/\/graphql$/, '');
    const ledgerUrl = stack.subgraphUrls.ratings!.replace(/\/graphql$/, '');
    const publisher = new TicketFeedPublisher({ ledgerUrl, agencyId: AGENCY, key: devFeedKey(AGENCY), timeoutMs: 30_000 });
    const gauge = async (base = gatewayBase) => {
      const text = await (await fetch(`${base}/metrics`)).text();
      let sum = 0;
      for (const line of text.split('\n')) if (line.startsWith('gerbang_gateway_live_subscriptions{')) sum += Number(line.split(' ').at(-1));
      return sum;
    };
    const waitGauge = async (want: number, base = gatewayBase, ms = 120_000) => {
      const start = Date.now();
      let seen = 0;
      while (Date.now() - start < ms) {
        seen = await gauge(base);
        if (seen >= want) return seen;
        await sleep(250);
      }
      return seen;
    };
    const baseSubs = await gauge();

    // 1. Subscribers held on one gateway process, and memory per connection.
    await sleep(500);
    gc();
    const before = process.memoryUsage();
    const budi = await stack.token('warga.budi');
    const opened = await clients.call({
      type: 'open',
      tag: 'hold',
      url: wsUrl(stack.gatewayUrl),
      token: budi,
      n: opts.connections,
      query: 'subscription { myTicketUpdates { id status } }',
      field: 'myTicketUpdates',
    });
    const held = (await waitGauge(baseSubs + opened.ok)) - baseSubs;
    await sleep(1_000);
    gc();
    const after = process.memoryUsage();
    results.hold = {
      asked: opts.connections,
      connected: opened.ok,
      failed: opened.failed,
      firstError: opened.error ?? null,
      subscriptionsAtGateway: held,
      openMs: opened.ms,
      rssBefore: before.rss,
      rssAfter: after.rss,
      heapBefore: before.heapUsed,
      heapAfter: after.heapUsed,
      rssPerConnection: (after.rss - before.rss) / Math.max(1, opened.ok),
      heapPerConnection: (after.heapUsed - before.heapUsed) / Math.max(1, opened.ok),
      gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    };

    // Publishes `total` new tickets of siti at `rate`/s (a batch every 50 ms); the publish time of each ticket id.
    let seq = 0;
    const publish = async (tag: string, rate: number, total: number) => {
      const sent = new Map<string, number>();
      const inflight: Promise<unknown>[] = [];
      const start = now();
      let errors = 0;
      for (let tick = 0; sent.size < total; tick++) {
        const wait = start + tick * 50 - now();
        if (wait > 0) await sleep(wait);
        const events: TicketEvent[] = [];
        // Events due by the end of this tick at `rate`/s (fractions carry over to later ticks).
        const due = Math.min(total, Math.ceil((rate * (tick + 1)) / 20)) - sent.size;
        for (let i = 0; i < due; i++) {
          events.push({
            ticketId: `${AGENCY}:BENCH-${process.pid}-${tag}-${++seq}`,
            citizenNik: NIK.siti,
            serviceId: `${AGENCY}.ktp-el`,
            officerId: null,
            status: 'SUBMITTED',
            submittedAt: new Date().toISOString(),
            completedAt: null,
            version: 1,
          });
        }
        if (!events.length) continue;
        const at = now();
        for (const e of events) sent.set(e.ticketId, at);
        inflight.push(
          publisher.publish(events).catch(() => {
            errors++;
          }),
        );
      }
      const elapsed = (now() - start) / 1000;
      await Promise.all(inflight);
      return { sent, achievedRate: total / Math.max(elapsed, 0.05), publishErrors: errors };
    };
    /** Waits until every subscriber of `tag` has every id of `sent` (or `ms` passed); receipts per subscriber. */
    const drain = async (tag: string, sent: Map<string, number>, ms = opts.drainS * 1_000) => {
      const start = Date.now();
      for (;;) {
        const { receipts } = await clients.call<{ receipts: [string, number][][] }>({ type: 'receipts', tag });
        const complete = receipts.every((list) => new Set(list.filter(([id]) => sent.has(id)).map(([id]) => id)).size >= sent.size);
        if (complete || Date.now() - start > ms) return receipts;
        await sleep(250);
      }
    };

    // 2. Event-to-client latency at each rate.
    const siti = await stack.token('warga.siti');
    const lat = await clients.call({
      type: 'open',
      tag: 'latency',
      url: wsUrl(stack.gatewayUrl),
      token: siti,
      n: opts.latencySubscribers,
      query: 'subscription { myTicketUpdates { id status } }',
      field: 'myTicketUpdates',
    });
    await waitGauge(baseSubs + opened.ok + lat.ok);
    // The first event of an operation also plans its query: warm it up, as the e2e test does.
    const warm = await publish('warm', 20, 5);
    await drain('latency', warm.sent, 10_000);
    const latency: unknown[] = [];
    for (const rate of opts.rates) {
      const total = Math.round(rate * opts.durationS);
      const run = await publish(`r${rate}`, rate, total);
      const receipts = await drain('latency', run.sent);
      const samples: number[] = [];
      let delivered = 0;
      for (const list of receipts)
        for (const [id, at] of list)
          if (run.sent.has(id)) {
            samples.push(at - run.sent.get(id)!);
            delivered++;
          }
      latency.push({ rate, events: total, subscribers: lat.ok, achievedRate: run.achievedRate, publishErrors: run.publishErrors, expected: total * lat.ok, delivered, ...quantiles(samples) });
      await sleep(1_000);
    }
    results.latency = latency;
    await clients.call({ type: 'close', tag: 'latency' });

    // 3. Two replicas over one bus: each event exactly once per subscriber.
    const second = await stack.addGateway();
    const secondBase = second.url.replace(/\/graphql$/, '');
    const r1 = await clients.call({
      type: 'open',
      tag: 'rep1',
      url: wsUrl(stack.gatewayUrl),
      token: siti,
      n: opts.replicaSubscribers,
      query: 'subscription { myTicketUpdates { id } }',
      field: 'myTicketUpdates',
    });
    const r2 = await clients.call({
      type: 'open',
      tag: 'rep2',
      url: wsUrl(second.url),
      token: siti,
      n: opts.replicaSubscribers,
      query: 'subscription { myTicketUpdates { id } }',
      field: 'myTicketUpdates',
    });
    await waitGauge(opts.replicaSubscribers, secondBase);
    await sleep(1_000);
    const warm2 = await publish('warm2', 20, 5);
    await drain('rep1', warm2.sent, 10_000);
    await drain('rep2', warm2.sent, 10_000);
    const run = await publish('replicas', 100, opts.replicaEvents);
    const count = (receipts: [string, number][][]) => {
      let duplicates = 0;
      let misses = 0;
      let exact = 0;
      for (const list of receipts) {
        const seen = new Map<string, number>();
        for (const [id] of list) if (run.sent.has(id)) seen.set(id, (seen.get(id) ?? 0) + 1);
        for (const n of seen.values()) duplicates += n - 1;
        misses += run.sent.size - seen.size;
        if (seen.size === run.sent.size && [...seen.values()].every((n) => n === 1)) exact++;
      }
      return { subscribers: receipts.length, duplicates, misses, exactlyOnce: exact };
    };
    results.replicas = {
      events: opts.replicaEvents,
      rate: 100,
      publishErrors: run.publishErrors,
      replica1: { connected: r1.ok, ...count(await drain('rep1', run.sent)) },
      replica2: { connected: r2.ok, ...count(await drain('rep2', run.sent)) },
    };
    await clients.call({ type: 'close', tag: 'rep1' });
    await clients.call({ type: 'close', tag: 'rep2' });
    results.clientsMemory = (await clients.call({ type: 'memory' })).memory;
    await clients.call({ type: 'close', tag: 'hold' });
  } finally {
    clients.kill();
    writeFileSync(process.env.LIVE_BENCH_OUT!, JSON.stringify(results, null, 2));
    await stack.close();
  }
});
