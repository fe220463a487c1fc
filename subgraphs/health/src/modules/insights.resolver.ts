import { Ctx, Directive, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { agencyAnswerOf, type AgencyAnswer } from '@gerbang/common';
import { ANALYST_ONLY, agencyAnswerType, agencyInsightEntity } from '@gerbang/common/graph-types';
import type { HealthContext } from './context';

/** The insights subgraph's agency question, keyed by its canonical text; health adds `clinicBookings`. */
export const { AgencyInsight, reference: agencyInsightReference } = agencyInsightEntity();
export type AgencyInsight = InstanceType<typeof AgencyInsight>;

@ObjectType({ description: 'One group of CLINIC_BOOKINGS: the dimensions asked for, and the count (null when suppressed).' })
class ClinicBookingsRow {
  @Field(() => String, { nullable: true, description: 'YYYY-MM (visit month)' })
  month!: string | null;
  @Field(() => Int, { nullable: true, description: 'Kecamatan code 1–14 of the Puskesmas; 0: not known.' })
  kecamatan!: number | null;
  @Field(() => String, { nullable: true })
  kecamatanName!: string | null;
  @Field(() => String, { nullable: true, description: 'Puskesmas code (as in `clinics`).' })
  puskesmas!: string | null;
  @Field(() => String, { nullable: true })
  puskesmasName!: string | null;
  @Field(() => Int, { nullable: true })
  value!: number | null;
  @Field(() => Boolean)
  suppressed!: boolean;
}

const ClinicBookingsAnswer = agencyAnswerType(
  'ClinicBookingsAnswer',
  ClinicBookingsRow,
  'Puskesmas queue bookings, by the dimensions of the question, from one recap call to the queue service.',
  'k: the fewest bookings a shown cell stands on.',
);

@Resolver(() => AgencyInsight)
export class AgencyInsightResolver {
  @Directive(ANALYST_ONLY)
  @FieldResolver(() => ClinicBookingsAnswer, {
    nullable: true,
    description: 'CLINIC_BOOKINGS, computed by the health subgraph from the Puskesmas queue service; null when the question does not name it, or (with an error) when the service fails.',
  })
  async clinicBookings(@Root() insight: AgencyInsight, @Ctx() ctx: HealthContext): Promise<AgencyAnswer | null> {
    const answer = await ctx.clinicBookings.answerer.answer(insight.question);
    return (
      answer &&
      agencyAnswerOf(answer, 'CLINIC_BOOKINGS', (key) => ({
        puskesmas: key.PUSKESMAS ?? null,
        puskesmasName: key.PUSKESMAS !== undefined ? ctx.clinicBookings.clinicName(key.PUSKESMAS) : null,
      }))
    );
  }
}
