import { EventEmitter } from 'node:events';
import { type GraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Agent, request } from 'undici';
import { ANONYMOUS, CALLER_HEADER, Upstream, UpstreamUnavailableError, encodeCaller, signWithCallerHeader, type Logger } from '@gerbang/common';
import { GATEWAY_DEFAULTS } from './defaults';
import type { GatewayContext } from './context';
import type { GatewayMetrics } from './edge/metrics';
import { injectTraceContext } from './edge/telemetry';
import { isMutationFetch } from './operation-kind';
import type { ShareableFetch } from './executor';

type GatewayResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

export interface SignedDataSourceOptions {
  secret: string;
  timeoutMs: number;
  logger: Logger;
  metrics?: GatewayMetrics;
  breaker?: { errorThresholdPercentage?: number; resetTimeoutMs?: number; volumeThreshold?: number };
  /** Share identical in-flight query fetches (same body, same caller). Default on. */
  dedup?: boolean;
  /**
   * Also share them between callers where that is sound (SUBGRAPH_SHARING=public, the default):
   * a call the executor marked shareable is signed as the anonymous caller, and its answer goes
   * to every caller that joined it only if this subgraph says the answer is public
   * (`cache-control: max-age=N, public`) or `callerIndependent` is set. Default on (with dedup).
   */
  shareAcrossCallers?: boolean;
  /** The operator declares this subgraph's answers the same for every caller (SUBGRAPH_CALLER_INDEPENDENT). */
  callerIndependent?: boolean;
}

/** The anonymous caller's envelope, under which calls shared between callers are signed. */
const ANONYMOUS_HEADER = encodeCaller(ANONYMOUS);

/** A subgraph's word that an answer is the same for every caller (Apollo Server's cache-control plugin). */
const PUBLIC = /(?:^|,)\s*public\s*(?:,|$)/i;
const MAX_AGE = /(?:^|,)\s*max-age\s*=\s*"?([0-9]+)"?/i;
function isPublicAnswer(cacheControl: string | undefined): boolean {
  if (!cacheControl || !PUBLIC.test(cacheControl)) return false;
  const age = MAX_AGE.exec(cacheControl);
  return age !== null && Number(age[1]) > 0;
}

/** After a `public` answer, calls of that query are tried shared for this long (each `public` answer extends it). */
const PUBLIC_MEMORY_MS = 60_000;
/** At most this many query texts remembered as public (then the memory starts over). */
const PUBLIC_MEMORY_MAX = 1_000;

interface SharedResponse {
  status: number;
  /** Lower-case names (as undici gives them), repeated headers joined. */
  headers: Record<string, string>;
  body: string;
}

/** The `http` of a subgraph response as @apollo/gateway reads it (status, headers.get). */
class ResponseHead {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText = '';
  readonly headers: { get(name: string): string | null };
  constructor(
    readonly url: string,
    r: SharedResponse,
  ) {
    this.status = r.status;
    this.ok = r.status >= 200 && r.status < 300;
    this.headers = { get: (name) => r.headers[name.toLowerCase()] ?? null };
  }
}

/**
 * Every subgraph call leaves the gateway signed: the caller (encoded once per operation in the
 * context) and an HMAC over timestamp, nonce, the subgraph's name and body (see
 * packages/common/src/internal-auth.ts).
 *
 * Resilience, per subgraph:
 * - a deadline per call and a circuit breaker (common's Upstream, on opossum): while a subgraph
 *   keeps failing, calls fail fast instead of holding requests open;
 * - identical in-flight query fetches (same body and same caller) share one call; mutations never;
 * - identical in-flight query fetches of different callers share one call, signed as the anonymous
 *   caller, when the executor found nothing caller-dependent in them (executor/sharing.ts) and the
 *   subgraph answers them `public` (or is declared caller-independent); an answer that is not
 *   public goes to nobody but an anonymous caller, and each other caller then makes its own call
 *   (fetchOnce);
 * - a subgraph that cannot be reached, times out, answers 5xx or refuses our signature becomes
 *   UPSTREAM_UNAVAILABLE naming the service: the gateway nulls its fields and the rest of the
 *   response still arrives (partial results).
 */
export class SignedDataSource implements GraphQLDataSource<GatewayContext> {
  readonly upstream: Upstream;
  private readonly inFlight = new Map<string, Promise<SharedResponse>>();
  /** Query texts this subgraph answered `public` lately: until when they are tried shared. */
  private readonly publicQueries = new Map<string, number>();
  /** Keep-alive pool to this subgraph (undici). */
  private readonly pool: Agent;

