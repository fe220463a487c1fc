import { createHash } from 'node:crypto';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { describe, expect, it } from 'vitest';
import { OperationAnalyzer } from '../../src/edge/analysis';
import { DEFAULT_LIMITS, QueryLimits } from '../../src/edge/limits';
import { GatewayMetrics } from '../../src/edge/metrics';
import { buildManifest, PersistedPolicy, Safelist } from '../../src/edge/persisted';
import { BatchRefusal } from '../../src/edge/refusal';
import { analysisStep, budgetsStep } from '../../src/pipeline/analysis';
import { bodyStep } from '../../src/pipeline/body';
import { operationStep } from '../../src/pipeline/operation';
import { persistedOperations, safelistPolicy } from '../../src/pipeline/persisted';
import { batchRefusals, composeSteps } from '../../src/pipeline/step';
import { citizen, refusalOf, request } from './support';

const analyzer = new OperationAnalyzer({ maxTokens: 2_000, listSizeDefault: 10 });
const safelist = new Safelist(buildManifest(['query Places { places }']));
const deep = `{ ${'a { '.repeat(20)}id${' }'.repeat(20)} }`;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** The per-operation steps of the gateway's list (server.ts), in its order, then the batch's verdict. */
function edge() {
  const executed: unknown[] = [];
  const pipeline = composeSteps([
    bodyStep({ maxBodyBytes: 100_000, maxBatchSize: 10 }),
    persistedOperations(safelist, new InMemoryLRUCache<string>()),
    analysisStep(analyzer),
    safelistPolicy(new PersistedPolicy(safelist, { enforce: false, safelistClients: [], adhocRoles: [] })),
    budgetsStep(analyzer, new QueryLimits(DEFAULT_LIMITS)),
    operationStep(new GatewayMetrics({ knownOperations: [], defaultMetrics: false })),
    batchRefusals,
    { name: 'execute', run: async (ctx) => void executed.push(ctx.body) },
  ]);
  return { pipeline, executed };
}

async function send(body: unknown) {
  const { pipeline, executed } = edge();
  const { ctx } = request({ body: JSON.stringify(body) });
  ctx.caller = citizen;
  return { result: pipeline(ctx), executed };
}

describe('a batch with refused operations', () => {
  it('is refused as a whole, with every refused operation in batch order, whichever step refused it', async () => {
    const { result, executed } = await send([
      { query: '{ places }' },
      { query: deep }, // the budgets step (depth)
      { query: '{ places }', extensions: { persistedQuery: { version: 1, sha256Hash: sha('{ other }') } } }, // the persisted step, which runs before the budgets
      { query: 'query A { a } query B { b }' }, // the operation step
      'not an operation', // the body step
      { query: '{ places }' },
    ]);
    const refusal = await refusalOf(result);
    expect(refusal).toBeInstanceOf(BatchRefusal);
    expect(executed).toEqual([]);
    expect(refusal.toJSON().errors.map((e) => [e.extensions.batchIndex, e.extensions.code])).toEqual([
      [1, 'QUERY_TOO_COMPLEX'],
      [2, 'PERSISTED_QUERY_HASH_MISMATCH'],
      [3, 'OPERATION_RESOLUTION_FAILURE'],
      [4, 'BAD_REQUEST'],
    ]);
    expect(refusal.toJSON().errors[0]).toEqual({
      message: `This query nests too deeply: depth 21, at most ${DEFAULT_LIMITS.default.depth}.`,
      extensions: { code: 'QUERY_TOO_COMPLEX', depth: 21, maxDepth: DEFAULT_LIMITS.default.depth, batchIndex: 1 },
    });
    // The HTTP status, code and logged figures are the first refused operation's.
    expect([refusal.status, refusal.code, refusal.extensions.batchIndex]).toEqual([400, 'QUERY_TOO_COMPLEX', 1]);
  });

  it('reports the same first refusal whatever the order of the steps that find the faults', async () => {
    // Before: the persisted step judged the whole batch first, so operation 1's hash mismatch hid operation 0's depth.
    const { result } = await send([{ query: deep }, { query: '{ places }', extensions: { persistedQuery: { version: 1, sha256Hash: sha('x') } } }]);
    const refusal = await refusalOf(result);
    expect(refusal.toJSON().errors.map((e) => e.extensions.code)).toEqual(['QUERY_TOO_COMPLEX', 'PERSISTED_QUERY_HASH_MISMATCH']);
  });

  it('passes a batch with no refused operation on, and refuses a single operation as before (no batchIndex)', async () => {
    const ok = await send([{ query: '{ places }' }, { query: 'query Places { places }' }]);
    await ok.result;
    expect(ok.executed).toHaveLength(1);
    const single = await send({ query: deep });
    const refusal = await refusalOf(single.result);
    expect(refusal).not.toBeInstanceOf(BatchRefusal);
    expect(refusal.toJSON()).toEqual({ errors: [{ message: refusal.message, extensions: { code: 'QUERY_TOO_COMPLEX', depth: 21, maxDepth: DEFAULT_LIMITS.default.depth } }] });
  });
});
