/**
 * What the rules of issue 11 cost per request: `npx tsx bench/rules.ts [--runs N]`.
 *
 *   1. the access log's `record` (a subgraph waits for it before serving a read of someone else's
 *      personal data): one entry, and fifty recorded in the same tick (one INSERT);
 *   2. HR reading fifty officers' TPP bases through the staff subgraph, with the log in memory and in
 *      PostgreSQL (the difference is what the record costs the reader);
 *   3. rateService through the ratings subgraph with the staff register in memory and over the
 *      BKPSDM simulator (no added latency: the price of the round trip itself, JSON-RPC and HTTP).
 *
 * Runs against DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test) in throwaway
 * schemas; prints medians and p95 in milliseconds.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  createLogger,
  createOrm,
  devFeedKey,
  MemoryAccessLog,
  migrate,
  PostgresAccessLog,
  signRequest,
  TICKET_FEED_AUDIENCE,
  TICKET_FEED_PATH,
  verifierFromSecret,
  type AccessLog,
  type AccessLogEntry,
  type Caller,
} from '@gerbang/common';
import { createBkpsdmSimulator, seedOfficers } from '@gerbang/sim-bkpsdm';
import { createStaffServer, SimpegClient } from '../subgraphs/staff/src/server';
import { BkpsdmStaffDirectory, createRatingsServer, defaultRatingsConfig, MemoryStaffDirectory, migrations, type StaffDirectory } from '../subgraphs/ratings/src/server';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const RUNS = Number(values.runs);
const URL_ = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
// The benchmarks' published signing secret (bench/ratings: BENCH_INTERNAL_SECRET), which production refuses by value.
const SECRET = 'bench-internal-signing-secret-0123456789';
const logger = createLogger('bench', 'silent');
const suffix = Math.random().toString(16).slice(2, 10);

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms (${s.length} runs)`;
};
async function time(runs: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(20, runs); i++) await fn(-1 - i); // warm-up
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}
/** A call signed, as the gateway signs it, for `audience` (the subgraph's name). */
async function gql(url: string, audience: string, query: string, caller: Caller, variables: Record<string, unknown> = {}) {
  const body = JSON.stringify({ query, variables });
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...signRequest(SECRET, body, caller, audience) }, body });
  const json = (await res.json()) as { errors?: unknown[] };
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  return json;
}

const entry = (i: number): AccessLogEntry => ({
  at: new Date(),
  requestId: `bench-${i}`,
  subject: 'usr-hr-bkpsdm',
  roles: ['hr'],
  clientName: null,
  operationName: null,
  fields: ['Officer.tppBase'],
  records: 1,
  source: 'bench',
  purpose: 'hr',
  recordRefs: [`nip:${i}`],
});

