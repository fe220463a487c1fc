import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar } from '@gerbang/common';
import { TaxBillResolver, TaxObjectResolver, TicketResolver } from './modules/resolvers';
import { ticketReference } from '@gerbang/common/graph-types';
import { Ticket } from './modules/types';

export function buildLandTaxSchema() {
  return buildFederatedSchema({
    resolvers: [TaxObjectResolver, TaxBillResolver, TicketResolver],
    orphanedTypes: [Ticket],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      Ticket: ticketReference,
    },
  });
}
