import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '@gerbang/testing';
import { createEventBus, PostgresEventBus } from '../src/events';
import { eventBusContract, testNamespace, waitFor } from './support/event-bus-contract';

describe('event bus: PostgreSQL LISTEN/NOTIFY', () => {
  eventBusContract((namespace) => new PostgresEventBus({ url: testDatabaseUrl(), namespace }));

  it('is the default without NATS_URL and REDIS_URL', async () => {
    const bus = createEventBus({ databaseUrl: testDatabaseUrl() });
    expect(bus.transport).toBe('postgres');
    await bus.close();
  });

  it('listens again after its connection is killed, and tells the subscriber there may be a gap', async () => {
    const ns = testNamespace();
    const bus = new PostgresEventBus({ url: testDatabaseUrl(), namespace: ns, reconnectMs: 20 });
    const publisher = new PostgresEventBus({ url: testDatabaseUrl(), namespace: ns });
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    try {
      const seen: unknown[] = [];
      let gaps = 0;
      await bus.subscribe('tickets', (p) => seen.push(p), { onGap: () => gaps++ });
      await publisher.publish('tickets', { n: 1 });
      await waitFor(() => seen.length === 1);
      // The listening backend is the one LISTENing on our channel.
      const { rowCount } = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() and query ilike $1`, [`%listen "${ns}.tickets"%`]);
      expect(rowCount).toBe(1);
      await waitFor(() => gaps === 1);
      await publisher.publish('tickets', { n: 2 });
      await waitFor(() => seen.length === 2);
      expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await admin.end();
      await Promise.all([bus.close(), publisher.close()]);
    }
  });

  it('refuses an event NOTIFY cannot carry, with the reason', async () => {
    const bus = new PostgresEventBus({ url: testDatabaseUrl(), namespace: testNamespace() });
    try {
      await expect(bus.publish('tickets', { blob: 'x'.repeat(9_000) })).rejects.toThrow(/too large/);
    } finally {
      await bus.close();
    }
  });
});
