import type http from 'node:http';

/**
 * CORS with an allowlist (CORS_ORIGINS): an allowed origin is echoed back, any other gets no
 * CORS headers (the browser then blocks the response). `*` allows every origin, without
 * credentials; production defaults to no origin at all.
 */
export class Cors {
  private readonly any: boolean;
  private readonly origins: Set<string>;
  constructor(origins: string[]) {
    this.any = origins.includes('*');
    this.origins = new Set(origins.filter((o) => o !== '*').map((o) => o.replace(/\/$/, '')));
  }

  /** Headers for this request's origin (empty when it is not allowed). */
  headers(req: http.IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (!origin) return {};
    if (!this.any && !this.origins.has(origin)) return { vary: 'Origin' };
    return {
      'access-control-allow-origin': this.any ? '*' : origin,
      'access-control-expose-headers': 'retry-after, x-request-id',
      vary: 'Origin',
    };
  }

  /** Answers a preflight request. */
  preflight(req: http.IncomingMessage, res: http.ServerResponse): void {
    const base = this.headers(req);
    const allowed = 'access-control-allow-origin' in base;
    res.writeHead(204, {
      ...base,
      ...(allowed
        ? {
            'access-control-allow-methods': 'GET, POST, OPTIONS',
            'access-control-allow-headers':
              'authorization, content-type, apollographql-client-name, apollographql-client-version, apollo-require-preflight, x-apollo-operation-name, x-request-id, x-device-id',
            'access-control-max-age': '600',
          }
        : {}),
    });
    res.end();
  }
}
