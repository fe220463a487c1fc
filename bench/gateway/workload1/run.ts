import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { composeServices } from '@apollo/composition';
import { execute, parse } from 'graphql';
import { BENCH_DIR, GATEWAY_CPU, LOAD_CPU, ROOT, spawnNode, stopChild, waitForMessage } from '../lib/proc';
import { freePort, INTERNAL_SECRET, measure, post, startIdp, waitQuiet, waitUntil, type Measured } from '../lib/common';
import { fmt, markdownTable } from '../lib/report';
import { HEAVY_QUERY, monolithSchema, SUBGRAPH_NAMES, SUBGRAPH_SDL } from './graph';

export interface Workload1Options {
  tmp: string;
  /** PostgreSQL of Gerbang's access log (awaited when Gerbang starts). */
  databaseUrl: string | Promise<string>;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Gateway keys to run (default: all). */
  only?: string[];
  /** Extra node flags per gateway key (e.g. --cpu-prof for gerbang). */
  nodeFlags?: Record<string, string[]>;
  /** Gerbang's gateway from another source tree (a prototype copy): path of its main.ts. */
  gerbangMain?: string;
  /** Extra environment for Gerbang's gateway. */
  gerbangEnv?: Record<string, string>;
  subgraphDelayMs?: number;
  /** Before each server, wait up to this long for other work on the machine to settle (seconds). */
  quietSeconds?: number;
  /** Runs every server this many times, interleaved (A B A B …), and keeps the median run of each. */
  rounds?: number;
  /**
   * Also measure the gateway hop: a trivial query through each gateway (true) or through these
   * keys against the subgraph directly (issue 16), in the first round of each.
   */
  hop?: boolean | string[];
  /** Requests per path of the hop after its warm-up (default 2,000). */
  hopSamples?: number;
  log: (line: string) => void;
}

export interface Row {
  key: string;
  label: string;
  measured?: Measured;
  failure?: string;
  note?: string;
  /** The hop: p50/p95 of a trivial query through the gateway and straight to the subgraph, interleaved. */
  hop?: { gateway: number[]; direct: number[]; samples: number };
}

interface Started {
  child: ChildProcess;
  url: string;
  note?: string;
}

const GATEWAYS: { key: string; label: string }[] = [
  { key: 'gerbang', label: 'Gerbang gateway (production config, all edge plugins on)' },
  { key: 'vanilla', label: 'vanilla @apollo/gateway + @apollo/server' },
  { key: 'hive', label: 'Hive Gateway' },
  { key: 'hive-router', label: 'Hive Gateway + router-runtime (Rust planner)' },
  { key: 'subgraphs', label: 'limit: the subgraph calls alone (replayed, no gateway work)' },
  { key: 'monolith', label: 'limit: monolith (same schema, one process)' },
];

/**
 * Variants of Gerbang's gateway for measuring levers (run with --only=KEY,…): node flags or
 * configuration, or another source tree with --gerbang-main. (The prototype copy that measured the
 * undici levers was removed once they were applied to gateway/src; its patches stay in proto/patches.)
 */
