import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar, referenceId } from '@gerbang/common';
import { ClinicQueryResolver, ClinicMutationResolver, TicketResolver } from './modules/resolvers';
import { Ticket } from './modules/types';

export function buildHealthSchema() {
  return buildFederatedSchema({
    resolvers: [ClinicQueryResolver, TicketResolver, ClinicMutationResolver],
    orphanedTypes: [Ticket],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      Ticket: { __resolveReference: (ref: { id: unknown }) => ({ id: referenceId(ref) }) },
    },
  });
}
