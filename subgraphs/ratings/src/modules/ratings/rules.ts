import { createHash } from 'node:crypto';
import { isIdempotencyKey, RATING_IDEMPOTENCY_KEY, type TicketStatus } from '@gerbang/common';
import { DomainError, ErrorCode } from '../../lib/domain-error';
import { DAY_MS } from '../../lib/months';
import type { FlagDecision } from '../moderation/moderation.service';

/**
 * Who may rate what, as plain functions: the subgraph's resolvers and services call these and
 * nothing else decides. Each refusal has its own code. The facts come from the ticket ledger
 * (fed by the agencies), never from the client.
 */
export interface RatingPolicy {
  /** Days after completion during which a ticket may be rated (policy: 7). */
  windowDays: number;
  /** Longest comment, in characters after trimming (policy: 1000). */
  commentMax: number;
}

export const DEFAULT_RATING_POLICY: RatingPolicy = { windowDays: 7, commentMax: 1000 };

const SKM_ANSWERS = 9;

/** A ticket as the ledger knows it. */
export interface LedgerTicket {
  id: string;
  agencyId: string;
  citizenRef: string;
  serviceId: string;
  officerId: string | null;
  status: TicketStatus;
  submittedAt: Date;
  completedAt: Date | null;
}

export interface RateInput {
  ticketId: string;
  stars: number;
  comment?: string | null;
  skm?: readonly number[] | null;
  idempotencyKey?: string | null;
}

export interface NormalizedRating {
  ticketId: string;
  stars: number;
  comment: string | null;
  skm: number[] | null;
  idempotencyKey: string | null;
  /** Fingerprint of what was asked, to tell an idempotent retry from a reused key. */
  requestHash: string;
}

/** The caller, reduced to what the rules need. */
export interface Rater {
  signedIn: boolean;
  /** Keyed hash of the caller's NIK; null when the caller has none (not a citizen). */
  citizenRef: string | null;
  /** Staff tokens: the agency the token says they work for. */
  agencyId?: string | null;
}

/**
 * What BKPSDM's staff register says about the rater: the agencies whose rosters list them (by NIK,
 * or NIP), or that it could not be asked. This decides OWN_AGENCY, not the token: an officer who
 * signs in with a citizen-only token carries no agency claim and is still an officer.
 */
export type Employment = { agencyIds: readonly string[] } | { unavailable: string };

/** How long a held rating waits for the register before a moderator decides it (policy: 7 days). */
export interface RegisterCheckPolicy {
  /** Days after the rating after which the check stops asking and leaves the flag to a moderator. */
  maxAgeDays: number;
}

export const DEFAULT_REGISTER_CHECK_POLICY: RegisterCheckPolicy = { maxAgeDays: 7 };

/**
 * Why a rating that passed every rule must be held for the register check: the register could not
 * be asked (its reason), or null when it answered. One agency's system being down must not fail
 * every other agency's ratings, nor cost citizens their chance to rate while the visit is fresh:
 * such a rating is accepted, but held (FLAGGED, left out of every figure) until the register says
 * where the rater works.
 */
export function registerUnchecked(employment: Employment): string | null {
  return 'unavailable' in employment ? employment.unavailable : null;
}

/**
 * The later check's verdict on a held rating, from what the register now says: listed at the
 * rating's agency → REJECT (OWN_AGENCY, as the rating would have been refused at once), else
 * ACCEPT (the rating counts once no other flag holds it). The note goes to the flag and the log.
 */
export function registerCheckVerdict(agencyIds: readonly string[], ratingAgencyId: string): { decision: FlagDecision; note: string } {
  return agencyIds.includes(ratingAgencyId)
    ? { decision: 'REJECT', note: `${ErrorCode.OWN_AGENCY}: BKPSDM's staff register lists the rater at this rating's agency.` }
    : { decision: 'ACCEPT', note: "BKPSDM's staff register does not list the rater at this rating's agency." };
}

/** A check still unanswered this long after its rating is left to a moderator. */
export const registerCheckExpired = (heldAt: Date, now: Date, policy: RegisterCheckPolicy) => now.getTime() - heldAt.getTime() >= policy.maxAgeDays * DAY_MS;

const bad = (message: string, field: string) => new DomainError(ErrorCode.BAD_USER_INPUT, message, { field });

