import type pg from 'pg';

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Histogram buckets: 0 … 60 days, then one for longer. */
export const TURNAROUND_BUCKETS = 62;
const SKM = Array.from({ length: 9 }, (_, i) => i + 1);

/**
 * Rebuilds the rollups from the ledger in one transaction (set-based: one scan of tickets, one of
 * ratings; the month rollup from the day rollup). Readers keep seeing the previous rollups until
 * it commits (MVCC: `delete` + `insert`, never `truncate`, which would block them).
 *
 * Ticket events are counted on their own day (Asia/Jakarta): opened on the submission day,
 * completed on the completion day (with turnaround = calendar days between the two), dropped
 * (rejected, cancelled) on the day the ledger last heard of it. Ratings count on their ticket's
 * completion day, as the IKM and the TPP report count them.
 */
export async function refreshRollups(
  client: pg.ClientBase,
  schemas: { ledger: string; insights: string },
  options: { since?: Date } = {},
): Promise<{ tookMs: number; tickets: number; ratings: number; months: string[] | null }> {
  const L = q(schemas.ledger);
  const I = q(schemas.insights);
  const started = Date.now();
  const hist = Array.from({ length: TURNAROUND_BUCKETS }, (_, i) => (i < TURNAROUND_BUCKETS - 1 ? `count(*) filter (where e.tdays = ${i})::int` : `count(*) filter (where e.tdays >= ${i})::int`)).join(
    ', ',
  );
  const sumHist = Array.from({ length: TURNAROUND_BUCKETS }, (_, i) => `sum(turnaround[${i + 1}])::int`).join(', ');
  const keys = 'agency_id, service_id, kecamatan, channel, officer_id';
  await client.query('begin');
  try {
    // Serialise refreshes (several replicas, or the timer and a seed at once).
    await client.query(`select pg_advisory_xact_lock(hashtext(${I.replace(/"/g, "'")} || '.refresh'))`);
    // Incremental: only the months something happened in since `since` (a ticket submitted,
    // completed or updated; a rating given; a moderation decision), found with one pass over the
    // ledger's recent rows, are rebuilt. A ticket whose completion moved to another month is
    // corrected by the next full rebuild.
    let months: string[] | null = null;
    if (options.since) {
      const { rows } = await client.query<{ m: string }>(
        `select distinct to_char(m, 'YYYY-MM-DD') as m from (
           select date_trunc('month', x at time zone 'Asia/Jakarta') as m
             from ${L}.ticket t cross join lateral (values (t.submitted_at), (t.completed_at), (t.updated_at)) v(x)
             where t.updated_at >= $1 and x is not null
           union select date_trunc('month', r.completed_at at time zone 'Asia/Jakarta') from ${L}.rating r where r.created_at >= $1
           union select date_trunc('month', r.completed_at at time zone 'Asia/Jakarta') from ${L}.moderation_log l join ${L}.rating r on r.id = l.rating_id where l.at >= $1
         ) s`,
        [options.since],
      );
      months = rows.map((r) => r.m);
    }
    const only = (expr: string) => (months ? ` and date_trunc('month', ${expr})::date = any($1::date[])` : '');
    const params = months ? [months] : [];
    await client.query(`delete from ${I}.ticket_day where true${only('period')}`, params);
    const t = await client.query(
      `insert into ${I}.ticket_day (period, ${keys}, opened, completed, completed_with_sla, completed_in_sla, dropped, turnaround)
       select e.day, e.agency_id, e.service_id, e.kecamatan, e.channel, e.officer_id,
         count(*) filter (where e.kind = 'O')::int, count(*) filter (where e.kind = 'C')::int,
         count(*) filter (where e.kind = 'C' and e.sla is not null)::int, count(*) filter (where e.kind = 'C' and e.tdays <= e.sla)::int, count(*) filter (where e.kind = 'D')::int,
         array[${hist.replace(/count\(\*\) filter \(where /g, "count(*) filter (where e.kind = 'C' and ")}]
       from (
         select k.kind, k.day, t.agency_id, t.service_id, coalesce(c.kecamatan, 0)::smallint as kecamatan, coalesce(c.channel, 'UNKNOWN') as channel,
           coalesce(t.officer_id, '') as officer_id, s.sla_days as sla,
           ((t.completed_at at time zone 'Asia/Jakarta')::date - (t.submitted_at at time zone 'Asia/Jakarta')::date) as tdays
         from ${L}.ticket t
         left join ${I}.ticket_context c on c.ticket_id = t.id
         left join ${I}.service_sla s on s.service_id = t.service_id
         cross join lateral (values
           ('O', (t.submitted_at at time zone 'Asia/Jakarta')::date),
           ('C', case when t.status = 'COMPLETED' then (t.completed_at at time zone 'Asia/Jakarta')::date end),
           ('D', case when t.status in ('REJECTED', 'CANCELLED') then (t.updated_at at time zone 'Asia/Jakarta')::date end)
         ) k(kind, day)
         where k.day is not null${only('k.day')}
       ) e
       group by 1, 2, 3, 4, 5, 6`,
      params,
    );
    await client.query(`delete from ${I}.rating_day where true${only('period')}`, params);
    await client.query(
      `insert into ${I}.rating_day (period, ${keys}, ratings, stars_sum, skm_n, ${SKM.map((i) => `skm_s${i}`).join(', ')}, flags)
       select (r.completed_at at time zone 'Asia/Jakarta')::date, r.agency_id, r.service_id, coalesce(c.kecamatan, 0)::smallint, coalesce(c.channel, 'UNKNOWN'), coalesce(r.officer_id, ''),
         count(*) filter (where r.status = 'VALID')::int,
         coalesce(sum(r.stars) filter (where r.status = 'VALID'), 0)::int,
         count(*) filter (where r.status = 'VALID' and r.skm is not null)::int,
         ${SKM.map((i) => `coalesce(sum(r.skm[${i}]) filter (where r.status = 'VALID'), 0)::int`).join(', ')},
         count(*) filter (where r.status <> 'VALID')::int
       from ${L}.rating r left join ${I}.ticket_context c on c.ticket_id = r.ticket_id
       where true${only("(r.completed_at at time zone 'Asia/Jakarta')")}
       group by 1, 2, 3, 4, 5, 6`,
      params,
    );
    await client.query(`delete from ${I}.ticket_month where true${only('period')}`, params);
    await client.query(
      `insert into ${I}.ticket_month (period, ${keys}, opened, completed, completed_with_sla, completed_in_sla, dropped, turnaround)
       select date_trunc('month', period)::date, ${keys}, sum(opened)::int, sum(completed)::int, sum(completed_with_sla)::int, sum(completed_in_sla)::int, sum(dropped)::int, array[${sumHist}]
       from ${I}.ticket_day where true${only('period')} group by 1, 2, 3, 4, 5, 6`,
      params,
    );
    await client.query(`delete from ${I}.rating_month where true${only('period')}`, params);
    await client.query(
      `insert into ${I}.rating_month (period, ${keys}, ratings, stars_sum, skm_n, ${SKM.map((i) => `skm_s${i}`).join(', ')}, flags)
       select date_trunc('month', period)::date, ${keys}, sum(ratings)::int, sum(stars_sum)::int, sum(skm_n)::int, ${SKM.map((i) => `sum(skm_s${i})::int`).join(', ')}, sum(flags)::int
       from ${I}.rating_day where true${only('period')} group by 1, 2, 3, 4, 5, 6`,
      params,
    );
    const counts = await client.query<{ tickets: string; ratings: string }>(
      `select (select coalesce(sum(opened), 0) from ${I}.ticket_month)::bigint as tickets, (select coalesce(sum(ratings + flags), 0) from ${I}.rating_month)::bigint as ratings`,
    );
    const tookMs = Date.now() - started;
    await client.query(
      `insert into ${I}.refresh_state (id, refreshed_at, took_ms, tickets, ratings) values (true, now(), $1, $2, $3)
       on conflict (id) do update set refreshed_at = excluded.refreshed_at, took_ms = excluded.took_ms, tickets = excluded.tickets, ratings = excluded.ratings`,
      [tookMs, counts.rows[0]!.tickets, counts.rows[0]!.ratings],
    );
    await client.query('commit');
    // Fresh statistics: the planner's estimates price analysts' questions (and choose their plans).
    if (!months || months.length) await client.query(`analyze ${I}.ticket_month, ${I}.rating_month, ${I}.ticket_day, ${I}.rating_day`);
    void t;
    return { tookMs, tickets: Number(counts.rows[0]!.tickets), ratings: Number(counts.rows[0]!.ratings), months };
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
}
