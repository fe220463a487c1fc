import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar, referenceId } from '@gerbang/common';
import type { PopulationContext } from './modules/context';
import { CitizenResolver, DocumentMutationResolver, TicketResolver } from './modules/resolvers';
import { ticketReference } from '@gerbang/common/graph-types';
import { Ticket } from './modules/types';

export function buildPopulationSchema() {
  return buildFederatedSchema({
    resolvers: [CitizenResolver, TicketResolver, DocumentMutationResolver],
    orphanedTypes: [Ticket],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      // A Citizen reference resolves only for the caller themself (the service's rule).
      Citizen: { __resolveReference: (ref: { id: unknown }, ctx: PopulationContext) => ctx.population.citizenReference(referenceId(ref)) },
      Ticket: ticketReference,
    },
  });
}
