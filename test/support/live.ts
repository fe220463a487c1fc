import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createEventBus, eventBusSettingsFromEnv, type EventBus } from '@gerbang/common/events';
import { testDatabaseUrl } from '@gerbang/testing';
import type { Stack } from './stack';

/**
 * The event bus of an e2e run, as the processes would pick it: NATS_URL, else REDIS_URL, else the
 * run's PostgreSQL (LISTEN/NOTIFY), in a namespace of this file's own.
 */
export function testEventBuses(): () => EventBus {
  const namespace = `e2e${randomBytes(4).toString('hex')}`;
  return () => createEventBus({ ...eventBusSettingsFromEnv(), databaseUrl: testDatabaseUrl(), namespace });
}

export const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

/** A graphql-ws client as an app would make one (Node has no WebSocket of its own on 20). */
export function wsClient(httpUrl: string, token: string | (() => string | Promise<string>), extra: Partial<Parameters<typeof createClient>[0]> = {}): Client {
  return createClient({
    url: wsUrl(httpUrl),
    webSocketImpl: WebSocket,
    connectionParams: async () => ({ authorization: `Bearer ${typeof token === 'function' ? await token() : token}` }),
    retryAttempts: 0,
    lazy: true,
    ...extra,
  });
}

export interface Feed<T = any> {
  events: { data?: T; errors?: { message: string; extensions?: Record<string, any> }[]; extensions?: Record<string, any> }[];
  error?: unknown;
  completed: boolean;
  stop(): void;
  /** Resolves once `n` events have arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<void>;
  /** Resolves when the subscription ended (error or complete). */
  ended(ms?: number): Promise<void>;
}

export function follow<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}): Feed<T> {
  const feed: Feed<T> = {
    events: [],
    completed: false,
    stop: () => undefined,
    waitFor: (n, ms = 5_000) =>
      until(() => feed.events.length >= n || feed.error !== undefined, ms).then(() => {
        if (feed.events.length < n) throw new Error(`subscription ended before ${n} events: ${JSON.stringify(feed.error)}`);
      }),
    ended: (ms = 5_000) => until(() => feed.completed || feed.error !== undefined, ms),
  };
  feed.stop = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => void feed.events.push(value as never),
      error: (err) => void (feed.error = err ?? 'error'),
      complete: () => void (feed.completed = true),
    },
  );
  return feed;
}

export function until(check: () => boolean, ms = 5_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - start > ms) return reject(new Error(`timed out after ${ms} ms`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An officer at SIAK moves a request (ticket `dispendukcapil:<id>`) to `status`, then the ledger syncs SIAK's feed, as its poller would. */
export async function siakStatus(stack: Stack, ticketId: string, status: string): Promise<void> {
  const id = ticketId.slice('dispendukcapil:'.length);
  const res = await fetch(`${stack.simulators.siak.url()}/__admin/permohonan/${encodeURIComponent(id)}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'e2e-siak-key' },
    body: JSON.stringify({ status, nip: '198703152010011002' }),
  });
  if (res.status !== 200) throw new Error(`SIAK refused the status ${status}: ${res.status} ${await res.text()}`);
  await stack.syncTickets('population');
}
