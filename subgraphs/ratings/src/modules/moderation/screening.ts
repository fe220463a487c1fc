import { randomUUID } from 'node:crypto';
import type { Sql } from '@gerbang/common';
import { TALLY_COUNT, TALLY_STARS } from '../summaries/summary.service';
import type { PeriodRating, RatingFact } from './fraud';

/**
 * The one interface between rateService's statements and moderation (subgraphs/ratings/README.md
 * § Screening contract). rateService owns its statements; moderation contributes SQL parts that
 * read from, or write after, relations the caller names and passes in. Nothing here assumes a
 * name chosen by the other side:
 *
 *   read   `screeningFacts(db, subjects, cap)`: one jsonb value, the anomaly rules' facts for every
 *          rating of a batch, over a relation of the ratings about to be made (`SUBJECT_COLUMNS`).
 *          Facts are read once per officer, device and address of the batch, not once per rating.
 *   rules  `ScreeningFacts.of(subject)`: one rating's facts, exactly what a query for that rating
 *          alone would have read (the newest `cap` per kind in its own windows).
 *   write  `flagWrites(db, stored, flags)`: data-modifying CTEs for the statement that stores the
 *          ratings, given the relation of the ratings it stored (a column `id`): each flag is written
 *          only if the rating whose screening raised it (its `owner`) is among them.
 *
 * The CTE names moderation adds are `moderation_flags` and `moderation_flagged`: the caller's
 * statement must not use them.
 */

/** An SQL relation (a CTE name or an alias) one module passes to another; checked to be a plain identifier. */
export type Relation = string & { readonly relation: unique symbol };