const GERBANG_VARIANTS: Record<string, { label: string; main?: string; flags?: string[]; env?: Record<string, string>; cpu?: string; tree?: boolean }> = {
  gerbang: { label: 'Gerbang gateway (production config, all edge plugins on)' },
  'gerbang-semi64': { label: 'Gerbang + node --max-semi-space-size=64', flags: ['--max-semi-space-size=64'] },
  'gerbang-semi32': { label: 'Gerbang + node --max-semi-space-size=32', flags: ['--max-semi-space-size=32'] },
  'gerbang-noadmission': { label: 'Gerbang without admission control (ADMISSION_MAX_CONCURRENCY=0)', env: { ADMISSION_MAX_CONCURRENCY: '0' } },
  'gerbang-v8heap': { label: "Gerbang with V8's default heap growth (HEAP_GROWING_PERCENT=0)", env: { HEAP_GROWING_PERCENT: '0' } },
  'gerbang-neither': { label: 'Gerbang without both (ADMISSION_MAX_CONCURRENCY=0, HEAP_GROWING_PERCENT=0)', env: { ADMISSION_MAX_CONCURRENCY: '0', HEAP_GROWING_PERCENT: '0' } },
  'gerbang-logwarn': { label: 'Gerbang + LOG_LEVEL=warn (no per-request log line)', env: { LOG_LEVEL: 'warn' } },
  'gerbang-fast': { label: "Gerbang gateway, Gerbang's executor (GATEWAY_EXECUTOR=gerbang; production config, all edge plugins on)", env: { GATEWAY_EXECUTOR: 'gerbang' } },
  // In-flight sharing between callers (gateway/README.md § Executor): the bench's subgraphs give no
  // cache hints, so it applies only where the operator declares them caller-independent.
  'gerbang-shared': { label: 'Gerbang, the four subgraphs declared caller-independent (SUBGRAPH_CALLER_INDEPENDENT)', env: { SUBGRAPH_CALLER_INDEPENDENT: 'accounts,inventory,products,reviews' } },
  'gerbang-noshare': { label: 'Gerbang, sharing only among one caller’s calls (SUBGRAPH_SHARING=caller)', env: { SUBGRAPH_SHARING: 'caller' } },
  'gerbang-apollo': { label: "Gerbang gateway, @apollo/gateway's executor (GATEWAY_EXECUTOR=apollo; production config, all edge plugins on)", env: { GATEWAY_EXECUTOR: 'apollo' } },
  // Cluster mode (gateway/src/cluster.ts): CPU and RSS are the primary's and its workers' together.
  // One worker pinned to CPU 1 like every other server; two workers on both CPUs, so the second
  // shares CPU 0 with the load generator and the subgraphs (2-core machines: see BENCHMARKS.md).
  'gerbang-cluster1': { label: 'Gerbang cluster mode, 1 worker (GATEWAY_WORKERS=1, CPU 1)', main: join(ROOT, 'gateway', 'src', 'cluster.ts'), env: { GATEWAY_WORKERS: '1' }, tree: true },
  'gerbang-cluster2': {
    label: 'Gerbang cluster mode, 2 workers (GATEWAY_WORKERS=2, CPUs 0 and 1)',
    main: join(ROOT, 'gateway', 'src', 'cluster.ts'),
    env: { GATEWAY_WORKERS: '2' },
    cpu: '0,1',
    tree: true,
  },
};
const OTHER_VARIANTS = [
  { key: 'vanilla-semi64', label: 'vanilla + node --max-semi-space-size=64' },
  { key: 'vanilla-heap100', label: 'vanilla + node --heap-growing-percent=100 (Gerbang’s heap setting)' },
  // Hive Gateway deduplicates identical in-flight subgraph requests by default (its HTTP transport's
  // deduplicateInflightRequests): with 50 clients sending the same query most of its subgraph calls
  // are shared. Gerbang signs each call with its caller's identity, so no two calls are identical.
  { key: 'hive-router-nodedup', label: 'Hive Gateway + router-runtime (Rust planner), in-flight deduplication off' },
  { key: 'hive-nodedup', label: 'Hive Gateway, in-flight deduplication off' },
];

