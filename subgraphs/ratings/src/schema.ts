import 'reflect-metadata';
import { buildFederatedSchema, referenceId } from '@gerbang/common';
import type { MiddlewareFn } from 'type-graphql';
import type { RatingsContext } from './context';
import { ticketVisible } from './graph/access';
import { Agency, Citizen, Officer, Service } from './graph/entities';
import { isDomainError, toGerbangError } from './lib/domain-error';
import { ModerationResolver, ReviewedRatingResolver } from './modules/moderation/resolvers';
import { RatingResolver } from './modules/ratings/resolvers';
import { AgencyRatingsResolver, OfficerRatingsResolver, ServiceRatingsResolver } from './modules/summaries/resolvers';
import { CitizenTicketsResolver, TicketResolver } from './modules/tickets/resolvers';
import { Ticket } from './modules/tickets/types';
import { TppAppealResolver, TppReportResolver, TppRowResolver } from './modules/tpp/resolvers';

/** The rules throw plain DomainErrors; here, once, they become GraphQL errors with their codes. */
const domainErrors: MiddlewareFn<RatingsContext> = async (_action, next) => {
  try {
    return await next();
  } catch (err) {
    throw isDomainError(err) ? toGerbangError(err) : err;
  }
};

const stub = (ref: { id: unknown }) => ({ id: referenceId(ref) });

export function buildRatingsSchema() {
  return buildFederatedSchema({
    resolvers: [
      CitizenTicketsResolver,
      TicketResolver,
      RatingResolver,
      AgencyRatingsResolver,
      ServiceRatingsResolver,
      OfficerRatingsResolver,
      TppReportResolver,
      TppRowResolver,
      TppAppealResolver,
      ModerationResolver,
      ReviewedRatingResolver,
    ],
    // Entities other subgraphs reach (Citizen through population's `me`) even when no root field here returns them.
    orphanedTypes: [Citizen, Ticket, Agency, Service, Officer],
    globalMiddlewares: [domainErrors],
    referenceResolvers: {
      Agency: { __resolveReference: stub },
      Service: { __resolveReference: stub },
      Officer: { __resolveReference: stub },
      Citizen: { __resolveReference: stub },
      Ticket: {
        // Tickets are personal: a reference resolves only for the ticket's citizen (or an administrator).
        __resolveReference: async (ref: { id: unknown }, ctx: RatingsContext) => {
          const ticket = await ctx.loaders.ticket.load(referenceId(ref));
          return ticket && ticketVisible(ctx, ticket) ? ticket : null;
        },
      },
    },
  });
}
