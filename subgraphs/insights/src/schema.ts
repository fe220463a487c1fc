import 'reflect-metadata';
import { buildFederatedSchema } from '@gerbang/common';
import { InsightsResolver } from './graph/resolvers';
import { AgencyInsightsResolver } from './graph/federated';

export function buildInsightsSchema() {
  return buildFederatedSchema({ resolvers: [InsightsResolver, AgencyInsightsResolver] });
}
