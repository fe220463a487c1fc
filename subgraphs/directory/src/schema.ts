import 'reflect-metadata';
import { buildFederatedSchema, referenceId } from '@gerbang/common';
import type { DirectoryContext } from './modules/context';
import { AgencyResolver, OfficerResolver, ServiceResolver } from './modules/resolvers';

export function buildDirectorySchema() {
  return buildFederatedSchema({
    resolvers: [AgencyResolver, ServiceResolver, OfficerResolver],
    referenceResolvers: {
      Agency: { __resolveReference: (ref: { id: unknown }, ctx: DirectoryContext) => ctx.loaders.agency.load(referenceId(ref)) },
      Service: { __resolveReference: (ref: { id: unknown }, ctx: DirectoryContext) => ctx.loaders.service.load(referenceId(ref)) },
      Officer: { __resolveReference: (ref: { id: unknown }, ctx: DirectoryContext) => ctx.loaders.officer.load(referenceId(ref)) },
    },
  });
}
