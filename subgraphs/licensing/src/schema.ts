import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar, referenceId, type TicketSync } from '@gerbang/common';
import { BusinessResolver, createMutationResolver, PermitQueryResolver, TicketResolver } from './modules/resolvers';
import { Ticket } from './modules/types';

export function buildLicensingSchema(sync?: TicketSync) {
  return buildFederatedSchema({
    resolvers: [BusinessResolver, PermitQueryResolver, TicketResolver, createMutationResolver(sync)],
    orphanedTypes: [Ticket],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      Ticket: { __resolveReference: (ref: { id: unknown }) => ({ id: referenceId(ref) }) },
    },
  });
}
