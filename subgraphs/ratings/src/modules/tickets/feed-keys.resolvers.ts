import { Arg, Ctx, Directive, Field, ID, Mutation, ObjectType, Resolver } from 'type-graphql';
import { DateTimeScalar } from '@gerbang/common';
import type { RatingsContext } from '../../context';

@ObjectType({ description: 'A ticket feed key issued to an agency: shown once, here; the ledger keeps only what derives and checks it.' })
export class IssuedTicketFeedKey {
  @Field(() => ID)
  agencyId!: string;

  @Field(() => String, { description: "The key the agency's subgraph signs its ticket feed batches with (its TICKET_FEED_KEY)." })
  key!: string;

  @Field(() => DateTimeScalar)
  issuedAt!: Date;
}

@Resolver()
export class FeedKeyResolver {
  @Directive('@requiresScopes(scopes: [["role:admin"]])')
  @Mutation(() => IssuedTicketFeedKey, {
    description:
      "Administrators: issue a ticket feed key to an agency (a new agency publishes to the ledger with it, no TICKET_FEED_KEYS entry needed). Each call issues another key; all of an agency's issued keys stay valid. Agencies named in TICKET_FEED_KEYS keep their configured key. Refused with FORBIDDEN when FEED_KEY_SECRET is not set.",
  })
  async issueTicketFeedKey(@Arg('agencyId', () => ID) agencyId: string, @Ctx() ctx: RatingsContext): Promise<IssuedTicketFeedKey> {
    return ctx.feedKeys.issue(ctx.db, ctx.caller, agencyId, ctx.now, ctx.config.feedKeys);
  }
}
