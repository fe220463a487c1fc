import type { Caller } from '@gerbang/common';
import { DomainError, ErrorCode } from '../../lib/domain-error';

/**
 * Which rows of a TPP report a caller may read: HR all, an officer their own. Nobody else, not even
 * the hub administrator: the rows carry TPP bases, which only the officer and HR may read.
 */
export type TppScope = { kind: 'all' } | { kind: 'own'; officerId: string };

const has = (caller: Caller, role: string) => (caller.roles as readonly string[]).includes(role);

export function tppReadScope(caller: Caller, agencyId: string): TppScope {
  if (!caller.sub) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first.');
  if (has(caller, 'hr')) return { kind: 'all' };
  if (has(caller, 'officer') && caller.nip && caller.agencyId === agencyId) return { kind: 'own', officerId: caller.nip };
  throw new DomainError(ErrorCode.FORBIDDEN, 'Only HR and the agency\'s own officers may read TPP figures.');
}

/** Finalising a month and resolving appeals are HR's alone. */
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
