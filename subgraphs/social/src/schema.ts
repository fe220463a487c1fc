import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar } from '@gerbang/common';
import { EligibilityResolver, ProposalMutationResolver, ProposalQueryResolver, TicketResolver } from './modules/resolvers';
import { ticketReference } from '@gerbang/common/graph-types';
import { Ticket } from './modules/types';

export function buildSocialSchema() {
  return buildFederatedSchema({
    resolvers: [EligibilityResolver, ProposalQueryResolver, TicketResolver, ProposalMutationResolver],
    orphanedTypes: [Ticket],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      Ticket: ticketReference,
    },
  });
}
