import { EventEmitter } from 'node:events';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Agent, request as undiciRequest } from 'undici';
import { CALLER_HEADER, UpstreamUnavailableError, signWithCallerHeader, type Logger } from '@gerbang/common';
import { Upstream } from './upstream';
import type { GatewayContext } from './context';
import type { GatewayMetrics } from './edge/metrics';
import { injectTraceContext } from './edge/telemetry';

/**
 * PROTOTYPE (bench/gateway/proto): levers switched by PROTO_LEVERS (comma list), to measure each:
 *   undici    the call goes through an undici keep-alive pool (undici.request, not fetch) and
 *             the gateway gets a light response object: no fetch Request/AbortController, no
 *             Response re-wrapping, one JSON.parse of the text (text → Response → bytes → parse before).
 *   nosignal  (with undici) no AbortSignal per call: the deadline is an EventEmitter given to
 *             undici as the signal, fired by one timer (Node 20 pays ~4% of the gateway's CPU
 *             creating AbortSignals).
 */
const LEVERS = new Set((process.env.PROTO_LEVERS ?? '').split(',').filter(Boolean));

type FetchInit = { method?: string; headers?: unknown; body?: unknown };

function plainHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (typeof (headers as Headers).forEach === 'function') {
    (headers as Headers).forEach((v, k) => (out[k.toLowerCase()] = v));
  } else {
    for (const [k, v] of Object.entries(headers as Record<string, string>)) out[k.toLowerCase()] = String(v);
  }
  return out;
}

export interface SignedDataSourceOptions {
  secret: string;
  timeoutMs: number;
  logger: Logger;
  metrics?: GatewayMetrics;
  breaker?: { errorThresholdPercentage?: number; resetTimeoutMs?: number; volumeThreshold?: number };
  /** Share identical in-flight query fetches (same body, same caller). Default on. */
  dedup?: boolean;
}

interface SharedResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

/** What @apollo/gateway's RemoteGraphQLDataSource reads of a subgraph response. */
class LightResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText = '';
  readonly headers: { get(name: string): string | null };
  constructor(readonly url: string, private readonly r: SharedResponse) {
    this.status = r.status;
    this.ok = r.status >= 200 && r.status < 300;
    const map = new Map(r.headers);
    this.headers = { get: (name) => map.get(name.toLowerCase()) ?? null };
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.r.body);
  }
  async text(): Promise<string> {
    return this.r.body;
  }
}

