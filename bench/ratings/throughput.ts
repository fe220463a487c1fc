import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { importJWK, SignJWT, type JWK } from 'jose';
import { devFeedKey, pgArray, signRequest, TicketFeedPublisher, type Caller, type TicketEvent } from '@gerbang/common';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_KID, loadDevIdp } from '@gerbang/gateway';
import type { MikroORM } from '@mikro-orm/postgresql';
import { DEMO_FEED_AGENCIES } from '../../subgraphs/ratings/src/config';
import { allRosters, type DatasetPlan } from './dataset';
import { benchNik } from './ids';
import type { StackConfig } from './stack';
import { cpuBetween, localPorts, snapshot } from './cpu';
import { summarizeProfiles } from './profile';
import { BENCH_INTERNAL_SECRET } from './reports';
import { prng, summarize, type Summary } from './stats';

/** The contract's RateService operation, exactly as the clients send it. */
const RATE_SERVICE = `mutation RateService($input: RateServiceInput!) {
  rateService(input: $input) {
    id
    stars
    ticket { id canRate }
  }
}`;

export type Topology = 'single' | 'split';
/** gateway: the contract operation with a citizen's bearer token; subgraph: the same, sent to the ratings subgraph signed as the gateway signs. */
export type Target = 'gateway' | 'subgraph' | 'gateway-kill';
/** gateway-kill: the gateway target again, with kill -9 of the subgraphs process (ratings + directory) mid-run and a restart. */

export interface ThroughputOptions {
  databaseUrl: string;
  schema: string;
  plan: DatasetPlan;
  targets: Target[];
  connections: number;
  durationSec: number;
  warmupSec: number;
  /** Share of requests that re-send an earlier request (same body, same idempotencyKey). */
  retryShare: number;
  /** Fresh tickets available per target (each is rated at most once). */
  tickets: number;
  ticketsPerCitizen: number;
  poolMax: number;
  topology: Topology;
  logLevel: string;
  /** rateService's group commit: most ratings per statement (1: none); unset: the production default. */
  groupCommitMax?: number;
  /** gateway-kill: seconds into the measured window at which the subgraphs process gets SIGKILL. */
  killAtSec: number;
  /** Directory for CPU profiles of the stack processes (measured window only); none when unset. */
  profileDir?: string;
  log: (msg: string) => void;
}

interface TargetResult {
  target: Target;
  connections: number;
  durationSec: number;
  /** Ratings stored during the measured window, per second. */
  ratingsPerSec: number;
  requestsPerSec: number;
  latency: Summary;
  requests: number;
  retriesSent: number;
  errors: Record<string, number>;
  ranOutOfTickets: boolean;
  /** gateway-kill: when the subgraphs were killed, and how long until they answered again. */
  kill?: { atSec: number; downSec: number };
  /** CPU ms per rating stored in the measured window, per component (/proc). */
  cpuPerRating: Record<string, number>;
  checks: string[];
  ok: boolean;
}

export interface ThroughputResult {
  topology: Topology;
  poolMax: number;
  publish: { tickets: number; citizens: number; seconds: number };
  targets: TargetResult[];
  profiles?: string;
}

interface Outcome {
  sends: number;
  inflight: number;
  ids: string[];
  errors: string[];
  firstSuccessPhase?: 'warmup' | 'measured' | 'after';
}

const STACK_ENTRY = resolve(import.meta.dirname, 'stack-process.ts');