export async function runWorkload1(o: Workload1Options): Promise<{ rows: Row[]; markdown: string; subgraphCalls?: number }> {
  const { tmp, log } = o;
  const logs = join(tmp, 'logs');
  mkdirSync(logs, { recursive: true });

  // Subgraphs: once, shared by all gateways, on the load generator's CPU.
  const subgraphs = spawnNode(join(BENCH_DIR, 'workload1', 'subgraphs.ts'), {
    cpu: LOAD_CPU,
    env: { INTERNAL_SIGNING_SECRET: INTERNAL_SECRET, SUBGRAPH_DELAY_MS: String(o.subgraphDelayMs ?? 0), NODE_ENV: 'production' },
    logFile: join(logs, 'subgraphs.log'),
  });
  const { url: subgraphBase } = await waitForMessage<{ url: string }>(subgraphs, (m) => m.ready);

  const composed = composeServices(SUBGRAPH_NAMES.map((name) => ({ name, url: `${subgraphBase}/${name}`, typeDefs: parse(SUBGRAPH_SDL[name]) })));
  if (composed.errors?.length) throw new Error(`composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);
  const supergraphPath = join(tmp, 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl!);
  const queryPath = join(tmp, 'query.graphql');
  writeFileSync(queryPath, HEAVY_QUERY);

  // The expected answer: the monolith, queried once.
  const monolith = await execute({ schema: monolithSchema(), document: parse(HEAVY_QUERY) });
  if (monolith.errors?.length) throw new Error(`monolith: ${monolith.errors[0]!.message}`);
  // Plain objects (graphql-js builds null-prototype ones), to compare with parsed JSON.
  const expected = JSON.parse(JSON.stringify(monolith)) as { data: unknown };

  const idp = await startIdp(join(tmp, 'idp'), o.connections, ['analyst']);
  const headers = { 'content-type': 'application/json', 'apollographql-client-name': 'bench' };
  const body = JSON.stringify({ query: HEAVY_QUERY });
  let subgraphCalls: number | undefined;

  const start = async (key: string, extraFlags: string[] = []): Promise<Started> => {
    const logFile = join(logs, `${key}.log`);
    const variant = GERBANG_VARIANTS[key];
    const common = { cpu: variant?.cpu ?? GATEWAY_CPU, logFile, nodeFlags: [...(o.nodeFlags?.[key] ?? []), ...(variant?.flags ?? []), ...extraFlags] };
    const env = { NODE_ENV: 'production', SUPERGRAPH_PATH: supergraphPath, QUERY_PATH: queryPath };
    if (key === 'vanilla-semi64') return start('vanilla', ['--max-semi-space-size=64']);
    if (key === 'vanilla-heap100') return start('vanilla', ['--heap-growing-percent=100']);
    if (key === 'hive-router-nodedup' || key === 'hive-nodedup') {
      const child = spawnNode(join(BENCH_DIR, 'gateways', 'hive.ts'), { ...common, env: { ...env, HIVE_ROUTER_RUNTIME: key === 'hive-router-nodedup' ? '1' : '0', HIVE_DEDUPLICATE: '0' } });
      const ready = await waitForMessage<{ url: string }>(child, (m) => m.ready, 90_000);
      return { child, url: ready.url, note: 'deduplicateInflightRequests: false' };
    }
    switch (variant ? 'gerbang' : key) {
      case 'gerbang': {
        const port = await freePort();
        const signed = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [`SUBGRAPH_${n.toUpperCase()}_URL`, `${subgraphBase}/signed/${n}`]));
        const child = spawnNode(variant?.main ?? o.gerbangMain ?? join(ROOT, 'gateway', 'src', 'main.ts'), {
          ...common,
          ipc: false,
          env: {
            ...env,
            PORT: String(port),
            HOST: '127.0.0.1',
            ...signed,
            INTERNAL_SIGNING_SECRET: INTERNAL_SECRET,
            JWT_JWKS_URL: idp.jwksUrl,
            DATA_DIR: join(tmp, 'gerbang-data'),
            DATABASE_URL: await o.databaseUrl,
            AUDIT_SCHEMA: 'bench_audit',
            // Operator settings for this benchmark (see BENCHMARKS.md): limits that admit the
            // benchmark's load and query, every limiter and check still running.
            RATE_LIMIT_USER_PER_MINUTE: '100000000',
            RATE_LIMIT_USER_BURST: '100000000',
            RATE_LIMIT_CLIENT_PER_MINUTE: '100000000',
            QUERY_LIMITS: JSON.stringify({ analyst: { cost: 150_000 } }),
            REDIS_URL: undefined,
            OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
            ...o.gerbangEnv,
            ...variant?.env,
          },
        });
        const url = `http://127.0.0.1:${port}/graphql`;
        await waitUntil(
          async () => {
            if (child.exitCode !== null) throw new Error('exited');
            return (await post(url, { query: '{ __typename }' }, { authorization: `Bearer ${idp.tokens[0]}` })).status === 200;
          },
          60_000,
          'gerbang',
        );
        return { child, url };
      }
      case 'vanilla':
      case 'hive':
      case 'hive-router':
      case 'subgraphs':
      case 'monolith': {
        const file = { vanilla: 'vanilla.ts', hive: 'hive.ts', 'hive-router': 'hive.ts', subgraphs: 'replay.ts', monolith: 'monolith.ts' }[key];
        const child = spawnNode(join(BENCH_DIR, 'gateways', file!), { ...common, env: { ...env, HIVE_ROUTER_RUNTIME: key === 'hive-router' ? '1' : '0' } });
        const ready = await waitForMessage<{ url: string; subgraphCalls?: number }>(child, (m) => m.ready, 90_000);
        if (ready.subgraphCalls) subgraphCalls = ready.subgraphCalls;
        return { child, url: ready.url, ...(ready.subgraphCalls ? { note: `${ready.subgraphCalls} subgraph calls per request` } : {}) };
      }
      default:
        throw new Error(`unknown gateway ${key}`);
    }
  };

  const rows: Row[] = [];
  const known = [
    ...GATEWAYS,
    ...OTHER_VARIANTS,
    ...Object.entries(GERBANG_VARIANTS)
      .filter(([k]) => !GATEWAYS.some((g) => g.key === k))
      .map(([key, v]) => ({ key, label: v.label })),
  ];
  const keys = o.only ? o.only.map((k) => known.find((g) => g.key === k) ?? { key: k, label: k }) : GATEWAYS;
  const rounds = o.rounds ?? 1;
  const runs = new Map<string, Row[]>();
  try {
    for (let round = 0; round < rounds * keys.length; round++) {
      const g = keys[round % keys.length]!;
      log(`workload 1: ${g.key}${rounds > 1 ? ` (round ${Math.floor(round / keys.length) + 1}/${rounds})` : ''} …`);
      const rowsOfKey = runs.get(g.key) ?? [];
      runs.set(g.key, rowsOfKey);
      let started: Started | undefined;
      try {
        if ((o.quietSeconds ?? 10) > 0) await waitQuiet(o.quietSeconds ?? 10, 0.25, log);
        started = await start(g.key);
        // Verify once: same data as the monolith, no errors. The load then checks every response
        // byte for byte against this verified body.
        const check = await post(started.url, { query: HEAVY_QUERY }, { ...headers, authorization: `Bearer ${idp.tokens[0]}` });
        const parsed = JSON.parse(check.text) as { data?: unknown; errors?: unknown[] };
        if (check.status !== 200 || parsed.errors?.length || !isDeepStrictEqual(parsed.data, expected.data)) {
          throw new Error(`wrong answer (HTTP ${check.status}): ${check.text.slice(0, 300)}`);
        }
        const measured = await measure(
          {
            url: started.url,
            requests: [{ method: 'POST', path: new URL(started.url).pathname, headers, body }],
            tokens: idp.tokens,
            connections: o.connections,
            warmupSeconds: o.warmupSeconds,
            durationSeconds: o.durationSeconds,
            expectedBodies: [check.text],
            timeoutSeconds: 60,
          },
          started.child.pid!,
          { subgraphs: subgraphs.pid! },
          { tree: GERBANG_VARIANTS[g.key]?.tree ?? false },
        );
        const hopHere = round < keys.length && (o.hop === true || (Array.isArray(o.hop) && o.hop.includes(g.key)));
        const hop = hopHere ? await measureHop(started.url, `${subgraphBase}/accounts`, { ...headers, authorization: `Bearer ${idp.tokens[0]}` }, o.hopSamples) : undefined;
        if (hop) log(`  hop: p50 ${hop.gateway[0]!.toFixed(2)} ms through the gateway, ${hop.direct[0]!.toFixed(2)} ms direct`);
        rowsOfKey.push({ ...g, measured, ...(started.note ? { note: started.note } : {}), ...(hop ? { hop } : {}) });
        log(
          `  ${fmt(measured.load.rps)} req/s, p95 ${fmt(measured.load.p95, 1)} ms, errors ${measured.load.errors} ${JSON.stringify(measured.load.errorKinds)}, ` +
            `peak RSS ${fmt(measured.peakRssMiB)} MiB, CPU ${fmt(measured.cpu.server! * 100)}%, others ${fmt(measured.othersCores * 100)}%`,
        );
      } catch (err) {
        rowsOfKey.push({ ...g, failure: (err as Error).message.split('\n')[0]!.slice(0, 300) });
        log(`  failed: ${(err as Error).message}`);
      } finally {
        if (started) await stopChild(started.child);
      }
    }
  } finally {
    await stopChild(subgraphs);
    await idp.close();
  }
  // The median run by requests/s of each server (a failure only when every run failed).
  for (const g of keys) {
    const all = runs.get(g.key) ?? [];
    const ok = all.filter((r) => r.measured).sort((a, b) => a.measured!.load.rps - b.measured!.load.rps);
    const pick = ok.length ? ok[Math.floor((ok.length - 1) / 2)]! : all[0];
    if (!pick) continue;
    if (rounds > 1 && ok.length) {
      const cpu = ok.map((r) => (r.measured!.cpu.server! * r.measured!.load.seconds * 1000) / Math.max(1, r.measured!.load.requests)).sort((a, b) => a - b);
      pick.note = `${pick.note ? `${pick.note}; ` : ''}median of ${ok.length} runs: req/s ${ok.map((r) => Math.round(r.measured!.load.rps)).join(', ')}; CPU ms/req ${cpu.map((c) => c.toFixed(1)).join(', ')}`;
    }
    // The hop was measured in the first round only.
    const hop = all.find((r) => r.hop)?.hop;
    rows.push(hop ? { ...pick, hop } : pick);
  }
  const hops = rows.filter((r) => r.hop);
  const markdown = hops.length ? `${table(rows)}\n\n${hopTable(hops)}` : table(rows);
  return { rows, markdown, ...(subgraphCalls ? { subgraphCalls } : {}) };
}

