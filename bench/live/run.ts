/**
 * npm run bench:live — live ticket status (gateway subscriptions), measured on the whole graph as
 * test/live.e2e.test.ts starts it:
 *   1. subscribers held on one gateway process (graphql-ws over WebSocket) and memory per connection;
 *   2. event-to-client latency p50/p95/p99 at each rate (ticket changes published to the ledger's
 *      feed endpoint as agencies publish them; from the publish to the receipt at the client);
 *   3. two gateway replicas over one event bus: duplicates and misses per subscriber.
 *
 * Flags: --quick (under a minute), --connections N, --rates 100,1000, --duration S (per rate),
 * --subscribers N (latency subscribers), --replica-subscribers N (per replica), --replica-events N,
 * --write (the section between <!-- live-bench:start/end --> of BENCHMARKS.md).
 * The bus is the one the e2e tests pick: NATS_URL, else REDIS_URL, else PostgreSQL LISTEN/NOTIFY;
 * the database is DATABASE_URL, else an embedded PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    connections: { type: 'string' },
    rates: { type: 'string' },
    duration: { type: 'string' },
    subscribers: { type: 'string' },
    'replica-subscribers': { type: 'string' },
    'replica-events': { type: 'string' },
    write: { type: 'boolean', default: false },
  },
});
const quick = args.quick;
const options = {
  connections: Number(args.connections ?? (quick ? 500 : 10_000)),
  rates: (args.rates ?? '100,1000').split(',').map(Number),
  durationS: Number(args.duration ?? (quick ? 2 : 10)),
  latencySubscribers: Number(args.subscribers ?? 2),
  replicaSubscribers: Number(args['replica-subscribers'] ?? (quick ? 2 : 5)),
  replicaEvents: Number(args['replica-events'] ?? (quick ? 100 : 1_000)),
  /** How long after the last publish the subscribers' receipts are awaited. */
  drainS: quick ? 5 : 30,
};

// Each connection is a file descriptor at the gateway and one at the clients' process (separate
// processes: each needs about `connections` + a few hundred). Node cannot raise its own limit, so
// the measuring process is started under `prlimit` up to the hard limit.
const hard = Number(spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim()) || 1024;
const wantFds = options.connections + 2_000;
const fdLimit = Math.min(hard, Math.max(wantFds, 4_096));
if (wantFds > hard) console.warn(`file descriptors: the hard limit is ${hard}; ${options.connections} connections need about ${wantFds} per process`);