/**
 * Every subgraph call leaves the gateway signed: the caller (encoded once per operation in the
 * context) and an HMAC over timestamp, nonce and body (see packages/common/src/internal-auth.ts).
 *
 * Resilience, per subgraph:
 * - a deadline per call and a circuit breaker (common's Upstream, on opossum): while a subgraph
 *   keeps failing, calls fail fast instead of holding requests open;
 * - identical in-flight query fetches (same body and same caller) share one call; mutations never;
 * - a subgraph that cannot be reached, times out, answers 5xx or refuses our signature becomes
 *   UPSTREAM_UNAVAILABLE naming the service: the gateway nulls its fields and the rest of the
 *   response still arrives (partial results).
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly upstream: Upstream;
  private readonly inFlight = new Map<string, Promise<SharedResponse>>();
  private readonly pool: Agent | undefined;

  constructor(
    readonly serviceName: string,
    url: string,
    private readonly options: SignedDataSourceOptions,
  ) {
    super({ url });
    this.upstream = new Upstream({
      service: serviceName,
      timeoutMs: options.timeoutMs,
      retries: 0,
      breaker: {
        errorThresholdPercentage: options.breaker?.errorThresholdPercentage ?? 50,
        resetTimeoutMs: options.breaker?.resetTimeoutMs ?? 10_000,
        volumeThreshold: options.breaker?.volumeThreshold ?? 5,
      },
    });
    options.metrics?.setCircuit(serviceName, 'closed');
    this.upstream.onStateChange((state) => {
      options.metrics?.setCircuit(serviceName, state);
      options.logger.warn({ service: serviceName, state }, 'subgraph circuit breaker changed state');
    });
    this.fetcher = ((input: string, init: FetchInit) => this.signedFetch(input, init)) as never;
    if (LEVERS.has('undici')) {
      // Keep-alive pool per subgraph: connections are reused across requests; the deadline of a
      // call is the time to the response headers plus the time between body chunks.
      this.pool = new Agent({ connections: 128, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http!.headers;
    headers.set(CALLER_HEADER, context.callerHeader);
    headers.set('x-request-id', context.requestId);
  }

  private async signedFetch(url: string, init: FetchInit): Promise<Response> {
    const headers = plainHeaders(init.headers);
    const body = typeof init.body === 'string' ? init.body : String(init.body ?? '');
    const r = await this.shared(url, headers, body);
    // undici lever: what RemoteGraphQLDataSource reads of a response (ok, status, headers.get,
    // json/text), without building a fetch Response and re-encoding the body to parse it.
    if (this.pool) return new LightResponse(url, r) as unknown as Response;
    return new Response(r.body, { status: r.status, headers: r.headers });
  }

  private shared(url: string, headers: Record<string, string>, body: string): Promise<SharedResponse> {
    const callerHeader = headers[CALLER_HEADER];
    if (!callerHeader) throw new Error('unsigned subgraph call: no caller in the request context');
    const isMutation = body.startsWith('{"query":"mutation');
    if (this.options.dedup !== false && !isMutation) {
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
    Object.assign(headers, signWithCallerHeader(this.options.secret, body, callerHeader));
    injectTraceContext(headers);
    const started = performance.now();
    const observe = (outcome: string) =>
      this.options.metrics?.subgraphDuration.observe({ subgraph: this.serviceName, outcome }, (performance.now() - started) / 1000);
    const refuse = (status: number, text: string) => {
      this.options.logger.error({ service: this.serviceName, status, body: text.slice(0, 500), requestId: headers['x-request-id'] }, 'subgraph refused or failed');
      throw new Error(`http ${status}`);
    };
    try {
      const exchange = this.pool
        ? async (signal: AbortSignal | undefined) => {
            let res: Awaited<ReturnType<typeof undiciRequest>>;
            let text: string;
            // nosignal: the deadline is an EventEmitter (undici accepts one as signal) fired by one timer.
            const deadline = signal ? undefined : new EventEmitter();
            const timer = deadline ? setTimeout(() => deadline.emit('abort'), this.options.timeoutMs) : undefined;
            try {
              res = await undiciRequest(url, { method: 'POST', headers, body, dispatcher: this.pool, signal: signal ?? deadline });
              text = await res.body.text();
            } catch (err) {
              const code = (err as { code?: string }).code;
              if (code === 'UND_ERR_ABORTED' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') throw new Error(`timed out after ${this.options.timeoutMs} ms`);
              throw err;
            } finally {
              clearTimeout(timer);
            }
            if (res.statusCode >= 500 || res.statusCode === 401 || res.statusCode === 403) refuse(res.statusCode, text);
            const out: [string, string][] = [];
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.push([k, Array.isArray(v) ? v.join(', ') : v]);
            return { status: res.statusCode, headers: out, body: text };
          }
        : async (signal: AbortSignal | undefined) => {
            const res = await fetch(url, { method: 'POST', headers, body, ...(signal ? { signal } : {}) });
            const text = await res.text();
            if (res.status >= 500 || res.status === 401 || res.status === 403) refuse(res.status, text);
            return { status: res.status, headers: [...res.headers] as [string, string][], body: text };
          };
      const result = LEVERS.has('nosignal') && this.pool
        ? await this.upstream.callWithoutSignal(() => exchange(undefined), { idempotent: false })
        : await this.upstream.call((signal) => exchange(signal), { idempotent: false });
      observe('ok');
      return result;
    } catch (err) {
      const reason = (err as UpstreamUnavailableError).extensions?.reason as string | undefined;
      observe(reason === 'circuit open' ? 'open' : 'error');
      this.options.logger.warn({ service: this.serviceName, reason, requestId: headers['x-request-id'] }, 'subgraph call failed');
      if (err instanceof UpstreamUnavailableError) throw err;
      throw new UpstreamUnavailableError(this.serviceName, (err as Error).message);
    }
  }

  shutdown(): void {
    this.upstream.shutdown();
    void this.pool?.close();
  }
}

