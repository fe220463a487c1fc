import { Arg, Ctx, Directive, Query, Resolver } from 'type-graphql';
import { enumValue, forbidden, hasRole } from '@gerbang/common';
import { measureDef, type Question } from '../cube/model';
import type { InsightsContext } from '../context';
import { exportCsv } from '../cube/export';
import { minimumCellSize } from '../cube/engine';
import {
  InsightAnswer,
  InsightBudget,
  InsightCell,
  InsightExport,
  InsightExportMetadata,
  InsightMeasureInfo,
  InsightQuestionInput,
  InsightRow,
  kecamatanOf,
  InsightChannel,
  PositionClass,
} from './types';

/** The GraphQL input as the cube's question (defaults filled, sort keys named). */
const toQuestion = (input: InsightQuestionInput): Question => ({
  measures: input.measures,
  dimensions: input.dimensions,
  from: input.from,
  to: input.to,
  filter: Object.fromEntries(Object.entries(input.filter ?? {}).filter(([, v]) => v !== undefined && v !== null)),
  sort: (input.sort ?? []).map((s) => ({ by: (s.measure ?? s.dimension) as never, descending: s.descending })),
  limit: input.limit,
  compare: input.compare ?? null,
});

/** Analysts and administrators may ask; the capacity they ask in (the access record's purpose). */
export const mayAsk = (ctx: InsightsContext) => {
  if (!hasRole(ctx.caller, 'analyst', 'admin')) throw forbidden('Insights are for analysts.');
  return hasRole(ctx.caller, 'analyst') ? 'analyst' : 'admin';
};

@Resolver()
export class InsightsResolver {
  @Query(() => InsightAnswer, {
    description:
      'Ask the cube: measures split by up to three dimensions over whole months, aggregated over every agency. Small cells are suppressed (null, suppressed: true), every question is priced against your daily budget (INSIGHTS_BUDGET_EXCEEDED) and recorded in the access log.',
  })
  @Directive('@requiresScopes(scopes: [["role:analyst"], ["role:admin"]])')
  async insights(@Arg('question', () => InsightQuestionInput) input: InsightQuestionInput, @Ctx() ctx: InsightsContext): Promise<InsightAnswer> {
    const purpose = mayAsk(ctx);
    const question = toQuestion(input);
    const result = await ctx.insights.ask(ctx.caller, ctx.requestId, question, purpose);
    const rows = result.rows.map((r) =>
      Object.assign(new InsightRow(), {
        agency: r.key.AGENCY ? { id: r.key.AGENCY } : null,
        service: r.key.SERVICE ? { id: r.key.SERVICE } : null,
        month: r.key.MONTH ?? null,
        week: r.key.WEEK ?? null,
        day: r.key.DAY ?? null,
        kecamatan: r.key.KECAMATAN !== undefined ? kecamatanOf(Number(r.key.KECAMATAN)) : null,
        channel: r.key.CHANNEL === undefined ? null : enumValue(InsightChannel, r.key.CHANNEL, 'insights channel'),
        positionClass: r.key.POSITION_CLASS === undefined ? null : enumValue(PositionClass, r.key.POSITION_CLASS, 'insights position class'),
        cells: r.cells.map((c) => Object.assign(new InsightCell(), c)),
      }),
    );
    return Object.assign(new InsightAnswer(), {
      rows,
      measures: question.measures.map((m) => {
        const d = measureDef(m);
        return Object.assign(new InsightMeasureInfo(), { measure: m, unit: d.unit, definition: d.definition, minimumCellSize: minimumCellSize(ctx.policy.privacy, d.basis) });
      }),
      suppressedCells: result.suppressedCells,
      cost: result.cost,
      budgetRemaining: result.budgetRemaining,
      previousFrom: result.previousFrom,
      previousTo: result.previousTo,
      dataAsOf: await ctx.dataAsOf(),
    });
  }

  @Query(() => InsightExport, {
    description:
      'The same question as a CSV data set with Satu Data Indonesia metadata (title, producer, period, definitions, suppression rule, licence): the same access, budget, suppression and access record as `insights`.',
  })
  @Directive('@requiresScopes(scopes: [["role:analyst"], ["role:admin"]])')
  @Directive('@cost(weight: 1000)')
  async insightsExport(@Arg('question', () => InsightQuestionInput) input: InsightQuestionInput, @Ctx() ctx: InsightsContext): Promise<InsightExport> {
    const purpose = `${mayAsk(ctx)} export`;
    const question = toQuestion(input);
    const result = await ctx.insights.ask(ctx.caller, ctx.requestId, question, purpose);
    const { csv, metadata, filename } = exportCsv(question, result, ctx.policy.privacy, new Date(), await ctx.dataAsOf());
    return Object.assign(new InsightExport(), {
      filename,
      mediaType: 'text/csv; charset=utf-8; header=present',
      content: csv,
      metadata: Object.assign(new InsightExportMetadata(), metadata),
      cost: result.cost,
      budgetRemaining: result.budgetRemaining,
    });
  }

  @Query(() => InsightBudget, { description: 'What is left of your analytics budget today.' })
  @Directive('@requiresScopes(scopes: [["role:analyst"], ["role:admin"]])')
  async insightsBudget(@Ctx() ctx: InsightsContext): Promise<InsightBudget> {
    mayAsk(ctx);
    const b = await ctx.insights.budget(ctx.caller.sub ?? 'anonymous');
    return Object.assign(new InsightBudget(), { limit: b.limit, used: b.used, remaining: b.remaining, questions: b.questions, resetsAt: b.resetsAt.toISOString() });
  }
}
