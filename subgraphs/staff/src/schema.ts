import 'reflect-metadata';
import { buildFederatedSchema, referenceId } from '@gerbang/common';
import { OfficerResolver, StaffQueryResolver } from './modules/resolvers';
import { Officer } from './modules/types';

export function buildStaffSchema() {
  return buildFederatedSchema({
    resolvers: [OfficerResolver, StaffQueryResolver],
    orphanedTypes: [Officer],
    referenceResolvers: {
      // Nothing is fetched here: each HR field loads (batched) and checks access on its own, so a
      // refused or failed field leaves the rest of the officer intact.
      Officer: { __resolveReference: (ref: { id: unknown }) => ({ id: referenceId(ref) }) },
    },
  });
}
