import 'reflect-metadata';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { buildFederatedSchema, publicCacheHints, referenceId } from '@gerbang/common';
import type { RatingsContext } from './context';
import { ticketVisible } from './graph/access';
import { Agency, Citizen, Officer, Service } from './graph/entities';
import { isDomainError, toGerbangError } from './lib/domain-error';
import { ModerationResolver, ReviewedRatingResolver } from './modules/moderation/resolvers';
import { RatingResolver } from './modules/ratings/resolvers';
import { AgencyRatingsResolver, OfficerRatingsResolver, ServiceRatingsResolver } from './modules/summaries/resolvers';
import { CitizenTicketsResolver, TicketResolver } from './modules/tickets/resolvers';
import { LiveTicketResolver } from './modules/tickets/live.resolvers';
import { FeedKeyResolver } from './modules/tickets/feed-keys.resolvers';
import { CitizenNotificationsResolver, NotificationSettingsResolver } from './modules/notifications/resolvers';
import { Ticket } from './modules/tickets/types';
import { TppAppealResolver, TppReportResolver, TppRowResolver } from './modules/tpp/resolvers';

const isPromiseLike = (v: unknown): v is PromiseLike<unknown> => typeof (v as { then?: unknown } | null)?.then === 'function';

const translate = (err: unknown): never => {
  throw isDomainError(err) ? toGerbangError(err) : err;
};

/**
 * The rules throw plain DomainErrors; here, once, they become GraphQL errors with their codes.
 * Done by wrapping each field's resolver rather than with a type-graphql global middleware: a global
 * middleware runs on every field, plain properties too, and makes each of them a promise chain
 * (a 300-row TPP report spent ~50 ms on that alone). The wrapper stays synchronous for
 * synchronous resolvers.
 */
function translateDomainErrors(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve) continue;
      field.resolve = (root, args, ctx, info) => {
        try {
          const result = resolve(root, args, ctx, info);
          return isPromiseLike(result) ? Promise.resolve(result).catch(translate) : result;
        } catch (err) {
          return translate(err);
        }
      };
    }
  }
  return schema;
}

const servedByGatewayStream = (): never => {
  throw new Error('Subscriptions are served by the gateway.');
};

const stub = (ref: { id: unknown }) => ({ id: referenceId(ref) });

export async function buildRatingsSchema(): Promise<GraphQLSchema> {
  const schema = await buildFederatedSchema({
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
      LiveTicketResolver,
      FeedKeyResolver,
      CitizenNotificationsResolver,
      NotificationSettingsResolver,
    ],
    // The Subscription root is the gateway's (live.resolvers.ts): nothing is ever published here.
    pubSub: { publish: () => undefined, subscribe: () => servedByGatewayStream() },
    // Entities other subgraphs reach (Citizen through population's `me`) even when no root field here returns them.
    orphanedTypes: [Citizen, Ticket, Agency, Service, Officer],
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
  // Rating summaries and satisfaction are public (anonymous callers read them): cache hints for
  // the gateway's response cache; tickets, ratings, TPP and moderation stay unhinted (uncacheable).
  return publicCacheHints(translateDomainErrors(schema), { maxAge: PUBLIC_MAX_AGE_S, types: ['Agency', 'Service', 'Officer', 'RatingSummary', 'Satisfaction'] });
}

/** How long the gateway may reuse a public answer at most (its invalidation ends it sooner). */
export const PUBLIC_MAX_AGE_S = 60;
