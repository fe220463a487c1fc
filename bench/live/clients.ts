/**
 * The live benchmark's subscribers, in a process of their own so that the gateway's process holds
 * only the server side of each connection. Driven over IPC by measure.bench-run.ts:
 *   { id, type: 'open', tag, url, token, n, query, field }  → { id, ok, failed, error?, ms }
 *   { id, type: 'receipts', tag }                            → { id, receipts: [ticketId, atMs][][] } (one list per subscriber)
 *   { id, type: 'close', tag }                               → { id }
 * Receipt times are `performance.timeOrigin + performance.now()` (same clock as the publisher's).
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

interface Sub {
  client: Client;
  receipts: [string, number][];
}
const groups = new Map<string, Sub[]>();
const now = () => performance.timeOrigin + performance.now();

async function open(msg: { tag: string; url: string; token: string; n: number; query: string; field: string }) {
  const started = Date.now();
  const subs: Sub[] = groups.get(msg.tag) ?? [];
  groups.set(msg.tag, subs);
  let ok = 0;
  let failed = 0;
  let error: string | undefined;
  const one = () =>
    new Promise<void>((resolve) => {
      const sub: Sub = { client: undefined as never, receipts: [] };
      let settled = false;
      const settle = (good: boolean, err?: unknown) => {
        if (settled) return;
        settled = true;
        if (good) ok++;
        else {
          failed++;
          error ??= err instanceof Error ? err.message : JSON.stringify(err);
        }
        resolve();
      };
      sub.client = createClient({
        url: msg.url,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${msg.token}` },
        retryAttempts: 0,
        lazy: true,
        on: { connected: () => settle(true), closed: (e) => settle(false, { code: (e as { code?: number }).code, reason: (e as { reason?: string }).reason }) },
      });
      sub.client.subscribe(
        { query: msg.query },
        {
          next: (value) => {
            const id = (value.data as Record<string, { id: string }> | undefined)?.[msg.field]?.id;
            if (id) sub.receipts.push([id, now()]);
          },
          error: (err) => settle(false, err),
          complete: () => undefined,
        },
      );
      subs.push(sub);
    });
  // Open in waves so the handshakes do not all queue on one accept backlog at once.
  const wave = 200;
  for (let i = 0; i < msg.n; i += wave) await Promise.all(Array.from({ length: Math.min(wave, msg.n - i) }, one));
  return { ok, failed, error, ms: Date.now() - started };
}

process.on('message', async (msg: { id: number; type: string; tag: string } & Record<string, any>) => {
  try {
    if (msg.type === 'open') process.send!({ id: msg.id, ...(await open(msg as never)) });
    else if (msg.type === 'receipts') process.send!({ id: msg.id, receipts: (groups.get(msg.tag) ?? []).map((s) => s.receipts) });
    else if (msg.type === 'close') {
      await Promise.all(
        (groups.get(msg.tag) ?? []).map(async (s) => {
          await s.client.dispose();
        }),
      );
      groups.delete(msg.tag);
      process.send!({ id: msg.id });
    } else if (msg.type === 'memory') process.send!({ id: msg.id, memory: process.memoryUsage() });
  } catch (err) {
    process.send!({ id: msg.id, error: String(err) });
  }
});
process.send!({ ready: true });
