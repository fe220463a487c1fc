import { describe, expect, it } from 'vitest';
import { OperationAnalyzer } from '../../src/edge/analysis';
import { GatewayMetrics } from '../../src/edge/metrics';
import { analysisStep } from '../../src/pipeline/analysis';
import { operationStep } from '../../src/pipeline/operation';
import { refusalOf, request, runStep } from './support';

const analyzer = new OperationAnalyzer({ maxTokens: 1_000, listSizeDefault: 10 });
const step = operationStep(new GatewayMetrics({ knownOperations: ['Places'], defaultMetrics: false }));

async function run(method: string, op: { query: string; operationName?: string }) {
  const { ctx } = request({ method });
  ctx.operations = [{ op }];
  await runStep(analysisStep(analyzer), ctx);
  return { ctx, result: runStep(step, ctx) };
}

describe('operation step', () => {
  it('names the operation that runs and labels the request with a known name', async () => {
    const { ctx, result } = await run('GET', { query: 'query Places { places } query Other { other }', operationName: 'Places' });
    expect(await result).toEqual({ passed: true });
    expect([ctx.operations[0]?.name, ctx.operationLabel, ctx.mutation]).toEqual(['Places', 'Places', false]);
  });

  it('detects a mutation from the parsed document, whatever the text starts with', async () => {
    const { ctx, result } = await run('POST', { query: '# a comment first\n  mutation Rate { rate }' });
    await result;
    expect(ctx.mutation).toBe(true);
    const refusal = await refusalOf((await run('GET', { query: 'mutation Rate { rate }' })).result);
    expect([refusal.status, refusal.code, refusal.headers]).toEqual([405, 'METHOD_NOT_ALLOWED', { allow: 'POST' }]);
  });

  it('refuses a document whose operation cannot be chosen, and subscriptions over HTTP', async () => {
    const several = await refusalOf((await run('POST', { query: 'query A { a } query B { b }' })).result);
    expect([several.code, several.message]).toEqual(['OPERATION_RESOLUTION_FAILURE', 'Name the operation to run: the document holds more than one.']);
    const unknown = await refusalOf((await run('POST', { query: 'query A { a }', operationName: 'C' })).result);
    expect(unknown.code).toBe('OPERATION_RESOLUTION_FAILURE');
    const subscription = await refusalOf((await run('POST', { query: 'subscription S { s }' })).result);
    expect([subscription.status, subscription.code]).toEqual([400, 'BAD_REQUEST']);
  });
});
