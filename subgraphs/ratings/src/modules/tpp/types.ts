import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '@gerbang/common';
import type { AppealStatus as AppealStatusValue } from '../../rows';
import type { TppBasis as Basis } from './tpp';

const TppBasis = { OWN_RATINGS: 'OWN_RATINGS', UNIT_AVERAGE: 'UNIT_AVERAGE', NOT_ENOUGH_RATINGS: 'NOT_ENOUGH_RATINGS' } as const;
registerEnumType(TppBasis, {
  name: 'TppBasis',
  description: "Whose ratings set the factor: the officer's own, the unit's mean (officer below the minimum), or none (factor 1).",
});

export const AppealStatus = { OPEN: 'OPEN', UPHELD: 'UPHELD', REJECTED: 'REJECTED' } as const;
registerEnumType(AppealStatus, { name: 'TppAppealStatus' });

export const AppealOutcome = { UPHELD: 'UPHELD', REJECTED: 'REJECTED' } as const;
registerEnumType(AppealOutcome, { name: 'TppAppealOutcome' });

@ObjectType({ description: "One officer's TPP figures for a month. Amounts are whole rupiah." })
export class TppRow {
  @Field(() => Int, { description: 'Valid ratings of the officer in the month.' })
  ratings!: number;

  @Field(() => Float, { nullable: true, description: "The officer's mean stars, 2 decimals." })
  average!: number | null;

  @Field(() => Float, { description: 'The factor applied, min(1, mean/4), shown to 4 decimals (computed exactly).' })
  factor!: number;

  @Field(() => String, { description: 'The factor as an exact fraction, e.g. "5/6".' })
  factorExact!: string;

  @Field(() => Int, { nullable: true, description: 'Monthly TPP base (BKPSDM register).' })
  base!: number | null;

  @Field(() => Int, { nullable: true, description: 'floor(base × factor), floored once, at the end.' })
  payout!: number | null;

  @Field(() => TppBasis)
  basis!: Basis;

  officerId!: string;
}

@ObjectType({ description: 'TPP figures of one agency for one month (Asia/Jakarta, by service completion date).' })
export class TppReport {
  @Field(() => ID)
  agencyId!: string;

  @Field(() => String, { description: 'YYYY-MM' })
  month!: string;

  @Field(() => Boolean, { description: 'A finalised month never changes.' })
  finalized!: boolean;

  @Field(() => DateTimeScalar, { nullable: true })
  finalizedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the finalised snapshot.' })
  contentHash!: string | null;

  @Field(() => DateTimeScalar, { description: "When the month's rating window closes (month end + window days); finalising is possible from then." })
  ratingWindowClosesAt!: Date;

  @Field(() => [TppRow])
  rows!: TppRow[];
}

@ObjectType({ description: "An officer's appeal against their TPP figures of a month." })
export class TppAppeal {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  agencyId!: string;

  @Field(() => String)
  month!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => AppealStatus)
  status!: AppealStatusValue;

  @Field(() => DateTimeScalar)
  filedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Who in HR decided (their sign-in subject).' })
  resolvedBy!: string | null;

  @Field(() => String, { nullable: true })
  resolutionNote!: string | null;

  officerId!: string;
}