/** The trivial query of the hop: one root field of one subgraph (accounts), no entity call. */
const TRIVIAL_QUERY = '{ me { id name } }';

/**
 * The gateway hop (issue 16, aim: ≤ 1 ms more than a direct call at p50): one connection, one
 * request at a time, the same trivial query through the gateway and straight to the subgraph
 * (its open endpoint), in alternating blocks of 100 so both see the same machine; 2,000 each (by
 * default) after 200 of warm-up (fewer for fewer samples). Returns [p50, p95] per path, in ms.
 */
async function measureHop(gatewayUrl: string, subgraphUrl: string, headers: Record<string, string>, samples = 2_000): Promise<NonNullable<Row['hop']>> {
  const body = JSON.stringify({ query: TRIVIAL_QUERY });
  const once = async (url: string, h: Record<string, string>): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: h, body });
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200 || !text.includes('"me"') || text.includes('"errors"')) throw new Error(`hop: ${url} answered ${res.status} ${text.slice(0, 200)}`);
    return ms;
  };
  const direct = { 'content-type': 'application/json' };
  for (let i = 0; i < Math.min(200, samples / 2); i++) {
    await once(gatewayUrl, headers);
    await once(subgraphUrl, direct);
  }
  const g: number[] = [];
  const d: number[] = [];
  for (let block = 0; block < Math.max(1, Math.round(samples / 100)); block++) {
    for (let i = 0; i < 100; i++) g.push(await once(gatewayUrl, headers));
    for (let i = 0; i < 100; i++) d.push(await once(subgraphUrl, direct));
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
  return { gateway: [pct(g, 0.5), pct(g, 0.95)], direct: [pct(d, 0.5), pct(d, 0.95)], samples: g.length };
}

