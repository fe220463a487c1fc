import type { Caller } from '@gerbang/common';
import { DomainError, ErrorCode } from '../../lib/domain-error';

/**
 * Which rows of a TPP report a caller may read: HR and the hub administrator all, an officer their
 * own; nobody else. The administrator reads everything in the hub (the clients' contract), and TPP
 * is where their moderation lands: accepting or rejecting a flagged rating moves an officer's pay,
 * so they must be able to see the figures they affect and look into an appeal. Every read is
 * recorded with the reader's roles (access_log), an administrator's like HR's.
 */
export type TppScope = { kind: 'all' } | { kind: 'own'; officerId: string };

/** Roles that read every row of every agency's report and every appeal. */
const TPP_READ_ALL_ROLES = ['hr', 'admin'] as const;

const has = (caller: Caller, role: string) => (caller.roles as readonly string[]).includes(role);

export const readsAllTpp = (caller: Caller) => TPP_READ_ALL_ROLES.some((role) => has(caller, role));

export function tppReadScope(caller: Caller, agencyId: string): TppScope {
  if (!caller.sub) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first.');
  if (readsAllTpp(caller)) return { kind: 'all' };
  if (has(caller, 'officer') && caller.nip && caller.agencyId === agencyId) return { kind: 'own', officerId: caller.nip };
  throw new DomainError(ErrorCode.FORBIDDEN, "Only HR, administrators and the agency's own officers may read TPP figures.");
}

/**
 * Finalising a month and resolving appeals are HR's alone, administrators included: they set pay,
 * which is BKPSDM's act, and an administrator already decides which flagged ratings count; one
 * person who could also freeze the month could set an officer's pay alone (separation of duties).
 */
export function assertHr(caller: Caller): string {
  if (!caller.sub) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first.');
  if (!has(caller, 'hr')) throw new DomainError(ErrorCode.FORBIDDEN, 'Only HR (BKPSDM) may do this.');
  return caller.sub;
}

/** An officer acting on their own figures at their own agency. */
export function assertOwnOfficer(caller: Caller, agencyId: string): { sub: string; officerId: string } {
  if (!caller.sub) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first.');
  if (!has(caller, 'officer') || !caller.nip) throw new DomainError(ErrorCode.FORBIDDEN, 'Only officers may appeal TPP figures.');
  if (caller.agencyId !== agencyId) throw new DomainError(ErrorCode.FORBIDDEN, 'You may appeal only the figures of your own agency.');
  return { sub: caller.sub, officerId: caller.nip };
}