/** Validates and normalises the input (comment trimmed, empty comment → null). */
export function normalizeRatingInput(input: RateInput, policy: RatingPolicy): NormalizedRating {
  if (typeof input.ticketId !== 'string' || !input.ticketId.trim()) throw bad('ticketId is required.', 'ticketId');
  if (!Number.isInteger(input.stars) || input.stars < 1 || input.stars > 5) throw bad('Stars must be a whole number from 1 to 5.', 'stars');
  let comment: string | null = null;
  if (input.comment !== undefined && input.comment !== null) {
    const trimmed = input.comment.trim();
    if ([...trimmed].length > policy.commentMax) throw bad(`The comment is limited to ${policy.commentMax} characters.`, 'comment'); // eslint-disable-line @typescript-eslint/no-misused-spread -- the limit counts code points on purpose (an emoji is one character, not two UTF-16 units)
    comment = trimmed || null;
  }
  let skm: number[] | null = null;
  if (input.skm !== undefined && input.skm !== null) {
    if (input.skm.length !== SKM_ANSWERS) throw bad(`The satisfaction survey has exactly ${SKM_ANSWERS} answers.`, 'skm');
    if (!input.skm.every((a) => Number.isInteger(a) && a >= 1 && a <= 4)) throw bad('Each satisfaction answer is a whole number from 1 to 4.', 'skm');
    skm = [...input.skm];
  }
  let idempotencyKey: string | null = null;
  if (input.idempotencyKey !== undefined && input.idempotencyKey !== null) {
    if (!isIdempotencyKey(input.idempotencyKey, RATING_IDEMPOTENCY_KEY)) {
      throw bad('idempotencyKey is 1–128 characters of letters, digits, ".", "_", ":" or "-".', 'idempotencyKey');
    }
    idempotencyKey = input.idempotencyKey;
  }
  const ticketId = input.ticketId.trim();
  const requestHash = createHash('sha256')
    .update(JSON.stringify([ticketId, input.stars, comment, skm]))
    .digest('base64url');
  return { ticketId, stars: input.stars, comment, skm, idempotencyKey, requestHash };
}

/** Only a signed-in citizen (someone with a NIK) rates. */
export function assertRater(rater: Rater): asserts rater is Rater & { citizenRef: string } {
  if (!rater.signedIn) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in to rate a service.');
  if (!rater.citizenRef) throw new DomainError(ErrorCode.FORBIDDEN, 'Only the citizen who received a service may rate it.');
}

/**
 * A retry with the same idempotency key: the same request gets the first result back; a different
 * request under a key already used is refused rather than silently answered with the old rating.
 */
export function idempotentReplay<T extends { requestHash: string }>(earlier: T | null | undefined, request: NormalizedRating): T | null {
  if (!earlier) return null;
  if (earlier.requestHash !== request.requestHash) {
    throw new DomainError(ErrorCode.IDEMPOTENCY_CONFLICT, 'This idempotency key was already used for a different rating.');
  }
  return earlier;
}

export const ratingWindowClosesAt = (completedAt: Date, policy: Pick<RatingPolicy, 'windowDays'>) => new Date(completedAt.getTime() + policy.windowDays * DAY_MS);

export interface Refusal {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * One answer for "no such ticket" and "not yours": telling them apart would let anyone with a
 * citizen token probe which ticket ids exist (and so which agency serves how many people).
 */
const NO_SUCH_TICKET: Refusal = { code: ErrorCode.NOT_FOUND, message: 'No such ticket of yours.', details: { field: 'ticketId' } };

/** What the ticket-level rules look at: the ticket, who rates it, and when. */
interface TicketRuleArgs {
  ticket: LedgerTicket | null | undefined;
  rater: Rater & { citizenRef: string };
  alreadyRated: boolean;
  now: Date;
  policy: RatingPolicy;
  employment?: Employment;
}

/**
 * Why a ticket may not be rated now (the first rule that fails), or null when it may.
 *
 * `employment` is what BKPSDM's register says about the rater: absent, only the token's agency is
 * checked (the ticket list's `canRate`, which does not ask the register); present, an agency of the
 * register is as good as the token's. A register that could not be asked refuses nothing here:
 * the rating is held for a later check (`registerUnchecked`).
 */
export function ticketRefusal(args: TicketRuleArgs): Refusal | null {
  const { ticket, rater, alreadyRated, now, policy, employment } = args;
  if (ticket?.citizenRef !== rater.citizenRef) return NO_SUCH_TICKET;
  const ownAgency = (rater.agencyId && rater.agencyId === ticket.agencyId) || (employment && 'agencyIds' in employment && employment.agencyIds.includes(ticket.agencyId));
  if (ownAgency) return { code: ErrorCode.OWN_AGENCY, message: 'Staff may not rate a service of their own agency.' };
  if (ticket.status !== 'COMPLETED' || !ticket.completedAt) {
    return { code: ErrorCode.TICKET_NOT_COMPLETED, message: 'Only a completed service can be rated.' };
  }
  if (alreadyRated) return { code: ErrorCode.ALREADY_RATED, message: 'This service has already been rated.' };
  if (now.getTime() > ratingWindowClosesAt(ticket.completedAt, policy).getTime()) {
    return { code: ErrorCode.RATING_WINDOW_CLOSED, message: `Ratings are accepted up to ${policy.windowDays} days after completion.` };
  }
  return null;
}

/**
 * The ticket-level rules, in the order a citizen would want to hear them. Throws the first
 * that fails; returns the ticket (completed) when the rater may rate it now.
 */
export function assertMayRateTicket(args: TicketRuleArgs): LedgerTicket & { completedAt: Date } {
  const refusal = ticketRefusal(args);
  if (refusal) throw new DomainError(refusal.code, refusal.message, refusal.details);
  return args.ticket as LedgerTicket & { completedAt: Date };
}

/** `canRate` for the ticket list: the same rules, answered as a boolean (no error is built). */
export function canRate(args: { ticket: LedgerTicket; rater: Rater; alreadyRated: boolean; now: Date; policy: RatingPolicy }): boolean {
  const { rater } = args;
  if (!rater.signedIn || !rater.citizenRef) return false;
  return ticketRefusal({ ...args, rater: { ...rater, citizenRef: rater.citizenRef } }) === null;
}
