import CircuitBreaker from 'opossum';
import { z } from 'zod';
import { ErrorCode, GerbangError, UpstreamUnavailableError } from './errors';
import { createLogger, type Logger } from './logger';
import { requestIdHeaders } from './request-context';

/**
 * The agency system said no to this particular request (bad input, unknown id, quota full):
 * the system is healthy, so this does not count against its circuit breaker.
 */
export class UpstreamRejectedError extends GerbangError {
  constructor(
    service: string,
    message: string,
    public readonly upstreamCode?: string,
  ) {
    super(upstreamCode === 'NOT_FOUND' ? ErrorCode.NOT_FOUND : ErrorCode.BAD_USER_INPUT, message, { service, ...(upstreamCode ? { upstreamCode } : {}) });
  }
}

/**
 * The agency system answered, but not in the shape its interface promises (a missing or mistyped
 * field, a code outside its published list, a body that is not JSON). Not the caller's fault and not
 * fixed by asking again at once, so it is not retried; it counts against the system's circuit
 * breaker like any other failure of the system. `wirePath` names the first bad field of the reply as
 * the system sent it (`data[0].jenis_kelamin`); no value of the reply is repeated.
 */
export class UpstreamInvalidError extends GerbangError {
  constructor(
    service: string,
    readonly wirePath: string,
    readonly reason: string,
  ) {
    super(ErrorCode.UPSTREAM_INVALID, `${service} sent a reply that does not match its interface${wirePath ? ` (at ${wirePath})` : ''}.`, { service, wirePath, reason });
  }
}

/** A zod issue path as it reads in the wire format: `data[0].nik`. */
export function formatWirePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out;
}

/**
 * What an agency system sent, checked against the schema of its interface at the adapter boundary:
 * the parsed value (z.output of the schema), or UpstreamInvalidError naming the system and the path
 * of the first bad field. `at` prefixes the path when `value` is a part of the reply (`response`).
 */
export function parseWire<S extends z.ZodType>(service: string, schema: S, value: unknown, at = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = formatWirePath([...(at ? [at] : []), ...(issue?.path ?? [])]);
  throw new UpstreamInvalidError(service, path, issue?.message ?? 'invalid reply');
}

let defaultLogger: Logger | undefined;

export interface UpstreamOptions {
  /** Name shown to operators and in UPSTREAM_UNAVAILABLE errors, e.g. "Dispendukcapil SIAK". */
  service: string;
  timeoutMs?: number;
  /** Extra attempts for idempotent reads only (writes are never retried here). */
  retries?: number;
  retryDelayMs?: number;
  breaker?: { errorThresholdPercentage?: number; resetTimeoutMs?: number; volumeThreshold?: number; rollingCountTimeoutMs?: number };
  /** Where an invalid reply (UPSTREAM_INVALID) is logged; default a logger named `upstream`. */
  logger?: Logger;
}

export interface CallOptions {
  /** Safe to repeat: a read, or a write the system deduplicates by a client reference. */
  idempotent: boolean;
}

type BreakerCall = CallOptions & { withoutSignal?: boolean };

export type BreakerState = 'closed' | 'open' | 'half-open';

/** What an operator needs to know of an agency system, from the calls made to it (no probe). */
export interface UpstreamSnapshot {
  service: string;
  /** The circuit breaker: `open` while the system keeps failing (calls fail fast). */
  state: BreakerState;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastFailure: string | null;
}

/**
 * How every adapter calls its agency system: a deadline per attempt (the AbortSignal is handed to
 * the call so the socket is really released), retries with backoff for idempotent calls only, and
 * a circuit breaker (opossum) that fails fast while the system is down so one slow agency cannot
 * hold every request open. Failures surface as UPSTREAM_UNAVAILABLE naming the system.
 */
export class Upstream {
  readonly service: string;
  private readonly breaker: CircuitBreaker<[(signal: AbortSignal) => Promise<unknown>, BreakerCall]>;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  /** Calls that reached the wire (attempts), for tests and metrics. */
  attempts = 0;
  private lastSuccessAt: Date | null = null;
  private lastFailure: { at: Date; reason: string } | null = null;

  constructor(options: UpstreamOptions) {
    this.service = options.service;
    this.timeoutMs = options.timeoutMs ?? 3_000;
    this.retries = options.retries ?? 1;
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.breaker = new CircuitBreaker(
      (fn: (signal: AbortSignal) => Promise<unknown>, call: BreakerCall) => {
        if (!call.withoutSignal) return this.attempt(fn, call);
        this.attempts++;
        return (fn as unknown as () => Promise<unknown>)();
      },
      {
        timeout: false,
        errorThresholdPercentage: options.breaker?.errorThresholdPercentage ?? 50,
        // Half-open after 5 s: an agency system back from an outage is used again within about 5 s
        // (RELIABILITY.md), for one trial call per 5 s to one still down.
        resetTimeout: options.breaker?.resetTimeoutMs ?? 5_000,
        volumeThreshold: options.breaker?.volumeThreshold ?? 5,
        rollingCountTimeout: options.breaker?.rollingCountTimeoutMs ?? 10_000,
        errorFilter: (err: unknown) => err instanceof UpstreamRejectedError,
      },
    );
    // A rejection of one request (errorFilter) is an answer too: the system is up.
    this.breaker.on('success', () => {
      this.lastSuccessAt = new Date();
    });
    this.breaker.on('failure', (err: unknown) => {
      this.lastFailure = { at: new Date(), reason: (err instanceof Error ? err.message : String(err)).slice(0, 200) };
      if (err instanceof UpstreamInvalidError) {
        const log = options.logger ?? (defaultLogger ??= createLogger('upstream'));
        log.warn({ service: this.service, wirePath: err.wirePath, reason: err.reason }, 'agency system sent a reply that does not match its interface');
      }
    });
  }

