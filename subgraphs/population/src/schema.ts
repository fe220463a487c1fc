import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar, referenceId, type TicketSync } from '@gerbang/common';
import type { PopulationContext } from './modules/context';
import { CitizenResolver, createMutationResolver, TicketResolver, toCitizen } from './modules/resolvers';
import { Ticket } from './modules/types';

export function buildPopulationSchema(sync?: TicketSync) {
  return buildFederatedSchema({
    resolvers: [CitizenResolver, TicketResolver, createMutationResolver(sync)],
    orphanedTypes: [Ticket],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      // A Citizen reference resolves only for the caller themself: no subgraph can use this one
      // to look up another resident.
      Citizen: {
        __resolveReference: (ref: { id: unknown }, ctx: PopulationContext) => {
          const id = referenceId(ref);
          return id === ctx.caller.sub && ctx.caller.nik ? toCitizen(id, ctx.caller.nik) : null;
        },
      },
      Ticket: { __resolveReference: (ref: { id: unknown }) => ({ id: referenceId(ref) }) },
    },
  });
}
