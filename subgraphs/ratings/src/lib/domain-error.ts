import { ErrorCode, GerbangError } from '@gerbang/common';

/**
 * A refusal by one of the rules (ratings, TPP, moderation). Rule modules throw this plain error,
 * free of GraphQL; `toGerbangError` is the one place that turns it into the client-facing error.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

export function toGerbangError(e: DomainError): GerbangError {
  return new GerbangError(e.code, e.message, e.details);
}

export { ErrorCode };
