/**
 * npm run chaos -- [--only=NAME,…] [--hold=8] [--citizens=16] [--write]
 *
 * The fault suite: `npm start` in a fresh DATA_DIR (the embedded PostgreSQL, or DATABASE_URL;
 * Redis when REDIS_URL is set), citizens reading and rating throughout (scripts/chaos/load.ts),
 * and one fault after another (scripts/chaos/scenarios.ts). For each: the requests and what
 * clients saw, the ratings acknowledged and what the database holds of them (lost, duplicated),
 * the seconds until every field answered again, whether fields outside the fault failed, and
 * whether every refusal carried a documented code. --write puts the table in RELIABILITY.md.
 *
 * It listens on the system's fixed ports: run it alone, or in a network namespace of its own
 * (then without DATABASE_URL/REDIS_URL, which are outside it).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freshDataDir } from '../start-probe';
import { Load, type Outcome } from './load';
import { scenarios, type Scenario } from './scenarios';
import { startSystem, type System } from './system';

const root = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    hold: { type: 'string', default: '8' },
    citizens: { type: 'string', default: '16' },
    pause: { type: 'string', default: '1200' },
    write: { type: 'boolean', default: false },
  },
});
const holdMs = Number(values.hold) * 1000;
const t0 = Date.now();
const log = (m: string) => console.log(`[chaos +${((Date.now() - t0) / 1000).toFixed(0)}s] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const p95 = (xs: number[]) => {
  if (!xs.length) return '–';
  const s = [...xs].sort((a, b) => a - b);
  return String(Math.round(s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!));
};

/** The codes README.md documents (its Errors table). */
const documented = new Set([...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/^\| `([A-Z_]+)`/gm)].map((m) => m[1]!));
/** Codes that are not refusals: success, and no HTTP answer at all (the gateway process was dead). */
const NOT_REFUSALS = new Set(['OK', 'NETWORK']);

interface Row {
  s: Scenario;
  skipped?: string;
  injectedAt?: number;
  faultEndedAt?: number;
  recoveredAt?: number;
  /** Fields outside the fault that failed during it, with how often. */
  outside: Map<string, number>;
}

async function probeUntilHealthy(load: Load, token: string, deadlineMs: number): Promise<number | undefined> {
  const until = Date.now() + deadlineMs;
  let healthy = 0;
  while (Date.now() < until) {
    const p = await load.probe(token);
    if (p.ok) {
      // Twice in a row: one lucky answer is not a recovery.
      if (++healthy === 2) return Date.now();
    } else healthy = 0;
    await sleep(250);
  }
  return undefined;
}

let current: System | undefined;

