import type pg from 'pg';
import { CUBOIDS, CUBOID_COLUMN, CUBOID_SOURCE, type Cuboid } from './cuboids';

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Histogram buckets: 0 … 60 days, then one for longer. */
export const TURNAROUND_BUCKETS = 62;
const SKM = Array.from({ length: 9 }, (_, i) => i + 1);
const BUCKETS = Array.from({ length: TURNAROUND_BUCKETS }, (_, i) => i);

export interface RefreshResult {
  tookMs: number;
  full: boolean;
  /** Tickets and ratings whose contribution changed (all of them in a full rebuild). */
  changedTickets: number;
  changedRatings: number;
  /** Totals in the rollups afterwards. */
  tickets: number;
  ratings: number;
}

const TICKET_SUMS = ['opened', 'completed', 'completed_with_sla', 'completed_in_sla', 'dropped'];
const RATING_SUMS = ['ratings', 'stars_sum', 'skm_n', ...SKM.map((i) => `skm_s${i}`), 'flags'];

/** Each rollup after the one it is rolled up from. */
const REFRESH_ORDER: Cuboid[] = [];
for (let left = [...CUBOIDS]; left.length;) {
  const next = left.findIndex((c) => CUBOID_SOURCE[c.suffix] === null || REFRESH_ORDER.some((d) => d.suffix === CUBOID_SOURCE[c.suffix]));
  REFRESH_ORDER.push(...left.splice(next, 1));
}

const cols = (c: Cuboid) => c.dims.map((d) => CUBOID_COLUMN[d]);
const periodOf = (c: Cuboid) => (c.grain === 'month' ? `date_trunc('month', d.period)::date` : 'd.period');

/**
 * Keeps the rollups up to date from the ledger, incrementally.
 *
 * Every ticket's and rating's contribution (its days in Asia/Jakarta, dimensions, turnaround,
 * stars, and `citizen`, a 64-bit hash of the ledger's keyed NIK hash that only the distinct-citizen
 * measures count and nothing selects out) is kept in `ticket_fact` / `rating_fact`. A refresh reads the ledger rows changed since
 * the last one (by their change sequence, `change_seq`), computes their new contribution, and
 * applies the difference (new minus old) to every rollup with one upsert each: the rollups end up
 * exactly as a rebuild from scratch would make them (tested). `full` rebuilds everything (at the
 * first refresh, and when asked): the same code, with every row as changed and no old facts.
 *
 * Ticket events are counted on their own day (Asia/Jakarta): opened on the submission day,
 * completed on the completion day (with turnaround = calendar days between the two), dropped
 * (rejected, cancelled) on the day the ledger last heard of it. Ratings count on their ticket's
 * completion day, as the IKM and the TPP report count them.
 *
 * Change sequences are taken when a row is written, and a transaction may commit after one with a
 * later number: each refresh reads again the window of the one before (`prev`), which costs
 * nothing when nothing changed there (unchanged contributions are dropped before any write). A
 * writer whose transaction stays open over two whole refresh intervals is caught by the next full
 * rebuild.
 */
