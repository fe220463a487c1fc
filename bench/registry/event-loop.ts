/**
 * npm run bench:registry: how long the event loop of the process that runs a registry check
 * stalls, with the checks in that thread (inlineRunner) and in the composition worker
 * (workerRunner). The check is a publish's: a changed `directory` subgraph (one field added)
 * against the hub's graph in schema/ (every subgraph, the current supergraph) with the
 * safelisted operations for the usage check. A 10 ms timer measures the loop meanwhile
 * (perf_hooks.monitorEventLoopDelay, and the longest gap between two ticks).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { inlineRunner, workerRunner, type ChecksRunner, type RunChecksInput } from '@gerbang/registry';

const root = resolve(import.meta.dirname, '../..');
const schemaDir = join(root, 'schema');
const current = readdirSync(schemaDir)
  .filter((f) => f.endsWith('.graphql') && f !== 'supergraph.graphql')
  .map((f) => ({ name: f.replace('.graphql', ''), routingUrl: `http://127.0.0.1:1/${f}`, sdl: readFileSync(join(schemaDir, f), 'utf8') }));
const manifest = JSON.parse(readFileSync(join(root, 'gateway/operations/manifest.json'), 'utf8')) as { operations: { id: string; name: string; body: string }[] };
const directory = current.find((s) => s.name === 'directory')!;
const input: RunChecksInput = {
  current,
  currentSupergraphSdl: readFileSync(join(schemaDir, 'supergraph.graphql'), 'utf8'),
  candidate: { ...directory, sdl: `${directory.sdl}\nextend type Query { "Bench: an added field" benchAdded: Int }\n` },
  operations: manifest.operations.map((o) => ({ source: 'safelist' as const, name: o.name, hash: o.id, document: o.body, clients: ['portal', 'mobile'] })),
  usageDays: 30,
};

async function measure(label: string, runner: ChecksRunner, runs: number) {
  const rows: string[] = [];
  for (let i = 0; i < runs; i++) {
    const h = monitorEventLoopDelay({ resolution: 5 });
    let last = performance.now();
    let maxGap = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 10);
    h.enable();
    const t0 = performance.now();
    const { report } = await runner.runChecks(input);
    const ms = performance.now() - t0;
    // A blocked loop is measured when the timer finally fires: let it.
    await new Promise((r) => setTimeout(r, 30));
    h.disable();
    clearInterval(tick);
    if (!report.ok) throw new Error(`the bench's candidate should pass: ${JSON.stringify(report.changes)}`);
    rows.push(
      `${label.padEnd(8)} run ${i + 1}: check ${ms.toFixed(0).padStart(5)} ms; event loop delay p50 ${(h.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms, max ${(h.max / 1e6).toFixed(0)} ms; longest gap between 10 ms ticks ${maxGap.toFixed(0)} ms`,
    );
  }
  await runner.close();
  return rows;
}

const runs = Number(process.argv[2] ?? 3);
const worker = workerRunner();
// The gateway starts its worker at start (Registry.warm): the first check does not pay for it.
await worker.compose([]).catch(() => undefined);
for (const row of [...(await measure('inline', inlineRunner(), runs)), ...(await measure('worker', worker, runs))]) console.log(row);