export function relation(name: string): Relation {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not an SQL relation name: ${JSON.stringify(name)}`);
  return name as Relation;
}

/** A part of someone else's statement: text that goes where the caller puts it, and its parameters in order. */
export interface SqlPart {
  sql: string;
  params: unknown[];
}

/**
 * The columns `screeningFacts` reads from its `subjects` relation, one row per rating about to be
 * made whose ticket is known: the ticket's officer (null: no officer rules), agency and completion
 * month, the caller's device and address references (null: not known), and where the burst and
 * spread windows of the rating begin (`ModerationService.windows`).
 */
export const SUBJECT_COLUMNS = ['officer_id', 'agency_id', 'period', 'device_ref', 'ip_ref', 'burst_since', 'spread_since'] as const;

/**
 * One jsonb value with the facts the anomaly rules need for every row of `subjects` (a select-list
 * expression, evaluated once per statement; decoded by `ScreeningFacts`):
 *   hits    [kind, key, id]: the newest `cap` non-rejected ratings per officer (burst window), device
 *           and address (spread window), from the earliest window start of the batch for that key;
 *   rows    [id, officer, stars, createdAt, device, address, rules already raised] of those ratings;
 *   months  [officer, period, [[id, stars]…]]: the officer's non-rejected ratings of the month;
 *   units   [agency, period, officer, count, star sum]: valid ratings of the rest of the unit (rating_tally).
 * The cap keeps one rating's cost flat where one device or address rates all day (a service
 * counter's tablet, a carrier's shared address); reading per key instead of per rating keeps a
 * batch's cost flat when its ratings share one.
 */
export function screeningFacts(db: Sql, subjects: Relation, cap: number): string {
  if (!Number.isSafeInteger(cap) || cap < 1) throw new Error(`screening: bad cap ${cap}`);
  const s = subjects;
  const recent = (kind: 'o' | 'd' | 'i', column: string, since: string) =>
    `select '${kind}'::text as kind, g.k, r.id, r.officer_id, r.stars, r.created_at, r.device_ref, r.ip_ref
     from (select ${column} as k, min(${since}) as since from ${s} where ${column} is not null group by 1) g
     cross join lateral (select r.id, r.officer_id, r.stars, r.created_at, r.device_ref, r.ip_ref from ${db.t('rating')} r
                         where r.status <> 'REJECTED' and r.${column} = g.k and r.created_at > g.since
                         order by r.created_at desc limit ${cap}) r`;
  return `(with hits as (${recent('o', 'officer_id', 'burst_since')} union all ${recent('d', 'device_ref', 'spread_since')} union all ${recent('i', 'ip_ref', 'spread_since')})
    select jsonb_build_array(
      coalesce((select jsonb_agg(jsonb_build_array(h.kind, h.k, h.id)) from hits h), '[]'::jsonb),
      coalesce((select jsonb_agg(jsonb_build_array(h.id, h.officer_id, h.stars, h.created_at, h.device_ref, h.ip_ref,
                  (select coalesce(jsonb_agg(f.rule), '[]'::jsonb) from ${db.t('rating_flag')} f where f.rating_id = h.id)))
                from (select distinct on (id) * from hits) h), '[]'::jsonb),
      coalesce((select jsonb_agg(jsonb_build_array(m.officer_id, m.period,
                  coalesce((select jsonb_agg(jsonb_build_array(r.id, r.stars)) from ${db.t('rating')} r
                            where r.officer_id = m.officer_id and r.period = m.period and r.status <> 'REJECTED'), '[]'::jsonb)))
                from (select distinct officer_id, period from ${s} where officer_id is not null) m), '[]'::jsonb),
      coalesce((select jsonb_agg(jsonb_build_array(u.agency_id, u.period, u.officer_id, x.count, x.sum))
                from (select distinct agency_id, period, officer_id from ${s} where officer_id is not null) u
                cross join lateral (select coalesce(${TALLY_COUNT}, 0) as count, coalesce(${TALLY_STARS}, 0) as sum from ${db.t('rating_tally')} t
                                    where t.agency_id = u.agency_id and t.period = u.period and t.officer_id <> u.officer_id) x), '[]'::jsonb)))`;
}

/** One rating about to be made, as the rules see it. */
export interface ScreeningSubject {
  officerId: string | null;
  agencyId: string;
  period: string;
  deviceRef: string | null;
  ipRef: string | null;
  burstSince: Date;
  spreadSince: Date;
}

/** One rating's facts (see `screeningFacts`). */
export interface SubjectFacts {
  recent: RatingFact[];
  /** Rules already raised against ratings of `recent` (by id). */
  raised: Map<string, readonly string[]>;
  /** With an officer: the officer's month (without the new rating) and the rest of the unit's. */
  officerMonth?: PeriodRating[];
  unitOthers?: { count: number; sum: number };
}

type Row = [string, string | null, number, string, string | null, string | null, string[]];

/** `screeningFacts`' value, decoded once per batch and asked per rating. */
export class ScreeningFacts {
  private readonly rows = new Map<string, RatingFact>();
  private readonly raised = new Map<string, readonly string[]>();
  private readonly hits = new Map<string, string[]>();
  private readonly months = new Map<string, PeriodRating[]>();
  private readonly units = new Map<string, { count: number; sum: number }>();

  constructor(value: unknown) {
    const [hits, rows, months, units] = value as [[string, string, string][], Row[], [string, string, [string, number][]][], [string, string, string, number, number][]];
    for (const [id, officerId, stars, createdAt, deviceRef, ipRef, rules] of rows) {
      this.rows.set(id, { id, officerId, stars, createdAt: new Date(createdAt), deviceRef, ipRef });
      if (rules.length) this.raised.set(id, rules);
    }
    for (const [kind, key, id] of hits) {
      const list = this.hits.get(`${kind}\u0000${key}`);
      if (list) list.push(id);
      else this.hits.set(`${kind}\u0000${key}`, [id]);
    }
    for (const [officerId, period, list] of months)
      this.months.set(
        `${officerId}\u0000${period}`,
        list.map(([id, stars]) => ({ id, stars })),
      );
    for (const [agencyId, period, officerId, count, sum] of units) this.units.set(`${agencyId}\u0000${period}\u0000${officerId}`, { count, sum });
  }

  /** The facts of one rating: its own windows over what the batch read for its officer, device and address. */
  of(subject: ScreeningSubject): SubjectFacts {
    const recent = new Map<string, RatingFact>();
    const take = (kind: string, key: string | null, since: Date) => {
      if (key === null) return;
      for (const id of this.hits.get(`${kind}\u0000${key}`) ?? []) {
        const row = this.rows.get(id)!;
        if (row.createdAt.getTime() > since.getTime()) recent.set(id, row);
      }
    };
    take('o', subject.officerId, subject.burstSince);
    take('d', subject.deviceRef, subject.spreadSince);
    take('i', subject.ipRef, subject.spreadSince);
    const facts: SubjectFacts = { recent: [...recent.values()], raised: this.raised };
    if (subject.officerId) {
      const month = this.months.get(`${subject.officerId}\u0000${subject.period}`);
      const unit = this.units.get(`${subject.agencyId}\u0000${subject.period}\u0000${subject.officerId}`);
      if (month && unit) Object.assign(facts, { officerMonth: month, unitOthers: unit });
    }
    return facts;
  }
}

/** A flag to write with a rating: on `ratingId` (the new rating or an earlier one), raised by the screening of `owner`. */
export interface FlagWrite {
  ratingId: string;
  rule: string;
  details: Record<string, unknown>;
  /** The rating being stored whose screening raised the flag: the flag is written only if it was stored. */
  owner: string;
  at: Date;
}

/**
 * Data-modifying CTEs (`, moderation_flags as (…), moderation_flagged as (…)`) for a statement that
 * stores ratings: the flags, one per (rating, rule) (a rule already raised for a rating, reviewed or
 * not, is not raised again), and earlier ratings they flag set FLAGGED. `stored` is the caller's
 * relation of the ratings the statement stored (column `id`); the stored ratings' own status is the
 * caller's to write (`ModerationService.statusOf`): a rating is never visible as VALID first. The
 * text is the same for any number of flags (they travel as arrays), so the statement can be
 * prepared once. Flags are written in (rating, rule) order, so concurrent statements lock alike.
 */
export function flagWrites(db: Sql, stored: Relation, flags: readonly FlagWrite[]): SqlPart {
  return {
    sql: `, moderation_flags as (
        insert into ${db.t('rating_flag')} (id, rating_id, rule, details, created_at)
        select f.id, f.rating_id, f.rule, f.details::jsonb, f.created_at
        from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[]) as f(id, rating_id, rule, details, created_at, owner)
        where f.owner in (select id from ${stored})
        order by f.rating_id, f.rule
        on conflict (rating_id, rule) do nothing
        returning rating_id
      ), moderation_flagged as (
        update ${db.t('rating')} set status = 'FLAGGED'
        where id in (select rating_id from moderation_flags except select id from ${stored}) and status = 'VALID'
      )`,
    params: [flags.map(() => randomUUID()), flags.map((f) => f.ratingId), flags.map((f) => f.rule), flags.map((f) => JSON.stringify(f.details)), flags.map((f) => f.at), flags.map((f) => f.owner)],
  };
}
