import { EntitySchema } from '@mikro-orm/core';
import type { TicketStatus } from '@gerbang/common';

/**
 * Database rows of the ratings subgraph. The SQL lives in the services (aggregates and upserts
 * are written by hand); these schemas document the tables for MikroORM. API types are separate.
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

export const TicketEntity = new EntitySchema<TicketRow>({
  name: 'TicketRow',
  tableName: 'ticket',
  properties: {
    id: { type: 'string', primary: true },
    agencyId: { type: 'string', fieldName: 'agency_id' },
    citizenRef: { type: 'string', fieldName: 'citizen_ref' },
    serviceId: { type: 'string', fieldName: 'service_id' },
    officerId: { type: 'string', fieldName: 'officer_id', nullable: true },
    status: { type: 'string' },
    submittedAt: { type: 'Date', fieldName: 'submitted_at', columnType: 'timestamptz' },
    completedAt: { type: 'Date', fieldName: 'completed_at', columnType: 'timestamptz', nullable: true },
    completedPeriod: { type: 'string', fieldName: 'completed_period', nullable: true },
    version: { type: 'bigint', columnType: 'bigint' },
    updatedAt: { type: 'Date', fieldName: 'updated_at', columnType: 'timestamptz' },
  },
});

export const RatingEntity = new EntitySchema<RatingRow>({
  name: 'RatingRow',
  tableName: 'rating',
  properties: {
    id: { type: 'string', primary: true },
    ticketId: { type: 'string', fieldName: 'ticket_id', unique: true },
    citizenRef: { type: 'string', fieldName: 'citizen_ref' },
    idempotencyKey: { type: 'string', fieldName: 'idempotency_key', nullable: true },
    requestHash: { type: 'string', fieldName: 'request_hash' },
    agencyId: { type: 'string', fieldName: 'agency_id' },
    serviceId: { type: 'string', fieldName: 'service_id' },
    officerId: { type: 'string', fieldName: 'officer_id', nullable: true },
    stars: { type: 'smallint' },
    comment: { type: 'text', nullable: true },
    commentHidden: { type: 'boolean', fieldName: 'comment_hidden' },
    skm: { type: 'number[]', columnType: 'smallint[]', nullable: true },
    period: { type: 'string' },
    completedAt: { type: 'Date', fieldName: 'completed_at', columnType: 'timestamptz' },
    createdAt: { type: 'Date', fieldName: 'created_at', columnType: 'timestamptz' },
    deviceRef: { type: 'string', fieldName: 'device_ref', nullable: true },
    ipRef: { type: 'string', fieldName: 'ip_ref', nullable: true },
    status: { type: 'string' },
  },
});

export const RatingFlagEntity = new EntitySchema<RatingFlagRow>({
  name: 'RatingFlagRow',
  tableName: 'rating_flag',
  properties: {
    id: { type: 'string', primary: true },
    ratingId: { type: 'string', fieldName: 'rating_id' },
    rule: { type: 'string' },
    details: { type: 'json', columnType: 'jsonb' },
    status: { type: 'string' },
    createdAt: { type: 'Date', fieldName: 'created_at', columnType: 'timestamptz' },
    reviewedBy: { type: 'string', fieldName: 'reviewed_by', nullable: true },
    reviewedAt: { type: 'Date', fieldName: 'reviewed_at', columnType: 'timestamptz', nullable: true },
    reviewNote: { type: 'text', fieldName: 'review_note', nullable: true },
  },
});

export const ModerationLogEntity = new EntitySchema<ModerationLogRow>({
  name: 'ModerationLogRow',
  tableName: 'moderation_log',
  properties: {
    id: { type: 'bigint', primary: true },
    at: { type: 'Date', columnType: 'timestamptz' },
    actor: { type: 'string' },
    action: { type: 'string' },
    ratingId: { type: 'string', fieldName: 'rating_id' },
    flagId: { type: 'string', fieldName: 'flag_id', nullable: true },
    decision: { type: 'string', nullable: true },
    note: { type: 'text' },
  },
});

export const RegisterCheckEntity = new EntitySchema<RegisterCheckRow>({
  name: 'RegisterCheckRow',
  tableName: 'register_check',
  properties: {
    ratingId: { type: 'string', fieldName: 'rating_id', primary: true },
    person: { type: 'Buffer', columnType: 'bytea' },
    createdAt: { type: 'Date', fieldName: 'created_at', columnType: 'timestamptz' },
    attempts: { type: 'integer' },
    lastAttemptAt: { type: 'Date', fieldName: 'last_attempt_at', columnType: 'timestamptz', nullable: true },
    lastError: { type: 'text', fieldName: 'last_error', nullable: true },
    nextAttemptAt: { type: 'Date', fieldName: 'next_attempt_at', columnType: 'timestamptz' },
  },
});

export const TppReportEntity = new EntitySchema<TppReportRow>({
  name: 'TppReportRow',
  tableName: 'tpp_report',
  properties: {
    agencyId: { type: 'string', fieldName: 'agency_id', primary: true },
    month: { type: 'string', primary: true },
    finalizedAt: { type: 'Date', fieldName: 'finalized_at', columnType: 'timestamptz' },
    finalizedBy: { type: 'string', fieldName: 'finalized_by' },
    snapshot: { type: 'text' },
    contentHash: { type: 'string', fieldName: 'content_hash' },
  },
});

export const TppAppealEntity = new EntitySchema<TppAppealRow>({
  name: 'TppAppealRow',
  tableName: 'tpp_appeal',
  properties: {
    id: { type: 'string', primary: true },
    agencyId: { type: 'string', fieldName: 'agency_id' },
    month: { type: 'string' },
    officerId: { type: 'string', fieldName: 'officer_id' },
    reason: { type: 'text' },
    filedBy: { type: 'string', fieldName: 'filed_by' },
    filedAt: { type: 'Date', fieldName: 'filed_at', columnType: 'timestamptz' },
    status: { type: 'string' },
    resolvedBy: { type: 'string', fieldName: 'resolved_by', nullable: true },
    resolvedAt: { type: 'Date', fieldName: 'resolved_at', columnType: 'timestamptz', nullable: true },
    resolutionNote: { type: 'text', fieldName: 'resolution_note', nullable: true },
  },
});

export const AccessLogEntity = new EntitySchema<AccessLogRow>({
  name: 'AccessLogRow',
  tableName: 'access_log',
  properties: {
    id: { type: 'bigint', primary: true },
    at: { type: 'Date', columnType: 'timestamptz' },
    actor: { type: 'string' },
    roles: { type: 'string' },
    action: { type: 'string' },
    subject: { type: 'json', columnType: 'jsonb' },
  },
});

export const entities = [TicketEntity, RatingEntity, RatingFlagEntity, ModerationLogEntity, RegisterCheckEntity, TppReportEntity, TppAppealEntity, AccessLogEntity];
