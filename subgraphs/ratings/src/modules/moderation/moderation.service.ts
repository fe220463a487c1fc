import type { FlagStatus, RatingRow } from '../../rows';
import type { Sql } from '@gerbang/common';
import { DomainError, ErrorCode } from '../../lib/domain-error';
import { evaluateFraudRules, type FraudPolicy, type FraudRule, type Finding, type RatingFact } from './fraud';
import { flagWrites, screeningFacts, ScreeningFacts, type FlagWrite, type Relation, type ScreeningSubject, type SqlPart } from './screening';

export type FlagDecision = 'ACCEPT' | 'REJECT';

/**
 * Why a rating is held: an anomaly rule, or REGISTER_UNCHECKED (BKPSDM's register could not be
 * asked whether the rater works at the ticket's agency; the register check resolves it).
 */
export type FlagRule = FraudRule | 'REGISTER_UNCHECKED';

/** A flag to raise: the ratings it holds and what was seen (never rater identity). */
export interface FlagFinding {
  rule: FlagRule;
  ratingIds: string[];
  details: Record<string, unknown>;
}

export interface FlagRecord {
  id: string;
  ratingId: string;
  rule: FlagRule;
  details: Record<string, unknown>;
  status: FlagStatus;
  createdAt: Date;
  reviewedAt: Date | null;
  reviewNote: string | null;
  /** The rating's content only: never who rated. */
  rating: Omit<RatingRow, 'ticketId' | 'completedAt' | 'requestHash' | 'citizenRef' | 'idempotencyKey' | 'deviceRef' | 'ipRef'>;
}

export interface ModerationLogRecord {
  id: string;
  at: Date;
  actor: string;
  action: 'REVIEW_FLAG' | 'HIDE_COMMENT' | 'HAND_OVER';
  ratingId: string;
  flagId: string | null;
  decision: string | null;
  note: string;
}

const NOTE_MAX = 2000;

/** Anomaly screening of new ratings, the review queue, and the append-only log of decisions. */
/**
 * How many recent ratings per kind (same officer, same device, same address) feed the rules: four
 * times the largest count a rule looks for, at least 64. The newest of them decide whether a rule
 * fires and are the ones it flags; older ones in the window are not looked at again (those a rule
 * named when it fired were flagged then).
 */
export const recentPerKind = (policy: FraudPolicy) => Math.max(64, 4 * Math.max(policy.burstCount, policy.deviceMaxOfficers + 1, policy.ipMaxOfficers + 1));

export class ModerationService {
  constructor(
    private readonly db: Sql,
    private readonly policy: FraudPolicy,
  ) {}

  /** Where the burst and spread windows of a rating made at `now` begin. */
  windows(now: Date): { burstSince: Date; spreadSince: Date } {
    return {
      burstSince: new Date(now.getTime() - this.policy.burstWindowMinutes * 60_000),
      spreadSince: new Date(now.getTime() - this.policy.spreadWindowHours * 3_600_000),
    };
  }

  /**
   * Screening, read phase (`screening.ts`): a select-list expression with the anomaly rules' facts
   * for every rating of `subjects`, a relation of the statement that embeds it, with the columns
   * `SUBJECT_COLUMNS`. Decode its value with `facts`.
   */
  factsSql(db: Sql, subjects: Relation): string {
    return screeningFacts(db, subjects, recentPerKind(this.policy));
  }

  /** `factsSql`'s value, decoded (once per statement). */
  facts(value: unknown): ScreeningFacts {
    return new ScreeningFacts(value);
  }

  /**
   * Screening, rules phase: the fraud rules over one rating about to be stored and the facts read
   * for it. A finding names only ratings not already flagged under its rule (and always the new
   * one), so a rule that keeps firing writes one flag per new rating, not one per rating in its window.
   */
  findings(subject: RatingFact & { agencyId: string; period: string }, facts: ScreeningFacts): Finding[] {
    const own = facts.of({ ...subject, ...this.windows(subject.createdAt) } satisfies ScreeningSubject);
    const officerMonth = own.officerMonth ? [...own.officerMonth, { id: subject.id, stars: subject.stars }] : undefined;
    return evaluateFraudRules({ subject, recent: own.recent, ...(officerMonth && own.unitOthers ? { officerMonth, unitOthers: own.unitOthers } : {}), policy: this.policy })
      .map((f) => ({ ...f, ratingIds: f.ratingIds.filter((id) => id === subject.id || !own.raised.get(id)?.includes(f.rule)) }))
      .filter((f) => f.ratingIds.length > 0);
  }

  /** The status a new rating is stored with, given the findings of its screening. */
  statusOf(ratingId: string, findings: readonly FlagFinding[]): 'FLAGGED' | 'VALID' {
    return findings.some((f) => f.ratingIds.includes(ratingId)) ? 'FLAGGED' : 'VALID';
  }