const client = new pg.Client({ connectionString: URL_ });
await client.connect();
const auditSchema = `audit_bench_${suffix}`;
const log = await PostgresAccessLog.open({ url: URL_, schema: auditSchema, logger });
try {
  console.log(`PostgreSQL: ${URL_.replace(/:[^:@/]*@/, ':***@')}; ${RUNS} runs each`);

  // 1. record
  console.log(`1. access log record, 1 entry:            ${stats(await time(RUNS, (i) => log.record(entry(i))))}`);
  console.log(`   access log record, 50 in one tick:     ${stats(await time(RUNS, (i) => Promise.all(Array.from({ length: 50 }, (_, j) => log.record(entry(i * 50 + j))))))}`);

  // 2. staff subgraph, HR reading 50 TPP bases
  const sim = createBkpsdmSimulator({ clientId: 'bench', clientSecret: 'bench-secret-0000' });
  const simUrl = await sim.listen(0, '127.0.0.1');
  const nips = seedOfficers()
    .slice(0, 50)
    .map((o) => o.nip);
  const hr: Caller = { sub: 'usr-hr-bkpsdm', roles: ['hr', 'officer'], nip: '198205102006042001', agencyId: 'bkpsdm' };
  const reps = { r: nips.map((id) => ({ __typename: 'Officer', id })) };
  const Q = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Officer { tppBase } } }';
  const memoryLog = new MemoryAccessLog();
  for (const [label, accessLog] of [
    ['log in memory', memoryLog],
    ['log in PostgreSQL', log],
    ['log in memory', memoryLog],
    ['log in PostgreSQL', log],
  ] as [string, AccessLog][]) {
    const register = new SimpegClient({ baseUrl: simUrl, clientId: 'bench', clientSecret: 'bench-secret-0000', timeoutMs: 5_000 });
    const app = await createStaffServer({ register, logger, verifier: verifierFromSecret(SECRET), accessLog });
    const running = await app.listen(0);
    console.log(`2. HR reads 50 TPP bases, ${label.padEnd(18)} ${stats(await time(Math.min(RUNS, 100), () => gql(running.url, 'staff', Q, hr, reps)))}`);
    await running.close();
    register.upstream.shutdown();
  }
  await sim.close();

  // 3. rateService with the register in memory and over the simulator
  const sim2 = createBkpsdmSimulator({ clientId: 'bench', clientSecret: 'bench-secret-0000' });
  const sim2Url = await sim2.listen(0, '127.0.0.1');
  const nik = (i: number) => `350311010190${String(1000 + i).padStart(4, '0')}`;
  // Each twice, alternating, so that neither profits alone from a warmer process.
  const memory = new MemoryStaffDirectory([]);
  const http = new BkpsdmStaffDirectory({ url: sim2Url, clientId: 'bench', clientSecret: 'bench-secret-0000' });
  const configs: [string, StaffDirectory][] = [
    ['register in memory', memory],
    ['register over HTTP', http],
    ['register in memory', memory],
    ['register over HTTP', http],
  ];
  for (const [round, [label, staff]] of configs.entries()) {
    const schema = `ratings_bench_${suffix}_${round}`;
    const orm = await createOrm({ url: URL_, schema, migrations, poolMax: 4, logger });
    await migrate(orm);
    const now = new Date('2026-03-20T03:00:00Z');
    const app = await createRatingsServer({ orm, logger, verifier: verifierFromSecret(SECRET), config: defaultRatingsConfig(), staff, now: () => now });
    const running = await app.listen(0);
    const n = Math.min(RUNS, 200) + 20;
    const events = Array.from({ length: n }, (_, i) => ({
      ticketId: `dinsos:B-${i}`,
      citizenNik: nik(i),
      serviceId: 'dinsos.usulan-bansos',
      officerId: '198602142011012005',
      status: 'COMPLETED',
      submittedAt: '2026-03-16T09:00:00+07:00',
      completedAt: '2026-03-18T10:00:00+07:00',
      version: 1,
    }));
    const feed = JSON.stringify({ agencyId: 'dinsos', events });
    const published = await fetch(`${running.url}${TICKET_FEED_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signRequest(devFeedKey('dinsos'), feed, { roles: [], sub: 'feed:dinsos', agencyId: 'dinsos' }, TICKET_FEED_AUDIENCE) },
      body: feed,
    });
    if (!published.ok) throw new Error(`feed: ${published.status}`);
    const RATE = 'mutation($input: RateServiceInput!) { rateService(input: $input) { id } }';
    let next = 0;
    const ms = await time(n - 20, () => {
      const i = next++;
      return gql(running.url, 'ratings', RATE, { sub: `usr-bench-${i}`, roles: ['citizen'], nik: nik(i) }, { input: { ticketId: `dinsos:B-${i}`, stars: 4 } });
    });
    console.log(`3. rateService, ${label.padEnd(27)} ${stats(ms)}${round < 2 ? ' (first round)' : ''}`);
    await running.close();
    await orm.em.getConnection().execute(`drop schema "${schema}" cascade`);
    await orm.close(true);
  }
  await sim2.close();
} finally {
  await log.close();
  await client.query(`drop schema if exists "${auditSchema}" cascade`);
  await client.end();
}
