import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '@gerbang/common';

@ObjectType({ description: "A citizen's rating of a completed ticket, as the citizen who gave it sees it (moderators see ReviewedRating)." })
export class Rating {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  stars!: number;

  @Field(() => [Int], { nullable: true, description: 'The nine SKM answers (1–4), when given.' })
  skm!: number[] | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  ticketId!: string;
  comment!: string | null;
  commentHidden!: boolean;
}

@InputType()
export class RateServiceInput {
  @Field(() => ID)
  ticketId!: string;

  @Field(() => Int, { description: '1–5.' })
  stars!: number;

  @Field(() => String, { nullable: true, description: 'Optional; trimmed, limited in length (policy: 1000 characters).' })
  comment?: string | null;

  @Field(() => [Int], { nullable: true, description: 'Optional: exactly nine answers, each 1–4.' })
  skm?: number[] | null;

  @Field(() => String, { nullable: true, description: 'A retry with the same key returns the first result and stores nothing new.' })
  idempotencyKey?: string | null;
}