export async function refreshRollups(client: pg.ClientBase, schemas: { ledger: string; insights: string }, options: { full?: boolean } = {}): Promise<RefreshResult> {
  const L = q(schemas.ledger);
  const I = q(schemas.insights);
  const started = Date.now();
  await client.query('begin');
  try {
    // Serialise refreshes (several replicas, or the timer and a seed at once).
    await client.query(`select pg_advisory_xact_lock(hashtext(${I.replace(/"/g, "'")} || '.refresh'))`);
    // Enough memory for the grouping of a full rebuild; this transaction only.
    await client.query(`set local work_mem = '128MB'`);
    const cursors = new Map((await client.query<{ source: string; seq: string; prev: string }>(`select source, seq::text, prev::text from ${I}.refresh_cursor`)).rows.map((r) => [r.source, r]));
    const full = options.full === true || cursors.size < 2;
    const tickAfter = full ? null : cursors.get('ticket')!.prev;
    const rateAfter = full ? null : cursors.get('rating')!.prev;

    if (full) {
      for (const c of CUBOIDS) {
        // `delete`, not `truncate`: readers keep the previous rollups until this commits.
        await client.query(`delete from ${I}.ticket_${c.suffix}`);
        await client.query(`delete from ${I}.rating_${c.suffix}`);
      }
      await client.query(`delete from ${I}.ticket_fact`);
      await client.query(`delete from ${I}.rating_fact`);
    }
    const seqs = (await client.query<{ t: string | null; r: string | null }>(`select (select max(change_seq) from ${L}.ticket)::text as t, (select max(change_seq) from ${L}.rating)::text as r`))
      .rows[0]!;

    // 1. Tickets: their new facts, without those that did not change.
    await client.query(
      `create temp table t_new on commit drop as
       select t.id as ticket_id, t.agency_id, t.service_id,
         coalesce(t.kecamatan, c.kecamatan, 0)::smallint as kecamatan, coalesce(t.channel, c.channel, 'UNKNOWN') as channel, coalesce(t.officer_id, '') as officer_id,
         (t.submitted_at at time zone 'Asia/Jakarta')::date as opened,
         case when t.status = 'COMPLETED' then (t.completed_at at time zone 'Asia/Jakarta')::date end as completed,
         case when t.status in ('REJECTED', 'CANCELLED') then (t.updated_at at time zone 'Asia/Jakarta')::date end as dropped,
         case when t.status = 'COMPLETED' then (t.completed_at at time zone 'Asia/Jakarta')::date - (t.submitted_at at time zone 'Asia/Jakarta')::date end as tdays,
         s.sla_days as sla,
         hashtextextended(t.citizen_ref, 0) as citizen
       from ${L}.ticket t
       left join ${I}.ticket_context c on c.ticket_id = t.id
       left join ${I}.service_sla s on s.service_id = t.service_id
       ${tickAfter === null ? '' : 'where t.change_seq > $1::bigint'}`,
      tickAfter === null ? [] : [tickAfter],
    );
    const same = (a: string, b: string, list: string) =>
      `(${list
        .split(', ')
        .map((x) => `${a}.${x}`)
        .join(', ')}) is not distinct from (${list
        .split(', ')
        .map((x) => `${b}.${x}`)
        .join(', ')})`;
    /** New facts in a temporary table (`temp`) beside the kept ones (`facts`), keyed by `key`, of `columns`. */
    type Facts = { temp: string; facts: string; key: string; columns: string };
    /** Drops the new facts that are the kept ones already (incrementally); how many are left. */
    const keepChanged = async ({ temp, facts, key, columns }: Facts) => {
      // Temporary tables have no statistics until analysed: without them the planner would guess, and scan.
      await client.query(`analyze ${temp}`);
      if (!full) await client.query(`delete from ${temp} n using ${I}.${facts} o where o.${key} = n.${key} and ${same('o', 'n', columns)}`);
      return (await client.query<{ n: number }>(`select count(*)::int n from ${temp}`)).rows[0]!.n;
    };
    /** The kept facts of the changed rows, weighted -1, after the new ones (weighted +1): nothing in a full rebuild. */
    const oldFacts = ({ temp, facts, key }: Facts) => (full ? '' : `union all select -1, o.* from ${I}.${facts} o join ${temp} n using (${key})`);
    /** The kept facts replaced by the new ones. */
    const replaceFacts = async ({ temp, facts, key, columns }: Facts) => {
      if (!full) await client.query(`delete from ${I}.${facts} o using ${temp} n where o.${key} = n.${key}`);
      await client.query(`insert into ${I}.${facts} (${key}, ${columns}) select ${key}, ${columns} from ${temp}`);
    };
    const ticketFacts: Facts = {
      temp: 't_new',
      facts: 'ticket_fact',
      key: 'ticket_id',
      columns: 'agency_id, service_id, kecamatan, channel, officer_id, opened, completed, dropped, tdays, sla, citizen',
    };
    const changedTickets = await keepChanged(ticketFacts);

    // Old and new contributions, weighted -1 and +1, as events on their days; grouped twice (by
    // key and turnaround day first) so that the histogram is built from few rows.
    const oldTickets = oldFacts(ticketFacts);
    await client.query(
      `create temp table t_dd on commit drop as
       with f as (
         select 1 as w, n.* from t_new n ${oldTickets}
       ), e as (
         select k.day as period, f.agency_id, f.service_id, f.kecamatan, f.channel, f.officer_id, k.kind,
           case when k.kind = 'C' and f.tdays >= 0 then least(f.tdays, ${TURNAROUND_BUCKETS - 1}) end as bucket,
           k.kind = 'C' and f.sla is not null as with_sla, k.kind = 'C' and f.tdays <= f.sla as in_sla, sum(f.w)::int as n
         from f cross join lateral (values ('O', f.opened), ('C', f.completed), ('D', f.dropped)) k(kind, day)
         where k.day is not null
         group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
         having sum(f.w) <> 0
       )
       select period, agency_id, service_id, kecamatan, channel, officer_id,
         coalesce(sum(n) filter (where kind = 'O'), 0)::int as opened, coalesce(sum(n) filter (where kind = 'C'), 0)::int as completed,
         coalesce(sum(n) filter (where with_sla), 0)::int as completed_with_sla, coalesce(sum(n) filter (where in_sla), 0)::int as completed_in_sla,
         coalesce(sum(n) filter (where kind = 'D'), 0)::int as dropped,
         array[${BUCKETS.map((b) => `coalesce(sum(n) filter (where bucket = ${b}), 0)::int`).join(', ')}] as turnaround
       from e group by 1, 2, 3, 4, 5, 6`,
    );

    // 2. The facts, as they now are.
    await replaceFacts(ticketFacts);

    // 3. Ratings: changed since the cursor, or of a ticket whose kecamatan or channel changed.
    await client.query(
      `create temp table r_new on commit drop as
       select r.id as rating_id, (r.completed_at at time zone 'Asia/Jakarta')::date as period, r.agency_id, r.service_id,
         coalesce(f.kecamatan, 0)::smallint as kecamatan, coalesce(f.channel, 'UNKNOWN') as channel, coalesce(r.officer_id, '') as officer_id,
         r.status = 'VALID' as valid, r.stars, r.skm, hashtextextended(r.citizen_ref, 0) as citizen
       from ${L}.rating r
       left join ${I}.ticket_fact f on f.ticket_id = r.ticket_id
       ${
         // Two index lookups (by change_seq, by ticket), not one scan for an `or`.
         rateAfter === null ? '' : `where r.id in (select id from ${L}.rating where change_seq > $1::bigint union select x.id from ${L}.rating x join t_new n on x.ticket_id = n.ticket_id)`
       }`,
      rateAfter === null ? [] : [rateAfter],
    );
    const ratingFacts: Facts = { temp: 'r_new', facts: 'rating_fact', key: 'rating_id', columns: 'period, agency_id, service_id, kecamatan, channel, officer_id, valid, stars, skm, citizen' };
    const changedRatings = await keepChanged(ratingFacts);
    const oldRatings = oldFacts(ratingFacts);
    await client.query(
      `create temp table r_dd on commit drop as
       with f as (select 1 as w, n.* from r_new n ${oldRatings})
       select period, agency_id, service_id, kecamatan, channel, officer_id,
         coalesce(sum(w) filter (where valid), 0)::int as ratings,
         coalesce(sum(w * stars) filter (where valid), 0)::int as stars_sum,
         coalesce(sum(w) filter (where valid and skm is not null), 0)::int as skm_n,
         ${SKM.map((i) => `coalesce(sum(w * skm[${i}]) filter (where valid), 0)::int as skm_s${i}`).join(', ')},
         coalesce(sum(w) filter (where not valid), 0)::int as flags
       from f group by 1, 2, 3, 4, 5, 6`,
    );
    await replaceFacts(ratingFacts);

    // 4. Every rollup gets the deltas rolled up to its grain (each from a finer one's deltas).
    for (const c of REFRESH_ORDER) {
      const from = CUBOID_SOURCE[c.suffix] ?? null;
      const keyCols = cols(c).join(', ');
      const groupBy = ['1', ...cols(c).map((_, i) => String(i + 2))].join(', ');
      if (from !== null) {
        await client.query(
          `create temp table t_d_${c.suffix} on commit drop as
           select ${periodOf(c)} as period, ${cols(c)
             .map((x) => `d.${x}`)
             .join(', ')}, ${TICKET_SUMS.map((x) => `sum(d.${x})::int as ${x}`).join(', ')},
             array[${BUCKETS.map((b) => `sum(d.turnaround[${b + 1}])::int`).join(', ')}] as turnaround
           from t_d_${from} d group by ${groupBy}`,
        );
        await client.query(
          `create temp table r_d_${c.suffix} on commit drop as
           select ${periodOf(c)} as period, ${cols(c)
             .map((x) => `d.${x}`)
             .join(', ')}, ${RATING_SUMS.map((x) => `sum(d.${x})::int as ${x}`).join(', ')}
           from r_d_${from} d group by ${groupBy}`,
        );
      } else {
        await client.query(`alter table t_dd rename to t_d_${c.suffix}`);
        await client.query(`alter table r_dd rename to r_d_${c.suffix}`);
      }
      await client.query(`analyze t_d_${c.suffix}, r_d_${c.suffix}`);
      const tSet = TICKET_SUMS.map((x) => `${x} = r.${x} + excluded.${x}`).join(', ');
      await client.query(
        `insert into ${I}.ticket_${c.suffix} as r (period, ${keyCols}, ${TICKET_SUMS.join(', ')}, turnaround)
         select period, ${keyCols}, ${TICKET_SUMS.join(', ')}, turnaround from t_d_${c.suffix}
         ${
           // A full rebuild inserts into emptied tables: no conflict to look for.
           full
             ? ''
             : `on conflict (period, ${keyCols}) do update set ${tSet},
           turnaround = array(select a + b from unnest(r.turnaround, excluded.turnaround) with ordinality u(a, b, i) order by i)`
         }`,
      );
      const rSet = RATING_SUMS.map((x) => `${x} = r.${x} + excluded.${x}`).join(', ');
      await client.query(
        `insert into ${I}.rating_${c.suffix} as r (period, ${keyCols}, ${RATING_SUMS.join(', ')})
         select period, ${keyCols}, ${RATING_SUMS.join(', ')} from r_d_${c.suffix}
         ${full ? '' : `on conflict (period, ${keyCols}) do update set ${rSet}`}`,
      );
      if (!full) {
        // Cells nothing counts in any more go, as a rebuild would not make them.
        const match = ['period', ...cols(c)].map((x) => `r.${x} = d.${x}`).join(' and ');
        await client.query(`delete from ${I}.ticket_${c.suffix} r using t_d_${c.suffix} d where ${match} and r.opened = 0 and r.completed = 0 and r.dropped = 0`);
        await client.query(`delete from ${I}.rating_${c.suffix} r using r_d_${c.suffix} d where ${match} and r.ratings = 0 and r.skm_n = 0 and r.flags = 0`);
      }
    }

    // 5. The cursors: the next refresh reads again from this one's start (see above).
    for (const [source, seq] of [
      ['ticket', seqs.t],
      ['rating', seqs.r],
    ] as const) {
      const old = cursors.get(source);
      const now = seq ?? '0';
      const prev = full ? now : old!.seq;
      await client.query(
        `insert into ${I}.refresh_cursor (source, seq, prev) values ($1, greatest($2::bigint, $3::bigint), $3::bigint)
         on conflict (source) do update set seq = excluded.seq, prev = excluded.prev`,
        [source, now, prev],
      );
    }
    const counts = await client.query<{ tickets: string; ratings: string }>(
      `select (select coalesce(sum(opened), 0) from ${I}.ticket_month_a)::bigint as tickets, (select coalesce(sum(ratings + flags), 0) from ${I}.rating_month_a)::bigint as ratings`,
    );
    const tookMs = Date.now() - started;
    await client.query(
      `insert into ${I}.refresh_state (id, refreshed_at, took_ms, tickets, ratings) values (true, now(), $1, $2, $3)
       on conflict (id) do update set refreshed_at = excluded.refreshed_at, took_ms = excluded.took_ms, tickets = excluded.tickets, ratings = excluded.ratings`,
      [tookMs, counts.rows[0]!.tickets, counts.rows[0]!.ratings],
    );
    await client.query('commit');
    // Fresh statistics after a rebuild: they price analysts' questions and choose their plans.
    if (full) await client.query(`analyze ${[...CUBOIDS.flatMap((c) => [`${I}.ticket_${c.suffix}`, `${I}.rating_${c.suffix}`]), `${I}.ticket_fact`, `${I}.rating_fact`].join(', ')}`);
    return { tookMs, full, changedTickets, changedRatings, tickets: Number(counts.rows[0]!.tickets), ratings: Number(counts.rows[0]!.ratings) };
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
}
