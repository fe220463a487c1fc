import { fmt, markdownTable } from './report';

/**
 * The report of one `npm run bench`: every workload's section in one dated Markdown section, and
 * a summary of issue 16's aims (met / not met, with the figures behind each). Pure: the run
 * gathers the figures, this assembles the text (unit-tested in test/bench-report.test.ts).
 */

/** One server of workload 1 (the median run of its rounds). */
interface W1Figure {
  key: string;
  label: string;
  rps?: number;
  p95?: number;
  cpuMsPerReq?: number;
  failure?: string;
}

/** The gateway hop: a trivial query through the gateway and straight to the subgraph, ms. */
interface HopFigure {
  key: string;
  label: string;
  gatewayP50: number;
  directP50: number;
  gatewayP95: number;
  directP95: number;
}

/** Cluster mode with this many workers on workload 1. */
interface ClusterFigure {
  workers: number;
  label: string;
  rps?: number;
  p95?: number;
  /** CPU used by the primary and its workers over the measured window, in cores. */
  cpuCores?: number;
  failure?: string;
}

interface W3Figures {
  uncached?: { rps: number; p95: number };
  cached?: { rps: number; p95: number; hitRate?: number };
  failure?: string;
}

type AuditFigures = { ran: true; version: string; scores: { key: string; label: string; passed: number; total: number }[] } | { ran: false; reason: string };

export interface OneRun {
  /** When the run started (ISO). */
  startedAt: string;
  command: string;
  seconds: number;
  machine: string;
  versions: string;
  quick: boolean;
  workload1?: { figures: W1Figure[]; hops: HopFigure[]; markdown: string };
  cluster?: { figures: ClusterFigure[]; arrangement: string };
  workload2?: { markdown: string; measured: number; failed: number };
  workload3?: { figures: W3Figures; markdown: string };
  audit?: { figures: AuditFigures; markdown: string };
}

type AimStatus = 'met' | 'not met' | 'measured' | 'failed' | 'not run';

export interface Aim {
  aim: string;
  status: AimStatus;
  figures: string;
}

/** Keys of the servers the aims compare (workload1/run.ts and audit/audit.ts). */
const KEYS = {
  gerbang: 'gerbang',
  /** Gerbang with the workload's subgraphs declared caller-independent: in-flight sharing between callers, as Hive does by default. */
  gerbangShared: 'gerbang-shared',
  hiveRust: 'hive-router',
  hiveRustNoDedup: 'hive-router-nodedup',
  auditVanilla: 'vanilla',
  auditGerbangExecutor: 'gerbang-fast',
  auditApolloExecutor: 'gerbang',
} as const;

/** Issue 16: p50 through Gerbang at most this much over a direct subgraph call. */
const HOP_AIM_MS = 1;
/**
 * Issue 16: the public pages with 95 % cache hits. Workload 3's mix is built for that share (19 of
 * every 20 requests can be cached, the 20th is a search never made before): met from 94.5 %.
 */
const HIT_RATE_AIM = 0.945;

const ms = (n: number | undefined) => `${fmt(n, 1)} ms`;
const ratio = (a: number, b: number) => `${fmt(a / b, 2)}×`;

function workload1Aim(run: OneRun): Aim {
  const aim = 'Workload 1: Gerbang (every edge plugin on) ≥ Hive Gateway + Rust planner in req/s, at equal or lower p95';
  const figures = run.workload1?.figures ?? [];
  const g = figures.find((f) => f.key === KEYS.gerbang);
  const h = figures.find((f) => f.key === KEYS.hiveRust);
  if (!run.workload1) return { aim, status: 'not run', figures: 'workload 1 not in this run' };
  // A server that answered nothing in its window (a smoke run on a busy machine) has no figures to compare.
  const answered = (f: W1Figure | undefined): f is W1Figure & { rps: number; p95: number } => !!f?.rps && Number.isFinite(f.p95);
  if (!answered(g) || !answered(h)) {
    const failed = [g, h].filter((f) => f && !answered(f)).map((f) => `${f!.key}: ${f!.failure ?? 'no answer within the measured window'}`);
    return { aim, status: failed.length ? 'failed' : 'not run', figures: failed.join('; ') || 'gerbang or hive-router not in this run' };
  }
  // Like for like: Hive shares identical in-flight subgraph calls by default; Gerbang shares between
  // callers only where sound, which for these subgraphs (they never read the caller) the operator
  // declares (SUBGRAPH_CALLER_INDEPENDENT). When that row ran, it is the one the aim compares.
  const shared = figures.find((f) => f.key === KEYS.gerbangShared);
  const best = answered(shared) ? shared : g;
  const met = best.rps >= h.rps && best.p95 <= h.p95;
  const noDedup = figures.find((f) => f.key === KEYS.hiveRustNoDedup);
  const parts = [
    ...(best === shared
      ? [
          `Gerbang, subgraphs declared caller-independent (sharing in flight, as Hive) ${fmt(best.rps)} req/s, p95 ${ms(best.p95)}; Hive + Rust ${fmt(h.rps)} req/s, p95 ${ms(h.p95)}: ${ratio(best.rps, h.rps)} its req/s`,
        ]
      : []),
    `Gerbang ${fmt(g.rps)} req/s, p95 ${ms(g.p95)}; Hive + Rust ${fmt(h.rps)} req/s, p95 ${ms(h.p95)}: ${ratio(g.rps, h.rps)} its req/s`,
    ...(noDedup?.rps ? [`Hive + Rust without in-flight deduplication ${fmt(noDedup.rps)} req/s (Gerbang ${ratio(g.rps, noDedup.rps)})`] : []),
  ];
  return { aim, status: met ? 'met' : 'not met', figures: parts.join('; ') };
}

