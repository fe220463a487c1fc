import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * The fixed set of error codes clients may rely on (documented in README.md).
 * A code is part of the API: never rename one, only add.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_RATED: 'ALREADY_RATED',
  RATING_WINDOW_CLOSED: 'RATING_WINDOW_CLOSED',
  TICKET_NOT_COMPLETED: 'TICKET_NOT_COMPLETED',
  OWN_AGENCY: 'OWN_AGENCY',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  PERIOD_NOT_CLOSED: 'PERIOD_NOT_CLOSED',
  ALREADY_FINALIZED: 'ALREADY_FINALIZED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_REJECTED: 'UPSTREAM_REJECTED',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  RATE_LIMITED: 'RATE_LIMITED',
  OVERLOADED: 'OVERLOADED',
  PERSISTED_QUERY_REQUIRED: 'PERSISTED_QUERY_REQUIRED',
  PERSISTED_QUERY_HASH_MISMATCH: 'PERSISTED_QUERY_HASH_MISMATCH',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A domain error: safe to show to the client, with a stable code. */
export class GerbangError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'GerbangError';
  }
  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

export const badInput = (message: string, field?: string) =>
  new GerbangError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
export const notFound = (what: string, field?: string) => new GerbangError(ErrorCode.NOT_FOUND, `${what} not found.`, field ? { field } : {});

/**
 * The one rule for a field that looks a record up by the id or key the client sends (README,
 * "Errors"): no such record is a NOT_FOUND error naming the argument, not a silent null, so a client
 * tells "no such thing" from "hidden" (FORBIDDEN) and "system down" (UPSTREAM_UNAVAILABLE) by code
 * alone. `field` names the argument when one argument is the key. Such fields stay nullable in the
 * schema, so the error nulls only that field and the rest of the response still answers.
 */
export function mustExist<T>(record: T | null | undefined, what: string, field?: string): T {
  if (record === null || record === undefined) throw notFound(what, field);
  return record;
}
export const forbidden = (message = 'You may not do this.') => new GerbangError(ErrorCode.FORBIDDEN, message);
export const unauthenticated = (message = 'Sign in first.') => new GerbangError(ErrorCode.UNAUTHENTICATED, message);

/** An agency system failed or is unreachable; `service` names it for operators. */
export class UpstreamUnavailableError extends GerbangError {
  constructor(service: string, reason: string) {
    super(ErrorCode.UPSTREAM_UNAVAILABLE, `${service} is not available right now. Try again later.`, { service, reason });
  }
}

/** Codes graphql-js / Apollo Server produce themselves for malformed requests and operations. */
export const REQUEST_ERROR_CODES = ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE'] as const;

// INTERNAL_SERVER_ERROR is what Apollo Server gives every plain Error: never pass its message on.
const SAFE_CODES = new Set<string>(Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR));
for (const c of REQUEST_ERROR_CODES) SAFE_CODES.add(c);

/**
 * One place turns every error into what a client sees: domain errors pass with their code,
 * anything unexpected is masked (and must have been logged by the caller with the request id).
 */
export function maskError(formatted: GraphQLFormattedError, onUnexpected?: (e: GraphQLFormattedError) => void): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && SAFE_CODES.has(code)) {
    const { stacktrace: _s, exception: _e, ...ext } = formatted.extensions ?? {};
    return { ...formatted, extensions: ext };
  }
  onUnexpected?.(formatted);
  return {
    message: 'Internal error.',
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