function forkStack(role: string, config: StackConfig & { supergraphSdl?: string }): ChildProcess {
  return fork(STACK_ENTRY, [role], { execArgv: ['--import', 'tsx'], env: { ...process.env, BENCH_STACK: JSON.stringify(config) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function waitFor<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolveMsg, reject) => {
    const onMessage = (msg: { type: string; message?: string }) => {
      if (msg.type === type) {
        child.off('message', onMessage);
        resolveMsg(msg as T);
      } else if (msg.type === 'error') reject(new Error(`stack process: ${msg.message}`));
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`stack process exited (${code}) before "${type}"`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done();
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.send({ type: 'stop' });
  });
}

/** The agencies that publish tickets (dev feed keys exist for these) with the generated rosters. */
function feedAgencies(plan: DatasetPlan) {
  return plan.agencies.filter((a) => (DEMO_FEED_AGENCIES as readonly string[]).includes(a.id));
}

/**
 * Measure 3: sustained rateService through the gateway (and, to tell the gateway's share from the
 * subgraph's, straight to the ratings subgraph). The tickets come in through the signed ticket
 * feed, as the agency subgraphs publish them; every citizen has a token of the dev IdP's key with
 * their own subject and NIK. autocannon sends the contract's RateService with one fresh ticket per
 * request and re-sends ~retryShare of earlier requests unchanged (same idempotencyKey), some while
 * the first attempt is still in flight. Requests cut off by the end of the run are re-sent once.
 * Afterwards SQL must show exactly one rating per ticket sent, the one every answer named.
 */
export async function benchThroughput(orm: MikroORM, options: ThroughputOptions): Promise<ThroughputResult> {
  const { plan, log } = options;
  const dataDir = mkdtempSync(join(tmpdir(), 'gerbang-bench-'));
  const children: ChildProcess[] = [];
  try {
    await loadDevIdp({ dataDir, issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
    const privateJwk = JSON.parse(readFileSync(join(dataDir, 'dev-idp', 'key.json'), 'utf8')) as JWK;
    const key = await importJWK(privateJwk, 'ES256');

    const config: StackConfig = {
      databaseUrl: options.databaseUrl,
      ratingsSchema: options.schema,
      directorySchema: `${options.schema}_directory`,
      auditSchema: `${options.schema}_audit`,
      dataDir,
      poolMax: options.poolMax,
      logLevel: options.logLevel,
      staff: allRosters(plan),
      ...(options.groupCommitMax ? { groupCommitMax: options.groupCommitMax } : {}),
    };
    log(`starting the stack (${options.topology === 'single' ? 'directory + ratings + gateway in one process' : 'subgraphs process + gateway process, as npm start runs them'})`);
    let urls: { directory: string; ratings: string };
    let gatewayUrl: string;
    if (options.topology === 'single') {
      const child = forkStack('all', config);
      children.push(child);
      const sub = waitFor<{ urls: typeof urls }>(child, 'subgraphs');
      const gw = waitFor<{ url: string }>(child, 'gateway');
      urls = (await sub).urls;
      gatewayUrl = (await gw).url;
    } else {
      const subChild = forkStack('subgraphs', config);
      children.push(subChild);
      const sub = await waitFor<{ urls: typeof urls; supergraphSdl: string }>(subChild, 'subgraphs');
      urls = sub.urls;
      const gwChild = forkStack('gateway', { ...config, supergraphSdl: sub.supergraphSdl });
      children.push(gwChild);
      gatewayUrl = (await waitFor<{ url: string }>(gwChild, 'gateway')).url;
    }

    // Tickets, through the feed: completed within the last day, so inside the rating window.
    const total = options.tickets * options.targets.length;
    const rand = prng(7);
    const agencies = feedAgencies(plan);
    const totalWeight = agencies.reduce((a, b) => a + b.weight, 0);
    const pickAgency = () => {
      let x = rand() * totalWeight;
      for (const a of agencies) if ((x -= a.weight) < 0) return a;
      return agencies.at(-1)!;
    };
    const now = Date.now();
    const citizens = Math.ceil(total / options.ticketsPerCitizen);
    const ticketIds: string[] = [];
    const byAgency = new Map<string, TicketEvent[]>();
    for (let i = 0; i < total; i++) {
      const a = pickAgency();
      const ticketId = `${a.id}:LOAD-${i}`;
      ticketIds.push(ticketId);
      const completed = new Date(now - 3_600_000 - Math.floor(rand() * 20 * 3_600_000));
      const list = byAgency.get(a.id) ?? [];
      list.push({
        ticketId,
        citizenNik: benchNik(i % citizens),
        serviceId: `${a.id}.layanan-${1 + (i % 8)}`,
        officerId: a.officers[Math.floor(a.officers.length * rand())]!,
        status: 'COMPLETED',
        submittedAt: new Date(completed.getTime() - 2 * 86_400_000).toISOString(),
        completedAt: completed.toISOString(),
        version: 1,
      });
      byAgency.set(a.id, list);
    }
    const publishStart = Date.now();
    const ledgerUrl = urls.ratings.replace(/\/graphql$/, '');
    await Promise.all(
      [...byAgency].map(async ([agencyId, events]) => {
        const publisher = new TicketFeedPublisher({ ledgerUrl, agencyId, key: devFeedKey(agencyId), timeoutMs: 120_000 });
        for (let i = 0; i < events.length; i += 1000) await publisher.publish(events.slice(i, i + 1000));
      }),
    );
    const publish = { tickets: total, citizens, seconds: (Date.now() - publishStart) / 1000 };
    log(`published ${total.toLocaleString('en')} completed tickets of ${citizens.toLocaleString('en')} citizens through the signed ticket feed in ${publish.seconds.toFixed(1)} s`);

    // A token per citizen: the dev IdP's key, the claims callerFromClaims reads (roles, nik, name).
    const tokens: string[] = new Array(citizens);
    for (let c = 0; c < citizens; c += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, citizens - c) }, async (_, k) => {
          const i = c + k;
          tokens[i] = await new SignJWT({ roles: ['citizen'], name: `Warga ${i}`, nik: benchNik(i) })
            .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid ?? DEV_KID, typ: 'JWT' })
            .setSubject(`usr-bench-${i}`)
            .setIssuer(DEV_ISSUER)
            .setAudience(DEV_AUDIENCE)
            .setIssuedAt()
            .setExpirationTime('2h')
            .sign(key);
        }),
      );
    }
    log(`signed ${citizens.toLocaleString('en')} citizen tokens`);

    // What each ticket's request says: fixed per ticket, so a retry is byte for byte the same request.
    const bodyOf = (i: number) => {
      const r = prng(1000 + i);
      const x = r();
      const stars = x < 0.05 ? 1 : x < 0.1 ? 2 : x < 0.22 ? 3 : x < 0.5 ? 4 : 5;
      const input: Record<string, unknown> = { ticketId: ticketIds[i], stars, idempotencyKey: `bench-load-${i}` };
      if (r() < 0.6) input.skm = Array.from({ length: 9 }, () => 1 + Math.floor(r() * 4));
      if (r() < 0.15) input.comment = 'Pelayanan cepat, petugas ramah.';
      return JSON.stringify({ query: RATE_SERVICE, operationName: 'RateService', variables: { input } });
    };
    const callerOf = (c: number): Caller => ({ sub: `usr-bench-${c}`, roles: ['citizen'], name: `Warga ${c}`, nik: benchNik(c) });
    const endpoint: Record<'gateway' | 'subgraph', { url: string; headers: (i: number, body: string) => Record<string, string> }> = {
      // One shared public address for every rater (a carrier's NAT): the worst case of the address rule.
      gateway: { url: gatewayUrl, headers: (i) => ({ 'content-type': 'application/json', authorization: `Bearer ${tokens[i % citizens]}`, 'x-forwarded-for': '203.0.113.10' }) },
      // Signed per request: the subgraph refuses a nonce it has seen, so a retry is signed anew.
      subgraph: { url: urls.ratings, headers: (i, body) => ({ 'content-type': 'application/json', ...signRequest(BENCH_INTERNAL_SECRET, body, callerOf(i % citizens), 'ratings') }) },
    };
    const roles = options.topology === 'single' ? ['all'] : ['subgraphs', 'gateway'];
    const profiling = (action: 'start' | 'stop', target: Target) =>
      options.profileDir
        ? Promise.all(
            children.map((child, k) => {
              const done = waitFor(child, `profile-${action}ed`);
              child.send({ type: 'profile', action, file: join(options.profileDir!, `${target}-target.${roles[k]}.cpuprofile`) });
              return done;
            }),
          )
        : Promise.resolve([]);

    const processes: Record<string, number> = { 'load generator': process.pid };
    children.forEach((child, k) => (processes[roles[k] === 'all' ? 'stack (gateway + subgraphs)' : roles[k] === 'gateway' ? 'gateway' : 'ratings + directory subgraphs'] = child.pid!));
    const results: TargetResult[] = [];
    // kill -9 of the subgraphs process, then the same process started again on the same ports.
    const killSubgraphs = async (): Promise<number> => {
      if (options.topology !== 'split') throw new Error('gateway-kill needs --topology split');
      const victim = children[0]!;
      const ports = { directory: Number(new URL(urls.directory).port), ratings: Number(new URL(urls.ratings).port) };
      const exited = new Promise((done) => victim.once('exit', done));
      victim.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();
      const again = forkStack('subgraphs', { ...config, ports });
      children[0] = again;
      await waitFor(again, 'subgraphs');
      processes['ratings + directory subgraphs'] = again.pid!;
      return (Date.now() - killedAt) / 1000;
    };
    for (const [n, target] of options.targets.entries()) {
      const first = n * options.tickets;
      const where = target === 'gateway-kill' ? endpoint.gateway : endpoint[target];
      results.push(await drive({ target, first, ...where, bodyOf, ticketIds, orm, options, profiling, processes, ...(target === 'gateway-kill' ? { kill: killSubgraphs } : {}) }));
    }
    return {
      topology: options.topology,
      poolMax: options.poolMax,
      publish,
      targets: results,
      ...(options.profileDir ? { profiles: summarizeProfiles(options.profileDir) } : {}),
    };
  } finally {
    await Promise.all(children.map(stopChild));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One target's run: warm-up, the measured window, the re-sends, and the verification in SQL. */
async function drive(args: {
  target: Target;
  /** This target's tickets are first … first + options.tickets − 1. */
  first: number;
  url: string;
  headers: (i: number, body: string) => Record<string, string>;
  bodyOf: (i: number) => string;
  ticketIds: string[];
  orm: MikroORM;
  options: ThroughputOptions;
  profiling: (action: 'start' | 'stop', target: Target) => Promise<unknown>;
  processes: Record<string, number>;
  /** Kills the subgraphs process and starts it again; resolves with the seconds it was down. */
  kill?: () => Promise<number>;
}): Promise<TargetResult> {
  const { target, first, url, headers, bodyOf, ticketIds, orm, options } = args;
  const { log } = options;
  const end = first + options.tickets;
  const outcomes = new Map<number, Outcome>();
  const answered: number[] = [];
  const inflight = new Set<number>();
  let next = first;
  let phase: 'warmup' | 'measured' | 'after' = 'warmup';
  let retriesSent = 0;
  let racingRetries = 0;
  let ranOut = false as boolean; // `as boolean`: set in a callback, which TypeScript does not see (it would keep the `false`)
  let measuredStart = 0;
  let killed: { atSec: number; downSec: number } | undefined;
  let killing: Promise<void> | undefined;
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const countError = (code: string) => (errors[code] = (errors[code] ?? 0) + 1);
  const pick = prng(99);
  const path = new URL(url).pathname;

  type Ctx = { ticket?: number };
  /** Ratings answered with an error and not yet retried. */
  const failed: number[] = [];
  const record = (i: number, status: number, body: string) => {
    const o = outcomes.get(i)!;
    o.inflight--;
    if (o.inflight === 0) inflight.delete(i);
    let parsed: { data?: { rateService?: { id?: string } }; errors?: { extensions?: { code?: string } }[] } | undefined;
    try {
      parsed = JSON.parse(body);
    } catch {
      /* not JSON */
    }
    const id = parsed?.data?.rateService?.id;
    if (status === 200 && id && !parsed?.errors?.length) {
      if (!o.ids.length) o.firstSuccessPhase = phase;
      o.ids.push(id);
    } else {
      const code = parsed?.errors?.[0]?.extensions?.code ?? `HTTP_${status}`;
      o.errors.push(code);
      countError(code);
      // The client retries a failed rating (same body, same idempotencyKey) until it is answered.
      if (!o.ids.length && o.inflight === 0) failed.push(i);
    }
    if (o.ids.length + o.errors.length === 1) answered.push(i);
  };

  const run = (durationSec: number, label: 'warmup' | 'measured') =>
    new Promise<autocannon.Result>((resolveRun, reject) => {
      phase = label;
      const instance = autocannon(
        {
          url,
          connections: options.connections,
          duration: durationSec,
          pipelining: 1,
          timeout: 30,
          requests: [
            {
              method: 'POST',
              path,
              setupRequest: (req: any, ctx: Ctx) => {
                let i: number;
                let retry = false;
                const again = failed.shift();
                if (again !== undefined) {
                  i = again;
                  retry = true;
                } else if (answered.length && (pick() < options.retryShare || next >= end)) {
                  retry = true;
                  // Mostly a request already answered; now and then one still in flight (a client
                  // that gave up waiting): the retry then races its own first attempt.
                  if (inflight.size && pick() < 0.25) {
                    const list = [...inflight];
                    i = list[Math.floor(pick() * list.length)]!;
                    racingRetries++;
                  } else {
                    const recent = Math.min(answered.length, 5000);
                    i = answered[answered.length - 1 - Math.floor(pick() * recent)]!;
                  }
                  if (next >= end && !ranOut) {
                    ranOut = true;
                    instance.stop();
                  }
                } else {
                  i = next++;
                  outcomes.set(i, { sends: 0, inflight: 0, ids: [], errors: [] });
                }
                if (retry) retriesSent++;
                const o = outcomes.get(i)!;
                o.sends++;
                o.inflight++;
                inflight.add(i);
                ctx.ticket = i;
                const body = bodyOf(i);
                return { ...req, headers: headers(i, body), body };
              },
              onResponse: (status: number, body: string, ctx: Ctx) => record(ctx.ticket!, status, body),
            },
          ],
        },
        (err, result) => (err ? reject(err) : resolveRun(result)),
      );
      if (label === 'measured') instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
      instance.on('reqError', () => countError('CONNECTION_ERROR'));
      if (label === 'measured' && args.kill) {
        const timer = setTimeout(() => {
          const atSec = (Date.now() - measuredStart) / 1000;
          killing = args.kill!().then((downSec) => {
            killed = { atSec, downSec };
          });
        }, options.killAtSec * 1000);
        instance.once('done', () => clearTimeout(timer));
      }
    });

  if (options.warmupSec > 0) {
    log(`${target}: warm-up ${options.warmupSec} s`);
    await run(options.warmupSec, 'warmup');
  }
  const requestsBefore = [...outcomes.values()].reduce((a, o) => a + o.sends, 0);
  const retriesBefore = retriesSent;
  const racingBefore = racingRetries;
  log(`${target}: ${options.connections} connections, ${options.durationSec} s, ${Math.round(options.retryShare * 100)} % retries`);
  // The PostgreSQL backends serving the stack: by the stack processes' ports in pg_stat_activity.
  const backends = async () => {
    const ports = Object.entries(args.processes)
      .filter(([name]) => name !== 'load generator')
      .flatMap(([, pid]) => localPorts(pid));
    const rows = await orm.em
      .fork()
      .getConnection()
      .execute<{ pid: number }[]>(`select pid from pg_stat_activity where client_port = any(?::int[])`, [pgArray(ports)], 'all');
    return rows.map((r) => r.pid);
  };
  const startBackends = await backends();
  await args.profiling('start', target);
  const before = snapshot(args.processes, startBackends);
  const newBefore = [...outcomes.values()].filter((o) => o.firstSuccessPhase === 'measured').length;
  measuredStart = Date.now();
  const result = await run(options.durationSec, 'measured');
  // A restart slower than the rest of the window: its retries are answered after the window.
  if (args.kill && !killing) throw new Error('gateway-kill: the run ended before the kill (lower --kill-at)');
  await killing;
  const newDuring = [...outcomes.values()].filter((o) => o.firstSuccessPhase === 'measured').length - newBefore;
  const after = snapshot(args.processes, [...new Set([...startBackends, ...(await backends())])]);
  await args.profiling('stop', target);
  const cpuPerRating = Object.fromEntries(Object.entries(cpuBetween(before, after)).map(([k, ms]) => [k, ms / Math.max(1, newDuring)]));
  phase = 'after';
  const requests = [...outcomes.values()].reduce((a, o) => a + o.sends, 0) - requestsBefore;

  // Requests cut off when the run ended (no answer at all) or answered with an error: the client
  // retries them, as it would, until they are answered (at most 120 rounds, 0.5 s apart).
  const unanswered = [...outcomes.entries()].filter(([, o]) => o.ids.length + o.errors.length === 0).map(([i]) => i);
  for (let round = 0; round < 120; round++) {
    const todo = [...outcomes.entries()].filter(([, o]) => o.ids.length === 0).map(([i]) => i);
    if (!todo.length) break;
    if (round > 0) await new Promise((done) => setTimeout(done, 500));
    for (const i of todo) {
      const o = outcomes.get(i)!;
      o.sends++;
      o.inflight = 1;
      const body = bodyOf(i);
      try {
        const res = await fetch(url, { method: 'POST', headers: headers(i, body), body });
        record(i, res.status, await res.text());
      } catch {
        o.inflight = 0;
        countError('CONNECTION_ERROR');
      }
    }
  }
  failed.length = 0;
  for (const o of outcomes.values()) o.inflight = 0;

  // What the database holds for this target's tickets.
  const mine = ticketIds.slice(first, end);
  const conn = orm.em.fork().getConnection();
  const rows = await conn.execute<{ ticketId: string; id: string; status: string; key: string | null }[]>(
    `select ticket_id as "ticketId", id, status, idempotency_key as "key" from "${options.schema}".rating where ticket_id = any(?::text[])`,
    [pgArray(mine)],
    'all',
  );
  const rules = await conn.execute<{ rule: string; n: number }[]>(
    `select f.rule, count(*)::int as n from "${options.schema}".rating_flag f join "${options.schema}".rating r on r.id = f.rating_id
     where r.ticket_id = any(?::text[]) group by f.rule order by f.rule`,
    [pgArray(mine)],
    'all',
  );
  const stored = new Map<string, { id: string; status: string; key: string | null }[]>();
  for (const r of rows) stored.set(r.ticketId, [...(stored.get(r.ticketId) ?? []), r]);
  let lost = 0;
  let retryMismatches = 0;
  let refused = 0;
  let unacknowledged = 0;
  let wrongKey = 0;
  for (const [i, o] of outcomes) {
    const inDb = stored.get(ticketIds[i]!) ?? [];
    if (!o.ids.length) {
      refused++;
      if (inDb.length) unacknowledged++; // stored although every answer was an error
      continue;
    }
    if (!inDb.length) lost++;
    const firstId = o.ids[0]!;
    if (o.ids.some((id) => id !== firstId) || (inDb.length && inDb[0]!.id !== firstId)) retryMismatches++;
    if (inDb.length && inDb[0]!.key !== `bench-load-${i}`) wrongKey++;
  }
  const sentIds = new Set([...outcomes.keys()].map((i) => ticketIds[i]!));
  const phantoms = [...stored.keys()].filter((t) => !sentIds.has(t)).length;
  const duplicates = rows.length - stored.size;
  const flagged = rows.filter((r) => r.status === 'FLAGGED').length;
  const measuredNew = [...outcomes.values()].filter((o) => o.firstSuccessPhase === 'measured').length;
  const durationSec = result.duration;
  const retriesMeasured = retriesSent - retriesBefore;
  const checks = [
    `unique tickets sent ${outcomes.size.toLocaleString('en')}; ratings stored for them ${rows.length.toLocaleString('en')} (${stored.size.toLocaleString('en')} distinct tickets); refused ${refused}`,
    `duplicates ${duplicates}, lost (acknowledged but not stored) ${lost}, stored but never acknowledged ${unacknowledged}, phantoms ${phantoms}, stored under another idempotency key ${wrongKey}`,
    `retries: ${retriesMeasured.toLocaleString('en')} in the measured window (${Math.round((100 * retriesMeasured) / Math.max(1, requests))} % of requests; ${racingRetries - racingBefore} sent while the first attempt was in flight), answers naming another rating than the first: ${retryMismatches}`,
    `requests cut off by the end of the run and re-sent: ${unanswered.length}; ratings answered with an error at least once (then retried until answered): ${[...outcomes.values()].filter((o) => o.errors.length).length}`,
    ...(killed
      ? [`kill -9 of the subgraphs process (ratings + directory) ${killed.atSec.toFixed(1)} s into the measured window; started again and listening after ${killed.downSec.toFixed(1)} s`]
      : []),
    `flagged for review by the anomaly rules: ${flagged.toLocaleString('en')} of ${rows.length.toLocaleString('en')} (${rules.map((r) => `${r.rule} ${r.n}`).join(', ') || 'no flags'})`,
    `autocannon: ${result.requests.total.toLocaleString('en')} responses in the window, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts${ranOut ? '; RAN OUT OF FRESH TICKETS (raise --tickets)' : ''}`,
  ];
  const ok = duplicates === 0 && lost === 0 && unacknowledged === 0 && phantoms === 0 && retryMismatches === 0 && wrongKey === 0 && refused === 0;
  log(`${target}: ${Math.round(measuredNew / durationSec)} ratings/s, p50 ${summarize(latencies).p50.toFixed(0)} ms; verified: ${ok ? 'ok' : 'FAILED'}`);
  return {
    target,
    connections: options.connections,
    durationSec,
    ratingsPerSec: measuredNew / durationSec,
    requestsPerSec: requests / durationSec,
    latency: summarize(latencies),
    requests,
    retriesSent: retriesMeasured,
    errors,
    ranOutOfTickets: ranOut,
    ...(killed ? { kill: killed } : {}),
    cpuPerRating,
    checks,
    ok,
  };
}