function auditAim(run: OneRun): Aim {
  const aim = "Federation audit: Gerbang's executor passes at least the cases vanilla @apollo/gateway passes";
  const a = run.audit?.figures;
  if (!a) return { aim, status: 'not run', figures: 'the audit was not in this run' };
  if (!a.ran) return { aim, status: 'not run', figures: a.reason };
  const v = a.scores.find((s) => s.key === KEYS.auditVanilla);
  const g = a.scores.find((s) => s.key === KEYS.auditGerbangExecutor);
  const apollo = a.scores.find((s) => s.key === KEYS.auditApolloExecutor);
  if (!v || !g) return { aim, status: 'not run', figures: 'vanilla or Gerbang executor column missing' };
  const figures = [
    `vanilla ${v.passed} / ${v.total}`,
    ...(apollo ? [`Gerbang, Apollo's executor ${apollo.passed} / ${apollo.total}`] : []),
    `Gerbang, Gerbang's executor ${g.passed} / ${g.total}`,
  ].join('; ');
  return { aim, status: g.total === v.total && g.passed >= v.passed ? 'met' : 'not met', figures };
}

function clusterAim(run: OneRun): Aim {
  const aim = 'Cluster mode: req/s per core and the scaling from 1 to 2 workers';
  const c = run.cluster?.figures ?? [];
  const one = c.find((f) => f.workers === 1);
  const two = c.find((f) => f.workers === 2);
  if (!run.cluster) return { aim, status: 'not run', figures: 'cluster mode not in this run' };
  if (!one?.rps || !two?.rps) {
    return { aim, status: 'failed', figures: c.map((f) => `${f.workers} worker(s): ${f.failure ?? (f.rps ? `${fmt(f.rps)} req/s` : 'no answer within the measured window')}`).join('; ') };
  }
  return {
    aim,
    status: 'measured',
    figures: `1 worker ${fmt(one.rps)} req/s (${fmt(perCore(one), 0)} per core of CPU used), 2 workers ${fmt(two.rps)} req/s (${fmt(perCore(two), 0)} per core): scaling ${ratio(two.rps, one.rps)}`,
  };
}

function perCore(f: ClusterFigure): number | undefined {
  return f.rps !== undefined && f.cpuCores ? f.rps / f.cpuCores : undefined;
}

function workload3Aim(run: OneRun): Aim {
  const aim = `Workload 3: the public pages served from the response cache (~95 %: met from ${fmt(HIT_RATE_AIM * 100, 1)} %), req/s and p95 against the uncached path`;
  const w = run.workload3?.figures;
  if (!w) return { aim, status: 'not run', figures: 'workload 3 not in this run' };
  if (!w.cached?.rps || !w.uncached?.rps) return { aim, status: 'failed', figures: w.failure ?? 'a variant answered nothing' };
  const hit = w.cached.hitRate;
  const figures = `served from the cache ${hit === undefined ? '–' : `${fmt(hit * 100, 1)} %`}; cached ${fmt(w.cached.rps)} req/s, p95 ${ms(w.cached.p95)}; uncached ${fmt(w.uncached.rps)} req/s, p95 ${ms(w.uncached.p95)} (${ratio(w.cached.rps, w.uncached.rps)} req/s)`;
  return { aim, status: hit !== undefined && hit >= HIT_RATE_AIM ? 'met' : 'not met', figures };
}

