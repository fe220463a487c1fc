import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { testRedisUrl } from '@gerbang/testing';
import { createEventBus, RedisEventBus } from '../src/events';
import { eventBusContract, testNamespace, waitFor } from './support/event-bus-contract';

describe('event bus: Redis pub/sub', () => {
  eventBusContract((namespace) => new RedisEventBus({ url: testRedisUrl(), namespace }));

  it('is chosen when REDIS_URL is set (and NATS_URL is not)', async () => {
    const bus = createEventBus({ redisUrl: testRedisUrl(), databaseUrl: 'postgresql://unused.invalid/x' });
    expect(bus.transport).toBe('redis');
    await bus.close();
  });

  it('subscribes again after its connection is killed, and tells the subscriber there may be a gap', async () => {
    const ns = testNamespace();
    const bus = new RedisEventBus({ url: testRedisUrl(), namespace: ns });
    const publisher = new RedisEventBus({ url: testRedisUrl(), namespace: ns });
    const admin = new Redis(testRedisUrl());
    try {
      const seen: unknown[] = [];
      let gaps = 0;
      await bus.subscribe('tickets', (p) => seen.push(p), { onGap: () => gaps++ });
      await publisher.publish('tickets', { n: 1 });
      await waitFor(() => seen.length === 1);
      const clients = (await admin.client('LIST')) as string;
      const ours = clients.split('\n').filter((line) => line.includes(`${ns}:events:tickets`) || line.includes(' sub=1 '));
      const id = clients
        .split('\n')
        .find((line) => line.includes(' sub=1 ') && ours.includes(line))
        ?.match(/id=(\d+)/)?.[1];
      expect(id).toBeDefined();
      await admin.client('KILL', 'ID', id!);
      await waitFor(() => gaps >= 1);
      await publisher.publish('tickets', { n: 2 });
      await waitFor(() => seen.length === 2);
      expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      admin.disconnect();
      await Promise.all([bus.close(), publisher.close()]);
    }
  });
});
