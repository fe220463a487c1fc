import { randomUUID } from 'node:crypto';
import { pgArray } from '@gerbang/common';
import type { FlagStatus, RatingStatus } from '../../entities';
import type { Sql } from '../../lib/sql';
import { DomainError, ErrorCode } from '../../lib/domain-error';
import type { RatingRecord } from '../ratings/ratings.service';
import { evaluateFraudRules, type FraudPolicy, type FraudRule, type Finding, type PeriodRating, type RatingFact } from './fraud';

export type FlagDecision = 'ACCEPT' | 'REJECT';

export interface FlagRecord {
  id: string;
  ratingId: string;
  rule: FraudRule;
  details: Record<string, unknown>;
  status: FlagStatus;
  createdAt: Date;
  reviewedAt: Date | null;
  reviewNote: string | null;
  rating: {
    id: string;
    agencyId: string;
    serviceId: string;
    officerId: string | null;
    stars: number;
    comment: string | null;
    commentHidden: boolean;
    skm: number[] | null;
    period: string;
    createdAt: Date;
    status: RatingStatus;
  };
}

export interface ModerationLogRecord {
  id: string;
  at: Date;
  actor: string;
  action: 'REVIEW_FLAG' | 'HIDE_COMMENT';
  ratingId: string;
  flagId: string | null;
  decision: string | null;
  note: string;
}

const NOTE_MAX = 2000;

/** Anomaly screening of new ratings, the review queue, and the append-only log of decisions. */
export class ModerationService {
  constructor(
    private readonly db: Sql,
    private readonly policy: FraudPolicy,
  ) {}

  /**
   * Runs the fraud rules around a just-stored rating (inside its transaction) and flags what they
   * find: a flag row per rating and rule, and the rating's status FLAGGED until someone reviews it.
   */
  async screen(tx: Sql, rating: RatingRecord & { deviceRef: string | null; ipRef: string | null }, now: Date): Promise<Finding[]> {
    const since = (ms: number) => new Date(now.getTime() - ms);
    const burstSince = since(this.policy.burstWindowMinutes * 60_000);
    const spreadSince = since(this.policy.spreadWindowHours * 3_600_000);
    const recent = await tx.all<RatingFact>(
      `select r.id, r.officer_id as "officerId", r.stars, r.created_at as "createdAt", r.device_ref as "deviceRef", r.ip_ref as "ipRef"
       from ${tx.t('rating')} r
       where r.id <> ? and r.status <> 'REJECTED'
         and ((r.officer_id = ? and r.created_at > ?) or (r.device_ref = ? and r.created_at > ?) or (r.ip_ref = ? and r.created_at > ?))`,
      [rating.id, rating.officerId, burstSince, rating.deviceRef, spreadSince, rating.ipRef, spreadSince],
      ['createdAt'],
    );
    let officerMonth: PeriodRating[] | undefined;
    let unitOthers: { count: number; sum: number } | undefined;
    if (rating.officerId) {
      const rows = await tx.all<{ id: string | null; stars: number | null; n: number | null; s: number | null }>(
        `select r.id, r.stars, null::int as n, null::int as s from ${tx.t('rating')} r
           where r.officer_id = ? and r.period = ? and r.status <> 'REJECTED'
         union all
         select null, null, count(*)::int, coalesce(sum(r.stars), 0)::int from ${tx.t('rating')} r
           where r.agency_id = ? and r.period = ? and r.status = 'VALID' and r.officer_id is distinct from ?`,
        [rating.officerId, rating.period, rating.agencyId, rating.period, rating.officerId],
      );
      officerMonth = rows.filter((r) => r.id !== null).map((r) => ({ id: r.id!, stars: r.stars! }));
      const unit = rows.find((r) => r.id === null);
      unitOthers = { count: unit?.n ?? 0, sum: unit?.s ?? 0 };
    }
    const subject: RatingFact = { id: rating.id, officerId: rating.officerId, stars: rating.stars, createdAt: rating.createdAt, deviceRef: rating.deviceRef, ipRef: rating.ipRef };
    const findings = evaluateFraudRules({ subject, recent, ...(officerMonth ? { officerMonth } : {}), ...(unitOthers ? { unitOthers } : {}), policy: this.policy });
    if (findings.length) await this.flag(tx, findings, now);
    return findings;
  }

