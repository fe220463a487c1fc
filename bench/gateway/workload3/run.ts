import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_CPU, LOAD_CPU, ROOT, spawnNode, stopChild } from '../lib/proc';
import { stackGatewayEnv, type GraphStack } from '../lib/stack';
import { freePort, measure, post, waitQuiet, waitUntil, type Measured } from '../lib/common';
import { fmt, markdownTable } from '../lib/report';
import type { LoadRequest } from '../lib/load';

/**
 * Workload 3, the portal's public pages through Gerbang's production gateway with and without its
 * response cache (gateway/src/edge/response-cache.ts), side by side in one run, over the whole graph
 * of test/support/stack.ts (workload 2's stack child). Anonymous portal requests, in turn on every
 * connection: AgencyPage of 13 agencies, FindAgency of 6 searches, and one search unique to the
 * request (never cached): 19 of every 20 requests can be answered from the cache once it is warm,
 * i.e. ~95 % hits. The cached gateway's own counter (gerbang_response_cache_total on /metrics) gives
 * the hit rate measured.
 */
export interface Workload3Options {
  tmp: string;
  databaseUrl: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  embedded: boolean;
  quietSeconds: number;
  log: (line: string) => void;
}

const op = (name: string) => readFileSync(join(ROOT, 'gateway', 'operations', `${name}.graphql`), 'utf8');
const AGENCIES = ['dispendukcapil', 'dpmptsp', 'bpkpd', 'dinkesdalduk', 'dinsos', 'bkpsdm', 'diskominfo', 'dpupr', 'dishub', 'dlh', 'disnakertrans', 'dispendikpora', 'disparbud'];
const SEARCHES = ['capil', 'kependudukan', 'pajak', 'puskesmas', 'izin', 'sosial'];

export interface Row {
  gateway: string;
  measured?: Measured;
  hitRate?: number;
  failure?: string;
}

