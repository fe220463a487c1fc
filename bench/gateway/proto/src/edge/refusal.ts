import type http from 'node:http';
import { sendJson } from '@gerbang/common';

/**
 * A request the edge refuses before any subgraph is called: an HTTP status, a stable
 * `extensions.code`, a plain message, the figures that explain it, and never any data.
 */
export class EdgeRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'EdgeRefusal';
  }

  toJSON() {
    return { errors: [{ message: this.message, extensions: { code: this.code, ...this.extensions } }] };
  }

  send(res: http.ServerResponse, extraHeaders: Record<string, string> = {}): void {
    sendJson(res, this.status, this.toJSON(), { ...extraHeaders, ...this.headers });
  }
}
