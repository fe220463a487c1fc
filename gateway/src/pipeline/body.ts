import { batchTooLarge } from '../edge/limits';
import { EdgeRefusal } from '../edge/refusal';
import { operationsOf, readLimitedBody, type EdgeOperation } from '../edge/request';
import { check, type EdgeStep } from './step';

export interface BodyOptions {
  /** Larger bodies are refused with 413 (QUERY_TOO_COMPLEX) and drained (edge/request.ts). */
  maxBodyBytes: number;
  /** Larger batches are refused (QUERY_TOO_COMPLEX). */
  maxBatchSize: number;
}

/** Reads a POST body (JSON, within the size limit) and lists the request's operations: GET parameters, one object, or a batch. */
export function bodyStep(options: BodyOptions): EdgeStep {
  return check('body', async (ctx) => {
    if (ctx.req.method === 'POST') {
      const raw = await readLimitedBody(ctx.req, options.maxBodyBytes);
      try {
        ctx.body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new EdgeRefusal(400, 'BAD_REQUEST', 'The request body is not valid JSON.');
      }
    }
    const { ops, batch } = operationsOf(ctx.req.method ?? 'GET', ctx.url.searchParams, ctx.body);
    ctx.batch = batch;
    if (!batch) {
      ctx.operations = ops.map((op) => ({ op }));
      return;
    }
    const items = ctx.body as unknown[];
    if (items.length > options.maxBatchSize) throw batchTooLarge(items.length, options.maxBatchSize);
    // Each entry keeps its position in the array, which a refusal names (batchIndex).
    ctx.operations = items.map((item) => (isOperation(item) ? { op: item } : { op: {}, refusal: new EdgeRefusal(400, 'BAD_REQUEST', 'Each operation of a batch is a JSON object.') }));
  });
}

const isOperation = (item: unknown): item is EdgeOperation => !!item && typeof item === 'object' && !Array.isArray(item);
