/**
 * Insights benchmark (issue 14, point 5): `npm run bench:insights [-- options]`.
 *
 *   1. generates the history (the same generator as `npm run seed:history`, set-based SQL) into a
 *      fresh database on a real PostgreSQL: --tickets N (default 10,000,000) over --months 24, with
 *      every completed ticket rated (so ratings ≈ tickets); the ledger's secondary indexes are
 *      dropped during the load and built again after it;
 *   2. builds the rollups from scratch and times it, then applies a batch of --live N new tickets,
 *      N completions and their ratings and times the incremental refresh;
 *   3. asks 20 fixed grouped questions through the insights service (pricing, budget, the cube,
 *      suppression and the access-log record included; GraphQL transport excluded): cold (each
 *      question's first run, on a new connection pool) and warm (--runs more each), p50/p95;
 *   4. asks the distinct-citizen questions the same way (counted at question time from the
 *      citizen-keyed facts, not from rollups), reported in a table of their own;
 *   5. prints a table and the command, and writes it to BENCHMARKS.md between the insights markers.
 *
 * Options: --url (default postgresql://postgres@127.0.0.1:5432/postgres; the database --db,
 * default gerbang_bench_insights, is dropped and created there), --tickets N, --months N, --runs N,
 * --live N, --reuse (skip generation when the database already holds a history), --generate-only,
 * --no-write.
 * Not part of `npm test`: 10 million tickets take a long while on two shared cores.
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { createLogger, createOrm, migrate, PostgresAccessLog } from '@gerbang/common';
import { migrations as ratingsMigrations } from '../subgraphs/ratings/src/server';
import { migrations } from '../subgraphs/insights/src/server';
import { generateHistory } from '../subgraphs/insights/src/history/generate';
import { OFFICERS, SERVICES } from '../subgraphs/insights/src/history/catalogue';
import { CUBOIDS } from '../subgraphs/insights/src/cube/cuboids';
import { refreshRollups } from '../subgraphs/insights/src/cube/refresh';
import { InsightsService } from '../subgraphs/insights/src/cube/insights.service';
import { DEFAULT_PRIVACY } from '../subgraphs/insights/src/cube/engine';
import type { Question } from '../subgraphs/insights/src/cube/model';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
    tickets: { type: 'string', default: '10000000' },
    months: { type: 'string', default: '24' },
    runs: { type: 'string', default: '20' },
    // Exact distinct counts read the citizen-keyed facts at question time: seconds each at 10 M,
    // so fewer warm runs keep the whole run within minutes.
    'distinct-runs': { type: 'string', default: '3' },
    reuse: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    'generate-only': { type: 'boolean', default: false },
    live: { type: 'string', default: '5000' },
    db: { type: 'string', default: 'gerbang_bench_insights' },
  },
});
const DB = values.db;
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(DB)) throw new Error('--db: a plain database name');
const END = '2026-11';
const NOW = new Date('2026-11-30T16:59:00Z');
const log = (m: string) => console.log(`[bench:insights] ${m}`);

const Q = (measures: Question['measures'], dimensions: Question['dimensions'], from: string, to: string, extra: Partial<Question> = {}): Question => ({
  measures,
  dimensions,
  from,
  to,
  filter: {},
  sort: [],
  limit: 1000,
  compare: null,
  ...extra,
});
/** The fixed set: what analysts ask, from small to the heaviest the cube allows. */
const QUESTIONS: [string, Question][] = [
  ['SLA % and stars by agency × month, 2026', Q(['COMPLETED_WITHIN_SLA_PERCENT', 'TICKETS_COMPLETED', 'AVERAGE_STARS'], ['AGENCY', 'MONTH'], '2026-01', '2026-12')],
  ['opened by service × month, 24 months', Q(['TICKETS_OPENED'], ['SERVICE', 'MONTH'], '2024-12', '2026-11')],
  ['IKM and 9 elements by agency, 2026', Q(['IKM', 'IKM_U1', 'IKM_U2', 'IKM_U3', 'IKM_U4', 'IKM_U5', 'IKM_U6', 'IKM_U7', 'IKM_U8', 'IKM_U9'], ['AGENCY'], '2026-01', '2026-12')],
  ['median and p90 turnaround by service, 2026', Q(['TURNAROUND_MEDIAN_DAYS', 'TURNAROUND_P90_DAYS'], ['SERVICE'], '2026-01', '2026-12')],
  ['backlog by agency × month, 2026', Q(['BACKLOG'], ['AGENCY', 'MONTH'], '2026-01', '2026-11')],
  ['opened by kecamatan × channel, Q3 2026', Q(['TICKETS_OPENED'], ['KECAMATAN', 'CHANNEL'], '2026-07', '2026-09')],
  ['stars by position class × month, 2026', Q(['RATINGS', 'AVERAGE_STARS'], ['POSITION_CLASS', 'MONTH'], '2026-01', '2026-12')],
  ['opened by day, one agency, Aug 2026', Q(['TICKETS_OPENED', 'TICKETS_COMPLETED'], ['DAY'], '2026-08', '2026-08', { filter: { agencyId: 'bpkpd' } })],
  ['completed by week × agency, H1 2026', Q(['TICKETS_COMPLETED'], ['WEEK', 'AGENCY'], '2026-01', '2026-06')],
  ['SLA % by service, compare previous year', Q(['COMPLETED_WITHIN_SLA_PERCENT'], ['SERVICE'], '2026-01', '2026-11', { compare: 'PREVIOUS_YEAR' })],
  ['flags and ratings by agency, 24 months', Q(['RATING_FLAGS', 'RATINGS'], ['AGENCY'], '2024-12', '2026-11')],
  ['appeals by agency × month, 2026', Q(['APPEALS'], ['AGENCY', 'MONTH'], '2026-01', '2026-11')],
  ['KTP-el opened by kecamatan, Jan–Jun (period check)', Q(['TICKETS_OPENED'], ['KECAMATAN'], '2026-01', '2026-06', { filter: { serviceId: 'dispendukcapil.ktp-el' } })],
  ['one kecamatan by service (filter check)', Q(['TICKETS_OPENED', 'COMPLETED_WITHIN_SLA_PERCENT'], ['SERVICE'], '2026-01', '2026-11', { filter: { kecamatan: 11 } })],
  ['app channel by agency × month', Q(['TICKETS_OPENED', 'AVERAGE_STARS'], ['AGENCY', 'MONTH'], '2026-01', '2026-11', { filter: { channel: 'APP' } })],
  ['top 5 services by opened, sorted', Q(['TICKETS_OPENED'], ['SERVICE'], '2026-01', '2026-11', { sort: [{ by: 'TICKETS_OPENED', descending: true }], limit: 5 })],
  ['everything for the regency, 2026', Q(['TICKETS_OPENED', 'TICKETS_COMPLETED', 'COMPLETED_WITHIN_SLA_PERCENT', 'RATINGS', 'AVERAGE_STARS', 'IKM'], [], '2026-01', '2026-11')],
  ['service × kecamatan × month, 2026 (3 dims)', Q(['TICKETS_OPENED'], ['SERVICE', 'KECAMATAN', 'MONTH'], '2026-01', '2026-11')],
  ['IKM by kecamatan, compare previous period', Q(['IKM', 'RATINGS'], ['KECAMATAN'], '2026-07', '2026-11', { compare: 'PREVIOUS_PERIOD' })],
  ['stars by class, one agency filter, by channel', Q(['AVERAGE_STARS'], ['CHANNEL'], '2026-01', '2026-11', { filter: { positionClass: 'FUNGSIONAL_AHLI' } })],
];

