import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { EventBus } from '../../src/events';

/** A namespace no other test file uses (buses of parallel files share one server). */
export const testNamespace = () => `t${randomBytes(5).toString('hex')}`;

export function waitFor(check: () => boolean, ms = 5_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - start > ms) return reject(new Error('timed out waiting'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

/**
 * What every transport must do, run against each (postgres: *.db.test.ts, redis: *.redis.test.ts,
 * nats: *.nats.test.ts). `make(namespace)` opens a new bus, as another process would.
 */
export function eventBusContract(make: (namespace: string) => EventBus) {
  it('delivers each event once to every subscriber, in publication order, across processes', async () => {
    const ns = testNamespace();
    const publisher = make(ns);
    const replicaA = make(ns);
    const replicaB = make(ns);
    try {
      const a: unknown[] = [];
      const b: unknown[] = [];
      await replicaA.subscribe('tickets', (p) => a.push(p));
      await replicaB.subscribe('tickets', (p) => b.push(p));
      for (let i = 0; i < 50; i++) await publisher.publish('tickets', { n: i, ticketId: `population:${i}` }, { id: `e-${i}` });
      await waitFor(() => a.length >= 50 && b.length >= 50);
      await new Promise((r) => setTimeout(r, 100));
      const expected = Array.from({ length: 50 }, (_, i) => ({ n: i, ticketId: `population:${i}` }));
      expect(a).toEqual(expected);
      expect(b).toEqual(expected);
    } finally {
      await Promise.all([publisher.close(), replicaA.close(), replicaB.close()]);
    }
  });

  it('keeps topics and namespaces apart, and stops delivering once unsubscribed', async () => {
    const ns = testNamespace();
    const bus = make(ns);
    const other = make(testNamespace());
    try {
      const tickets: unknown[] = [];
      const ratings: unknown[] = [];
      const unsubscribe = await bus.subscribe('tickets', (p) => tickets.push(p));
      await bus.subscribe('ratings', (p) => ratings.push(p));
      await other.subscribe('tickets', () => {
        throw new Error('another namespace must not see this');
      });
      await bus.publish('tickets', { n: 1 });
      await bus.publish('ratings', { n: 2 });
      await waitFor(() => tickets.length === 1 && ratings.length === 1);
      await unsubscribe();
      await bus.publish('tickets', { n: 3 });
      await bus.publish('ratings', { n: 4 });
      await waitFor(() => ratings.length === 2);
      await new Promise((r) => setTimeout(r, 100));
      expect(tickets).toEqual([{ n: 1 }]);
      expect(ratings).toEqual([{ n: 2 }, { n: 4 }]);
    } finally {
      await Promise.all([bus.close(), other.close()]);
    }
  });

  it('isolates a failing handler from the others', async () => {
    const bus = make(testNamespace());
    try {
      const seen: unknown[] = [];
      await bus.subscribe('tickets', () => {
        throw new Error('boom');
      });
      await bus.subscribe('tickets', (p) => seen.push(p));
      await bus.publish('tickets', { n: 1 });
      await bus.publish('tickets', { n: 2 });
      await waitFor(() => seen.length === 2);
      await expect(bus.ping()).resolves.toBeUndefined();
    } finally {
      await bus.close();
    }
  });

  it('refuses topic names no transport can carry', async () => {
    const bus = make(testNamespace());
    try {
      await expect(bus.publish('Tickets; drop', {})).rejects.toThrow(/topic/);
    } finally {
      await bus.close();
    }
  });
}