  /** Stores findings: one flag per (rating, rule) — a rule already reviewed for a rating is not raised again. */
  async flag(tx: Sql, findings: readonly Finding[], now: Date): Promise<number> {
    const ids: string[] = [];
    const ratingIds: string[] = [];
    const rules: string[] = [];
    const details: string[] = [];
    for (const f of findings) {
      for (const ratingId of f.ratingIds) {
        ids.push(randomUUID());
        ratingIds.push(ratingId);
        rules.push(f.rule);
        details.push(JSON.stringify(f.details));
      }
    }
    if (!ids.length) return 0;
    const created = await tx.all<{ ratingId: string }>(
      `insert into ${tx.t('rating_flag')} (id, rating_id, rule, details, created_at)
       select x.id, x.rating_id, x.rule, x.details::jsonb, ? from unnest(?::text[], ?::text[], ?::text[], ?::text[]) as x(id, rating_id, rule, details)
       on conflict (rating_id, rule) do nothing
       returning rating_id as "ratingId"`,
      [now, pgArray(ids), pgArray(ratingIds), pgArray(rules), pgArray(details)],
    );
    if (created.length) {
      await tx.all(`update ${tx.t('rating')} set status = 'FLAGGED' where id = any(?::text[]) and status = 'VALID'`, [pgArray([...new Set(created.map((c) => c.ratingId))])]);
    }
    return created.length;
  }

