import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { OperationAnalyzer } from '../../src/edge/analysis';
import { DEFAULT_LIMITS, QueryLimits } from '../../src/edge/limits';
import { analysisStep, budgetsStep } from '../../src/pipeline/analysis';
import { anonymous, refusalOf, request, runStep } from './support';

const limits = new QueryLimits({ ...DEFAULT_LIMITS, default: { ...DEFAULT_LIMITS.default, depth: 3 } });
const analyzer = new OperationAnalyzer({ maxTokens: limits.maxTokens, maxNesting: limits.maxNesting, listSizeDefault: 10 });
analyzer.setSchema(buildSchema('type Query { a: A } type A { b: A, n: Int }'));

function withOps(...queries: unknown[]) {
  const { ctx } = request();
  ctx.caller = anonymous;
  ctx.operations = queries.map((query) => ({ op: { query } }));
  return ctx;
}

describe('analysis and budget steps', () => {
  it('analyses each operation with a text (the same analysis for the same text)', async () => {
    const ctx = withOps('{ a { n } }', undefined, '{ a { n } }');
    await runStep(analysisStep(analyzer), ctx);
    expect(ctx.operations[0]?.analysis?.operations.size).toBe(1);
    expect(ctx.operations[0]?.analysis?.operations.get('')).toMatchObject({ depth: 2, mutation: false });
    expect(ctx.operations[1]?.analysis).toBeUndefined();
    expect(ctx.operations[2]?.analysis).toBe(ctx.operations[0]?.analysis);
  });

  it("refuses an operation past the caller's budget with the figure and its limit", async () => {
    const ok = withOps('{ a { b { n } } }');
    await runStep(analysisStep(analyzer), ok);
    expect(await runStep(budgetsStep(analyzer, limits), ok)).toEqual({ passed: true });
    const deep = withOps('{ a { b { b { b { n } } } } }');
    await runStep(analysisStep(analyzer), deep);
    const refusal = await refusalOf(runStep(budgetsStep(analyzer, limits), deep));
    expect([refusal.code, refusal.extensions]).toEqual(['QUERY_TOO_COMPLEX', { depth: 5, maxDepth: 3 }]);
  });
});
