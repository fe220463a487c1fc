import { Ctx, Directive, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { agencyAnswerOf, type AgencyAnswer } from '@gerbang/common';
import { ANALYST_ONLY, agencyAnswerType, agencyInsightEntity } from '@gerbang/common/graph-types';
import type { LandTaxContext } from './context';

/** The insights subgraph's agency question, keyed by its canonical text; land-tax adds `pbbCollectionRate`. */
export const { AgencyInsight, reference: agencyInsightReference } = agencyInsightEntity();
export type AgencyInsight = InstanceType<typeof AgencyInsight>;

@ObjectType({ description: 'One group of PBB_COLLECTION_RATE: the dimensions asked for, and the rate in percent (null when suppressed).' })
class PbbCollectionRateRow {
  @Field(() => String, { nullable: true, description: "YYYY-MM: that month's tax year, paid by the end of the month." })
  month!: string | null;
  @Field(() => Int, { nullable: true, description: 'Kecamatan code 1–14 of the tax object; 0: not known.' })
  kecamatan!: number | null;
  @Field(() => String, { nullable: true })
  kecamatanName!: string | null;
  @Field(() => Float, { nullable: true, description: 'Paid / assessed, in percent (2 decimals, half-up).' })
  value!: number | null;
  @Field(() => Boolean)
  suppressed!: boolean;
}

const PbbCollectionRateAnswer = agencyAnswerType(
  'PbbCollectionRateAnswer',
  PbbCollectionRateRow,
  'PBB-P2 collection rate, by the dimensions of the question, from one SISMIOP statement.',
  'k: the fewest tax objects (SPPTs) a shown cell stands on.',
);

@Resolver(() => AgencyInsight)
export class AgencyInsightResolver {
  @Directive(ANALYST_ONLY)
  @FieldResolver(() => PbbCollectionRateAnswer, {
    nullable: true,
    description: 'PBB_COLLECTION_RATE, computed by the land-tax subgraph from SISMIOP; null when the question does not name it, or (with an error) when SISMIOP fails.',
  })
  async pbbCollectionRate(@Root() insight: AgencyInsight, @Ctx() ctx: LandTaxContext): Promise<AgencyAnswer | null> {
    const answer = await ctx.pbbCollectionRate.answer(insight.question);
    return answer && agencyAnswerOf(answer, 'PBB_COLLECTION_RATE', () => ({}));
  }
}
