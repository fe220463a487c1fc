import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar, referenceId, type TicketSync } from '@gerbang/common';
import { ClinicQueryResolver, createMutationResolver, TicketResolver } from './modules/resolvers';
import { Ticket } from './modules/types';

export function buildHealthSchema(sync?: TicketSync) {
  return buildFederatedSchema({
    resolvers: [ClinicQueryResolver, TicketResolver, createMutationResolver(sync)],
    orphanedTypes: [Ticket],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      Ticket: { __resolveReference: (ref: { id: unknown }) => ({ id: referenceId(ref) }) },
    },
  });
}
