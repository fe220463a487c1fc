import { Ctx, Directive, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { agencyAnswerOf, type AgencyAnswer } from '@gerbang/common';
import { ANALYST_ONLY, agencyAnswerType, agencyInsightEntity } from '@gerbang/common/graph-types';
import type { LicensingContext } from './context';
import { kbliSectionName } from './insights';

/** The insights subgraph's agency question, keyed by its canonical text; licensing adds `permitsIssued`. */
export const { AgencyInsight, reference: agencyInsightReference } = agencyInsightEntity();
export type AgencyInsight = InstanceType<typeof AgencyInsight>;

@ObjectType({ description: 'One group of PERMITS_ISSUED: the dimensions asked for, and the count (null when suppressed).' })
class PermitsIssuedRow {
  @Field(() => String, { nullable: true, description: 'YYYY-MM' })
  month!: string | null;
  @Field(() => Int, { nullable: true, description: 'Kecamatan code 1–14 of the business address; 0: not known.' })
  kecamatan!: number | null;
  @Field(() => String, { nullable: true })
  kecamatanName!: string | null;
  @Field(() => String, { nullable: true, description: 'KBLI 2020 section (A–U; X: no KBLI).' })
  sector!: string | null;
  @Field(() => String, { nullable: true })
  sectorName!: string | null;
  @Field(() => Int, { nullable: true })
  value!: number | null;
  @Field(() => Boolean)
  suppressed!: boolean;
}

const PermitsIssuedAnswer = agencyAnswerType(
  'PermitsIssuedAnswer',
  PermitsIssuedRow,
  'Licences issued through OSS RBA, by the dimensions of the question, from one OSS statistics call.',
  'k: the fewest licences a shown cell stands on.',
);

@Resolver(() => AgencyInsight)
export class AgencyInsightResolver {
  @Directive(ANALYST_ONLY)
  @FieldResolver(() => PermitsIssuedAnswer, {
    nullable: true,
    description: 'PERMITS_ISSUED, computed by the licensing subgraph from OSS RBA; null when the question does not name it, or (with an error) when OSS fails.',
  })
  async permitsIssued(@Root() insight: AgencyInsight, @Ctx() ctx: LicensingContext): Promise<AgencyAnswer | null> {
    const answer = await ctx.permitsIssued.answer(insight.question);
    return answer && agencyAnswerOf(answer, 'PERMITS_ISSUED', (key) => ({ sector: key.SECTOR ?? null, sectorName: key.SECTOR !== undefined ? kbliSectionName(key.SECTOR) : null }));
  }
}