export function hopTable(rows: Row[]): string {
  const n = rows[0]?.hop?.samples ?? 2_000;
  return [
    `The gateway hop: \`${TRIVIAL_QUERY}\` (one root field of the accounts subgraph), one connection, one request at a time, through each gateway`,
    `and straight to the subgraph, in alternating blocks of 100 (${fmt(n)} each, in the first round); latency as the load generator sees it. Aim (issue 16): Gerbang ≤ 1 ms over direct at p50.`,
    '',
    markdownTable(
      ['server', 'p50 ms through the gateway', 'p50 ms direct', 'hop at p50', 'p95 ms through the gateway', 'p95 ms direct'],
      rows.map((r) => [
        r.label,
        r.hop!.gateway[0]!.toFixed(2),
        r.hop!.direct[0]!.toFixed(2),
        `+${(r.hop!.gateway[0]! - r.hop!.direct[0]!).toFixed(2)} ms`,
        r.hop!.gateway[1]!.toFixed(2),
        r.hop!.direct[1]!.toFixed(2),
      ]),
    ),
  ].join('\n');
}

export function table(rows: Row[]): string {
  // The ratios need a vanilla run that answered (a smoke run on a busy machine may not).
  const vanilla = rows.find((r) => r.key === 'vanilla' && r.measured?.load.rps)?.measured;
  const body = rows.map((r) => {
    const m = r.measured;
    if (!m) return [r.label, 'failed', '', '', '', '', '', '', '', '', '', r.failure ?? ''];
    const l = m.load;
    const cpuMsPerReq = (m.cpu.server! * l.seconds * 1000) / Math.max(1, l.requests);
    return [
      r.label,
      fmt(l.rps),
      vanilla ? `${fmt(l.rps / vanilla.load.rps, 2)}×` : '–',
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
      `${fmt(m.peakRssMiB)} (${fmt(m.idleRssMiB)})`,
      vanilla ? `${fmt(m.peakRssMiB / vanilla.peakRssMiB, 2)}×` : '–',
      `${fmt(m.cpu.server! * 100)}% / ${fmt(cpuMsPerReq, 2)}`,
      `${fmt((m.cpu.subgraphs ?? 0) * 100)}% + ${fmt((m.cpu.load ?? 0) * 100)}%`,
      `${fmt(m.othersCores * 100)}%`,
    ];
  });
  return markdownTable(
    ['server', 'req/s', 'vs vanilla', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'peak RSS MiB (idle)', 'peak RSS vs vanilla', 'server CPU / ms per req', 'CPU 0: subgraphs + load', 'other processes'],
    body,
  );
}
