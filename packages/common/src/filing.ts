/**
 * What every citizen filing mutation (population's requestDocument, licensing's applyForPermit,
 * health's bookClinicQueue, social's submitAidProposal) checks the same way, and the one
 * idempotency-key rule of every mutation that takes a key (ratings' rateService too).
 */
import type { Caller } from './caller';
import { badInput } from './errors';
import { requireCaller } from './guard';
import type { Logger } from './logger';
import type { TicketSync } from './ticket-feed';

/** Lengths an idempotency key may have; its characters are always letters, digits, `.`, `_`, `:` and `-`. */
export interface IdempotencyKeyLength {
  min: number;
  max: number;
}

/** Citizen filings at the agencies: 8–100 characters (a key short enough to collide by chance is refused). */
export const FILING_IDEMPOTENCY_KEY: IdempotencyKeyLength = { min: 8, max: 100 };
/** Ratings (rateService): 1–128 characters, as the portal and app have always sent. */
export const RATING_IDEMPOTENCY_KEY: IdempotencyKeyLength = { min: 1, max: 128 };

const KEY_CHARS = /^[A-Za-z0-9._:-]*$/;

/** Whether `key` is an idempotency key of the allowed length (counted in UTF-16 units; the allowed characters are all ASCII). */
export function isIdempotencyKey(key: string, { min, max }: IdempotencyKeyLength = FILING_IDEMPOTENCY_KEY): boolean {
  return key.length >= min && key.length <= max && KEY_CHARS.test(key);
}

/** The key, or BAD_USER_INPUT with `field: "idempotencyKey"`. */
export function requireIdempotencyKey(key: string, length: IdempotencyKeyLength = FILING_IDEMPOTENCY_KEY): string {
  if (!isIdempotencyKey(key, length)) throw badInput(`idempotencyKey must be ${length.min}–${length.max} letters, digits or ._:-`, 'idempotencyKey');
  return key;
}

/**
 * The citizen a filing is made for, from the verified caller (never from input): UNAUTHENTICATED
 * without a sign-in, FORBIDDEN ("Only citizens can <action>.") for anyone but a citizen with a NIK.
 */
export function requireCitizen(caller: Caller, action: string): { sub: string; nik: string } {
  const { sub, nik } = requireCaller(caller, { roles: ['citizen'], nik: true, forbidden: `Only citizens can ${action}.` });
  return { sub, nik };
}

/**
 * Lets the new ticket show up in `me.tickets` now rather than at the next poll of the agency's
 * change feed. It never fails the filing: a failed sync is logged and the next poll catches up.
 */
export function syncTicketsSoon(sync: TicketSync | undefined, logger: Logger, after = 'filing'): void {
  sync?.syncNow().catch((err: unknown) => logger.warn({ err }, `ticket sync after ${after} failed`));
}