/**
 * Distinct citizens (CITIZENS_SERVED, CITIZENS_RATING): counted exactly from the facts per question,
 * so they scan a period's facts rather than a few thousand rollup rows; measured beside the 20.
 */
const DISTINCT_QUESTIONS: [string, Question][] = [
  ['citizens served and raters by agency × month, 2026', Q(['CITIZENS_SERVED', 'CITIZENS_RATING'], ['AGENCY', 'MONTH'], '2026-01', '2026-12')],
  ['citizens served by kecamatan, Nov 2026', Q(['CITIZENS_SERVED'], ['KECAMATAN'], '2026-11', '2026-11')],
  ['citizens served by service, year 2026', Q(['CITIZENS_SERVED'], ['SERVICE'], '2026-01', '2026-12')],
];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
};
const ms = (x: number) => x.toFixed(1);

async function main() {
  const tickets = Number(values.tickets);
  const months = Number(values.months);
  const admin = new pg.Client({ connectionString: values.url });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [DB])).rowCount;
  if (!values.reuse || !exists) {
    await admin.query(`drop database if exists ${DB}`);
    await admin.query(`create database ${DB}`);
  }
  await admin.end();
  const url = new URL(values.url);
  url.pathname = `/${DB}`;
  const dbUrl = url.toString();
  const logger = createLogger('bench-insights', 'warn');
  for (const [schema, migs] of [
    ['ratings', ratingsMigrations],
    ['insights', migrations],
  ] as const) {
    const orm = await createOrm({ url: dbUrl, schema, migrations: migs, logger, poolMax: 1 });
    await migrate(orm);
    await orm.close(true);
  }
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  // Residents giving about `tickets` over `months` (the catalogue's rates, before seasonality).
  const perResidentMonth = SERVICES.reduce((a, s) => a + s.ratePer1000, 0) / 1000;
  const citizens = Math.max(10, Math.round(tickets / months / perResidentMonth));
  let genSeconds = 0;
  const have = Number((await client.query('select count(*) n from ratings.ticket')).rows[0].n);
  if (have === 0) {
    log(`generating ~${tickets.toLocaleString('en')} tickets over ${months} months (${citizens.toLocaleString('en')} residents)…`);
    const t0 = Date.now();
    await client.query('set synchronous_commit = off');
    // Bulk load: the ledger's secondary indexes are dropped while the history is written and built
    // again at the end (one sort each instead of millions of random inserts into growing trees).
    // Primary keys and unique indexes stay: the generator's upserts rely on them.
    const secondary = (
      await client.query<{ name: string; def: string }>(
        `select i.indexname as name, i.indexdef as def from pg_indexes i join pg_index x on x.indexrelid = format('%I.%I', i.schemaname, i.indexname)::regclass
         where i.schemaname = 'ratings' and i.tablename in ('ticket', 'rating') and not x.indisunique`,
      )
    ).rows;
    for (const ix of secondary) await client.query(`drop index ratings.${ix.name}`);
    await generateHistory(client, {
      seed: 42,
      months,
      citizens,
      endMonth: END,
      now: NOW,
      ledgerSchema: 'ratings',
      insightsSchema: 'insights',
      // Every completed ticket rated (shares × 5 ≥ 1 for every channel): ratings ≈ tickets.
      ratingShare: 5,
      onMonth: (m, t, r) => log(`${m}: ${t} tickets, ${r} ratings (${((Date.now() - t0) / 1000).toFixed(0)} s)`),
    });
    await client.query(`set maintenance_work_mem = '256MB'`);
    for (const ix of secondary) await client.query(ix.def);
    genSeconds = (Date.now() - t0) / 1000;
    // Kept beside the history so that a later --reuse run still reports how long generation took.
    await client.query('create table if not exists public.bench_meta (key text primary key, value text not null)');
    await client.query(`insert into public.bench_meta values ('generated_seconds', $1) on conflict (key) do update set value = excluded.value`, [String(genSeconds)]);
    await client.query('vacuum analyze ratings.ticket, ratings.rating');
  }
  if (!genSeconds) {
    const meta = await client.query<{ value: string }>(`select value from public.bench_meta where key = 'generated_seconds'`).catch(() => ({ rows: [] as { value: string }[] }));
    genSeconds = Number(meta.rows[0]?.value ?? 0);
  }
  if (values['generate-only']) {
    await client.end();
    log('generated; stopping (--generate-only)');
    return;
  }
  const counts = (await client.query(`select (select count(*) from ratings.ticket)::bigint t, (select count(*) from ratings.rating)::bigint r`)).rows[0];
  log(`ledger: ${Number(counts.t).toLocaleString('en')} tickets, ${Number(counts.r).toLocaleString('en')} ratings; rebuilding rollups…`);
  await client.query('set statement_timeout = 0');
  const refresh = await refreshRollups(client, { ledger: 'ratings', insights: 'insights' }, { full: true });
  const sizes = Object.fromEntries(
    (
      await client.query<{ t: string; n: number }>(
        CUBOIDS.flatMap((c) => [`ticket_${c.suffix}`, `rating_${c.suffix}`])
          .map((t) => `select '${t}' as t, (select count(*) from insights.${t})::int as n`)
          .join(' union all '),
      )
    ).rows.map((r) => [r.t, r.n]),
  ) as Record<string, number>;
  log(`rollups rebuilt in ${(refresh.tookMs / 1000).toFixed(1)} s: ${JSON.stringify(sizes)}`);
  // Incremental: a batch of live changes as the feed and rateService write them (new tickets,
  // completions with a new change_seq, ratings of them), then one refresh applies them.
  const live = Number(values.live);
  const tag = `BENCH-${Date.now()}`;
  const [svc] = SERVICES;
  const officer = OFFICERS.find((o) => o.agencyId === svc!.agencyId)!.id;
  await client.query(
    `insert into ratings.ticket (id, agency_id, citizen_ref, service_id, officer_id, status, submitted_at, completed_at, completed_period, version, updated_at, kecamatan, channel)
     select $1 || ':' || $2 || '-' || i, $1, md5($2 || i), $3, $4, 'SUBMITTED', $5::timestamptz - i * interval '1 minute', null, null, 1, now(), 1 + i % 14, (array['PORTAL', 'APP', 'COUNTER'])[1 + i % 3]
     from generate_series(1, $6::int) i`,
    [svc!.agencyId, tag, svc!.id, officer, NOW, live],
  );
  await client.query(
    `update ratings.ticket set status = 'COMPLETED', completed_at = submitted_at + interval '2 days', completed_period = to_char((submitted_at + interval '2 days') at time zone 'Asia/Jakarta', 'YYYY-MM'),
       version = version + 1, updated_at = now(), change_seq = nextval('ratings.ticket_change_seq')
     where id in (select id from ratings.ticket where status in ('SUBMITTED', 'IN_PROGRESS') and id not like '%' || $1 || '%' limit $2)`,
    [tag, live],
  );
  await client.query(
    `insert into ratings.rating (id, ticket_id, citizen_ref, request_hash, agency_id, service_id, officer_id, stars, period, completed_at, created_at)
     select 'rt-' || t.id, t.id, t.citizen_ref, 'bench', t.agency_id, t.service_id, t.officer_id, 1 + (hashtext(t.id) & 3), t.completed_period, t.completed_at, now()
     from ratings.ticket t where t.updated_at > now() - interval '10 minutes' and t.status = 'COMPLETED'
     on conflict do nothing`,
  );
  const incremental = await refreshRollups(client, { ledger: 'ratings', insights: 'insights' });
  log(`incremental refresh: ${incremental.changedTickets} tickets, ${incremental.changedRatings} ratings changed, ${(incremental.tookMs / 1000).toFixed(2)} s`);
  await client.end();

  // Opened for its migrations: the service writes the access log's table in the statement that charges a question.
  const accessLog = await PostgresAccessLog.open({ url: dbUrl, schema: 'audit', logger });
  const policy = { privacy: DEFAULT_PRIVACY, dailyBudget: Number.MAX_SAFE_INTEGER, maxRows: 5000, maxMonths: 60 };
  const pool = () => new pg.Pool({ connectionString: dbUrl, max: 2 });
  const caller = { sub: 'usr-bench-analyst', roles: ['analyst' as const] };
  // Cold: a new pool (new sessions: no cached plans or catalogue) for each question's first run.
  const cold: number[] = [];
  const warm = new Map<string, number[]>();
  for (const [name, question] of [...QUESTIONS, ...DISTINCT_QUESTIONS]) {
    const analytics = pool();
    const primary = pool();
    const service = new InsightsService({ analytics, primary, auditSchema: 'audit', ledgerSchema: 'ratings', insightsSchema: 'insights', policy });
    const t0 = performance.now();
    await service.ask(caller, 'bench', question, 'analyst');
    cold.push(performance.now() - t0);
    const times: number[] = [];
    const runs = DISTINCT_QUESTIONS.some(([n]) => n === name) ? Number(values['distinct-runs']) : Number(values.runs);
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await service.ask(caller, 'bench', question, 'analyst');
      times.push(performance.now() - t);
    }
    warm.set(name, times);
    await analytics.end();
    await primary.end();
  }
  await accessLog.close();
  const allWarm = QUESTIONS.flatMap(([name]) => warm.get(name)!);
  const mainCold = cold.slice(0, QUESTIONS.length);
  const distinctCold = cold.slice(QUESTIONS.length);
  const distinctWarm = DISTINCT_QUESTIONS.flatMap(([name]) => warm.get(name)!);
  const rows = [...QUESTIONS, ...DISTINCT_QUESTIONS].map(([name], i) => `| ${i + 1}. ${name} | ${ms(cold[i]!)} | ${ms(pct(warm.get(name)!, 0.5))} | ${ms(pct(warm.get(name)!, 0.95))} |`);
  const command = `npm run bench:insights -- --tickets ${tickets}${values.runs !== '20' ? ` --runs ${values.runs}` : ''}${values['distinct-runs'] !== '3' ? ` --distinct-runs ${values['distinct-runs']}` : ''}${DB !== 'gerbang_bench_insights' ? ` --db ${DB}` : ''}`;
  const md = [
    '<!-- insights-bench:start -->',
    '## Insights: grouped questions over the ledger (`npm run bench:insights`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on real PostgreSQL (127.0.0.1:5432), ${cpus().length} × ${cpus()[0]?.model.trim()}, ${loadavg()[0]! < 2.5 ? 'otherwise quiet' : 'shared with other work'} (load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} on ${cpus().length} cores).`,
    `Command: \`${command}\`.`,
    '',
    `- Ledger: **${Number(counts.t).toLocaleString('en')} tickets and ${Number(counts.r).toLocaleString('en')} ratings** over ${months} months${genSeconds ? ` (generated in ${(genSeconds / 60).toFixed(1)} min, set-based SQL)` : ''}.`,
    `- Rollups: a full build from the ledger took **${(refresh.tookMs / 1000).toFixed(1)} s** (one transaction; readers keep the previous rollups meanwhile); rows: ${Object.entries(sizes)
      .map(([t, n]) => `${t} ${n.toLocaleString('en')}`)
      .join(', ')}.`,
    `- Incremental refresh after a batch of live changes (${live.toLocaleString('en')} new tickets, ${live.toLocaleString('en')} completions, their ratings): **${(incremental.tookMs / 1000).toFixed(2)} s** for ${incremental.changedTickets.toLocaleString('en')} tickets and ${incremental.changedRatings.toLocaleString('en')} ratings changed.`,
    `- 20 questions through \`InsightsService.ask\` (validation, pricing from rollup statistics, budget charge, rollup fetch, suppression, comparison, access-log record). Cold = each question's first run on a new pool; warm = ${values.runs} more runs each.`,
    `- **Cold p50 ${ms(pct(mainCold, 0.5))} ms, p95 ${ms(pct(mainCold, 0.95))} ms; warm p50 ${ms(pct(allWarm, 0.5))} ms, p95 ${ms(pct(allWarm, 0.95))} ms** (aim: p95 < 100 ms).`,
    `- Distinct citizens (questions ${QUESTIONS.length + 1}–${QUESTIONS.length + DISTINCT_QUESTIONS.length}, not in the figures above: counted exactly from the citizen-keyed facts at question time; ${values['distinct-runs']} warm runs each): cold p50 ${ms(pct(distinctCold, 0.5))} ms, p95 ${ms(pct(distinctCold, 0.95))} ms; warm p50 ${ms(pct(distinctWarm, 0.5))} ms, p95 ${ms(pct(distinctWarm, 0.95))} ms.`,
    '',
    '| question | cold ms | warm p50 ms | warm p95 ms |',
    '|---|---:|---:|---:|',
    ...rows,
    '<!-- insights-bench:end -->',
  ].join('\n');
  console.log(`\n${md}\n`);
  if (!values['no-write']) {
    const path = resolve(import.meta.dirname, '..', 'BENCHMARKS.md');
    const text = readFileSync(path, 'utf8');
    const start = text.indexOf('<!-- insights-bench:start -->');
    const end = text.indexOf('<!-- insights-bench:end -->');
    const next = start >= 0 && end > start ? text.slice(0, start) + md + text.slice(end + '<!-- insights-bench:end -->'.length) : `${text.trimEnd()}\n\n${md}\n`;
    writeFileSync(path, next);
    log('BENCHMARKS.md: insights section written');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
