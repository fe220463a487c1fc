import type { OperationAnalyzer } from '../edge/analysis';
import type { QueryLimits } from '../edge/limits';
import { operationNameOf, variablesOf } from './operation';
import { callerOf, check, forEachOperation, type EdgeStep } from './step';

/** Each operation's text analysed once (edge/analysis.ts, cached per text): tokens, depth, aliases, cost, kind. */
export function analysisStep(analyzer: OperationAnalyzer): EdgeStep {
  return check('analysis', (ctx) => {
    return forEachOperation(ctx, (entry) => {
      if (typeof entry.op.query === 'string') entry.analysis = analyzer.analyze(entry.op.query);
    });
  });
}

/** The query budget of the caller's roles (QUERY_TOO_COMPLEX with the figure and its limit): edge/limits.ts. */
export function budgetsStep(analyzer: OperationAnalyzer, limits: QueryLimits): EdgeStep {
  return check('budgets', (ctx) => {
    const { roles } = callerOf(ctx);
    return forEachOperation(ctx, ({ op, analysis }) => {
      if (analysis) limits.check(analyzer, analysis, operationNameOf(op), variablesOf(op), roles);
    });
  });
}
