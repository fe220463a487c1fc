import { randomUUID } from 'node:crypto';
import { jakartaMonth, pgArray } from '@gerbang/common';
import type { RatingStatus, RatingRow } from '../../rows';
import type { Sql } from '@gerbang/common';
import { DomainError, ErrorCode } from '../../lib/domain-error';
import type { Sealer } from '../../lib/sealed';
import type { FlagFinding, ModerationService } from '../moderation/moderation.service';
import type { Person } from '../tpp/staff-directory';
import { relation } from '../moderation/screening';
import { DEFAULT_GROUP_COMMIT, GroupCommit, type WriteItem } from './group-commit';
import { registerCheckCte, registerUncheckedFinding } from './register-check';
import {
  assertMayRateTicket,
  assertRater,
  idempotentReplay,
  normalizeRatingInput,
  registerUnchecked,
  type Employment,
  type LedgerTicket,
  type RateInput,
  type Rater,
  type RatingPolicy,
} from './rules';

/** A stored rating as the subgraph works with it; the rater's references are never selected. */
export type RatingRecord = Omit<RatingRow, 'citizenRef' | 'idempotencyKey' | 'deviceRef' | 'ipRef'>;

export const RATING_COLUMNS = `r.id, r.ticket_id as "ticketId", r.agency_id as "agencyId", r.service_id as "serviceId", r.officer_id as "officerId",
  r.stars, r.comment, r.comment_hidden as "commentHidden", r.skm, r.period, r.completed_at as "completedAt", r.created_at as "createdAt",
  r.status, r.request_hash as "requestHash"`;

export const RATING_DATES = ['completedAt', 'createdAt'];

export interface RateResult {
  rating: RatingRecord;
  replayed: boolean;
  /** The ledger's ticket, when it exists (the resolver primes its loader with it). */
  ticket: LedgerTicket | null;
}

export interface ClientRefs {
  deviceRef: string | null;
  ipRef: string | null;
}

export interface RateArgs {
  rater: Rater;
  input: RateInput;
  client: ClientRefs;
  now: Date;
  /** Asks BKPSDM's register where the rater works; called only once every other rule has passed. */
  employment: () => Promise<Employment>;
  /**
   * Who the register is asked about (the caller's NIK, and NIP for a staff token): kept sealed
   * with a rating held for the register check, never in the clear. Null for a caller without a NIK.
   */
  person: Person | null;
}

export class RatingsService {
  constructor(
    private readonly db: Sql,
    private readonly policy: RatingPolicy,
    private readonly moderation: ModerationService,
    /** Seals the rater's identity for the register check (key from RATER_PEPPER). */
    private readonly sealer: Sealer,
    /**
     * Group commit of the two statements (shared by the server's requests; `group-commit.ts`).
     * Without one (a context built by hand, as some tests do), each rating is a batch of its own.
     */
    private readonly commit: GroupCommit = new GroupCommit(db, moderation, RATING_COLUMNS, RATING_DATES, { ...DEFAULT_GROUP_COMMIT, maxBatch: 1 }),
  ) {}

  byTicketIds(ticketIds: readonly string[]): Promise<RatingRecord[]> {
    return this.db.all<RatingRecord>(`select ${RATING_COLUMNS} from ${this.db.t('rating')} r where r.ticket_id = any(?::text[])`, [pgArray(ticketIds)], RATING_DATES);
  }

  private byIdempotencyKey(db: Sql, ref: string, key: string): Promise<RatingRecord | undefined> {
    return db.one<RatingRecord>(`select ${RATING_COLUMNS} from ${db.t('rating')} r where r.citizen_ref = ? and r.idempotency_key = ?`, [ref, key], RATING_DATES);
  }

