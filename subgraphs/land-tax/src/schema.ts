import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar, referenceId } from '@gerbang/common';
import { TaxBillResolver, TaxObjectResolver, TicketResolver } from './modules/resolvers';
import { Ticket } from './modules/types';

export function buildLandTaxSchema() {
  return buildFederatedSchema({
    resolvers: [TaxObjectResolver, TaxBillResolver, TicketResolver],
    orphanedTypes: [Ticket],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      Ticket: { __resolveReference: (ref: { id: unknown }) => ({ id: referenceId(ref) }) },
    },
  });
}
