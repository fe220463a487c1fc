import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CALLER_HEADER, Upstream, UpstreamUnavailableError, signWithCallerHeader, type Logger } from '@gerbang/common';
import type { GatewayContext } from './context';
import type { GatewayMetrics } from './edge/metrics';
import { injectTraceContext } from './edge/telemetry';

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
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http!.headers;
    headers.set(CALLER_HEADER, context.callerHeader);
    headers.set('x-request-id', context.requestId);
  }

  private async signedFetch(url: string, init: FetchInit): Promise<Response> {
    const headers = plainHeaders(init.headers);
    const body = typeof init.body === 'string' ? init.body : String(init.body ?? '');
    const callerHeader = headers[CALLER_HEADER];
    if (!callerHeader) throw new Error('unsigned subgraph call: no caller in the request context');
    const isMutation = body.startsWith('{"query":"mutation');
    let shared: Promise<SharedResponse>;
    if (this.options.dedup !== false && !isMutation) {
      const key = `${callerHeader}\u0000${body}`;
      const existing = this.inFlight.get(key);
      if (existing) {
        this.options.metrics?.dedup.inc({ subgraph: this.serviceName });
        shared = existing;
      } else {
        shared = this.call(url, headers, body, callerHeader).finally(() => this.inFlight.delete(key));
        this.inFlight.set(key, shared);
      }
    } else {
      shared = this.call(url, headers, body, callerHeader);
    }
    const r = await shared;
    return new Response(r.body, { status: r.status, headers: r.headers });
  }

  private async call(url: string, headers: Record<string, string>, body: string, callerHeader: string): Promise<SharedResponse> {
    Object.assign(headers, signWithCallerHeader(this.options.secret, body, callerHeader));
    injectTraceContext(headers);
    const started = performance.now();
    const observe = (outcome: string) =>
      this.options.metrics?.subgraphDuration.observe({ subgraph: this.serviceName, outcome }, (performance.now() - started) / 1000);
    try {
      const result = await this.upstream.call(
        async (signal) => {
          const res = await fetch(url, { method: 'POST', headers, body, signal });
          const text = await res.text();
          if (res.status >= 500 || res.status === 401 || res.status === 403) {
            this.options.logger.error({ service: this.serviceName, status: res.status, body: text.slice(0, 500), requestId: headers['x-request-id'] }, 'subgraph refused or failed');
            throw new Error(`http ${res.status}`);
          }
          return { status: res.status, headers: [...res.headers] as [string, string][], body: text };
        },
        { idempotent: false },
      );
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
  }
}