async function main() {
  const run = Date.now().toString(36);
  const dataDir = freshDataDir();
  log(`starting the system in ${dataDir} (${process.env.DATABASE_URL ? 'PostgreSQL from DATABASE_URL' : 'embedded PostgreSQL'}${process.env.REDIS_URL ? ', Redis from REDIS_URL' : ', no Redis'})`);
  const sys: System = await startSystem(dataDir, log);
  current = sys;
  const all = scenarios(holdMs);
  const chosen = values.only ? all.filter((s) => values.only!.split(',').some((o) => s.name.includes(o.trim()))) : all;
  const ticketsEach = Math.ceil(((chosen.length * (holdMs + 12_000)) / Number(values.pause)) * 1.5) + 20;
  const load = new Load({ gateway: sys.gateway, ratingsUrl: 'http://127.0.0.1:4003', dataDir, run, citizens: Number(values.citizens), ticketsEach, pauseMs: Number(values.pause) });
  const rows: Row[] = [];
  let exitCode = 0;
  try {
    log(`publishing ${Number(values.citizens) * ticketsEach} completed tickets for ${values.citizens} citizens through the ticket feed`);
    const { tokens, tickets, probeToken } = await load.prepare();
    if ((await probeUntilHealthy(load, probeToken, 60_000)) === undefined) throw new Error('the graph is not healthy before any fault');
    load.start(tokens, tickets);
    await sleep(5_000);

    for (const s of chosen) {
      const row: Row = { s, outside: new Map() };
      rows.push(row);
      const skip = s.skip?.(sys);
      if (skip) {
        row.skipped = skip;
        log(`${s.name}: skipped (${skip})`);
        continue;
      }
      load.scenario = s.name;
      await sleep(1_000);
      log(`${s.name}: ${s.fault}`);
      row.injectedAt = Date.now();
      await s.inject(sys);
      // Probe throughout the fault (the outcomes record which fields failed).
      let probing = true as boolean; // `as boolean`: cleared in a callback, which TypeScript does not see (it would keep the `true`)
      const during = (async () => {
        while (probing) {
          await load.probe(probeToken);
          await sleep(500);
        }
      })();
      if (s.holdMs) {
        await sleep(s.holdMs);
        await s.end!(sys);
      }
      row.faultEndedAt = Date.now();
      probing = false;
      await during;
      row.recoveredAt = await probeUntilHealthy(load, probeToken, 90_000);
      log(`${s.name}: ${row.recoveredAt ? `every field answers again after ${((row.recoveredAt - row.faultEndedAt) / 1000).toFixed(1)}s` : 'NOT recovered within 90s'}`);
      load.scenario = `${s.name} (settling)`;
      await sleep(2_000);
    }
  } finally {
    log('stopping the load (pending ratings are retried until answered)');
    await load.stop();
  }

  // What the database holds of every rating the citizens meant to give.
  const db = new pg.Client({ connectionString: sys.databaseUrl });
  await db.connect();
  const stored = new Map<string, number>();
  const perTicket = new Map<string, number>();
  try {
    const { rows: found } = await db.query<{ key: string; n: number }>(`select idempotency_key as key, count(*)::int as n from ratings.rating where idempotency_key like $1 group by 1`, [
      `chaos-${run}-%`,
    ]);
    for (const r of found) stored.set(r.key, r.n);
    const { rows: tickets } = await db.query<{ ticket_id: string; n: number }>(`select ticket_id, count(*)::int as n from ratings.rating where ticket_id like $1 group by 1`, [`%:CHAOS-${run}-%`]);
    for (const r of tickets) perTicket.set(r.ticket_id, r.n);
  } finally {
    await db.end();
  }
  const code = await sys.stop();
  log(`npm start stopped (exit code ${code})`);

  // The table.
  const fmt = (ms?: number) => (ms === undefined ? '–' : (ms / 1000).toFixed(1));
  const lines: string[] = [];
  lines.push(
    '| scenario | fault | requests | p95 ms | errors seen by clients | fields of the fault seen failing (probe) | ratings acknowledged | stored | lost | duplicated | back after (s) | fields outside the fault that failed | undocumented codes |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  let totals = { requests: 0, acked: 0, stored: 0, lost: 0, dup: 0 };
  const inWindow = (o: Outcome, r: Row) => r.injectedAt !== undefined && o.at >= r.injectedAt && o.at <= (r.recoveredAt ?? r.faultEndedAt ?? Date.now());
  const aims: string[] = [];
  for (const r of rows) {
    if (r.skipped) {
      lines.push(`| ${r.s.name} | ${r.s.fault} | – | – | – | – | – | – | – | – | – | skipped: ${r.skipped} | – |`);
      continue;
    }
    const window = load.outcomes.filter((o) => inWindow(o, r));
    const clientOps = window.filter((o) => o.op !== 'Probe');
    const errors = new Map<string, number>();
    for (const o of clientOps) if (o.code !== 'OK') errors.set(o.code, (errors.get(o.code) ?? 0) + 1);
    // What the probe saw fail: evidence that the fault took effect.
    const probeFailed = new Map<string, number>();
    for (const o of window) for (const f of o.failedFields ?? []) probeFailed.set(f, (probeFailed.get(f) ?? 0) + 1);
    const probeCodes = window.filter((o) => o.op === 'Probe' && o.code !== 'OK').map((o) => o.code);
    // Probes report fields; a rating refused during an agency's fault is a field outside it too.
    for (const o of window) {
      if (r.s.allowed === '*') break;
      for (const f of o.failedFields ?? []) if (!r.s.allowed.includes(f)) r.outside.set(f, (r.outside.get(f) ?? 0) + 1);
      if (o.op !== 'Probe' && o.code !== 'OK' && o.code !== 'RATE_LIMITED') r.outside.set(`${o.op}:${o.code}`, (r.outside.get(`${o.op}:${o.code}`) ?? 0) + 1);
    }
    const acked = load.acknowledged.filter((a) => a.scenario === r.s.name || a.scenario === `${r.s.name} (settling)`);
    const storedOf = acked.filter((a) => stored.has(a.key)).length;
    const lost = acked.length - storedOf;
    const dup = acked.filter((a) => (stored.get(a.key) ?? 0) > 1 || (perTicket.get(a.ticketId) ?? 0) > 1).length;
    const undocumented = [...new Set([...errors.keys(), ...probeCodes])].filter((c) => !NOT_REFUSALS.has(c) && !documented.has(c));
    totals = { requests: totals.requests + clientOps.length, acked: totals.acked + acked.length, stored: totals.stored + storedOf, lost: totals.lost + lost, dup: totals.dup + dup };
    const back = r.recoveredAt && r.faultEndedAt ? r.recoveredAt - r.faultEndedAt : undefined;
    lines.push(
      `| ${r.s.name} | ${r.s.fault} | ${clientOps.length} | ${p95(clientOps.map((o) => o.ms))} | ${[...errors].map(([c, n]) => `${c} ${n}`).join(', ') || 'none'} | ${[...probeFailed].map(([f, n]) => `${f} ${n}`).join(', ') || 'none'} | ${acked.length} | ${storedOf} | ${lost} | ${dup} | ${back === undefined ? 'not within 90' : fmt(back)} | ${r.s.allowed === '*' ? 'n/a (takes the whole graph)' : [...r.outside].map(([f, n]) => `${f} ${n}`).join(', ') || 'none'} | ${undocumented.join(', ') || 'none'} |`,
    );
    if (lost) aims.push(`${r.s.name}: ${lost} acknowledged ratings lost`);
    if (dup) aims.push(`${r.s.name}: ${dup} duplicated`);
    if (back === undefined || back > 10_000) aims.push(`${r.s.name}: back after ${back === undefined ? 'more than 90' : fmt(back)} s (aim: 10)`);
    if (r.outside.size) aims.push(`${r.s.name}: fields outside the fault failed (${[...r.outside.keys()].join(', ')})`);
    if (undocumented.length) aims.push(`${r.s.name}: undocumented codes ${undocumented.join(', ')}`);
  }
  // Every key the citizens meant to rate, over the whole run.
  const meant = load.keys.size;
  const storedKeys = [...load.keys].filter((k) => stored.has(k)).length;
  const allAckedStored = load.acknowledged.filter((a) => stored.has(a.key)).length;
  const everyClientOp = load.outcomes.filter((o) => o.op !== 'Probe');
  lines.push(
    `| **whole run** | | ${everyClientOp.length} | ${p95(everyClientOp.map((o) => o.ms))} | | | ${load.acknowledged.length} | ${allAckedStored} | ${load.acknowledged.length - allAckedStored} | ${[...stored.values()].filter((n) => n > 1).length + [...perTicket.values()].filter((n) => n > 1).length} | | | |`,
  );

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}`;
  const command = `npm run chaos${
    process.argv.slice(2).length
      ? ` -- ${process.argv
          .slice(2)
          .map((a) => (/\s/.test(a) ? `'${a}'` : a))
          .join(' ')}`
      : ''
  }`;
  const setup = `${process.env.DATABASE_URL ? 'PostgreSQL from DATABASE_URL' : 'embedded PostgreSQL 17'}, ${process.env.REDIS_URL ? 'Redis from REDIS_URL' : 'no Redis (memory)'}; ${values.citizens} citizens, each reading MyTickets and rating a ticket every ${values.pause} ms, retrying a rating with its idempotency key until it is acknowledged; a probe reads every agency's fields as warga.siti every 0.5 s during a fault; timed faults held ${holdMs / 1000} s`;
  const summary = [
    `Ratings the citizens meant to give: ${meant}; acknowledged ${load.acknowledged.length}; stored ${storedKeys} (every acknowledged one: ${allAckedStored === load.acknowledged.length ? 'yes' : 'NO'}); given up ${load.abandoned.length}${load.abandoned.length ? ` (${[...new Set(load.abandoned.map((a) => a.code))].join(', ')})` : ''}.`,
    aims.length
      ? `Aims not met:\n${aims.map((a) => `- ${a}`).join('\n')}`
      : 'Every aim met: no acknowledged rating lost or duplicated, no field outside a fault failed, every fault recovered within 10 s, every refusal carried a documented code.',
  ].join('\n\n');
  const report = `${lines.join('\n')}\n\n${summary}\n\n${setup}. ${machine}. Command: \`${command}\`.`;
  console.log(`\n${report}\n`);
  if (values.write) {
    // One block per setup (embedded or DATABASE_URL, with or without Redis), so both runs stay side by side.
    const key = `${process.env.DATABASE_URL ? 'database-url' : 'embedded'}-${process.env.REDIS_URL ? 'redis' : 'memory'}`;
    const [open, close] = [`<!-- chaos:${key}:start -->`, `<!-- chaos:${key}:end -->`];
    const file = join(root, 'RELIABILITY.md');
    const text = readFileSync(file, 'utf8');
    const start = text.indexOf(open);
    const end = text.indexOf(close);
    if (start < 0 || end < 0) throw new Error(`RELIABILITY.md has no ${open} … ${close} markers`);
    writeFileSync(file, `${text.slice(0, start + open.length)}\nLatest run, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC:\n\n${report}\n${text.slice(end)}`);
    log(`written to RELIABILITY.md (${key})`);
  }
  rmSync(dataDir, { recursive: true, force: true });
  if (aims.length) exitCode = 1;
  process.exit(exitCode);
}

main().catch(async (err: unknown) => {
  console.error(`[chaos] ${err instanceof Error ? err.stack : String(err)}`);
  await current?.stop();
  process.exit(2);
});