const out = join(mkdtempSync(join(tmpdir(), 'gerbang-live-bench-')), 'results.json');
const started = Date.now();
const loadBefore = loadavg()[0]!;
const run = spawnSync('prlimit', [`--nofile=${fdLimit}:${hard}`, '--', process.execPath, 'node_modules/vitest/vitest.mjs', 'run', '--config', 'bench/live/vitest.config.ts'], {
  stdio: 'inherit',
  env: { ...process.env, LIVE_BENCH: JSON.stringify(options), LIVE_BENCH_OUT: out, E2E_LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent' },
});
let r: any;
try {
  r = JSON.parse(readFileSync(out, 'utf8'));
} catch {
  console.error(`the benchmark wrote no results (exit ${run.status})`);
  process.exit(1);
}
if (!r.hold) {
  console.error('the benchmark failed before measuring:', JSON.stringify(r));
  process.exit(1);
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '—');
const flags = process.argv.slice(2).filter((a) => a !== '--write');
const env = [
  process.env.NATS_URL && `NATS_URL=${process.env.NATS_URL}`,
  process.env.REDIS_URL && `REDIS_URL=${process.env.REDIS_URL}`,
  process.env.DATABASE_URL && `DATABASE_URL=${process.env.DATABASE_URL.replace(/:[^:@/]*@/, '@')}`,
].filter(Boolean);
const command = `${env.length ? env.join(' ') + ' ' : ''}npm run bench:live${flags.length ? ' -- ' + flags.join(' ') : ''}`;
const h = r.hold;
const lines = [
  `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${Math.round((Date.now() - started) / 1000)} s, on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'} **shared with other work** (the figures move between runs; 1-minute load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end); the whole graph in one process (gateway, subgraphs, simulators: test/support/stack.ts), subscribers in another; event bus: ${r.bus}; database: ${process.env.DATABASE_URL ? 'PostgreSQL at DATABASE_URL' : 'embedded PostgreSQL'}.`,
  '',
  '```',
  command,
  '```',
  '',
  '| measure | result |',
  '|---|---|',
  `| subscribers held on one gateway process (graphql-ws, one \`myTicketUpdates\` each) | **${h.subscriptionsAtGateway.toLocaleString('en')}** of ${h.asked.toLocaleString('en')} asked (${h.failed} failed${h.firstError ? `: ${h.firstError}` : ''}); opened in ${(h.openMs / 1000).toFixed(1)} s; file-descriptor limit raised to ${fdLimit} for the run (hard limit ${hard}: about ${(hard - 2_000).toLocaleString('en')} connections per process at most here) |`,
  `| memory per connection (gateway process, after GC${h.gcExposed ? '' : ' — not exposed'}) | RSS **${kib(h.rssPerConnection)}**, heap ${kib(h.heapPerConnection)} (process RSS ${mib(h.rssBefore)} → ${mib(h.rssAfter)}, heap ${mib(h.heapBefore)} → ${mib(h.heapAfter)}) |`,
  ...r.latency.map(
    (l: any) =>
      `| latency at ${l.rate} events/s (${l.events} events × ${l.subscribers} subscribers, achieved ${l.achievedRate.toFixed(0)}/s${l.publishErrors ? `, ${l.publishErrors} batches refused` : ''}) | p50 **${ms(l.p50)}**, p95 **${ms(l.p95)}**, p99 ${ms(l.p99)}, max ${ms(l.max)}; delivered ${l.delivered} of ${l.expected}${l.delivered < l.expected ? ` within ${r.options.drainS} s of the last publish` + ' (the rest still queued)' : ''} |`,
  ),
  ...(['replica1', 'replica2'] as const).map((k, i) => {
    const x = r.replicas[k];
    return `| two replicas, one bus: replica ${i + 1} (${r.replicas.events} events at ${r.replicas.rate}/s) | ${x.exactlyOnce} of ${x.subscribers} subscribers got every event exactly once; duplicates **${x.duplicates}**, misses **${x.misses}** |`;
  }),
  '',
  ...(r.latency.some((l: any) => l.delivered < l.expected)
    ? [
        'Where fewer events arrived than were sent, the gateway fell behind the rate and its backlog grew for the whole run (the latency figures there are queueing time): each subscription asks the ledger for a page of changes (up to 200), resolves up to 16 of them at once, one supergraph execution each (`ticket(id)`, planned, authorization-checked (`@requiresScopes`/`@policy`), access-logged), and delivers them in commit order; on a machine whose cores are busy with other work, that CPU is what runs out.',
        '',
      ]
    : []),
  `The ${h.subscriptionsAtGateway.toLocaleString('en')} held subscribers stay connected during the latency runs (idle: the events are another citizen's). Latency is from just before the signed feed batch is sent to the ledger (\`POST /internal/ticket-events\`, a batch every 50 ms) to the event's arrival at the subscriber: the ledger's commit, the bus, the gateway's ask to the ledger for the changes after its cursor and the event's resolution through the supergraph are all inside it. Each event is a new ticket, so each must arrive exactly once at each subscriber.`,
];
const text = lines.join('\n');
console.log('\n' + text + '\n');

if (args.write) {
  const file = 'BENCHMARKS.md';
  const start = '<!-- live-bench:start -->';
  const end = '<!-- live-bench:end -->';
  const section = `${start}\n## Live ticket status (subscriptions)\n\n${text}\n${end}`;
  const current = readFileSync(file, 'utf8');
  const i = current.indexOf(start);
  const j = current.indexOf(end);
  writeFileSync(file, i >= 0 && j > i ? current.slice(0, i) + section + current.slice(j + end.length) : `${current.trimEnd()}\n\n${section}\n`);
  console.log(`written to ${file}`);
}
process.exit(run.status ?? 1);
