import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar, referenceId } from '@gerbang/common';
import { EligibilityResolver, ProposalMutationResolver, ProposalQueryResolver, TicketResolver } from './modules/resolvers';
import { Ticket } from './modules/types';

export function buildSocialSchema() {
  return buildFederatedSchema({
    resolvers: [EligibilityResolver, ProposalQueryResolver, TicketResolver, ProposalMutationResolver],
    orphanedTypes: [Ticket],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      Ticket: { __resolveReference: (ref: { id: unknown }) => ({ id: referenceId(ref) }) },
    },
  });
}
