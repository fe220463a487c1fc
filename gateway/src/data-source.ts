import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CALLER_HEADER, UpstreamUnavailableError, signWithCallerHeader, type Logger } from '@gerbang/common';
import type { GatewayContext } from './context';

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

/**
 * Every subgraph call leaves the gateway signed: the caller (encoded once per operation in the
 * context) and an HMAC over timestamp, nonce and body (see packages/common/src/internal-auth.ts).
 * A subgraph that cannot be reached, times out or answers 5xx becomes UPSTREAM_UNAVAILABLE naming
 * the service, so the rest of the response still arrives.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly serviceName: string,
    url: string,
    private readonly options: { secret: string; timeoutMs: number; logger: Logger },
  ) {
    super({ url });
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
    Object.assign(headers, signWithCallerHeader(this.options.secret, body, callerHeader));
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable';
      this.options.logger.warn({ service: this.serviceName, reason, err: (err as Error).message, requestId: headers['x-request-id'] }, 'subgraph call failed');
      throw new UpstreamUnavailableError(this.serviceName, reason);
    }
    if (res.status >= 500 || res.status === 401 || res.status === 403) {
      const text = await res.text().catch(() => '');
      this.options.logger.error({ service: this.serviceName, status: res.status, body: text.slice(0, 500), requestId: headers['x-request-id'] }, 'subgraph refused or failed');
      throw new UpstreamUnavailableError(this.serviceName, `http ${res.status}`);
    }
    return res;
  }
}
