import { randomUUID } from 'node:crypto';
import { jakartaMonth, pgArray } from '@gerbang/common';
import type { RatingStatus } from '../../entities';
import type { Sql } from '../../lib/sql';
import { DomainError, ErrorCode } from '../../lib/domain-error';
import type { ModerationService } from '../moderation/moderation.service';
import {
  assertMayRateTicket,
  assertRater,
  idempotentReplay,
  normalizeRatingInput,
  type LedgerTicket,
  type RateInput,
  type Rater,
  type RatingPolicy,
} from './rules';

/** A stored rating as the subgraph works with it; the rater's references are never selected. */
export interface RatingRecord {
  id: string;
  ticketId: string;
  agencyId: string;
  serviceId: string;
  officerId: string | null;
  stars: number;
  comment: string | null;
  commentHidden: boolean;
  skm: number[] | null;
  period: string;
  completedAt: Date;
  createdAt: Date;
  status: RatingStatus;
  requestHash: string;
}

export const RATING_COLUMNS = `r.id, r.ticket_id as "ticketId", r.agency_id as "agencyId", r.service_id as "serviceId", r.officer_id as "officerId",
  r.stars, r.comment, r.comment_hidden as "commentHidden", r.skm, r.period, r.completed_at as "completedAt", r.created_at as "createdAt",
  r.status, r.request_hash as "requestHash"`;

export const RATING_DATES = ['completedAt', 'createdAt'];

export interface ClientRefs {
  deviceRef: string | null;
  ipRef: string | null;
}

export class RatingsService {
  constructor(
    private readonly db: Sql,
    private readonly policy: RatingPolicy,
    private readonly moderation: ModerationService,
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
   */
  async rate(args: { rater: Rater; input: RateInput; client: ClientRefs; now: Date }): Promise<{ rating: RatingRecord; replayed: boolean }> {
    const { rater, client, now } = args;
    assertRater(rater);
    const request = normalizeRatingInput(args.input, this.policy);
    if (request.idempotencyKey) {
      const replay = idempotentReplay(await this.byIdempotencyKey(this.db, rater.citizenRef, request.idempotencyKey), request);
      if (replay) return { rating: replay, replayed: true };
    }
    const found = await this.db.one<LedgerTicket & { rated: boolean }>(
      `select t.id, t.agency_id as "agencyId", t.citizen_ref as "citizenRef", t.service_id as "serviceId", t.officer_id as "officerId",
              t.status, t.submitted_at as "submittedAt", t.completed_at as "completedAt",
              exists (select 1 from ${this.db.t('rating')} r where r.ticket_id = t.id) as rated
       from ${this.db.t('ticket')} t where t.id = ?`,
      [request.ticketId],
      ['submittedAt', 'completedAt'],
    );
    let ticket: ReturnType<typeof assertMayRateTicket>;
    try {
      ticket = assertMayRateTicket({ ticket: found, rater, alreadyRated: found?.rated ?? false, now, policy: this.policy });
    } catch (err) {
      // A retry that raced its own first attempt (stored between our two reads) is still a retry.
      if (err instanceof DomainError && err.code === ErrorCode.ALREADY_RATED && request.idempotencyKey) {
        const replay = idempotentReplay(await this.byIdempotencyKey(this.db, rater.citizenRef, request.idempotencyKey), request);
        if (replay) return { rating: replay, replayed: true };
      }
      throw err;
    }

    return this.db.transaction(async (tx) => {
      const inserted = await tx.one<RatingRecord>(
        `insert into ${tx.t('rating')} as r (id, ticket_id, citizen_ref, idempotency_key, request_hash, agency_id, service_id, officer_id,
           stars, comment, skm, period, completed_at, created_at, device_ref, ip_ref)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::smallint[], ?, ?, ?, ?, ?)
         on conflict do nothing
         returning ${RATING_COLUMNS}`,
        [
          randomUUID(),
          ticket.id,
          rater.citizenRef,
          request.idempotencyKey,
          request.requestHash,
          ticket.agencyId,
          ticket.serviceId,
          ticket.officerId,
          request.stars,
          request.comment,
          request.skm ? pgArray(request.skm) : null,
          jakartaMonth(ticket.completedAt),
          ticket.completedAt,
          now,
          client.deviceRef,
          client.ipRef,
        ],
        RATING_DATES,
      );
      if (!inserted) {
        // A concurrent request won: the same retry (→ its result) or another rating (→ refused).
        if (request.idempotencyKey) {
          const replay = idempotentReplay(await this.byIdempotencyKey(tx, rater.citizenRef, request.idempotencyKey), request);
          if (replay) return { rating: replay, replayed: true };
        }
        throw new DomainError(ErrorCode.ALREADY_RATED, 'This service has already been rated.');
      }
      const findings = await this.moderation.screen(tx, { ...inserted, deviceRef: client.deviceRef, ipRef: client.ipRef }, now);
      const status: RatingStatus = findings.some((f) => f.ratingIds.includes(inserted.id)) ? 'FLAGGED' : inserted.status;
      return { rating: { ...inserted, status }, replayed: false };
    });
  }
}
