/**
 * `npm run bench:executor` — the executors alone, in one process: workload 1's heavy query (16
 * subgraph calls) through Apollo Server + @apollo/gateway, once with @apollo/gateway's executor
 * and once with Gerbang's (gateway/src/executor), the subgraph answers replayed from memory (each
 * parsed from its JSON text, as a data source parses a body) so that only gateway work is timed.
 * No network, no subgraph CPU, no edge plugins: the figure the other processes on a shared
 * machine disturb least (CPU time of this process per operation).
 *
 *   npm run bench:executor                       5 interleaved rounds of 3 s per executor
 *   npm run bench:executor -- --rounds=7 --seconds=5 --concurrency=50
 *   node --cpu-prof --import tsx bench/gateway/executor.ts --only=gerbang --rounds=1   a profile of one
 */
import { isDeepStrictEqual } from 'node:util';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { execute, parse, type DocumentNode } from 'graphql';
import { withExecutor, type ExecutorKind } from '../../gateway/src/executor';
import { HEAVY_QUERY, SUBGRAPH_NAMES, SUBGRAPH_SDL, subgraphSchema } from './workload1/graph';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, v ?? 'true'] as const;
  }),
);
const rounds = Number(args.get('rounds') ?? 5);
const seconds = Number(args.get('seconds') ?? 3);
const concurrency = Number(args.get('concurrency') ?? 16);
const command = `npm run bench:executor${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

const composed = composeServices(SUBGRAPH_NAMES.map((name) => ({ name, url: `http://${name}.invalid/graphql`, typeDefs: parse(SUBGRAPH_SDL[name]) })));
if (composed.errors?.length) throw new Error(composed.errors.map((e) => e.message).join('; '));

/** Answers each subgraph request from a recorded JSON text (recorded on first sight by executing the subgraph schema). */
const recorded = new Map<string, string>();
const docs = new Map<string, DocumentNode>();
let calls = 0;
class ReplaySource implements GraphQLDataSource {
  constructor(private readonly name: (typeof SUBGRAPH_NAMES)[number]) {}
  async process(options: Parameters<GraphQLDataSource['process']>[0]) {
    calls++;
    const { query, variables } = options.request;
    const key = `${this.name}\u0000${query}\u0000${JSON.stringify(variables ?? {})}`;
    let text = recorded.get(key);
    if (!text) {
      let doc = docs.get(query!);
      if (!doc) docs.set(query!, (doc = parse(query!)));
      const result = await execute({ schema: subgraphSchema(this.name), document: doc, variableValues: variables ?? {} });
      recorded.set(key, (text = JSON.stringify(result)));
    }
    return JSON.parse(text);
  }
}

async function serverFor(kind: ExecutorKind) {
  const gateway = new ApolloGateway({ supergraphSdl: composed.supergraphSdl!, buildService: ({ name }) => new ReplaySource(name as never) });
  const server = new ApolloServer({ gateway: withExecutor(gateway, kind) });
  await server.start();
  return server;
}

async function once(server: ApolloServer): Promise<unknown> {
  const res = await server.executeOperation({ query: HEAVY_QUERY });
  if (res.body.kind !== 'single') throw new Error('incremental response');
  // The response is serialised once, as Apollo Server does over HTTP.
  return JSON.stringify(res.body.singleResult);
}

const servers = { apollo: await serverFor('apollo'), gerbang: await serverFor('gerbang') };
const reference = JSON.parse((await once(servers.apollo)) as string);
const ours = JSON.parse((await once(servers.gerbang)) as string);
if (reference.errors || !isDeepStrictEqual(reference, ours)) throw new Error(`the executors disagree:\n${JSON.stringify(reference).slice(0, 400)}\n${JSON.stringify(ours).slice(0, 400)}`);
if (JSON.stringify(reference) !== JSON.stringify(ours)) throw new Error('the executors agree on the data but not on the bytes (field order)');
calls = 0;
await once(servers.apollo);
const callsPerOp = calls;

interface Run {
  ops: number;
  cpuMs: number;
  wallMs: number;
}
async function measure(server: ApolloServer): Promise<Run> {
  const deadline = performance.now() + seconds * 1000;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let ops = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await once(server);
        ops++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { ops, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0 };
}

// Warm-up (JIT, caches), then interleaved rounds.
for (const s of Object.values(servers)) await measure(s);
const runs: Record<ExecutorKind, Run[]> = { apollo: [], gerbang: [] };
const kinds = (args.get('only')?.split(',') ?? ['apollo', 'gerbang']) as ExecutorKind[];
for (let r = 0; r < rounds; r++) {
  for (const kind of kinds) {
    const run = await measure(servers[kind]);
    runs[kind].push(run);
    console.error(`round ${r + 1}/${rounds} ${kind}: ${(run.ops / (run.wallMs / 1000)).toFixed(0)} ops/s, ${(run.cpuMs / run.ops).toFixed(3)} ms CPU/op`);
  }
}
for (const s of Object.values(servers)) await s.stop();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const row = (kind: ExecutorKind) => {
  const cpu = runs[kind].map((r) => r.cpuMs / r.ops);
  const rate = runs[kind].map((r) => r.ops / (r.wallMs / 1000));
  return { cpu: median(cpu), rate: median(rate), cpus: cpu, rates: rate };
};
if (kinds.length < 2) process.exit(0);
const a = row('apollo');
const g = row('gerbang');
console.log(`Latest run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`${command}\`; ${rounds} interleaved rounds of ${seconds} s per executor, ${concurrency} operations in flight, ${callsPerOp} subgraph calls per operation (replayed from memory). Node ${process.version}.

| executor | CPU ms per operation (median) | operations/s of this process (median; shared machine) | CPU ms per operation, each round | vs @apollo/gateway |
| --- | --- | --- | --- | --- |
| @apollo/gateway's executor (GATEWAY_EXECUTOR=apollo) | ${a.cpu.toFixed(3)} | ${a.rate.toFixed(0)} | ${a.cpus.map((c) => c.toFixed(3)).join(', ')} | 1.00× |
| Gerbang's executor (GATEWAY_EXECUTOR=gerbang) | ${g.cpu.toFixed(3)} | ${g.rate.toFixed(0)} | ${g.cpus.map((c) => c.toFixed(3)).join(', ')} | ${(a.cpu / g.cpu).toFixed(2)}× less CPU |
`);
process.exit(0);
