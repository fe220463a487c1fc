import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar, referenceId, type TicketSync } from '@gerbang/common';
import { createMutationResolver, EligibilityResolver, ProposalQueryResolver, TicketResolver } from './modules/resolvers';
import { Ticket } from './modules/types';

export function buildSocialSchema(sync?: TicketSync) {
  return buildFederatedSchema({
    resolvers: [EligibilityResolver, ProposalQueryResolver, TicketResolver, createMutationResolver(sync)],
    orphanedTypes: [Ticket],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      Ticket: { __resolveReference: (ref: { id: unknown }) => ({ id: referenceId(ref) }) },
    },
  });
}
