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
  UPSTREAM_INVALID: 'UPSTREAM_INVALID',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  RATE_LIMITED: 'RATE_LIMITED',
  OVERLOADED: 'OVERLOADED',
  PERSISTED_QUERY_REQUIRED: 'PERSISTED_QUERY_REQUIRED',
  PERSISTED_QUERY_HASH_MISMATCH: 'PERSISTED_QUERY_HASH_MISMATCH',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  INSIGHTS_BUDGET_EXCEEDED: 'INSIGHTS_BUDGET_EXCEEDED',
  ATTACHMENT_TYPE_NOT_ALLOWED: 'ATTACHMENT_TYPE_NOT_ALLOWED',
  ATTACHMENT_TOO_LARGE: 'ATTACHMENT_TOO_LARGE',
  ATTACHMENT_MISMATCH: 'ATTACHMENT_MISMATCH',
  ATTACHMENT_NOT_UPLOADED: 'ATTACHMENT_NOT_UPLOADED',
  SIGNED_URL_EXPIRED: 'SIGNED_URL_EXPIRED',
  SIGNED_URL_INVALID: 'SIGNED_URL_INVALID',
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

export const badInput = (message: string, field?: string) => new GerbangError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
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
  constructor(service: string, reason: string, extensions: { retryAfter?: number } = {}) {
    super(ErrorCode.UPSTREAM_UNAVAILABLE, `${service} is not available right now. Try again later.`, { service, reason, ...extensions });
  }
}

/** Seconds a client is told to wait before retrying an operation that met a dependency outage. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** Socket errors of a dependency that cannot be reached, as Node's clients (pg, ioredis) raise them. */
const SOCKET_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'host unreachable',
};

/** SQLSTATEs of a database that is down, going down, starting, or full (PostgreSQL appendix A). */
function sqlStateReason(code: string): string | undefined {
  if (code === '57P01') return 'database: shutting down (57P01 admin shutdown)';
  if (code === '57P02') return 'database: crashed (57P02)';
  if (code === '57P03') return 'database: not accepting connections yet (57P03)';
  if (code === '53300') return 'database: too many connections (53300)';
  if (/^08[0-9A-Z]{3}$/.test(code)) return `database: connection failure (${code})`;
  return undefined;
}

/**
 * Whether an unexpected error is an outage of a dependency (the subgraph's database above all)
 * rather than a bug, and why, in words safe to show (no host, port or SQL). Recognised: socket
 * errors (ECONNREFUSED …), PostgreSQL's shutdown and connection SQLSTATEs (57P01-03, 53300, class
 * 08), pg's "Connection terminated", knex's pool acquire timeout, MikroORM's ConnectionException;
 * through `originalError`, `cause` and AggregateError's `errors` (pg reports one per address).
 */
export function outageReason(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 5) return undefined;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; originalError?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (code && SOCKET_CODES[code]) return SOCKET_CODES[code];
  const sql = code ? sqlStateReason(code) : undefined;
  if (sql) return sql;
  if (name === 'KnexTimeoutError' || message.startsWith('Knex: Timeout acquiring a connection')) return 'database: no pooled connection free in time';
  if (/^Connection terminated( unexpectedly)?$/.test(message) || message === 'Client was closed and is not queryable') return 'database: connection lost';
  if (name === 'ConnectionException') return 'database: connection failure';
  for (const inner of [e.originalError, e.cause, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])]) {
    const reason = outageReason(inner, depth + 1);
    if (reason) return reason;
  }
  return undefined;
}

/** Codes graphql-js / Apollo Server produce themselves for malformed requests and operations. */
export const REQUEST_ERROR_CODES = [
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
] as const;

// INTERNAL_SERVER_ERROR is what Apollo Server gives every plain Error: never pass its message on.
const SAFE_CODES = new Set<string>(Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR));
for (const c of REQUEST_ERROR_CODES) SAFE_CODES.add(c);

/**
 * What a subgraph answers for an error (its Apollo Server's formatError): domain errors pass with
 * their code; an outage of a dependency (its database down, restarting, out of connections) is
 * UPSTREAM_UNAVAILABLE naming the subgraph, with the reason and `retryAfter` seconds, so that
 * clients retry it and operators read a warning, not a bug's stack trace (while PostgreSQL was
 * down, every rateService answered INTERNAL_SERVER_ERROR); anything else is masked and logged as
 * an error. The gateway passes UPSTREAM_UNAVAILABLE through as it is.
 */
export function maskSubgraphError(
  formatted: GraphQLFormattedError,
  error: unknown,
  service: string,
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void },
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const reason = typeof code === 'string' && SAFE_CODES.has(code) ? undefined : outageReason(error);
  if (reason) {
    log.warn({ service, reason, path: formatted.path }, 'dependency unavailable');
    const outage = new UpstreamUnavailableError(service, reason, { retryAfter: OUTAGE_RETRY_AFTER_SECONDS });
    return {
      message: outage.message,
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: outage.extensions,
    };
  }
  return maskError(formatted, () => log.error({ err: error, path: formatted.path }, 'unexpected error in resolver'));
}

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
