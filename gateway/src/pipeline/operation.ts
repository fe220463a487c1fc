import { ErrorCode } from '@gerbang/common';
import type { GatewayMetrics } from '../edge/metrics';
import { EdgeRefusal } from '../edge/refusal';
import type { EdgeOperation } from '../edge/request';
import { check, forEachOperation, type EdgeStep } from './step';

export const operationNameOf = (op: EdgeOperation): string | undefined => (typeof op.operationName === 'string' ? op.operationName : undefined);

export const variablesOf = (op: EdgeOperation): Record<string, unknown> | undefined => (op.variables && typeof op.variables === 'object' ? (op.variables as Record<string, unknown>) : undefined);

/**
 * Which operation of each document runs, and what kind it is, from the parsed document (the
 * analysis): a document with several operations and no name, or a name it does not hold, is
 * OPERATION_RESOLUTION_FAILURE (Apollo Server leaves it to the executor, whose error has no client
 * code and would be masked as a 500); a subscription belongs on WebSocket or SSE; a mutation over
 * GET is METHOD_NOT_ALLOWED (GET is safe: it may be cached or prefetched). Names the request for
 * metrics and the log.
 */
export function operationStep(metrics: GatewayMetrics): EdgeStep {
  return check('operation', (ctx) => {
    return forEachOperation(ctx, (entry) => {
      const { analysis } = entry;
      if (!analysis) return;
      const named = operationNameOf(entry.op);
      const name = named ?? (analysis.operations.size === 1 ? analysis.operations.keys().next().value : undefined);
      if (analysis.document && (name === undefined ? analysis.operations.size > 1 : !analysis.operations.has(name))) {
        throw new EdgeRefusal(
          400,
          'OPERATION_RESOLUTION_FAILURE',
          name === undefined ? 'Name the operation to run: the document holds more than one.' : `The document holds no operation named "${name.slice(0, 100)}".`,
        );
      }
      entry.name = name;
      const figures = name === undefined ? undefined : analysis.operations.get(name);
      if (figures?.subscription) {
        throw new EdgeRefusal(400, 'BAD_REQUEST', 'Subscriptions are served over WebSocket (graphql-ws) or SSE (Accept: text/event-stream) on /graphql.');
      }
      if (figures?.mutation) {
        if (ctx.req.method === 'GET') throw new EdgeRefusal(405, ErrorCode.METHOD_NOT_ALLOWED, 'Mutations must be sent with POST.', { method: 'GET' }, { allow: 'POST' });
        ctx.mutation = true;
      }
      if (ctx.operationLabel === 'anonymous') ctx.operationLabel = metrics.operationLabel(name);
    });
  });
}
