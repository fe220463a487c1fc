import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class StarCount {
  @Field(() => Int)
  stars!: number;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'Star ratings (1–5) received, counting valid ratings only.' })
export class RatingSummary {
  @Field(() => Float, { nullable: true, description: 'Mean stars, rounded half-up to 2 decimals; null without ratings.' })
  average!: number | null;

  @Field(() => Int)
  count!: number;

  @Field(() => [StarCount], { description: 'Ratings per star, 1 to 5.' })
  @Directive('@listSize(assumedSize: 5)')
  distribution!: StarCount[];
}

@ObjectType()
export class SatisfactionElement {
  @Field(() => String, { description: 'One of the nine SKM elements, e.g. REQUIREMENTS, STAFF_BEHAVIOUR.' })
  element!: string;

  @Field(() => Float, { nullable: true, description: "The element's converted value (NRR × 25), 2 decimals." })
  value!: number | null;
}

@ObjectType({ description: 'Citizen satisfaction index (IKM, PermenPANRB 14/2017) of an agency for a year or a month.' })
export class Satisfaction {
  @Field(() => Int)
  year!: number;

  @Field(() => Int, { nullable: true })
  month!: number | null;

  @Field(() => Int, { description: 'Ratings that answered the nine SKM questions.' })
  respondents!: number;

  @Field(() => Int, { description: 'Tickets of the agency completed in the period.' })
  population!: number;

  @Field(() => Int, { description: 'Krejcie–Morgan sample size for that population.' })
  requiredSample!: number;

  @Field(() => Float, { nullable: true, description: 'Converted index 25–100, exact 1/9 weights, rounded half-up to 2 decimals.' })
  index!: number | null;

  @Field(() => String, { nullable: true, description: 'A (Sangat Baik) ≥ 88.31, B (Baik) ≥ 76.61, C (Kurang Baik) ≥ 65.00, else D.' })
  category!: string | null;

  @Field(() => [SatisfactionElement])
  @Directive('@listSize(assumedSize: 9)')
  elements!: SatisfactionElement[];

  @Field(() => Boolean, { description: 'True while respondents are fewer than the required sample.' })
  provisional!: boolean;
}