function hopAim(run: OneRun): Aim {
  const aim = `The hop: Gerbang's p50 on a trivial query ≤ ${HOP_AIM_MS} ms over a direct subgraph call`;
  if (!run.workload1) return { aim, status: 'not run', figures: 'workload 1 not in this run' };
  const h = run.workload1.hops.find((f) => f.key === KEYS.gerbang);
  if (!h) return { aim, status: 'failed', figures: 'no hop measured for Gerbang' };
  const over = h.gatewayP50 - h.directP50;
  return {
    aim,
    status: over <= HOP_AIM_MS ? 'met' : 'not met',
    figures: `+${over.toFixed(2)} ms at p50 (${h.gatewayP50.toFixed(2)} through Gerbang, ${h.directP50.toFixed(2)} direct)`,
  };
}

function workload2Line(run: OneRun): Aim {
  const aim = "Workload 2: Gerbang's own operations (no issue-16 aim; runs in production mode)";
  const w = run.workload2;
  if (!w) return { aim, status: 'not run', figures: 'workload 2 not in this run' };
  return { aim, status: w.failed ? 'failed' : 'measured', figures: `${w.measured} measurements${w.failed ? `, ${w.failed} failed` : ''}` };
}

/** Issue 16's aims, in the issue's order, with what this run measured. */
export function aims(run: OneRun): Aim[] {
  return [
    workload1Aim(run),
    auditAim(run),
    clusterAim(run),
    {
      aim: 'Ratings at 1,000/s on real PostgreSQL, none lost',
      status: 'not run',
      figures: 'not part of `npm run bench`: `npm run bench:ratings` (BENCHMARKS.md § ratings)',
    },
    workload3Aim(run),
    hopAim(run),
    workload2Line(run),
  ];
}

function summaryTable(run: OneRun): string {
  return [
    markdownTable(
      ['aim (issue 16)', 'status', 'this run'],
      aims(run).map((a) => [a.aim, a.status === 'met' || a.status === 'measured' ? a.status : `**${a.status}**`, a.figures]),
    ),
    '',
    `Command: \`${run.command}\`${run.quick ? ' (smoke run: figures not comparable with a full run)' : ''}; wall time ${fmt(run.seconds)} s.`,
  ].join('\n');
}

export function clusterMarkdown(c: NonNullable<OneRun['cluster']>): string {
  const one = c.figures.find((f) => f.workers === 1);
  return [
    `### Cluster mode: 1 and 2 workers behind one port`,
    '',
    `gateway/src/cluster.ts, workload 1's query and load, measured in the same interleaved rounds as the table above. ${c.arrangement}`,
    `"CPU": the primary's and its workers' CPU over the measured window (100% = one core); "req/s per core": req/s per core of CPU used.`,
    '',
    markdownTable(
      ['server', 'req/s', 'p95 ms', 'CPU', 'req/s per core', 'req/s per worker', 'scaling vs 1 worker'],
      c.figures.map((f) =>
        f.rps === undefined
          ? [f.label, 'failed', '', '', '', '', f.failure ?? '']
          : [f.label, fmt(f.rps), fmt(f.p95, 1), f.cpuCores === undefined ? '–' : `${fmt(f.cpuCores * 100)}%`, fmt(perCore(f)), fmt(f.rps / f.workers), one?.rps ? ratio(f.rps, one.rps) : '–'],
      ),
    ),
  ].join('\n');
}

/** The dated section of BENCHMARKS.md (between the gateway-bench markers) and the summary printed at the end. */
export function assembleReport(run: OneRun): { markdown: string; summary: string } {
  const summary = summaryTable(run);
  const sections = [
    [
      `## Gateway performance: one run of \`npm run bench\` (issues 6 and 16)`,
      '',
      `Run: ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC, \`${run.command}\`, ${fmt(run.seconds)} s wall time${run.quick ? ' (**smoke run**: short windows, one round; not figures to compare)' : ''}.`,
      `Machine: ${run.machine}.`,
      `Versions: ${run.versions}.`,
      '',
      `### Issue 16's aims in this run`,
      '',
      summary,
    ].join('\n'),
    run.workload1?.markdown,
    run.cluster ? clusterMarkdown(run.cluster) : undefined,
    run.workload2?.markdown,
    run.workload3?.markdown,
    run.audit ? [`### Federation gateway audit, side by side`, '', run.audit.markdown].join('\n') : undefined,
  ];
  return { markdown: sections.filter((s): s is string => !!s).join('\n\n'), summary };
}
