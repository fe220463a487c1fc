import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { FormattedExecutionResult } from 'graphql';
import { createLogger, type Caller } from '@gerbang/common';
import { MemoryEventBus } from '@gerbang/common/events';
import type { ChangesClient, ChangesPage, TicketChange } from '../src/subscriptions/changes';
import { LiveTickets, TICKET_TOPIC, type LiveSubscription, type Subscriber } from '../src/subscriptions/live-tickets';
import { LiveMetrics } from '../src/subscriptions/metrics';
import type { PreparedSubscription } from '../src/subscriptions/operation';

/**
 * A subscription resolves a page of changes concurrently but must deliver them in cursor order,
 * once each: here every resolution takes a random time, one fails once mid-page, one is refused.
 */
const CITIZEN = 'ref-siti';
const change = (n: number): TicketChange => ({ ticketId: `oss:${n}`, agencyId: 'dpmptsp', citizenRef: CITIZEN, status: 'IN_PROGRESS', version: String(n), cursor: String(n) });

function setup(total: number, options: { failOnceAt?: number; refuse?: number; concurrency?: number }) {
  const ledger = Array.from({ length: total }, (_, i) => change(i + 1));
  const changes = {
    async fetch(_caller: string, _scope: unknown, after: string | null): Promise<ChangesPage> {
      if (after === null) return { citizenRef: CITIZEN, head: '0', changes: [], more: false };
      const rest = ledger.filter((c) => BigInt(c.cursor) > BigInt(after));
      return { citizenRef: CITIZEN, changes: rest.slice(0, 50), more: rest.length > 50 };
    },
  } as unknown as ChangesClient;
  let inFlight = 0;
  let maxInFlight = 0;
  let failed = false;
  const resolved: string[] = [];
  const resolve = async (_s: Subscriber, c: TicketChange): Promise<FormattedExecutionResult> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, Math.random() * 8));
    inFlight--;
    resolved.push(c.cursor);
    if (Number(c.cursor) === options.failOnceAt && !failed) {
      failed = true;
      return { data: { live: null }, errors: [{ message: 'down', extensions: { code: 'UPSTREAM_UNAVAILABLE' } }] };
    }
    if (Number(c.cursor) === options.refuse) return { data: { live: null }, errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] };
    return { data: { live: { id: c.ticketId } } };
  };
  const bus = new MemoryEventBus();
  const live = new LiveTickets({ bus, changes, resolve, metrics: new LiveMetrics(new Registry()), logger: createLogger('test', 'silent'), retryMs: 20, resolveConcurrency: options.concurrency ?? 8 });
  const subscriber: Subscriber = {
    caller: { sub: 'warga.siti' } as Caller,
    callerHeader: 'x',
    requestId: 'r',
    logger: createLogger('test', 'silent'),
    prepared: { field: 'myTicketUpdates', responseKey: 'live', scope: { scope: 'mine' }, after: null } as unknown as PreparedSubscription,
  };
  return { bus, live, subscriber, resolved, stats: () => ({ maxInFlight }) };
}

async function read(sub: LiveSubscription, count: number): Promise<string[]> {
  const cursors: string[] = [];
  while (cursors.length < count) {
    const { value, done } = await sub.next();
    if (done) break;
    cursors.push(String(value.extensions?.cursor));
  }
  return cursors;
}

describe('a subscription resolves concurrently and delivers in order', () => {
  it('delivers 120 changes in cursor order, once each, with resolutions overlapping', async () => {
    const { bus, live, subscriber, stats } = setup(120, { concurrency: 8 });
    live.start();
    const sub = await live.open(subscriber, null);
    await bus.publish(TICKET_TOPIC, { changes: [{ ...change(1), at: Date.now() }] });
    const got = await read(sub, 120);
    expect(got).toEqual(Array.from({ length: 120 }, (_, i) => String(i + 1)));
    expect(stats().maxInFlight).toBeGreaterThan(1);
    expect(stats().maxInFlight).toBeLessThanOrEqual(8);
    await live.close();
  });

  it('a resolution that fails mid-page stops delivery there and is retried: no gap, no duplicate; a refused change is withheld', async () => {
    const { bus, live, subscriber, resolved } = setup(60, { failOnceAt: 23, refuse: 40, concurrency: 16 });
    live.start();
    const sub = await live.open(subscriber, null);
    await bus.publish(TICKET_TOPIC, { changes: [{ ...change(1), at: Date.now() }] });
    const got = await read(sub, 59);
    expect(got).toEqual(Array.from({ length: 60 }, (_, i) => String(i + 1)).filter((c) => c !== '40'));
    // 23 was resolved twice (failed, then retried); so were the ones after it already resolved in its window.
    expect(resolved.filter((c) => c === '23')).toHaveLength(2);
    expect(sub.position).toBe('60');
    await live.close();
  });
});
