import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_CPU, LOAD_CPU, ROOT, spawnNode, stopChild, waitForMessage } from '../lib/proc';
import { stackGatewayEnv, type GraphStack } from '../lib/stack';
import { freePort, measure, post, waitQuiet, waitUntil, type Measured } from '../lib/common';
import { fmt, markdownTable } from '../lib/report';
import type { LoadRequest } from '../lib/load';

/**
 * Workload 2, Gerbang's own operations through its production gateway (gateway/src/main.ts,
 * NODE_ENV=production, own process on the gateway CPU) over the whole graph of
 * test/support/stack.ts (every subgraph and agency-system simulator, one child process):
 *   MyTickets   warga.siti's tickets of all five agencies (ledger, directory, staff, population);
 *   FindAgency  anonymous search over the directory (five search texts in turn);
 *   RateService one rating per request, each of a fresh completed ticket (PostgreSQL writes);
 * first with the simulators answering at once, then with a realistic latency.
 */

/** Ratings per second the bench publishes tickets for (each latency run; see writesNeeded). */
const WRITE_RATE_CEILING = 3_000;
export interface Workload2Options {
  tmp: string;
  databaseUrl: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** The database is a throwaway embedded PostgreSQL server started by the bench (fsync off). */
  embedded: boolean;
  /** Only the simulators answering at once (the quick run). */
  zeroLatencyOnly?: boolean;
  quietSeconds: number;
  log: (line: string) => void;
}

const SITI_NIK = '3503115708900001';
const REALISTIC = { latencyMs: 80, jitterMs: 40 };
const op = (name: string) => readFileSync(join(ROOT, 'gateway', 'operations', `${name}.graphql`), 'utf8');

export interface Result {
  operation: string;
  latency: string;
  measured?: Measured;
  failure?: string;
}

