import type http from 'node:http';
import Negotiator from 'negotiator';
import { sendJson } from '@gerbang/common';

const APPLICATION_JSON = 'application/json';
const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

/**
 * The media type of a GraphQL response for this Accept header, chosen the way Apollo Server
 * chooses it for its own responses (same candidates, same order, so `*` and a missing Accept get
 * application/json): a client that accepts `application/graphql-response+json` (the
 * GraphQL-over-HTTP media type) gets it. That matters for refusals: Apollo Client 4 parses a non-2xx
 * body as a GraphQL response only under that media type; under application/json it reports a
 * `ServerError` with the code buried in `bodyText`. A client that accepts neither still gets JSON:
 * a refusal must stay readable.
 */
export function graphqlMediaType(accept: string | string[] | undefined): string {
  const preferred = accept ? new Negotiator({ headers: { accept } }).mediaType([APPLICATION_JSON, GRAPHQL_RESPONSE_JSON]) : undefined;
  return `${preferred ?? APPLICATION_JSON}; charset=utf-8`;
}

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

  toJSON(): { errors: { message: string; extensions: Record<string, unknown> }[] } {
    return { errors: [this.error()] };
  }

  /** The refusal as one GraphQL error. */
  error(): { message: string; extensions: Record<string, unknown> } {
    return { message: this.message, extensions: { code: this.code, ...this.extensions } };
  }

  /** Answers with the refusal as a GraphQL response, in the media type the request accepts. */
  send(res: http.ServerResponse, extraHeaders: Record<string, string> = {}, accept?: string | string[]): void {
    sendJson(res, this.status, this.toJSON(), { ...extraHeaders, ...this.headers, 'content-type': graphqlMediaType(accept) });
  }
}

/**
 * A batch refused because some of its operations were: one error per refused operation, in batch
 * order, each with `extensions.batchIndex` (its 0-based position in the JSON array). The HTTP status,
 * code and log figures are the first refused operation's; nothing of the batch ran.
 */
export class BatchRefusal extends EdgeRefusal {
  constructor(readonly refused: readonly { index: number; refusal: EdgeRefusal }[]) {
    const first = refused[0];
    if (!first) throw new Error('a batch refusal needs at least one refused operation');
    super(
      first.refusal.status,
      first.refusal.code,
      first.refusal.message,
      { ...first.refusal.extensions, batchIndex: first.index },
      Object.assign({}, ...refused.map((r) => r.refusal.headers)) as Record<string, string>,
    );
    this.name = 'BatchRefusal';
  }

  override toJSON(): { errors: { message: string; extensions: Record<string, unknown> }[] } {
    return { errors: this.refused.map(({ index, refusal }) => ({ ...refusal.error(), extensions: { ...refusal.error().extensions, batchIndex: index } })) };
  }
}
