import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar } from '@gerbang/common';
import { BusinessResolver, PermitMutationResolver, PermitQueryResolver, TicketResolver } from './modules/resolvers';
import { ticketReference } from '@gerbang/common/graph-types';
import { Ticket } from './modules/types';

export function buildLicensingSchema() {
  return buildFederatedSchema({
    resolvers: [BusinessResolver, PermitQueryResolver, TicketResolver, PermitMutationResolver],
    orphanedTypes: [Ticket],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      Ticket: ticketReference,
    },
  });
}
