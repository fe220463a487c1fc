import type { TicketStatus } from '@gerbang/common';

/**
 * Database rows of the ratings subgraph, as its SQL returns them (the tables: migrations/). The SQL
 * lives in the services: aggregates, upserts, group commit and the moderation flags are written by
 * hand, so MikroORM serves the connection, transactions and migrations here, with no entity
 * schemas. API types are separate.
 */
export interface TicketRow {
  id: string;
  agencyId: string;
  citizenRef: string;
  serviceId: string;
  officerId: string | null;
  status: TicketStatus;
  submittedAt: Date;
  completedAt: Date | null;
  completedPeriod: string | null;
  version: string;
  updatedAt: Date;
}

export type RatingStatus = 'VALID' | 'FLAGGED' | 'REJECTED';

export interface RatingRow {
  id: string;
  ticketId: string;
  citizenRef: string;
  idempotencyKey: string | null;
  requestHash: string;
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
  deviceRef: string | null;
  ipRef: string | null;
  status: RatingStatus;
}

export type FlagStatus = 'OPEN' | 'ACCEPTED' | 'REJECTED';

export interface RatingFlagRow {
  id: string;
  ratingId: string;
  rule: string;
  details: Record<string, unknown>;
  status: FlagStatus;
  createdAt: Date;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  reviewNote: string | null;
}

export interface ModerationLogRow {
  id: string;
  at: Date;
  actor: string;
  action: 'REVIEW_FLAG' | 'HIDE_COMMENT' | 'HAND_OVER';
  ratingId: string;
  flagId: string | null;
  decision: string | null;
  note: string;
}

/**
 * A rating held for BKPSDM's register (rule REGISTER_UNCHECKED): what the later check needs, until
 * it is resolved. `person` is the rater's NIK (and the token's NIP) sealed with AES-256-GCM, bound
 * to the rating's id (lib/sealed.ts); never a plain NIK.
 */
export interface RegisterCheckRow {
  ratingId: string;
  person: Buffer;
  createdAt: Date;
  attempts: number;
  lastAttemptAt: Date | null;
  lastError: string | null;
  nextAttemptAt: Date;
}

export interface TppReportRow {
  agencyId: string;
  month: string;
  finalizedAt: Date;
  finalizedBy: string;
  snapshot: string;
  contentHash: string;
}

export type AppealStatus = 'OPEN' | 'UPHELD' | 'REJECTED';

export interface TppAppealRow {
  id: string;
  agencyId: string;
  month: string;
  officerId: string;
  reason: string;
  filedBy: string;
  filedAt: Date;
  status: AppealStatus;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  resolutionNote: string | null;
}

export interface AccessLogRow {
  id: string;
  at: Date;
  actor: string;
  roles: string;
  action: string;
  subject: Record<string, unknown>;
}

/** No entity schemas: MikroORM is given none (the rows above are what the SQL returns). */
export const entities: never[] = [];
