import { Arg, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { badInput, forbidden, unauthenticated } from '@gerbang/common';
import type { RatingsContext } from '../../context';
import { Agency, Citizen, Officer, Service } from '../../graph/entities';
import { canRate } from '../ratings/rules';
import { Rating } from '../ratings/types';
import { Ticket } from './types';

const MAX_TICKETS = 100;

@Resolver(() => Citizen)
export class CitizenTicketsResolver {
  @FieldResolver(() => [Ticket], { description: "The citizen's service tickets at every agency, newest first. Only the citizen themself may read them." })
  @Directive('@policy(policies: [["owner"]])')
  @Directive('@listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)')
  async tickets(@Root() citizen: Citizen, @Ctx() ctx: RatingsContext, @Arg('first', () => Int, { defaultValue: 20 }) first: number): Promise<Ticket[]> {
    if (!ctx.caller.sub) throw unauthenticated();
    if (citizen.id !== ctx.caller.sub) throw forbidden('You may read only your own tickets.');
    if (first < 1 || first > MAX_TICKETS) throw badInput(`first must be between 1 and ${MAX_TICKETS}.`, 'first');
    if (!ctx.rater.citizenRef) return [];
    const tickets = await ctx.ledger.forCitizen(ctx.rater.citizenRef, first);
    for (const t of tickets) ctx.loaders.ticket.prime(t.id, t);
    return tickets.map((t) => Object.assign(new Ticket(), t));
  }
}

@Resolver(() => Ticket)
export class TicketResolver {
  @FieldResolver(() => Agency)
  agency(@Root() ticket: Ticket): Agency {
    return Object.assign(new Agency(), { id: ticket.agencyId });
  }

  @FieldResolver(() => Service, { nullable: true })
  service(@Root() ticket: Ticket): Service | null {
    return ticket.serviceId ? Object.assign(new Service(), { id: ticket.serviceId }) : null;
  }

  @FieldResolver(() => Officer, { nullable: true, description: 'The officer who served the ticket, when the agency says.' })
  officer(@Root() ticket: Ticket): Officer | null {
    return ticket.officerId ? Object.assign(new Officer(), { id: ticket.officerId }) : null;
  }

  @FieldResolver(() => Rating, { nullable: true, description: "The caller's rating of this ticket." })
  async myRating(@Root() ticket: Ticket, @Ctx() ctx: RatingsContext): Promise<Rating | null> {
    if (!ctx.rater.citizenRef || ctx.rater.citizenRef !== ticket.citizenRef) return null;
    return ctx.loaders.ratingOfTicket.load(ticket.id);
  }

  @FieldResolver(() => Boolean, {
    description:
      "Whether the caller may rate this ticket now, by the ledger and the sign-in. BKPSDM's staff register is asked only when rating: an officer of the ticket's agency signed in as a citizen may see true here and be refused with OWN_AGENCY.",
  })
  async canRate(@Root() ticket: Ticket, @Ctx() ctx: RatingsContext): Promise<boolean> {
    if (!ctx.rater.citizenRef || ctx.rater.citizenRef !== ticket.citizenRef) return false;
    const rating = await ctx.loaders.ratingOfTicket.load(ticket.id);
    return canRate({ ticket, rater: ctx.rater, alreadyRated: rating !== null, now: ctx.now, policy: ctx.config.rating });
  }
}
