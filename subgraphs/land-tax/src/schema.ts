import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar } from '@gerbang/common';
import { TaxBillResolver, TaxObjectResolver, TicketResolver } from './modules/resolvers';
import { ticketReference } from '@gerbang/common/graph-types';
import { Ticket } from './modules/types';
import { AgencyInsight, AgencyInsightResolver, agencyInsightReference } from './modules/insights.resolver';

export function buildLandTaxSchema() {
  return buildFederatedSchema({
    resolvers: [TaxObjectResolver, TaxBillResolver, TicketResolver, AgencyInsightResolver],
    orphanedTypes: [Ticket, AgencyInsight],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      Ticket: ticketReference,
      AgencyInsight: agencyInsightReference,
    },
  });
}
