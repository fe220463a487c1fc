/**
 * Child process of workload 2: Gerbang's whole graph behind the gateway, reusing the end-to-end
 * tests' test/support/stack.ts unchanged (every agency-system simulator, every subgraph on its own
 * port and its own schemas of the run's database). The stack's own in-process gateway is not
 * measured: the bench starts Gerbang's production gateway (gateway/src/main.ts) in its own process
 * on the subgraph URLs this child reports.
 *
 * The signing secret of the subgraphs' calls is the bench's, drawn per run (BENCH_INTERNAL_SECRET):
 * the production gateway refuses the test suite's published one.
 *
 * stack.ts reads the database through @gerbang/testing's testDatabaseUrl(), i.e. vitest's inject():
 * outside vitest the value is provided here the way vitest's worker would (its worker state), so
 * neither packages/testing nor test/support needs changing.
 */
import 'reflect-metadata';
import pg from 'pg';
import { signRequest, TicketFeedPublisher, devFeedKey, type TicketEvent } from '@gerbang/common';

const databaseUrl = process.env.DATABASE_URL!;
(globalThis as Record<string, unknown>).__vitest_worker__ ??= { providedContext: { databaseUrl } };

// What the testing package's global setup does once per run: database-wide extensions.
const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();
await client.query('create extension if not exists pg_trgm with schema public');
await client.end();

const secret = process.env.BENCH_INTERNAL_SECRET;
if (!secret) throw new Error('BENCH_INTERNAL_SECRET is not set (the bench draws it per run)');
const { startStack } = await import('../../../test/support/stack');
const stack = await startStack({ internalSecret: secret });

/** The subgraphs' SDL (signed, as the gateway asks), for the bench to compose the supergraph. */
const sdl: Record<string, string> = {};
for (const [name, url] of Object.entries(stack.subgraphUrls)) {
  const body = JSON.stringify({ query: '{ _service { sdl } }' });
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signRequest(secret, body, { roles: [] }, name) }, body });
  const json = (await res.json()) as { data?: { _service: { sdl: string } }; errors?: unknown };
  if (!json.data) throw new Error(`${name}: no SDL: ${JSON.stringify(json.errors)}`);
  sdl[name] = json.data._service.sdl;
}

process.on('message', async (m: { type: string; latencyMs?: number; jitterMs?: number; tickets?: number; serviceId?: string; nik?: string }) => {
  try {
    if (m.type === 'latency') {
      for (const sim of Object.values(stack.simulators)) sim.faults.set({ latencyMs: m.latencyMs ?? 0, jitterMs: m.jitterMs ?? 0 });
      process.send!({ type: 'latency-set' });
    } else if (m.type === 'tickets') {
      // Completed tickets for the citizen, published to the ledger as Dispendukcapil's feed does,
      // so that RateService has a fresh ticket to rate for every request.
      const ledgerUrl = stack.subgraphUrls.ratings!.replace(/\/graphql$/, '');
      const publisher = new TicketFeedPublisher({ ledgerUrl, agencyId: 'dispendukcapil', key: devFeedKey('dispendukcapil'), timeoutMs: 60_000 });
      const now = Date.now();
      for (let i = 0; i < m.tickets!; i += 500) {
        const events: TicketEvent[] = [];
        for (let j = i; j < Math.min(m.tickets!, i + 500); j++) {
          events.push({
            ticketId: `dispendukcapil:bench-${j}`,
            citizenNik: m.nik!,
            serviceId: m.serviceId!,
            officerId: null,
            status: 'COMPLETED',
            submittedAt: new Date(now - 86_400_000).toISOString(),
            completedAt: new Date(now - 3_600_000).toISOString(),
            version: 1,
          });
        }
        await publisher.publish(events);
      }
      process.send!({ type: 'tickets-published' });
    } else if (m.type === 'stop') {
      await stack.close();
      process.exit(0);
    }
  } catch (err) {
    process.send!({ error: (err as Error).stack ?? String(err) });
  }
});
process.on('disconnect', () => void stack.close().finally(() => process.exit(0)));
process.once('SIGTERM', () => void stack.close().finally(() => process.exit(0)));

const idpIssuer = 'https://idp.gerbang.invalid/test';
const tokens = {
  siti: await stack.token('warga.siti'),
};
process.send!({ ready: true, subgraphUrls: stack.subgraphUrls, sdl, jwks: stack.idp.jwks(), issuer: idpIssuer, audience: 'gerbang', tokens });
