import 'reflect-metadata';
import { buildFederatedSchema } from '@gerbang/common';
import { InsightsResolver } from './graph/resolvers';

export function buildInsightsSchema() {
  return buildFederatedSchema({ resolvers: [InsightsResolver] });
}