  /**
   * Rates a ticket: the rules decide on the ledger's facts; the unique index on ticket_id decides
   * between concurrent requests. A retry with the same idempotency key gets the stored rating.
   *
   * Two round trips: one query reads the earlier result under the idempotency key, the ticket
   * (and whether it is rated) and the facts the anomaly rules need; one statement stores the
   * rating together with whatever the rules flag, atomically (a flagged rating is never visible
   * as valid, not even for an instant).
   */
  async rate(args: RateArgs): Promise<RateResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(args);
      } catch (err) {
        // Two ratings flagging each other's officer's ratings at the same moment can deadlock on
        // rows of rating_tally: PostgreSQL aborts one statement whole; it is simply run again.
        if ((err as { code?: string }).code === '40P01' && attempt < 3) continue;
        throw err;
      }
    }
  }

  private async attempt(args: RateArgs): Promise<RateResult> {
    const { rater, client, now } = args;
    assertRater(rater);
    const request = normalizeRatingInput(args.input, this.policy);
    // Statement 1 (grouped with concurrent ratings): the earlier result under the key, the ticket
    // and the anomaly rules' facts.
    const row = await this.commit.read({ ticketId: request.ticketId, citizenRef: rater.citizenRef, idempotencyKey: request.idempotencyKey, deviceRef: client.deviceRef, ipRef: client.ipRef, now });
    const found = row.ticket ? ledgerTicket(row.ticket) : null;
    if (row.replay) {
      const replay = idempotentReplay(ratingRecord(row.replay), request);
      if (replay) return { rating: replay, replayed: true, ticket: found };
    }
    const ledgerFacts = { ticket: found, rater, alreadyRated: row.rated ?? false, now, policy: this.policy };
    // The ledger's rules first: an unknown ticket, someone else's or a closed window never reaches
    // the register (which thus learns a NIK only of a citizen who is about to rate).
    assertMayRateTicket(ledgerFacts);
    const employment = await args.employment();
    const ticket = assertMayRateTicket({ ...ledgerFacts, employment });
    // The register could not be asked: the rating is accepted but held (FLAGGED) until the
    // register check says where the rater works; an officer of the ticket's agency is then
    // REJECTED (OWN_AGENCY) through moderation. Refusing it instead failed every agency's ratings
    // while one agency's system (BKPSDM's) was down.
    const unchecked = registerUnchecked(employment);
    if (unchecked !== null && !args.person) throw new Error('rateService: a rating held for the register check needs the rater');

    const period = jakartaMonth(ticket.completedAt);
    const id = randomUUID();
    // Screening (modules/moderation/screening.ts): the rules over the facts the read brought.
    const findings: FlagFinding[] = this.moderation.findings(
      { id, officerId: ticket.officerId, agencyId: ticket.agencyId, period, stars: request.stars, createdAt: now, deviceRef: client.deviceRef, ipRef: client.ipRef },
      row.facts,
    );
    if (unchecked !== null) findings.push(registerUncheckedFinding(id, unchecked));
    const status: RatingStatus = this.moderation.statusOf(id, findings);
    const values = {
      id,
      ticketId: ticket.id,
      citizenRef: rater.citizenRef,
      idempotencyKey: request.idempotencyKey,
      requestHash: request.requestHash,
      agencyId: ticket.agencyId,
      serviceId: ticket.serviceId,
      officerId: ticket.officerId,
      stars: request.stars,
      comment: request.comment,
      skm: request.skm ?? null,
      period,
      completedAt: ticket.completedAt,
      createdAt: now,
      deviceRef: client.deviceRef,
      ipRef: client.ipRef,
      status,
    };
    // Statement 2 (grouped): the rating, its flags and the other flagged ratings' status. A rating
    // held for the register check (rare: while the register is down) goes alone, with its check.
    const inserted =
      unchecked === null
        ? ((await this.commit.write({ rating: values, flags: this.moderation.flagsOf(values, findings) })) as RatingRecord | undefined)
        : await this.insertHeld(values, findings, { ratingId: id, person: args.person!, reason: unchecked, now });
    if (inserted) return { rating: inserted, replayed: false, ticket };
    // A concurrent request won: the same retry (→ its result) or another rating (→ refused).
    if (request.idempotencyKey) {
      const replay = idempotentReplay(await this.byIdempotencyKey(this.db, rater.citizenRef, request.idempotencyKey), request);
      if (replay) return { rating: replay, replayed: true, ticket };
    }
    throw new DomainError(ErrorCode.ALREADY_RATED, 'This service has already been rated.');
  }

  /** A rating held for the register check: stored with its flags and its sealed check, in one statement. */
  private async insertHeld(v: WriteItem['rating'], findings: readonly FlagFinding[], check: { ratingId: string; person: Person; reason: string; now: Date }): Promise<RatingRecord | undefined> {
    const stored = relation('stored');
    const flags = this.moderation.writeFlags(this.db, stored, this.moderation.flagsOf(v, findings));
    const held = registerCheckCte(this.db, stored, this.sealer, check);
    const [inserted] = await this.db.prepared<RatingRecord>(
      `with stored as (
         insert into ${this.db.t('rating')} as r (id, ticket_id, citizen_ref, idempotency_key, request_hash, agency_id, service_id, officer_id,
           stars, comment, skm, period, completed_at, created_at, device_ref, ip_ref, status)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::smallint[], ?, ?, ?, ?, ?, ?)
         on conflict do nothing
         returning ${RATING_COLUMNS}
       )${flags.sql}${held.sql}
       select * from stored`,
      [
        v.id,
        v.ticketId,
        v.citizenRef,
        v.idempotencyKey,
        v.requestHash,
        v.agencyId,
        v.serviceId,
        v.officerId,
        v.stars,
        v.comment,
        v.skm ? pgArray(v.skm) : null,
        v.period,
        v.completedAt,
        v.createdAt,
        v.deviceRef,
        v.ipRef,
        v.status,
        ...flags.params,
        ...held.params,
      ],
      RATING_DATES,
    );
    return inserted;
  }
}

/** A ticket read as jsonb (timestamps as ISO text). */
function ledgerTicket(j: Record<string, unknown>): LedgerTicket {
  return { ...(j as unknown as LedgerTicket), submittedAt: new Date(j.submittedAt as string), completedAt: j.completedAt ? new Date(j.completedAt as string) : null };
}

/** A rating read as jsonb (RATING_COLUMNS; timestamps as ISO text). */
function ratingRecord(j: Record<string, unknown>): RatingRecord {
  return { ...(j as unknown as RatingRecord), completedAt: new Date(j.completedAt as string), createdAt: new Date(j.createdAt as string) };
}
