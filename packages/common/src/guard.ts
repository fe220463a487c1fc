import { hasRole, type Caller, type Role } from './caller';
import { forbidden, unauthenticated } from './errors';

/** A caller with a verified sign-in. */
export type SignedIn = Caller & { sub: string };
/** A signed-in caller whose token carries a NIK (a citizen's sign-in). */
export type SignedInCitizen = SignedIn & { nik: string };

/** What a service asks of its caller, beyond a sign-in. Every condition given must hold. */
export interface CallerRule {
  /** Any one of these roles qualifies. */
  roles?: readonly Role[];
  /** The token must carry a NIK; the result is then typed as a citizen's. */
  nik?: boolean;
  /** Anything else that must hold (an agency's officers, the record's owner), asked last. */
  when?: (caller: SignedIn) => boolean;
  /** The FORBIDDEN message when a condition fails (common's default otherwise). */
  forbidden?: string;
  /** The UNAUTHENTICATED message without a sign-in (common's default otherwise). */
  unauthenticated?: string;
}

/**
 * The one caller guard of the subgraphs' services: UNAUTHENTICATED without a sign-in, then
 * FORBIDDEN unless the caller has one of `roles`, a NIK when `nik` is set, and passes `when`. It
 * returns the caller, typed by what it checked, so a service reads `sub` and `nik` without
 * asserting them.
 */
export function requireCaller(caller: Caller, rule: CallerRule & { nik: true }): SignedInCitizen;
export function requireCaller(caller: Caller, rule?: CallerRule): SignedIn;
export function requireCaller(caller: Caller, rule: CallerRule = {}): SignedIn {
  if (!caller.sub) throw unauthenticated(rule.unauthenticated);
  const signedIn = caller as SignedIn;
  const qualifies = (!rule.nik || !!caller.nik) && (!rule.roles || hasRole(caller, ...rule.roles)) && (!rule.when || rule.when(signedIn));
  if (!qualifies) throw forbidden(rule.forbidden);
  return signedIn;
}

/**
 * The agency system's record behind one of the agency's tickets, for a caller who may read it:
 * null for another agency's ticket (`localId` null) or a record the system does not have (`loader`:
 * the subgraph's DataLoader); FORBIDDEN when `mayRead` refuses it.
 */
export async function recordOfTicket<T>(localId: string | null, loader: { load(id: string): Promise<T | null> }, mayRead: (record: T) => boolean): Promise<T | null> {
  if (!localId) return null;
  const record = await loader.load(localId);
  if (!record) return null;
  if (!mayRead(record)) throw forbidden('This is not your ticket.');
  return record;
}
