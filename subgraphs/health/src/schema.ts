import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar } from '@gerbang/common';
import { ClinicQueryResolver, ClinicMutationResolver, TicketResolver } from './modules/resolvers';
import { ticketReference } from '@gerbang/common/graph-types';
import { Ticket } from './modules/types';

export function buildHealthSchema() {
  return buildFederatedSchema({
    resolvers: [ClinicQueryResolver, TicketResolver, ClinicMutationResolver],
    orphanedTypes: [Ticket],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      Ticket: ticketReference,
    },
  });
}