async function cacheCounts(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^gerbang_response_cache_total\{result="(\w+)"\} (\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

export async function runWorkload3(o: Workload3Options, stack: GraphStack): Promise<{ markdown: string; rows: Row[] }> {
  const { log } = o;
  const logs = join(o.tmp, 'logs');
  mkdirSync(logs, { recursive: true });
  const gateways: ReturnType<typeof spawnNode>[] = [];
  const rows: Row[] = [];
  try {
    const portal = { 'content-type': 'application/json', 'apollographql-client-name': 'portal' };
    const requests: LoadRequest[] = [
      ...AGENCIES.map((id) => ({ method: 'POST' as const, path: '/graphql', headers: portal, body: JSON.stringify({ query: op('agency-page'), variables: { id } }) })),
      ...SEARCHES.map((q) => ({ method: 'POST' as const, path: '/graphql', headers: portal, body: JSON.stringify({ query: op('find-agency'), variables: { q } }) })),
      // A search no one made before: always a miss (and a pg_trgm search in the directory).
      { method: 'POST' as const, path: '/graphql', headers: portal, body: JSON.stringify({ query: op('find-agency'), variables: { q: 'dinas __N__' } }) },
    ];

    let counter = 1;
    for (const variant of [
      { name: 'Gerbang, response cache off (RESPONSE_CACHE=false)', env: { RESPONSE_CACHE: 'false' }, cached: false },
      { name: 'Gerbang, response cache on (memory; invalidated by PostgreSQL NOTIFY)', env: { RESPONSE_CACHE: 'true', RESPONSE_CACHE_DATABASE_URL: o.databaseUrl }, cached: true },
    ]) {
      const port = await freePort();
      const gateway = spawnNode(join(ROOT, 'gateway', 'src', 'main.ts'), {
        cpu: GATEWAY_CPU,
        ipc: false,
        logFile: join(logs, `w3-gateway-${variant.cached ? 'cached' : 'uncached'}.log`),
        env: {
          ...stackGatewayEnv(stack, { port, dataDir: join(o.tmp, 'w3-gateway-data'), databaseUrl: o.databaseUrl, auditSchema: 'bench_audit_w3' }),
          ...variant.env,
        },
      });
      gateways.push(gateway);
      const url = `http://127.0.0.1:${port}/graphql`;
      const logFile = join(logs, `w3-gateway-${variant.cached ? 'cached' : 'uncached'}.log`);
      await waitUntil(
        async () => {
          if (gateway.exitCode !== null) throw new Error('gateway exited');
          return (await post(url, { query: op('find-agency'), variables: { q: 'capil' } }, portal)).status === 200;
        },
        180_000,
        'gateway',
      ).catch((err: unknown) => {
        throw new Error(`${err instanceof Error ? err.message : String(err)} (exit code ${gateway.exitCode}); its log ends: ${readFileSync(logFile, 'utf8').slice(-1500)}`);
      });
      log(`workload 3: ${variant.name} …`);
      try {
        // Every page once, as the portal's visitors would have asked them before (the same for both).
        for (const r of requests) if (!r.body!.includes('__N__')) await post(url, JSON.parse(r.body!), portal);
        if (o.quietSeconds > 0) await waitQuiet(o.quietSeconds, 0.25, log);
        const before = variant.cached ? await cacheCounts(url) : {};
        const measured = await measure(
          {
            url,
            requests,
            connections: o.connections,
            warmupSeconds: o.warmupSeconds,
            durationSeconds: o.durationSeconds,
            checkNoErrors: true,
            timeoutSeconds: 60,
            counter: { placeholder: '__N__', start: counter },
          },
          gateway.pid!,
          { stack: stack.child.pid!, bench: process.pid },
        );
        counter += measured.load.requests * 2 + 1000;
        let hitRate: number | undefined;
        if (variant.cached) {
          const after = await cacheCounts(url);
          const d = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
          // Served from the cache: a hit, or a miss that joined the same answer being built.
          hitRate = (d('hit') + d('joined')) / Math.max(1, d('hit') + d('miss') + d('skipped'));
          log(`  cache counts: ${JSON.stringify(Object.fromEntries(['hit', 'miss', 'joined', 'stored', 'skipped'].map((k) => [k, d(k)])))}`);
        }
        rows.push({ gateway: variant.name, measured, ...(hitRate !== undefined ? { hitRate } : {}) });
        log(`  ${fmt(measured.load.rps)} req/s, p95 ${fmt(measured.load.p95, 1)} ms, errors ${measured.load.errors}${hitRate !== undefined ? `, hits ${fmt(hitRate * 100, 1)} %` : ''}`);
      } catch (err) {
        rows.push({ gateway: variant.name, failure: (err as Error).message.slice(0, 200) });
        log(`  failed: ${(err as Error).message}`);
      } finally {
        await stopChild(gateway);
      }
    }
  } catch (err) {
    rows.push({ gateway: 'start', failure: (err as Error).message.slice(0, 300) });
    log(`workload 3 failed: ${(err as Error).message}`);
  } finally {
    for (const g of gateways) await stopChild(g);
  }

  const base = rows.find((r) => r.measured && r.hitRate === undefined)?.measured;
  const table = rows.map((r) => {
    const m = r.measured;
    if (!m) return [r.gateway, 'failed', '', '', '', '', '', '', '', '', r.failure ?? ''];
    const l = m.load;
    return [
      r.gateway,
      fmt(l.rps),
      base ? `${fmt(l.rps / base.load.rps, 2)}×` : '',
      fmt(l.p50, 1),
      fmt(l.p95, 1),
      fmt(l.p99, 1),
      r.hitRate !== undefined ? `${fmt(r.hitRate * 100, 1)} %` : '–',
      `${l.errors}${
        l.errors
          ? ` (${Object.entries(l.errorKinds)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ')})`
          : ''
      }`,
      `${fmt(m.cpu.server! * 100)}% / ${fmt((m.cpu.server! * l.seconds * 1000) / Math.max(1, l.requests), 2)}`,
      `${fmt((m.cpu.stack ?? 0) * 100)}% + ${fmt((m.cpu.bench ?? 0) * 100)}%`,
      `${fmt(m.othersCores * 100)}%`,
    ];
  });
  const markdown = [
    `### Workload 3: the portal's public pages, with and without the response cache`,
    '',
    `Gerbang's gateway (gateway/src/main.ts, NODE_ENV=production, every edge plugin on, JWKS over HTTP) over the whole graph of test/support/stack.ts (one process on CPU ${LOAD_CPU};`,
    `database: ${o.embedded ? 'a throwaway embedded PostgreSQL server (fsync off)' : 'the PostgreSQL of DATABASE_URL'}), measured one after the other in this run, the gateway pinned to CPU ${GATEWAY_CPU}.`,
    `Anonymous portal requests, in turn on each of ${o.connections} connections: AgencyPage of ${AGENCIES.length} agencies, FindAgency of ${SEARCHES.length} searches, and one`,
    `search unique to the request (never cached): ${AGENCIES.length + SEARCHES.length} of every ${AGENCIES.length + SEARCHES.length + 1} requests can be served from the cache. ${o.warmupSeconds} s warm-up, ${o.durationSeconds} s measured.`,
    `Before each gateway's run every page is asked once (as earlier visitors would have). "served from the cache": the cached gateway's own counts (gerbang_response_cache_total)`,
    `over warm-up and measured window, hits plus misses that joined the same answer being built, of all lookups. Errors: a status other than 200, or a response with \`errors\`.`,
    '',
    markdownTable(['gateway', 'req/s', 'vs uncached', 'p50 ms', 'p95 ms', 'p99 ms', 'served from the cache', 'errors', 'gateway CPU / ms per req', 'stack + bench CPU', 'other processes'], table),
  ].join('\n');
  return { markdown, rows };
}
