import type pg from 'pg';
import { COMMENTS, ELECTIONS, KECAMATAN, OFFICERS, SERVICES, SKM_BASE } from './catalogue';

/**
 * The history generator: a deterministic, realistic past of the ticket ledger and the ratings,
 * written with set-based SQL (one statement per month and table), so that the same code seeds a
 * few demo months at start and 10 million tickets for the benchmark.
 *
 * Every random choice is `hashtextextended(<ticket id>:<stream>, seed)`: a given seed, size and
 * end month give the same rows on any PostgreSQL, in any order of execution. Volumes per month
 * are drawn in JavaScript from the same seed (mulberry32).
 *
 * What it writes, and why that keeps every system in agreement: the ledger's own tables (tickets
 * and ratings, as the feed and `rateService` would have stored them, so the rollups the database
 * keeps, the IKM and the TPP report count them exactly like live ones), rating flags for a few
 * anomalies, appeals of officers whose month fell below 4, and the insights schema's ticket
 * context (kecamatan, channel). History citizens are pseudonyms of the history (`citizen_ref` =
 * SHA-256 of `history:<seed>:<n>`): no NIK exists for them anywhere, so no one can sign in as one
 * and no live agency system holds their (closed) requests. Ticket ids carry `-H<seed>-`, so they
 * never collide with an agency system's own.
 */
export interface HistoryOptions {
  seed: number;
  months: number;
  citizens: number;
  /** Last month generated, `YYYY-MM` (Asia/Jakarta). */
  endMonth: string;
  /** Nothing completes or is rated after this instant (default: the end of endMonth, or now if earlier). */
  now?: Date;
  ledgerSchema: string;
  insightsSchema: string;
  /** Multiplies each channel's share of completed tickets that get rated (1: realistic; the benchmark rates nearly all). */
  ratingShare?: number;
  /** Progress, one line per month. */
  onMonth?: (month: string, tickets: number, ratings: number) => void;
}

export interface HistoryResult {
  tickets: number;
  ratings: number;
  flags: number;
  appeals: number;
  months: string[];
  skipped: boolean;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const monthsEnding = (endMonth: string, count: number): string[] => {
  const [y, m] = endMonth.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let k = count - 1; k >= 0; k--) {
    const d = new Date(Date.UTC(y, m - 1 - k, 1));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
};

/** The end of a month in Asia/Jakarta (UTC+7, no daylight saving). */
const monthEnd = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1) - 7 * 3600_000);
};

/** KTP-el requests rise in the three months before an election: people who turn 17 and movers. */
function electionBoost(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const start = Date.UTC(y, m - 1, 1);
  return ELECTIONS.some((e) => {
    const d = Date.parse(`${e}T00:00:00Z`);
    return d > start && d - start <= 92 * 86_400_000;
  })
    ? 1.8
    : 1;
}

/** Volumes per service for one month: residents × rate × season × ±10 %. */
function monthVolumes(options: Pick<HistoryOptions, 'seed' | 'citizens'>, month: string): number[] {
  const m = Number(month.slice(5, 7));
  const rnd = mulberry32(options.seed * 1_000_003 + Number(month.replace('-', '')));
  return SERVICES.map((s) => {
    const boost = s.id === 'dispendukcapil.ktp-el' ? electionBoost(month) : 1;
    return Math.round((options.citizens / 1000) * s.ratePer1000 * s.season[m - 1]! * boost * (0.9 + 0.2 * rnd()));
  });
}

const U = (seed: number, stream: string, key = 'tid') => `((hashtextextended(${key} || ':${stream}', ${seed}) & 4503599627370495)::float8 / 4503599627370496.0)`;

/** The kecamatan of history citizen `c` (uniform draw `u`), weighted by residents. */
function kecamatanCase(u: string): string {
  const total = KECAMATAN.reduce((a, k) => a + k.weight, 0);
  let acc = 0;
  const arms = KECAMATAN.map((k) => {
    acc += k.weight;
    return `when ${u} < ${(acc / total).toFixed(6)} then ${k.code}`;
  });
  return `case ${arms.join(' ')} else 14 end`;
}

