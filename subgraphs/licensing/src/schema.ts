import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar } from '@gerbang/common';
import { BusinessResolver, PermitMutationResolver, PermitQueryResolver, TicketResolver } from './modules/resolvers';
import { ticketReference } from '@gerbang/common/graph-types';
import { Ticket } from './modules/types';
import { AgencyInsight, AgencyInsightResolver, agencyInsightReference } from './modules/insights.resolver';

export function buildLicensingSchema() {
  return buildFederatedSchema({
    resolvers: [BusinessResolver, PermitQueryResolver, TicketResolver, PermitMutationResolver, AgencyInsightResolver],
    orphanedTypes: [Ticket, AgencyInsight],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      Ticket: ticketReference,
      AgencyInsight: agencyInsightReference,
    },
  });
}
