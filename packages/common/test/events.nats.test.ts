import { describe, expect, it } from 'vitest';
import { createEventBus, NatsEventBus } from '../src/events';
import { eventBusContract, testNamespace, waitFor } from './support/event-bus-contract';

const url = () => {
  const value = process.env.NATS_URL;
  if (!value) throw new Error('NATS_URL is not set: the *.nats.test.ts suites need a NATS server with JetStream');
  return value;
};

describe('event bus: NATS JetStream', () => {
  eventBusContract((namespace) => new NatsEventBus({ url: url(), namespace, maxAgeSeconds: 300 }));

  it('is chosen when NATS_URL is set', async () => {
    const bus = createEventBus({ natsUrl: url(), redisUrl: 'redis://unused.invalid' });
    expect(bus.transport).toBe('nats');
    await bus.close();
  });

  it('stores an event published twice with one id once (a publisher retrying after a timeout)', async () => {
    const ns = testNamespace();
    const bus = new NatsEventBus({ url: url(), namespace: ns, maxAgeSeconds: 300 });
    try {
      const seen: unknown[] = [];
      await bus.subscribe('tickets', (p) => seen.push(p));
      await bus.publish('tickets', { n: 1 }, { id: 'ticket-1@7' });
      await bus.publish('tickets', { n: 1 }, { id: 'ticket-1@7' });
      await bus.publish('tickets', { n: 2 }, { id: 'ticket-1@8' });
      await waitFor(() => seen.length >= 2);
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await bus.close();
    }
  });
});
