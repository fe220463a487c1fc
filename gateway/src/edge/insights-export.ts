import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { ErrorCode, isAnonymous, signRequest, type Caller, type Logger } from '@gerbang/common';
import type { Admission } from './admission';
import { agencyExportRequest, exportAgencyMeasures, type ExecuteForCaller } from './agency-export';
import { EdgeRefusal } from './refusal';
import { readLimitedBody } from './request';

/** Where the gateway serves analysts' streamed exports (README § Insights, "Export"). */
export const INSIGHTS_EXPORT_PATH = '/insights/export';
/** The audience the forwarded call is signed for: the insights subgraph's export route, not its /graphql. */
const AUDIENCE = 'insights:export';
/** Response headers of the subgraph passed on to the client. */
const PASSED = ['content-type', 'content-disposition', 'cache-control', 'gerbang-insights-cost', 'gerbang-insights-budget-remaining', 'gerbang-insights-suppressed-cells', 'retry-after', 'allow'];

export interface InsightsExportProxyOptions {
  caller: Caller;
  /** The insights subgraph's GraphQL URL from the supergraph (its /export is beside it); undefined when it is not composed. */
  subgraphUrl: string | undefined;
  secret: string;
  requestId: string;
  baseHeaders: Record<string, string>;
  logger: Logger;
  /**
   * The gateway's admission control, the one /graphql's operations wait in: an export holds a slot
   * from the forward until its last byte is written (OVERLOADED, 503, as on /graphql when the queue
   * is full or the wait too long). Unset when the gateway runs without admission control.
   */
  admission?: Admission | undefined;
  /**
   * The gateway's own executor for this caller (the federated query plan, after the query budget
   * of the caller's roles): an export whose question names agency measures runs `agencyInsights`
   * through it (edge/agency-export.ts) instead of being forwarded.
   */
  execute: ExecuteForCaller;
}

/**
 * POST /insights/export: the caller is the one the gateway verified from the bearer token, as
 * on /graphql (callers come from the same Identity, count against the same rate limit); the body
 * (a question and a format) is forwarded to the insights subgraph signed with that caller, and its
 * answer is piped back as it streams, never held here. Roles, validation, budget, suppression
 * and the access record are the subgraph's, as for its GraphQL fields. A question naming the
 * agency measures is answered here instead, through the gateway's executor (edge/agency-export.ts).
 */
export async function proxyInsightsExport(req: http.IncomingMessage, res: http.ServerResponse, options: InsightsExportProxyOptions): Promise<void> {
  if (req.method !== 'POST') throw new EdgeRefusal(405, ErrorCode.METHOD_NOT_ALLOWED, 'Exports are asked with POST.', { method: req.method }, { allow: 'POST' });
  if (isAnonymous(options.caller)) throw new EdgeRefusal(401, ErrorCode.UNAUTHENTICATED, 'Sign in first: exports are for analysts.');
  const body = await readLimitedBody(req, 64_000);
  // Agency measures are not the insights subgraph's figures: the gateway asks the graph for them (a mixed question is refused here).
  const agency = agencyExportRequest(body);
  if (agency) {
    const release = await options.admission?.acquire(() => req.socket.destroyed);
    try {
      return await exportAgencyMeasures(res, agency, { execute: options.execute, requestId: options.requestId, baseHeaders: options.baseHeaders, logger: options.logger });
    } finally {
      release?.();
    }
  }
  if (!options.subgraphUrl) throw new EdgeRefusal(503, ErrorCode.UPSTREAM_UNAVAILABLE, 'Insights are not part of this graph.', { service: 'insights' });
  // After the cheap refusals, as on /graphql: only a well-formed export by a signed-in caller waits for a slot.
  const release = await options.admission?.acquire(() => req.socket.destroyed);
  try {
    await forward(res, body, options.subgraphUrl, options);
  } finally {
    release?.();
  }
}

async function forward(res: http.ServerResponse, body: Buffer, subgraphUrl: string, options: InsightsExportProxyOptions): Promise<void> {
  const target = new URL(subgraphUrl.replace(/\/graphql\/?$/, '') + '/export');
  const upstream = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const call = http.request(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
        'x-request-id': options.requestId,
        ...signRequest(options.secret, body, options.caller, AUDIENCE),
      },
    });
    call.on('response', resolve);
    call.on('error', reject);
    // The client gone: stop asking (the subgraph's pipeline ends on the closed socket).
    res.on('close', () => call.destroy());
    call.end(body);
  }).catch((err: unknown) => {
    options.logger.warn({ requestId: options.requestId, err: err instanceof Error ? err.message : String(err) }, 'insights export: subgraph unreachable');
    throw new EdgeRefusal(503, ErrorCode.UPSTREAM_UNAVAILABLE, 'Insights are unavailable; try again later.', { service: 'insights' });
  });
  const headers: http.OutgoingHttpHeaders = { ...options.baseHeaders };
  for (const h of PASSED) if (upstream.headers[h] !== undefined) headers[h] = upstream.headers[h];
  res.writeHead(upstream.statusCode ?? 502, headers);
  await pipeline(upstream, res).catch((err: unknown) => options.logger.info({ requestId: options.requestId, err: err instanceof Error ? err.message : String(err) }, 'insights export ended early'));
}
