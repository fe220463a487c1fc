import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar, referenceId } from '@gerbang/common';
import { BusinessResolver, PermitMutationResolver, PermitQueryResolver, TicketResolver } from './modules/resolvers';
import { Ticket } from './modules/types';

export function buildLicensingSchema() {
  return buildFederatedSchema({
    resolvers: [BusinessResolver, PermitQueryResolver, TicketResolver, PermitMutationResolver],
    orphanedTypes: [Ticket],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      Ticket: { __resolveReference: (ref: { id: unknown }) => ({ id: referenceId(ref) }) },
    },
  });
}
