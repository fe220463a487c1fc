import { LRUCache } from 'lru-cache';
import { ErrorCode, type Role } from '@gerbang/common';
import type { Analysis, OperationAnalyzer } from './analysis';
import { EdgeRefusal } from './refusal';

/** What one operation may cost a role. Every figure is a hard ceiling; none is unlimited. */
export interface QueryBudget {
  depth: number;
  aliases: number;
  rootFields: number;
  tokens: number;
  cost: number;
}

export type LimitsByRole = { default: QueryBudget } & Partial<Record<Role, QueryBudget>>;

/**
 * Defaults sized on the clients' contract: the largest contract operation (AgencyPage) costs a few
 * hundred and nests 4 deep. Analysts and admins write ad-hoc queries over aggregates and get a
 * larger budget, not an unlimited one.
 */
export const DEFAULT_LIMITS: LimitsByRole = {
  default: { depth: 10, aliases: 30, rootFields: 10, tokens: 2_000, cost: 2_500 },
  analyst: { depth: 15, aliases: 200, rootFields: 30, tokens: 15_000, cost: 50_000 },
  admin: { depth: 15, aliases: 200, rootFields: 30, tokens: 15_000, cost: 50_000 },
};

const FIGURES = ['depth', 'aliases', 'rootFields', 'tokens', 'cost'] as const;
const MAX_KEY: Record<(typeof FIGURES)[number], string> = {
  depth: 'maxDepth',
  aliases: 'maxAliases',
  rootFields: 'maxRootFields',
  tokens: 'maxTokens',
  cost: 'maxCost',
};

export class QueryLimits {
  /** Budgets by roles combination (a handful in practice). */
  private readonly byRoles = new LRUCache<string, QueryBudget>({ max: 64 });
  readonly maxTokens: number;
  /**
   * Deepest bracket nesting the analyzer parses: four times the largest depth budget (inline
   * fragments and input objects nest without adding depth), at least 32. Deeper is refused as
   * too deep before any parser runs.
   */
  readonly maxNesting: number;

  constructor(private readonly limits: LimitsByRole) {
    this.maxTokens = Math.max(...Object.values(limits).map((b) => b.tokens));
    this.maxNesting = Math.max(32, 4 * Math.max(...Object.values(limits).map((b) => b.depth)));
  }

  /** The most generous figure, dimension by dimension, among the caller's roles (the default when none has one). */
  budgetFor(roles: readonly Role[]): QueryBudget {
    const key = roles.join(',');
    let budget = this.byRoles.get(key);
    if (!budget) {
      const own = roles.map((r) => this.limits[r]).filter((b): b is QueryBudget => !!b);
      const from = own.length ? own : [this.limits.default];
      budget = Object.fromEntries(FIGURES.map((f) => [f, Math.max(...from.map((b) => b[f]))])) as unknown as QueryBudget;
      this.byRoles.set(key, budget);
    }
    return budget;
  }

  /**
   * Refuses an operation over budget with QUERY_TOO_COMPLEX and the figures, e.g.
   * `{ depth: 51, maxDepth: 10 }`. A syntax error is left to Apollo Server.
   */
  check(analyzer: OperationAnalyzer, analysis: Analysis, operationName: string | undefined, variables: Record<string, unknown> | undefined, roles: readonly Role[]): void {
    const budget = this.budgetFor(roles);
    if (analysis.tooManyTokens || analysis.tokens > budget.tokens) {
      throw tooComplex('tokens', analysis.tooManyTokens ? `more than ${analysis.tokens - 1}` : analysis.tokens, budget.tokens);
    }
    // Counted by the lexer, the text never parsed: its bracket nesting stands for its depth.
    if (analysis.tooDeep) throw tooComplex('depth', analysis.nesting, budget.depth);
    if (analysis.syntaxError) return;
    const name = operationName ?? (analysis.operations.size === 1 ? [...analysis.operations.keys()][0]! : undefined);
    if (name === undefined || !analysis.operations.has(name)) return; // Apollo Server reports the missing operation.
    const figures = analysis.operations.get(name)!;
    if (figures.slicingArgumentMissing) {
      const field = figures.slicingArgumentMissing;
      throw new EdgeRefusal(400, ErrorCode.BAD_USER_INPUT, `${field} needs exactly one of its slicing arguments (its @listSize says so).`, { field });
    }
    if (figures.depth > budget.depth) throw tooComplex('depth', figures.depth, budget.depth);
    if (figures.aliases > budget.aliases) throw tooComplex('aliases', figures.aliases, budget.aliases);
    if (figures.rootFields > budget.rootFields) throw tooComplex('rootFields', figures.rootFields, budget.rootFields);
    const cost = analyzer.costOf(analysis, name, variables);
    if (cost > budget.cost) throw tooComplex('cost', cost, budget.cost);
  }
}

const WHAT: Record<(typeof FIGURES)[number], string> = {
  depth: 'nests too deeply',
  aliases: 'uses too many aliases',
  rootFields: 'asks for too many top-level fields',
  tokens: 'is too long',
  cost: 'would cost too much to answer',
};

function tooComplex(figure: (typeof FIGURES)[number], value: number | string, max: number): EdgeRefusal {
  return new EdgeRefusal(400, ErrorCode.QUERY_TOO_COMPLEX, `This query ${WHAT[figure]}: ${figure} ${value}, at most ${max}.`, {
    [figure]: value,
    [MAX_KEY[figure]]: max,
  });
}

export const bodyTooLarge = (maxBodyBytes: number, bodyBytes?: number) =>
  new EdgeRefusal(413, ErrorCode.QUERY_TOO_COMPLEX, `The request body is larger than ${maxBodyBytes} bytes.`, {
    ...(bodyBytes !== undefined ? { bodyBytes } : {}),
    maxBodyBytes,
  });

export const batchTooLarge = (batchSize: number, maxBatchSize: number) =>
  new EdgeRefusal(400, ErrorCode.QUERY_TOO_COMPLEX, `A batch may hold at most ${maxBatchSize} operations; this one holds ${batchSize}.`, {
    batchSize,
    maxBatchSize,
  });