  constructor(
    readonly serviceName: string,
    readonly url: string,
    private readonly options: SignedDataSourceOptions,
  ) {
    this.upstream = new Upstream({
      service: serviceName,
      timeoutMs: options.timeoutMs,
      retries: 0,
      breaker: { ...GATEWAY_DEFAULTS.breaker, ...options.breaker },
    });
    options.metrics?.setCircuit(serviceName, 'closed');
    this.upstream.onStateChange((state) => {
      options.metrics?.setCircuit(serviceName, state);
      options.logger.warn({ service: serviceName, state }, 'subgraph circuit breaker changed state');
    });
    this.pool = new Agent({ connections: 128, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
  }

  /**
   * What @apollo/gateway's RemoteGraphQLDataSource does for a fetch, without what it builds for
   * nobody here (node-fetch Headers and Request objects, a fetch Response to parse, make-fetch-happen):
   * the body is the request minus `http`; a non-2xx answer becomes an error with the response's
   * status and body; a body that is not a JSON object, an error; a subgraph's Cache-Control
   * restricts the operation's cache policy.
   */
  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayResponse> {
    const { request } = options;
    // A health check's or schema load's context is not a GatewayContext: its fields may be absent.
    const context: Partial<GatewayContext> = options.context;
    if (!request.query) throw new Error('Missing query');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (context.callerHeader) headers[CALLER_HEADER] = context.callerHeader;
    if (context.requestId) headers['x-request-id'] = context.requestId;
    const { http: _incoming, ...withoutHttp } = request;
    const mutation = isMutationFetch(request.query, request.operationName, 'document' in options ? options.document : undefined);
    const r = await this.fetchOnce(options, headers, JSON.stringify(withoutHttp), mutation, request.query).catch(separateError);
    const head = new ResponseHead(this.url, r);
    const isJson = /^application\/(graphql-response\+)?json/.test(head.headers.get('content-type') ?? '');
    let body: unknown = r.body;
    if (isJson) body = JSON.parse(r.body);
    if (!head.ok) {
      throw new GraphQLError(`${r.status}: `, {
        extensions: { response: { url: this.url, status: r.status, statusText: '', body }, ...(r.status === 401 ? { code: 'UNAUTHENTICATED' } : r.status === 403 ? { code: 'FORBIDDEN' } : {}) },
      });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`Expected JSON response body, but received: ${String(body).slice(0, 200)}`);
    if ('incomingRequestContext' in options) restrictCachePolicy(options.incomingRequestContext.overallCachePolicy, head.headers.get('cache-control'));
    return { ...(body as GatewayResponse), http: head as never };
  }

  /**
   * The answer for this caller. A call the executor marked shareable is made signed as the
   * anonymous caller, and shared with every identical one in flight, when the subgraph is declared
   * caller-independent or answered this query `public` lately (learnt from any caller's answer, so
   * a subgraph that never says `public` costs no extra call). That answer goes to a caller who is
   * not anonymous only if it says `public` itself (or the subgraph is declared caller-independent);
   * else the caller makes its own call, and the query is no longer tried shared until a
   * `public` answer again. Everything else: a call under the caller's own signature, shared only
   * with the same caller's identical calls.
   */
  private async fetchOnce(options: GraphQLDataSourceProcessOptions<GatewayContext>, headers: Record<string, string>, body: string, mutation: boolean, query: string): Promise<SharedResponse> {
    const o = this.options;
    const shareable = !mutation && o.dedup !== false && o.shareAcrossCallers !== false && (options as ShareableFetch).shareable === true;
    const own = headers[CALLER_HEADER];
    if (!shareable || !own) return this.shared(this.url, headers, body, mutation);
    if (own !== ANONYMOUS_HEADER && !o.callerIndependent && !this.publicLately(query)) {
      const r = await this.shared(this.url, headers, body, false);
      if (isPublicAnswer(r.headers['cache-control'])) this.rememberPublic(query);
      return r;
    }
    const r = await this.shared(this.url, { ...headers, [CALLER_HEADER]: ANONYMOUS_HEADER }, body, false);
    const isPublic = isPublicAnswer(r.headers['cache-control']);
    if (isPublic) this.rememberPublic(query);
    if (isPublic || own === ANONYMOUS_HEADER || o.callerIndependent) return r;
    this.publicQueries.delete(query);
    return this.shared(this.url, headers, body, false);
  }

  private publicLately(query: string): boolean {
    const until = this.publicQueries.get(query);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.publicQueries.delete(query);
    return false;
  }

  private rememberPublic(query: string): void {
    if (this.publicQueries.size >= PUBLIC_MEMORY_MAX && !this.publicQueries.has(query)) this.publicQueries.clear();
    this.publicQueries.set(query, Date.now() + PUBLIC_MEMORY_MS);
  }

  /** Identical in-flight queries of one caller share one call; a mutation (or subscription) never does. */
  private shared(url: string, headers: Record<string, string>, body: string, mutation: boolean): Promise<SharedResponse> {
    const callerHeader = headers[CALLER_HEADER];
    if (!callerHeader) throw new Error('unsigned subgraph call: no caller in the request context');
    if (this.options.dedup !== false && !mutation) {
      const key = `${callerHeader}\u0000${body}`;
      const existing = this.inFlight.get(key);
      if (existing) {
        this.options.metrics?.dedup.inc({ subgraph: this.serviceName });
        return existing;
      }
      const shared = this.call(url, headers, body, callerHeader).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, shared);
      return shared;
    }
    return this.call(url, headers, body, callerHeader);
  }

  private async call(url: string, headers: Record<string, string>, body: string, callerHeader: string): Promise<SharedResponse> {
    // Signed for this subgraph by name (the audience), so that it cannot be replayed to another.
    Object.assign(headers, signWithCallerHeader(this.options.secret, body, callerHeader, this.serviceName));
    injectTraceContext(headers);
    const started = performance.now();
    const observe = (outcome: string) => this.options.metrics?.subgraphDuration.observe({ subgraph: this.serviceName, outcome }, (performance.now() - started) / 1000);
    const refuse = (status: number, text: string) => {
      this.options.logger.error({ service: this.serviceName, status, body: text.slice(0, 500), requestId: headers['x-request-id'] }, 'subgraph refused or failed');
      throw new Error(`http ${status}`);
    };
    try {
      const result = await this.upstream.callWithoutSignal(
        async () => {
          let status: number;
          let text: string;
          let raw: Record<string, string | string[] | undefined>;
          // The deadline: an EventEmitter as the request's signal (undici accepts one; Node 20
          // builds every AbortSignal slowly), aborted by one timer.
          const deadline = new EventEmitter();
          const timer = setTimeout(() => deadline.emit('abort'), this.options.timeoutMs);
          try {
            const res = await request(url, { method: 'POST', headers, body, dispatcher: this.pool, signal: deadline });
            ({ statusCode: status, headers: raw } = res);
            text = await res.body.text();
          } catch (err) {
            const code = (err as { code?: string }).code;
            if (code === 'UND_ERR_ABORTED' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') throw new Error(`timed out after ${this.options.timeoutMs} ms`, { cause: err });
            throw err;
          } finally {
            clearTimeout(timer);
          }
          if (status >= 500 || status === 401 || status === 403) refuse(status, text);
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
          return { status, headers: out, body: text };
        },
        { idempotent: false },
      );
      observe('ok');
      return result;
    } catch (err) {
      const reason = (err as Partial<UpstreamUnavailableError>).extensions?.reason as string | undefined;
      observe(reason === 'circuit open' ? 'open' : 'error');
      this.options.logger.warn({ service: this.serviceName, reason, requestId: headers['x-request-id'] }, 'subgraph call failed');
      if (err instanceof UpstreamUnavailableError) throw err;
      throw new UpstreamUnavailableError(this.serviceName, (err as Error).message);
    }
  }

  shutdown(): void {
    this.upstream.shutdown();
    void this.pool.close();
  }
}

/**
 * A failed call shared by several operations rejects each with the same error object: each gets a
 * copy of its own, so that nothing one response does to its errors reaches another.
 */
function separateError(err: unknown): never {
  if (err instanceof UpstreamUnavailableError) {
    const { service, reason, ...rest } = err.extensions as { service: string; reason: string; retryAfter?: number };
    throw new UpstreamUnavailableError(service, reason, rest);
  }
  throw err;
}

/** As RemoteGraphQLDataSource: a subgraph's `max-age` and `private`/`public` restrict the operation's policy. */
function restrictCachePolicy(policy: unknown, header: string | null): void {
  if (!policy || typeof policy !== 'object' || !('restrict' in policy)) return;
  // No header: the answer may not be reused (without this, one hinted call made the whole operation cacheable).
  const hint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } = { maxAge: 0 };
  if (!header) return (policy as { restrict(h: typeof hint): void }).restrict(hint);
  for (const part of header.trim().split(/\s*,\s*/)) {
    const [k, v] = part.split(/\s*=\s*/, 2);
    if (k === 'max-age' && v && /^[0-9]+$/.test(v.replace(/^"|"$/g, ''))) hint.maxAge = Number(v.replace(/^"|"$/g, ''));
    if (k === 'private') hint.scope = 'PRIVATE';
    if (k === 'public') hint.scope = 'PUBLIC';
  }
  (policy as { restrict(h: typeof hint): void }).restrict(hint);
}