  /** The flags `findings` raise, as `writeFlags` takes them (`owner`: the rating whose screening raised them). */
  flagsOf(owner: { id: string; createdAt: Date }, findings: readonly FlagFinding[]): FlagWrite[] {
    return findings.flatMap((f) => f.ratingIds.map((ratingId) => ({ ratingId, rule: f.rule, details: f.details, owner: owner.id, at: owner.createdAt })));
  }

  /**
   * Screening, write phase: CTEs for the statement that stores ratings, over `stored`, its relation
   * of the ratings it stored (column `id`). See `screening.ts` `flagWrites`.
   */
  writeFlags(db: Sql, stored: Relation, flags: readonly FlagWrite[]): SqlPart {
    return flagWrites(db, stored, flags);
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
      if (await this.decide(tx, { ...args, note })) return;
      const exists = await tx.one(`select 1 from ${tx.t('rating_flag')} where id = ?`, [args.flagId]);
      if (!exists) throw new DomainError(ErrorCode.NOT_FOUND, 'Flag not found.');
      throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This flag has already been reviewed.', { field: 'id' });
    });
    const [flag] = await this.listFlags({ id: args.flagId }, 1);
    return flag!;
  }

  /**
   * The register check's decision on a REGISTER_UNCHECKED flag, by the same path as a moderator's
   * (reviewer fields, the rating's status and so the tallies, the log). False when the flag was no
   * longer open (a moderator decided first): the check is dropped all the same.
   */
  async settleRegisterCheck(args: { ratingId: string; flagId: string; decision: FlagDecision; note: string; actor: string; now: Date }): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (await this.decide(tx, args)) return true;
      await tx.all(`delete from ${tx.t('register_check')} where rating_id = ?`, [args.ratingId]);
      return false;
    });
  }

  /**
   * The register check gives up (the register did not answer for too long, or what it kept cannot
   * be read): the flag stays open for a moderator, with a note in its details and in the log, and
   * the sealed identity is deleted. False when the flag was no longer open.
   */
  async handOverRegisterCheck(args: { ratingId: string; flagId: string; note: string; details: Record<string, unknown>; actor: string; now: Date }): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const updated = await tx.one(`update ${tx.t('rating_flag')} set details = details || ?::jsonb where id = ? and status = 'OPEN' and rule = 'REGISTER_UNCHECKED' returning id`, [
        JSON.stringify({ ...args.details, handedOverAt: args.now.toISOString(), note: args.note }),
        args.flagId,
      ]);
      await tx.all(`delete from ${tx.t('register_check')} where rating_id = ?`, [args.ratingId]);
      if (!updated) return false;
      await this.log(tx, { at: args.now, actor: args.actor, action: 'HAND_OVER', ratingId: args.ratingId, flagId: args.flagId, decision: null, note: args.note });
      return true;
    });
  }

  /**
   * Decides an open flag inside `tx`; false (nothing written) when it is not open. Deciding a
   * REGISTER_UNCHECKED flag ends its register check: the sealed NIK is deleted in the same
   * transaction, whoever decided.
   */
  private async decide(tx: Sql, args: { flagId: string; decision: FlagDecision; note: string; actor: string; now: Date }): Promise<boolean> {
    const updated = await tx.one<{ ratingId: string; rule: FlagRule }>(
      `update ${tx.t('rating_flag')} set status = ?, reviewed_by = ?, reviewed_at = ?, review_note = ?
       where id = ? and status = 'OPEN' returning rating_id as "ratingId", rule`,
      [args.decision === 'ACCEPT' ? 'ACCEPTED' : 'REJECTED', args.actor, args.now, args.note, args.flagId],
    );
    if (!updated) return false;
    await tx.all(
      `update ${tx.t('rating')} r set status = case
          when exists (select 1 from ${tx.t('rating_flag')} f where f.rating_id = r.id and f.status = 'REJECTED') then 'REJECTED'
          when exists (select 1 from ${tx.t('rating_flag')} f where f.rating_id = r.id and f.status = 'OPEN') then 'FLAGGED'
          else 'VALID' end
       where r.id = ?`,
      [updated.ratingId],
    );
    if (updated.rule === 'REGISTER_UNCHECKED') await tx.all(`delete from ${tx.t('register_check')} where rating_id = ?`, [updated.ratingId]);
    await this.log(tx, { at: args.now, actor: args.actor, action: 'REVIEW_FLAG', ratingId: updated.ratingId, flagId: args.flagId, decision: args.decision, note: args.note });
    return true;
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
    await tx.all(`insert into ${tx.t('moderation_log')} (at, actor, action, rating_id, flag_id, decision, note) values (?, ?, ?, ?, ?, ?, ?)`, [
      entry.at,
      entry.actor,
      entry.action,
      entry.ratingId,
      entry.flagId,
      entry.decision,
      entry.note,
    ]);
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
