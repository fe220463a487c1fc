import { Arg, Ctx, Directive, Field, Float, InputType, Int, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import { AGENCY_DIMENSIONS, AGENCY_MEASURE_DEFS, AGENCY_MEASURES, type AgencyDimension, type AgencyMeasure } from '@gerbang/common';
import type { InsightsContext } from '../context';
import { mayAsk } from './resolvers';
import { enumOf } from './types';

const AgencyInsightMeasure = enumOf(AGENCY_MEASURES);
const AgencyInsightDimension = enumOf(AGENCY_DIMENSIONS);
registerEnumType(AgencyInsightMeasure, {
  name: 'AgencyInsightMeasure',
  description: 'Measures an agency subgraph computes from its own system (README, "Insights": definitions).',
});
registerEnumType(AgencyInsightDimension, { name: 'AgencyInsightDimension', description: 'What to split an agency measure by (each measure names the ones it supports).' });

@InputType({ description: 'A question about measures the agency subgraphs contribute. Periods are whole months.' })
export class AgencyInsightQuestionInput {
  @Field(() => [AgencyInsightMeasure])
  measures!: AgencyMeasure[];
  @Field(() => [AgencyInsightDimension], { defaultValue: [] })
  dimensions!: AgencyDimension[];
  @Field(() => String, { description: 'First month, YYYY-MM (Asia/Jakarta).' })
  from!: string;
  @Field(() => String, { description: 'Last month, YYYY-MM, inclusive.' })
  to!: string;
}

@ObjectType()
export class AgencyInsightMeasureInfo {
  @Field(() => AgencyInsightMeasure)
  measure!: AgencyMeasure;
  @Field(() => String, { description: 'The field of AgencyInsight that answers it.' })
  field!: string;
  @Field(() => String, { description: 'The subgraph (and so the agency system) that computes it.' })
  subgraph!: string;
  @Field(() => String)
  unit!: string;
  @Field(() => String)
  definition!: string;
  @Field(() => [AgencyInsightDimension])
  dimensions!: AgencyDimension[];
  @Field(() => Int, { description: 'k: the fewest records a shown cell of this measure stands on.' })
  minimumCellSize!: number;
}

/**
 * A question about agency measures, keyed by its canonical text: the agency subgraphs add one field
 * each (`permitsIssued`, `pbbCollectionRate`, `clinicBookings`), which the gateway fetches in one
 * batched `_entities` call per subgraph.
 */
@ObjectType({
  description: 'An agency-measure question, answered by the agency subgraphs: each measure is a field another subgraph adds (null, with an error on its path, when its agency system fails).',
})
@Directive('@key(fields: "question")')
export class AgencyInsight {
  @Field(() => String, { description: 'The question as canonical JSON (measures, dimensions, period, minimum cell sizes).' })
  question!: string;
  @Field(() => [AgencyInsightMeasureInfo])
  measures!: AgencyInsightMeasureInfo[];
  @Field(() => Float, { description: 'What the question cost against the daily budget.' })
  cost!: number;
  @Field(() => Float)
  budgetRemaining!: number;
}

@Resolver()
export class AgencyInsightsResolver {
  @Query(() => AgencyInsight, {
    description:
      'Ask for measures the agency subgraphs contribute (permits issued by sector, PBB collection rate, Puskesmas bookings). Priced against your daily budget and recorded in the access log like `insights`; small cells are suppressed where the figures are computed.',
  })
  @Directive('@requiresScopes(scopes: [["role:analyst"], ["role:admin"]])')
  async agencyInsights(@Arg('question', () => AgencyInsightQuestionInput) input: AgencyInsightQuestionInput, @Ctx() ctx: InsightsContext): Promise<AgencyInsight> {
    const purpose = mayAsk(ctx);
    const answer = await ctx.agencyInsights.ask(ctx.caller, ctx.requestId, { measures: input.measures, dimensions: input.dimensions, from: input.from, to: input.to }, purpose);
    return Object.assign(new AgencyInsight(), {
      question: answer.question,
      measures: answer.parsed.measures.map((m) => measureInfo(m, answer.parsed.k[m]!)),
      cost: answer.cost,
      budgetRemaining: answer.budgetRemaining,
    });
  }

  @Query(() => [AgencyInsightMeasureInfo], {
    description:
      "Every agency measure with its unit, definition, dimensions and the k in force: no figure, so nothing is charged or recorded (the gateway's export metadata of an agency question reads it).",
  })
  @Directive('@requiresScopes(scopes: [["role:analyst"], ["role:admin"]])')
  agencyInsightMeasures(@Ctx() ctx: InsightsContext): AgencyInsightMeasureInfo[] {
    mayAsk(ctx);
    const k = ctx.agencyInsights.minimumCellSizes();
    return AGENCY_MEASURES.map((m) => measureInfo(m, k[m]));
  }
}

function measureInfo(m: AgencyMeasure, minimumCellSize: number): AgencyInsightMeasureInfo {
  const d = AGENCY_MEASURE_DEFS[m];
  return Object.assign(new AgencyInsightMeasureInfo(), {
    measure: m,
    field: d.field,
    subgraph: d.subgraph,
    unit: d.unit,
    definition: d.definition,
    dimensions: [...d.dimensions],
    minimumCellSize,
  });
}