  /**
   * The system's state as the subgraph's status document shows it. From the calls already made:
   * a status page that probed every agency system on each hit would load them for nothing.
   */
  snapshot(): UpstreamSnapshot {
    return {
      service: this.service,
      state: this.state,
      lastSuccessAt: this.lastSuccessAt?.toISOString() ?? null,
      lastFailureAt: this.lastFailure?.at.toISOString() ?? null,
      lastFailure: this.lastFailure?.reason ?? null,
    };
  }

  get state(): BreakerState {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  onStateChange(listener: (state: BreakerState) => void): void {
    this.breaker.on('open', () => listener('open'));
    this.breaker.on('halfOpen', () => listener('half-open'));
    this.breaker.on('close', () => listener('closed'));
  }

  async call<T>(fn: (signal: AbortSignal) => Promise<T>, options: CallOptions): Promise<T> {
    try {
      return (await this.breaker.fire(fn, options)) as T;
    } catch (err) {
      if (err instanceof GerbangError) throw err;
      if ((err as { code?: string }).code === 'EOPENBREAKER') throw new UpstreamUnavailableError(this.service, 'circuit open');
      throw new UpstreamUnavailableError(this.service, (err as Error).message);
    }
  }

  /**
   * The same breaker for a caller that enforces the deadline itself (the gateway gives undici an
   * EventEmitter as the request's signal): no AbortSignal per call, which Node 20 builds slowly
   * (makeTransferable, ~4% of the gateway's CPU under load), and no retries.
   */
  async callWithoutSignal<T>(fn: () => Promise<T>, options: CallOptions): Promise<T> {
    try {
      return (await this.breaker.fire(fn, { ...options, withoutSignal: true })) as T;
    } catch (err) {
      if (err instanceof GerbangError) throw err;
      if ((err as { code?: string }).code === 'EOPENBREAKER') throw new UpstreamUnavailableError(this.service, 'circuit open');
      throw new UpstreamUnavailableError(this.service, (err as Error).message);
    }
  }

  private async attempt(fn: (signal: AbortSignal) => Promise<unknown>, call: CallOptions): Promise<unknown> {
    const tries = call.idempotent ? 1 + this.retries : 1;
    let last: unknown;
    for (let i = 0; i < tries; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, this.retryDelayMs * 2 ** (i - 1)));
      this.attempts++;
      try {
        return await fn(AbortSignal.timeout(this.timeoutMs));
      } catch (err) {
        // A refusal is an answer, and a reply that breaks the interface would break again: neither is retried.
        if (err instanceof UpstreamRejectedError || err instanceof UpstreamInvalidError) throw err;
        last = (err as Error).name === 'TimeoutError' ? new Error(`timed out after ${this.timeoutMs} ms`) : err;
      }
    }
    throw last;
  }

  shutdown(): void {
    this.breaker.shutdown();
  }
}

/** The body of a 4xx refusal, as far as it says why; anything else is just "refused". */
const REFUSAL = z.object({ error: z.string().optional().catch(undefined), message: z.string().optional().catch(undefined) }).catch({});

/**
 * fetch + JSON with the status mapped: 4xx → rejected (not the system's fault), 5xx → failure; a 2xx
 * body is checked against `schema` (its z.output is returned) and one that does not match, or is not
 * JSON, is UpstreamInvalidError naming `service` and the first bad field.
 */
export async function fetchJson<S extends z.ZodType>(service: string, url: string, schema: S, init: RequestInit & { signal: AbortSignal }): Promise<{ status: number; body: z.output<S> }> {
  const res = await fetch(url, { ...init, headers: { ...requestIdHeaders(), ...(init.headers as Record<string, string> | undefined) } });
  const text = await res.text();
  let body: unknown = undefined;
  let json = true;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    json = false;
  }
  if (res.status >= 500) throw new Error(`${service} answered HTTP ${res.status}`);
  if (res.status === 401 || res.status === 403) throw new Error(`${service} refused our credentials (HTTP ${res.status})`);
  if (res.status >= 400) {
    const b = REFUSAL.parse(body);
    throw new UpstreamRejectedError(service, b.message ?? `${service} refused the request`, b.error);
  }
  if (!json) throw new UpstreamInvalidError(service, '', 'the body is not JSON');
  return { status: res.status, body: parseWire(service, schema, body) };
}
