import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '@gerbang/common';
import type { FlagStatus as FlagStatusValue, RatingStatus as RatingStatusValue } from '../../rows';
import type { FlagRule as Rule } from './moderation.service';

const RatingStatus = { VALID: 'VALID', FLAGGED: 'FLAGGED', REJECTED: 'REJECTED' } as const;
registerEnumType(RatingStatus, { name: 'RatingStatus', description: 'VALID counts; FLAGGED waits for review (left out of figures); REJECTED never counts.' });

export const FlagStatus = { OPEN: 'OPEN', ACCEPTED: 'ACCEPTED', REJECTED: 'REJECTED' } as const;
registerEnumType(FlagStatus, { name: 'RatingFlagStatus' });

export const FlagDecision = { ACCEPT: 'ACCEPT', REJECT: 'REJECT' } as const;
registerEnumType(FlagDecision, { name: 'RatingFlagDecision', description: 'ACCEPT: the rating is genuine and counts; REJECT: it never counts.' });

const FraudRule = {
  BURST: 'BURST',
  DEVICE_SPREAD: 'DEVICE_SPREAD',
  IP_SPREAD: 'IP_SPREAD',
  OFFICER_DEVIATION: 'OFFICER_DEVIATION',
  REGISTER_UNCHECKED: 'REGISTER_UNCHECKED',
} as const;
registerEnumType(FraudRule, {
  name: 'FraudRule',
  description: 'Why a rating is held for review.',
  valuesConfig: {
    REGISTER_UNCHECKED: {
      description:
        "BKPSDM's staff register could not be asked, when the rating was given, whether the rater works at the ticket's agency. Decided by the register check (reviewer system:register) once the register answers: ACCEPTED, or REJECTED with OWN_AGENCY; left open with a note in details after 7 days without an answer (policy).",
    },
  },
});

@ObjectType({ description: 'A rating as a moderator sees it: content and subject, never who gave it.' })
export class ReviewedRating {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  stars!: number;

  @Field(() => String, { nullable: true, description: 'The comment, also when hidden from others.' })
  comment!: string | null;

  @Field(() => Boolean)
  commentHidden!: boolean;

  @Field(() => [Int], { nullable: true })
  skm!: number[] | null;

  @Field(() => String, { description: 'YYYY-MM of the service completion (Asia/Jakarta).' })
  period!: string;

  @Field(() => RatingStatus)
  status!: RatingStatusValue;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  agencyId!: string;
  serviceId!: string;
  officerId!: string | null;
}

@ObjectType({ description: 'A suspicion raised by an anomaly rule, waiting for (or given) a human decision.' })
export class RatingFlag {
  @Field(() => ID)
  id!: string;

  @Field(() => FraudRule)
  rule!: Rule;

  @Field(() => String, { description: 'What the rule saw, as JSON (counts, windows, means; no rater identity).' })
  details!: string;

  @Field(() => FlagStatus)
  status!: FlagStatusValue;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  reviewedAt!: Date | null;

  @Field(() => String, { nullable: true })
  reviewNote!: string | null;

  @Field(() => ReviewedRating)
  rating!: ReviewedRating;
}

@ObjectType({ description: 'One moderation decision (append-only).' })
export class ModerationLogEntry {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => String, { description: 'Sign-in subject of the administrator, or system:register for the register check of held ratings.' })
  actor!: string;

  @Field(() => String, { description: 'REVIEW_FLAG, HIDE_COMMENT, or HAND_OVER (the register check left a flag to a moderator).' })
  action!: string;

  @Field(() => ID)
  ratingId!: string;

  @Field(() => ID, { nullable: true })
  flagId!: string | null;

  @Field(() => String, { nullable: true })
  decision!: string | null;

  @Field(() => String)
  note!: string;
}