export async function runWorkload2(o: Workload2Options, stack: GraphStack): Promise<{ markdown: string; results: Result[] }> {
  const { log } = o;
  const logs = join(o.tmp, 'logs');
  mkdirSync(logs, { recursive: true });
  let gateway: ReturnType<typeof spawnNode> | undefined;
  const results: Result[] = [];
  try {
    const port = await freePort();
    gateway = spawnNode(join(ROOT, 'gateway', 'src', 'main.ts'), {
      cpu: GATEWAY_CPU,
      ipc: false,
      logFile: join(logs, 'w2-gateway.log'),
      env: stackGatewayEnv(stack, { port, dataDir: join(o.tmp, 'w2-gateway-data'), databaseUrl: o.databaseUrl, auditSchema: 'bench_audit_w2' }),
    });
    const url = `http://127.0.0.1:${port}/graphql`;
    const portal = { 'content-type': 'application/json', 'apollographql-client-name': 'portal' };
    const siti = { ...portal, authorization: `Bearer ${stack.tokens.siti}` };
    await waitUntil(
      async () => {
        if (gateway!.exitCode !== null) throw new Error('gateway exited');
        return (await post(url, { query: op('find-agency'), variables: { q: 'capil' } }, portal)).status === 200;
      },
      60_000,
      'gateway',
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message} (exit code ${gateway!.exitCode}); its log ends: ${readFileSync(join(logs, 'w2-gateway.log'), 'utf8').slice(-1000)}`);
    });

    // Verify each operation once, and find a service of Dispendukcapil for the bench's tickets.
    const mine = JSON.parse((await post(url, { query: op('my-tickets') }, siti)).text) as {
      data?: { me: { tickets: { agency: { id: string }; service: { id: string } | null }[] } };
      errors?: unknown[];
    };
    if (mine.errors?.length || !mine.data?.me.tickets.length) throw new Error(`MyTickets: ${JSON.stringify(mine).slice(0, 300)}`);
    const serviceId = mine.data.me.tickets.find((t) => t.agency.id === 'dispendukcapil' && t.service)?.service!.id;
    if (!serviceId) throw new Error('no Dispendukcapil ticket with a service for warga.siti');

    // Every RateService request rates a fresh ticket, in each of the two latency runs: enough tickets
    // for a rate well above the fastest measured so far (1,207/s on 2 cores), so that neither run runs out.
    // Published just before the first RateService run, after MyTickets is measured: warga.siti's list
    // is then her demo tickets, not tens of thousands of bench tickets.
    const rate = (n: number | string) => ({ query: op('rate-service'), variables: { input: { ticketId: `dispendukcapil:bench-${n}`, stars: 4, comment: 'Bench.' } } });
    let published = false as boolean; // `as boolean`: set in a callback, which TypeScript does not see (it would keep the `false`)
    const publishTickets = async () => {
      const writesNeeded = Math.ceil((o.warmupSeconds + o.durationSeconds) * 2 * WRITE_RATE_CEILING * 1.5) + 100;
      log(`workload 2: publishing ${writesNeeded} completed tickets to the ledger (the agency feed) …`);
      stack.child.send({ type: 'tickets', tickets: writesNeeded, serviceId, nik: SITI_NIK });
      await waitForMessage(stack.child, (m) => m.type === 'tickets-published', 600_000);
      const first = JSON.parse((await post(url, rate(0), siti)).text) as { data?: { rateService: { stars: number } }; errors?: unknown[] };
      if (first.errors?.length || first.data?.rateService.stars !== 4) throw new Error(`RateService: ${JSON.stringify(first).slice(0, 300)}`);
      published = true;
    };

    const searches = ['capil', 'kependudukan', 'pajak', 'puskesmas', 'izin'];
    const scenarios: { operation: string; requests: LoadRequest[]; tokens?: string[]; counter?: boolean }[] = [
      { operation: 'MyTickets (warga.siti)', requests: [{ method: 'POST', path: '/graphql', headers: siti, body: JSON.stringify({ query: op('my-tickets') }) }] },
      {
        operation: 'FindAgency (anonymous)',
        requests: searches.map((q) => ({ method: 'POST' as const, path: '/graphql', headers: portal, body: JSON.stringify({ query: op('find-agency'), variables: { q } }) })),
      },
      { operation: 'RateService (writes)', requests: [{ method: 'POST', path: '/graphql', headers: siti, body: JSON.stringify(rate('__N__')) }], counter: true },
    ];
    let next = 1;
    // Each operation with the simulators answering at once, then with realistic latency.
    for (const s of scenarios) {
      for (const latency of o.zeroLatencyOnly ? [{ latencyMs: 0, jitterMs: 0 }] : [{ latencyMs: 0, jitterMs: 0 }, REALISTIC]) {
        await stack.setLatency(latency.latencyMs, latency.jitterMs);
        const label = latency.latencyMs ? `${latency.latencyMs} ± ${latency.jitterMs} ms` : '0 ms';
        log(`workload 2: ${s.operation}, simulators ${label} …`);
        try {
          if (s.counter && !published) await publishTickets();
          if (o.quietSeconds > 0) await waitQuiet(o.quietSeconds, 0.25, log);
          const measured = await measure(
            {
              url,
              requests: s.requests,
              connections: o.connections,
              warmupSeconds: o.warmupSeconds,
              durationSeconds: o.durationSeconds,
              checkNoErrors: true,
              timeoutSeconds: 60,
              ...(s.counter ? { counter: { placeholder: '__N__', start: next } } : {}),
            },
            gateway.pid!,
            { stack: stack.child.pid!, bench: process.pid },
          );
          if (s.counter) next += measured.load.requests + measured.load.errors + o.connections * 2 + Math.ceil(measured.load.rps * o.warmupSeconds * 1.5) + 10;
          results.push({ operation: s.operation, latency: label, measured });
          log(`  ${fmt(measured.load.rps)} req/s, p95 ${fmt(measured.load.p95, 1)} ms, errors ${measured.load.errors} ${JSON.stringify(measured.load.errorKinds)}`);
        } catch (err) {
          results.push({ operation: s.operation, latency: label, failure: (err as Error).message.slice(0, 200) });
          log(`  failed: ${(err as Error).message}`);
        }
      }
    }
  } catch (err) {
    results.push({ operation: 'start', latency: '', failure: (err as Error).message.slice(0, 300) });
    log(`workload 2 failed: ${(err as Error).message}`);
  } finally {
    if (gateway) await stopChild(gateway);
    // Workload 3 runs next on the same stack, with the simulators answering at once.
    await stack.setLatency(0, 0).catch(() => undefined);
  }

  const rows = results.map((r) => {
    const m = r.measured;
    if (!m) return [r.operation, r.latency, 'failed', '', '', '', '', '', '', r.failure ?? ''];
    const l = m.load;
    return [
      r.operation,
      r.latency,
      fmt(l.rps),
      fmt(l.p50, 1),
      fmt(l.p95, 1),
      fmt(l.p99, 1),
      `${l.errors}${
        l.errors
          ? ` (${Object.entries(l.errorKinds)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ')})`
          : ''
      }`,
      fmt(m.peakRssMiB),
      `${fmt(m.cpu.server! * 100)}% / ${fmt((m.cpu.server! * l.seconds * 1000) / Math.max(1, l.requests), 2)}`,
      `${fmt((m.cpu.stack ?? 0) * 100)}% + ${fmt((m.cpu.bench ?? 0) * 100)}%`,
      `${fmt(m.othersCores * 100)}%`,
    ];
  });
  const markdown = [
    `### Workload 2: Gerbang's own operations`,
    '',
    `Gerbang's gateway (gateway/src/main.ts, NODE_ENV=production, every edge plugin on, contract operations sent as the portal client) over`,
    `the whole graph of test/support/stack.ts (all subgraphs and agency-system simulators in one process on CPU ${LOAD_CPU}; database: ${o.embedded ? 'a throwaway embedded PostgreSQL 17 server (fsync off)' : 'the PostgreSQL of DATABASE_URL'}).`,
    `${o.connections} connections, ${o.warmupSeconds} s warm-up, ${o.durationSeconds} s measured. MyTickets: warga.siti's token on every connection (so the gateway's`,
    `in-flight deduplication of identical subgraph calls applies); FindAgency: anonymous; RateService: every request rates another completed ticket`,
    `(published to the ledger through Dispendukcapil's ticket feed beforehand), i.e. one rating row written per answered request. Errors: a status`,
    `other than 200, or a response with \`errors\`. Realistic latency: every simulator answers after ${REALISTIC.latencyMs} ± ${REALISTIC.jitterMs} ms.`,
    '',
    markdownTable(
      ['operation', 'simulator latency', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'gateway peak RSS MiB', 'gateway CPU / ms per req', 'stack + bench CPU', 'other processes'],
      rows,
    ),
  ].join('\n');
  return { markdown, results };
}
