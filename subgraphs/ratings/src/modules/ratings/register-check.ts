import { ErrorCode, GerbangError, pgArray, type Logger } from '@gerbang/common';
import type { Sql } from '@gerbang/common';
import { Sealer, UnsealError } from '../../lib/sealed';
import type { ModerationService } from '../moderation/moderation.service';
import type { Relation, SqlPart } from '../moderation/screening';
import { SERVICE as STAFF_REGISTER, type Person, type StaffDirectory } from '../tpp/staff-directory';
import { registerCheckExpired, registerCheckVerdict, type RegisterCheckPolicy } from './rules';

/**
 * The register check: ratings accepted while BKPSDM's staff register could not be asked whether
 * the rater works at the ticket's agency are held (FLAGGED, rule REGISTER_UNCHECKED) and checked
 * here later, in batches, by a background job (`RegisterCheckJob`, run by a Poller in server.ts).
 *
 * What the check needs is the rater's NIK (the register is asked by NIK) and the token's NIP, and
 * the ratings tables hold only keyed hashes of identities. So they are kept sealed (AES-256-GCM,
 * key derived from RATER_PEPPER by HKDF for this purpose only, bound to the rating's id) in
 * `register_check`, one row per held rating, deleted when the check is resolved.
 */

/** The reviewer and log actor of the check's decisions. */
const REGISTER_CHECK_ACTOR = 'system:register';

/** HKDF purpose label of the key that seals the held identities: no other use shares that key. */
const SEAL_PURPOSE = 'register-check/person/v1';

/** How long a batch taken by one replica stays its own before another may take it again. */
const LEASE_MS = 5 * 60_000;

/** The longest error text kept (the register's reason; no identity). */
const ERROR_MAX = 500;

const sealers = new Map<string, Sealer>();
/** The sealer of held identities for a pepper (derived once per process). */
export function registerCheckSealer(pepper: string): Sealer {
  let sealer = sealers.get(pepper);
  if (!sealer) sealers.set(pepper, (sealer = new Sealer(pepper, SEAL_PURPOSE)));
  return sealer;
}

const sealPerson = (sealer: Sealer, ratingId: string, person: Person) => sealer.seal(JSON.stringify({ nik: person.nik, nip: person.nip ?? null }), ratingId);

function openPerson(sealer: Sealer, ratingId: string, sealed: Buffer): Person {
  const value = JSON.parse(sealer.open(sealed, ratingId)) as { nik?: unknown; nip?: unknown };
  if (typeof value.nik !== 'string') throw new UnsealError('no NIK in the sealed value');
  return { nik: value.nik, nip: typeof value.nip === 'string' ? value.nip : null };
}

/** The flag a held rating carries: what the register said, never who rated. */
export const registerUncheckedFinding = (ratingId: string, reason: string) => ({
  rule: 'REGISTER_UNCHECKED' as const,
  ratingIds: [ratingId],
  details: { service: STAFF_REGISTER, reason: reason.slice(0, ERROR_MAX) },
});

/**
 * A data-modifying CTE (`, register_held as (…)`) for the statement that stores a rating: the held
 * rating's check, with the rater sealed, written only if the rating is among `stored` (the caller's
 * relation of the ratings it stored, column `id`). The question put at rating time counts as the
 * first attempt.
 */
export function registerCheckCte(db: Sql, stored: Relation, sealer: Sealer, args: { ratingId: string; person: Person; reason: string; now: Date }): SqlPart {
  return {
    sql: `, register_held as (
        insert into ${db.t('register_check')} (rating_id, person, created_at, attempts, last_attempt_at, last_error, next_attempt_at)
        select x.rating_id, ?::bytea, ?, 1, ?, ?, ? from (select ?::text as rating_id) x where x.rating_id in (select id from ${stored})
      )`,
    params: [sealPerson(sealer, args.ratingId, args.person), args.now, args.now, args.reason.slice(0, ERROR_MAX), args.now, args.ratingId],
  };
}

/** What one run of the check did. */
export interface RegisterCheckRun {
  /** Held ratings the register cleared (VALID unless another flag holds them). */
  accepted: number;
  /** Held ratings of officers of the rating's agency (REJECTED, OWN_AGENCY). */
  rejected: number;
  /** Checks left to a moderator (too old, or unreadable). */
  handedOver: number;
  /** Checks tried and still pending because the register could not be asked. */
  pending: number;
  /** Flags a moderator had decided first (the check was dropped). */
  alreadyDecided: number;
  /** The register's reason when it could not be asked. */
  error?: string;
}

interface DueCheck {
  ratingId: string;
  person: Buffer;
  createdAt: Date;
  attempts: number;
  lastError: string | null;
  agencyId: string;
  flagId: string | null;
}

export class RegisterCheckJob {
  constructor(
    private readonly deps: {
      /** A fresh Sql per run (a forked EntityManager). */
      db: () => Sql;
      moderation: (db: Sql) => ModerationService;
      staff: StaffDirectory;
      sealer: Sealer;
      policy: RegisterCheckPolicy & { batchSize: number };
      logger: Logger;
    },
  ) {}

