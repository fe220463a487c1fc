import { Arg, Ctx, Directive, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { forbidden, hasRole } from '@gerbang/common';
import type { RatingsContext } from '../../context';
import { ticketVisible } from '../../graph/access';
import { Ticket } from '../tickets/types';
import { RateServiceInput, Rating } from './types';

@Resolver(() => Rating)
export class RatingResolver {
  @Mutation(() => Rating, {
    description:
      "Rate a completed service ticket: once, by its citizen, within the rating window, never by an officer of the ticket's agency (BKPSDM's staff register decides, however the rater signed in). NOT_FOUND for a ticket that is not yours, whether or not it exists. While the staff register cannot be asked, the rating is accepted and held out of every figure until the register is asked again: an officer of the ticket's agency is then rejected (OWN_AGENCY) through moderation.",
  })
  @Directive('@requiresScopes(scopes: [["role:citizen"]])')
  async rateService(@Arg('input', () => RateServiceInput) input: RateServiceInput, @Ctx() ctx: RatingsContext): Promise<Rating> {
    const { rating, replayed, ticket } = await ctx.ratings.rate({ rater: ctx.rater, input, client: ctx.client, now: ctx.now, employment: ctx.employment, person: ctx.person });
    ctx.loaders.ratingOfTicket.clear(rating.ticketId).prime(rating.ticketId, rating);
    if (ticket) ctx.loaders.ticket.prime(ticket.id, ticket);
    ctx.logger.info({ ratingId: rating.id, ticketId: rating.ticketId, replayed, status: rating.status }, replayed ? 'rating replayed' : 'rating stored');
    return rating;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Null when an administrator has hidden it.' })
  comment(@Root() rating: Rating, @Ctx() ctx: RatingsContext): string | null {
    return rating.commentHidden && !hasRole(ctx.caller, 'admin') ? null : rating.comment;
  }

  @FieldResolver(() => Ticket)
  async ticket(@Root() rating: Rating, @Ctx() ctx: RatingsContext): Promise<Ticket> {
    const ticket = await ctx.loaders.ticket.load(rating.ticketId);
    if (!ticket || !ticketVisible(ctx, ticket)) throw forbidden('You may not read this ticket.');
    return Object.assign(new Ticket(), ticket);
  }
}