  async listFlags(filter: { status?: FlagStatus | null; id?: string; ratingId?: string }, first: number): Promise<FlagRecord[]> {
    const rows = await this.db.all<Omit<FlagRecord, 'rating'> & Record<string, unknown>>(
      `select f.id, f.rating_id as "ratingId", f.rule, f.details, f.status, f.created_at as "createdAt", f.reviewed_at as "reviewedAt",
              f.review_note as "reviewNote",
              r.agency_id as "r_agencyId", r.service_id as "r_serviceId", r.officer_id as "r_officerId", r.stars as "r_stars",
              r.comment as "r_comment", r.comment_hidden as "r_commentHidden", r.skm as "r_skm", r.period as "r_period",
              r.created_at as "r_createdAt", r.status as "r_status"
       from ${this.db.t('rating_flag')} f join ${this.db.t('rating')} r on r.id = f.rating_id
       where (?::text is null or f.status = ?) and (?::text is null or f.id = ?) and (?::text is null or f.rating_id = ?)
       order by f.created_at desc, f.id
       limit ?`,
      [filter.status ?? null, filter.status ?? null, filter.id ?? null, filter.id ?? null, filter.ratingId ?? null, filter.ratingId ?? null, first],
      ['createdAt', 'reviewedAt', 'r_createdAt'],
    );
    return rows.map((row) => {
      const rating: Record<string, unknown> = { id: row.ratingId };
      const flag: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) {
        if (k.startsWith('r_')) rating[k.slice(2)] = v;
        else flag[k] = v;
      }
      return { ...(flag as Omit<FlagRecord, 'rating'>), rating: rating as FlagRecord['rating'] };
    });
  }

  /**
   * An admin's decision on a flag. ACCEPT: the rating is genuine; REJECT: it is left out of every
   * figure. The rating's status follows its flags (any rejected → REJECTED, any open → FLAGGED,
   * else VALID); the decision is appended to the moderation log in the same transaction.
   */
  async reviewFlag(args: { flagId: string; decision: FlagDecision; note: string; actor: string; now: Date }): Promise<FlagRecord> {
    const note = requireNote(args.note);
    await this.db.transaction(async (tx) => {
      const updated = await tx.one<{ ratingId: string }>(
        `update ${tx.t('rating_flag')} set status = ?, reviewed_by = ?, reviewed_at = ?, review_note = ?
         where id = ? and status = 'OPEN' returning rating_id as "ratingId"`,
        [args.decision === 'ACCEPT' ? 'ACCEPTED' : 'REJECTED', args.actor, args.now, note, args.flagId],
      );
      if (!updated) {
        const exists = await tx.one(`select 1 from ${tx.t('rating_flag')} where id = ?`, [args.flagId]);
        if (!exists) throw new DomainError(ErrorCode.NOT_FOUND, 'Flag not found.');
        throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This flag has already been reviewed.', { field: 'id' });
      }
      await tx.all(
        `update ${tx.t('rating')} r set status = case
            when exists (select 1 from ${tx.t('rating_flag')} f where f.rating_id = r.id and f.status = 'REJECTED') then 'REJECTED'
            when exists (select 1 from ${tx.t('rating_flag')} f where f.rating_id = r.id and f.status = 'OPEN') then 'FLAGGED'
            else 'VALID' end
         where r.id = ?`,
        [updated.ratingId],
      );
      await this.log(tx, { at: args.now, actor: args.actor, action: 'REVIEW_FLAG', ratingId: updated.ratingId, flagId: args.flagId, decision: args.decision, note });
    });
    const [flag] = await this.listFlags({ id: args.flagId }, 1);
    return flag!;
  }

  async ratingForReview(id: string): Promise<FlagRecord['rating'] | null> {
    const row = await this.db.one<FlagRecord['rating']>(
      `select r.id, r.agency_id as "agencyId", r.service_id as "serviceId", r.officer_id as "officerId", r.stars, r.comment,
              r.comment_hidden as "commentHidden", r.skm, r.period, r.created_at as "createdAt", r.status
       from ${this.db.t('rating')} r where r.id = ?`,
      [id],
      ['createdAt'],
    );
    return row ?? null;
  }

  /** Hides a comment (abusive text) without touching the rating's stars or figures. */
  async hideComment(args: { ratingId: string; reason: string; actor: string; now: Date }): Promise<void> {
    const note = requireNote(args.reason);
    await this.db.transaction(async (tx) => {
      const updated = await tx.one(`update ${tx.t('rating')} set comment_hidden = true where id = ? returning id`, [args.ratingId]);
      if (!updated) throw new DomainError(ErrorCode.NOT_FOUND, 'Rating not found.');
      await this.log(tx, { at: args.now, actor: args.actor, action: 'HIDE_COMMENT', ratingId: args.ratingId, flagId: null, decision: 'HIDE', note });
    });
  }

  private async log(tx: Sql, entry: Omit<ModerationLogRecord, 'id'>): Promise<void> {
    await tx.all(
      `insert into ${tx.t('moderation_log')} (at, actor, action, rating_id, flag_id, decision, note) values (?, ?, ?, ?, ?, ?, ?)`,
      [entry.at, entry.actor, entry.action, entry.ratingId, entry.flagId, entry.decision, entry.note],
    );
  }

  logEntries(first: number, ratingId?: string | null): Promise<ModerationLogRecord[]> {
    return this.db.all<ModerationLogRecord>(
      `select l.id::text as id, l.at, l.actor, l.action, l.rating_id as "ratingId", l.flag_id as "flagId", l.decision, l.note
       from ${this.db.t('moderation_log')} l where (?::text is null or l.rating_id = ?) order by l.id desc limit ?`,
      [ratingId ?? null, ratingId ?? null, first],
      ['at'],
    );
  }
}

function requireNote(note: string): string {
  const trimmed = note.trim();
  if (!trimmed) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'Give a reason for the decision.', { field: 'note' });
  if (trimmed.length > NOTE_MAX) throw new DomainError(ErrorCode.BAD_USER_INPUT, `The note is limited to ${NOTE_MAX} characters.`, { field: 'note' });
  return trimmed;
}
