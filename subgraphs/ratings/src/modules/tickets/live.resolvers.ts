import { Arg, Ctx, Directive, ID, Query, Resolver, Subscription } from 'type-graphql';
import { GraphQLError } from 'graphql';
import { GerbangError, ErrorCode } from '@gerbang/common';
import type { RatingsContext } from '../../context';
import { agencyStaff } from './live';
import { Ticket } from './types';

const servedByGateway = () => {
  // The gateway owns the Subscription root (gateway/src/subscriptions): it never sends one here.
  throw new GraphQLError('Subscriptions are served by the gateway over WebSocket (graphql-ws) or SSE (graphql-sse).', { extensions: { code: 'BAD_REQUEST' } });
};

const AFTER = 'Resume: every ticket in scope changed after this `changeCursor` is sent first (its current state, once), then live changes. Over SSE, `Last-Event-ID` does the same.';

@Resolver()
export class LiveTicketResolver {
  @Query(() => Ticket, {
    nullable: true,
    description:
      "One ticket of the ledger, for its citizen, its agency's officers and administrators. An unknown ticket and one you may not read are alike null with NOT_FOUND (ids cannot be probed). Each subscription event is resolved through it.",
  })
  @Directive('@policy(policies: [["owner"], ["role:admin"]])')
  async ticket(@Arg('id', () => ID) id: string, @Ctx() ctx: RatingsContext): Promise<Ticket | null> {
    const ticket = id.length <= 200 ? await ctx.loaders.ticket.load(id) : null;
    const readable = ticket && ((ctx.rater.citizenRef !== null && ctx.rater.citizenRef === ticket.citizenRef) || agencyStaff(ctx.caller, ticket.agencyId));
    if (!readable) throw new GerbangError(ErrorCode.NOT_FOUND, 'No such ticket of yours.', { field: 'id' });
    return Object.assign(new Ticket(), ticket);
  }

  @Subscription(() => Ticket, {
    subscribe: servedByGateway,
    description: "The signed-in citizen's tickets at every agency: an event each time one changes, with whatever ticket fields you select (federated ones included).",
  })
  @Directive('@requiresScopes(scopes: [["role:citizen"]])')
  myTicketUpdates(@Arg('after', () => String, { nullable: true, description: AFTER }) _after: string | null): Ticket {
    return servedByGateway();
  }

  @Subscription(() => Ticket, {
    subscribe: servedByGateway,
    description: "One ticket, for its citizen or its agency's officers: an event each time it changes. Someone else's ticket, or an unknown one, is refused with NOT_FOUND.",
  })
  @Directive('@policy(policies: [["owner"], ["role:admin"]])')
  ticketUpdated(@Arg('id', () => ID) _id: string, @Arg('after', () => String, { nullable: true, description: AFTER }) _after: string | null): Ticket {
    return servedByGateway();
  }

  @Subscription(() => Ticket, {
    subscribe: servedByGateway,
    description: "An agency's ticket queue, for its officers (the token's agency) and administrators: an event each time one of its tickets arrives or changes.",
  })
  @Directive('@requiresScopes(scopes: [["role:officer"], ["role:admin"]])')
  agencyTicketQueue(@Arg('agencyId', () => ID) _agencyId: string, @Arg('after', () => String, { nullable: true, description: AFTER }) _after: string | null): Ticket {
    return servedByGateway();
  }
}