export async function generateHistory(client: pg.ClientBase, options: HistoryOptions): Promise<HistoryResult> {
  const { seed, citizens } = options;
  if (!Number.isInteger(seed) || seed < 0 || seed > 2_000_000_000) throw new Error('seed must be an integer 0–2,000,000,000');
  if (!Number.isInteger(options.months) || options.months < 1 || options.months > 120) throw new Error('months must be 1–120');
  if (!Number.isInteger(citizens) || citizens < 10 || citizens > 50_000_000) throw new Error('citizens must be 10–50,000,000');
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(options.endMonth)) throw new Error('end month must be YYYY-MM');
  const L = q(options.ledgerSchema);
  const I = q(options.insightsSchema);
  const months = monthsEnding(options.endMonth, options.months);
  const cutoff = options.now ?? new Date(Math.min(Date.now(), monthEnd(options.endMonth).getTime()));

  const done = await client.query(`select 1 from ${I}.history_run where seed = $1 and end_month = $2`, [seed, options.endMonth]);
  if (done.rowCount) return { tickets: 0, ratings: 0, flags: 0, appeals: 0, months, skipped: true };

  await upsertReference(client, options.insightsSchema);
  const officerIdx = new Map(OFFICERS.map((o, i) => [o.id, i + 1]));
  const means = `array[${OFFICERS.map((o) => o.meanStars).join(',')}]::float8[]`;
  const slowness = `array[${OFFICERS.map((o) => o.slowness).join(',')}]::float8[]`;
  const officerIds = `array[${OFFICERS.map((o) => `'${o.id}'`).join(',')}]::text[]`;
  const skmBase = `array[${SKM_BASE.join(',')}]::float8[]`;
  const comments = `array[${COMMENTS.map((c) => `'${c.replace(/'/g, "''")}'`).join(',')}]::text[]`;

  let tickets = 0;
  let ratings = 0;
  let flags = 0;
  for (const month of months) {
    const volumes = monthVolumes(options, month);
    const svc = SERVICES.map((s, i) => ({
      sidx: i + 1,
      service_id: s.id,
      agency_id: s.agencyId,
      prefix: s.prefix,
      sla: s.slaDays,
      n: volumes[i],
      late_share: s.lateShare,
      ch_portal: s.channels[0],
      ch_app: s.channels[1],
      officers: s.officers.map((o) => officerIdx.get(o)!),
    }));
    const ym = month.replace('-', '');
    await client.query('begin');
    try {
      // One row per ticket of the month, every attribute drawn from the ticket id.
      await client.query(
        `create temp table h_ticket on commit drop as
         with svc as (
           select * from jsonb_to_recordset($1::jsonb) as x(sidx int, service_id text, agency_id text, prefix text, sla int, n int, late_share float8, ch_portal float8, ch_app float8, officers int[])
         ), b as (
           select s.*, s.agency_id || ':' || s.prefix || '-H${seed}-${ym}-' || lpad(s.sidx::text, 2, '0') || '-' || lpad(i::text, 7, '0') as tid
           from svc s, generate_series(1, s.n) i
         ), u as (
           select b.*,
             ${U(seed, 'day')} u_day, ${U(seed, 'time')} u_time, ${U(seed, 'cit')} u_cit, ${U(seed, 'ch')} u_ch,
             ${U(seed, 'off')} u_off, ${U(seed, 'late')} u_late, ${U(seed, 'days')} u_days, ${U(seed, 'hours')} u_hours,
             ${U(seed, 'fate')} u_fate, ${U(seed, 'prog')} u_prog
           from b
         ), v as (
           select u.*,
             1 + floor(u_cit * $2)::int as c,
             case when u_ch < ch_portal then 'PORTAL' when u_ch < ch_portal + ch_app then 'APP' else 'COUNTER' end as channel,
             officers[1 + floor(u_off * cardinality(officers))::int] as off,
             ((date '${month}-01' + floor(u_day * extract(day from (date '${month}-01' + interval '1 month' - interval '1 day')))::int) + interval '7 hours 30 minutes' + u_time * interval '8 hours') at time zone 'Asia/Jakarta' as submitted_at
           from u
         ), w as (
           select v.*, (u_late < least(0.95, late_share * (${slowness})[off])) as late from v
         ), x as (
           select w.*,
             case when sla = 0 then (case when late then 1 + floor(u_days * 2)::int else 0 end)
                  when late then sla + 1 + floor(u_days * greatest(sla, 2))::int
                  else floor(power(u_days, 1.5) * (sla + 1))::int end as days
           from w
         )
         , y as (select x.*, ${U(seed, 'kec', "'cit:' || c")} as u_kec from x)
         select tid as id, agency_id, service_id, sidx, sla, (${officerIds})[off] as officer_id, off, channel, c,
           encode(sha256(convert_to('history:${seed}:' || c, 'UTF8')), 'hex') as citizen_ref,
           ${kecamatanCase('u_kec')} as kecamatan,
           submitted_at, late, days, u_fate, u_prog,
           submitted_at + days * interval '1 day' + u_hours * interval '4 hours' as done_at
         from y`,
        [JSON.stringify(svc), citizens],
      );
      const t = await client.query(
        `insert into ${L}.ticket (id, agency_id, citizen_ref, service_id, officer_id, status, submitted_at, completed_at, completed_period, version, updated_at)
         select id, agency_id, citizen_ref, service_id, officer_id, st, submitted_at,
           case when st = 'COMPLETED' then done_at end,
           case when st = 'COMPLETED' then to_char(done_at at time zone 'Asia/Jakarta', 'YYYY-MM') end,
           1, least(done_at, $1::timestamptz)
         from (
           select h.*, case when u_fate < 0.025 and done_at <= $1 then 'REJECTED'
                            when u_fate < 0.035 and done_at <= $1 then 'CANCELLED'
                            when done_at <= $1 then 'COMPLETED'
                            when submitted_at > $1 then null
                            when u_prog < 0.8 then 'IN_PROGRESS' else 'SUBMITTED' end as st
           from h_ticket h
         ) z where st is not null
         on conflict (id) do nothing`,
        [cutoff],
      );
      await client.query(
        `insert into ${I}.ticket_context (ticket_id, kecamatan, channel)
         select h.id, h.kecamatan, h.channel from h_ticket h where h.submitted_at <= $1
         on conflict (ticket_id) do nothing`,
        [cutoff],
      );
      // Ratings: a share of completed tickets by channel, within six days of completion; stars
      // around the officer's mean, lower when late; SKM answers for 60 % of them; a few flagged.
      const r = await client.query(
        `insert into ${L}.rating (id, ticket_id, citizen_ref, request_hash, agency_id, service_id, officer_id, stars, comment, skm, period, completed_at, created_at, status)
         select 'rt-H${seed}-' || substr(id, strpos(id, '-H${seed}-') + length('-H${seed}-')), id, citizen_ref, 'history', agency_id, service_id, officer_id, stars,
           case when ${U(seed, 'cmt', 'id')} < 0.08 then (${comments})[1 + floor(${U(seed, 'cmtx', 'id')} * ${COMMENTS.length})::int] end,
           case when ${U(seed, 'skm', 'id')} < 0.6 then array(
             select greatest(1, least(4, round((${skmBase})[e] - case when e = 3 and late then 0.6 else 0 end + (stars - 4) * 0.45
                    + (${U(seed, "skm' || e || '", 'id')} - 0.5) * 1.4)))::smallint
             from generate_series(1, 9) e) end,
           to_char(done_at at time zone 'Asia/Jakarta', 'YYYY-MM'), done_at, created_at,
           case when ${U(seed, 'anomaly', 'id')} < 0.003 then 'FLAGGED' else 'VALID' end
         from (
           select h.*, done_at + ${U(seed, 'rated_at', 'id')} * interval '6 days' as created_at,
             greatest(1, least(5, round((${means})[off] - case when late then 0.6 else 0 end
               + (${U(seed, 's1', 'id')} + ${U(seed, 's2', 'id')} + ${U(seed, 's3', 'id')} - 1.5) * 1.3)))::smallint as stars
           from h_ticket h
           where h.u_fate >= 0.035 and h.done_at <= $1
             and ${U(seed, 'rate', 'id')} < ${options.ratingShare ?? 1} * case h.channel when 'APP' then 0.45 when 'PORTAL' then 0.35 else 0.2 end
         ) z where created_at <= $1
         on conflict do nothing`,
        [cutoff],
      );
      // The anomalies: flagged by one of the rules; a moderator has since rejected those older than
      // the last month, the others wait for review. Found from this month's tickets by the same
      // draw (a few), so that no statement reads the whole rating table (it grows every month).
      await client.query(
        `create temp table h_flag on commit drop as
         select r.id, r.created_at, r.created_at < $1::timestamptz - interval '30 days' as old
         from (select id from h_ticket where ${U(seed, 'anomaly', 'id')} < 0.003) a join ${L}.rating r on r.ticket_id = a.id
         where r.status = 'FLAGGED'`,
        [cutoff],
      );
      await client.query('analyze h_flag');
      const f = await client.query(
        `insert into ${L}.rating_flag (id, rating_id, rule, details, status, created_at, reviewed_by, reviewed_at, review_note)
         select 'fl-' || r.id, r.id, case when ${U(seed, 'rule', 'r.id')} < 0.6 then 'BURST' else 'OFFICER_DEVIATION' end,
           '{"source":"history"}', case when old then 'REJECTED' else 'OPEN' end, r.created_at,
           case when old then 'usr-admin' end, case when old then r.created_at + interval '3 days' end,
           case when old then 'history: rejected after review' end
         from h_flag r
         on conflict do nothing`,
      );
      await client.query(`update ${L}.rating r set status = 'REJECTED' from h_flag f where f.old and r.id = f.id and r.status = 'FLAGGED'`);
      await client.query('commit');
      tickets += t.rowCount ?? 0;
      ratings += r.rowCount ?? 0;
      flags += f.rowCount ?? 0;
      options.onMonth?.(month, t.rowCount ?? 0, r.rowCount ?? 0);
    } catch (err) {
      await client.query('rollback');
      throw err;
    }
  }

  // Appeals: an officer whose month averaged below 4 over 10 or more ratings appeals it about
  // half the time; HR has resolved those of closed months.
  const a = await client.query(
    `insert into ${L}.tpp_appeal (id, agency_id, month, officer_id, reason, filed_by, filed_at, status, resolved_by, resolved_at, resolution_note)
     select 'ap-H${seed}-' || t.period || '-' || t.officer_id, t.agency_id, t.period, t.officer_id,
       'Beberapa penilaian tidak sesuai dengan layanan yang saya berikan.', 'usr-history', (to_date(t.period, 'YYYY-MM') + interval '1 month 9 days') at time zone 'Asia/Jakarta',
       case when closed then (case when ${U(seed, 'upheld', 't.period || t.officer_id')} < 0.3 then 'UPHELD' else 'REJECTED' end) else 'OPEN' end,
       case when closed then 'usr-hr-bkpsdm' end,
       case when closed then (to_date(t.period, 'YYYY-MM') + interval '1 month 20 days') at time zone 'Asia/Jakarta' end,
       case when closed then 'history: reviewed by HR' end
     from (
       select agency_id, period, officer_id, n1 + n2 + n3 + n4 + n5 as n, n1 + 2 * n2 + 3 * n3 + 4 * n4 + 5 * n5 as total,
         (to_date(period, 'YYYY-MM') + interval '1 month 20 days') at time zone 'Asia/Jakarta' <= $1::timestamptz as closed
       from ${L}.rating_tally where officer_id <> '' and period = any($2::text[])
     ) t
     where t.n >= 10 and t.total < 4 * t.n and (to_date(t.period, 'YYYY-MM') + interval '1 month 9 days') at time zone 'Asia/Jakarta' <= $1::timestamptz
       and ${U(seed, 'appeal', 't.period || t.officer_id')} < 0.5
     on conflict do nothing`,
    [cutoff, months],
  );
  await client.query(
    `insert into ${I}.history_run (seed, months, citizens, end_month, tickets, ratings, generated_at) values ($1, $2, $3, $4, $5, $6, now())
     on conflict do nothing`,
    [seed, options.months, citizens, options.endMonth, tickets, ratings],
  );
  return { tickets, ratings, flags, appeals: a.rowCount ?? 0, months, skipped: false };
}

/** SLAs and position classes: reference data the cube joins on. Idempotent. */
export async function upsertReference(client: pg.ClientBase, insightsSchema: string): Promise<void> {
  const I = q(insightsSchema);
  await client.query(
    `insert into ${I}.service_sla (service_id, agency_id, sla_days)
     select * from jsonb_to_recordset($1::jsonb) as x(service_id text, agency_id text, sla_days int)
     on conflict (service_id) do update set agency_id = excluded.agency_id, sla_days = excluded.sla_days`,
    [JSON.stringify(SERVICES.map((s) => ({ service_id: s.id, agency_id: s.agencyId, sla_days: s.slaDays })))],
  );
  await client.query(
    `insert into ${I}.officer_class (officer_id, position_class)
     select * from jsonb_to_recordset($1::jsonb) as x(officer_id text, position_class text)
     on conflict (officer_id) do update set position_class = excluded.position_class`,
    [JSON.stringify(OFFICERS.map((o) => ({ officer_id: o.id, position_class: o.positionClass })))],
  );
}