  /**
   * One run: takes the due checks in batches, asks the register about each batch's raters in one
   * request, and resolves each flag through the moderation service. A register that cannot be
   * asked ends the run (the rest wait for the next one, instead of each batch meeting the same
   * outage); the batch tried keeps its checks pending with the attempt and the error recorded.
   */
  async run(now: Date): Promise<RegisterCheckRun> {
    const db = this.deps.db();
    const moderation = this.deps.moderation(db);
    const report: RegisterCheckRun = { accepted: 0, rejected: 0, handedOver: 0, pending: 0, alreadyDecided: 0 };
    for (;;) {
      const batch = await this.take(db, now);
      if (!batch.length) break;
      const ask: { check: DueCheck; person: Person }[] = [];
      for (const check of batch) {
        if (!check.flagId) {
          // The flag was decided and the check not yet dropped (cannot happen through the services).
          await db.all(`delete from ${db.t('register_check')} where rating_id = ?`, [check.ratingId]);
          report.alreadyDecided++;
        } else {
          let person: Person;
          try {
            person = openPerson(this.deps.sealer, check.ratingId, check.person);
          } catch (err) {
            if (!(err instanceof UnsealError) && !(err instanceof SyntaxError)) throw err;
            this.deps.logger.error({ ratingId: check.ratingId, err: err.message }, 'register check: the held identity cannot be read');
            await this.handOver(moderation, check, 'The identity held for the register check cannot be read (sealed under another key, or altered). Decide this rating by hand.', now, report);
            continue;
          }
          ask.push({ check, person });
        }
      }
      if (ask.length) {
        let answers: string[][];
        try {
          answers = await this.deps.staff.agenciesOfMany(ask.map((a) => a.person));
        } catch (err) {
          if (!(err instanceof GerbangError) || err.code !== ErrorCode.UPSTREAM_UNAVAILABLE) throw err;
          const reason = (typeof err.extensions.reason === 'string' ? err.extensions.reason : 'unavailable').slice(0, ERROR_MAX);
          // Given up only after this attempt failed too: a register back after a long outage
          // (or a check that did not run for a while) still decides by itself.
          const expired = ask.filter((a) => registerCheckExpired(a.check.createdAt, now, this.deps.policy));
          const waiting = ask.filter((a) => !expired.includes(a));
          await this.failed(
            db,
            waiting.map((a) => a.check.ratingId),
            reason,
            now,
          );
          for (const { check } of expired) {
            const attempts = check.attempts + 1;
            const note = `BKPSDM's staff register could not be asked for ${this.deps.policy.maxAgeDays} days (${attempts} attempts; last: ${reason}). Decide this rating by hand.`;
            await this.handOver(moderation, { ...check, attempts, lastError: reason }, note, now, report);
          }
          report.pending += waiting.length;
          report.error = reason;
          break;
        }
        for (const [i, { check }] of ask.entries()) {
          const { decision, note } = registerCheckVerdict(answers[i]!, check.agencyId);
          const settled = await moderation.settleRegisterCheck({ ratingId: check.ratingId, flagId: check.flagId!, decision, note, actor: REGISTER_CHECK_ACTOR, now });
          if (!settled) report.alreadyDecided++;
          else if (decision === 'ACCEPT') report.accepted++;
          else report.rejected++;
        }
      }
      if (batch.length < this.deps.policy.batchSize) break;
    }
    return report;
  }

  private async handOver(moderation: ModerationService, check: DueCheck, note: string, now: Date, report: RegisterCheckRun) {
    const details = { attempts: check.attempts, lastError: check.lastError };
    const done = await moderation.handOverRegisterCheck({ ratingId: check.ratingId, flagId: check.flagId!, note, details, actor: REGISTER_CHECK_ACTOR, now });
    if (done) report.handedOver++;
    else report.alreadyDecided++;
  }

  /**
   * Takes up to a batch of due checks, oldest first, and leases them (next_attempt_at moves
   * ahead); rows another replica holds are skipped, not waited for.
   */
  private take(db: Sql, now: Date): Promise<DueCheck[]> {
    return db.all<DueCheck>(
      `update ${db.t('register_check')} c set next_attempt_at = ?
       where c.rating_id in (select d.rating_id from ${db.t('register_check')} d where d.next_attempt_at <= ?
                             order by d.next_attempt_at, d.rating_id limit ? for update skip locked)
       returning c.rating_id as "ratingId", c.person, c.created_at as "createdAt", c.attempts, c.last_error as "lastError",
         (select r.agency_id from ${db.t('rating')} r where r.id = c.rating_id) as "agencyId",
         (select f.id from ${db.t('rating_flag')} f where f.rating_id = c.rating_id and f.rule = 'REGISTER_UNCHECKED' and f.status = 'OPEN') as "flagId"`,
      [new Date(now.getTime() + LEASE_MS), now, this.deps.policy.batchSize],
      ['createdAt'],
    );
  }

  /** The register could not be asked: one more attempt, its error, due again at the next run (behind those not yet tried). */
  private async failed(db: Sql, ratingIds: readonly string[], reason: string, now: Date): Promise<void> {
    await db.all(`update ${db.t('register_check')} set attempts = attempts + 1, last_attempt_at = ?, last_error = ?, next_attempt_at = ? where rating_id = any(?::text[])`, [
      now,
      reason,
      now,
      pgArray(ratingIds),
    ]);
  }
}
