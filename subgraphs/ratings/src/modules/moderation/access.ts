import type { Caller } from '@gerbang/common';
import { DomainError, ErrorCode } from '../../lib/domain-error';

/** Moderation is the hub administrator's. */
export function assertAdmin(caller: Caller): string {
  if (!caller.sub) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first.');
  if (!caller.roles.includes('admin')) throw new DomainError(ErrorCode.FORBIDDEN, 'Only the hub administrator may moderate ratings.');
  return caller.sub;
}
