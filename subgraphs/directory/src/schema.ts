import 'reflect-metadata';
import { buildFederatedSchema, publicCacheHints, referenceId } from '@gerbang/common';
import type { DirectoryContext } from './modules/context';
import { AgencyResolver, OfficerResolver, ServiceResolver } from './modules/resolvers';

/** How long the gateway may reuse a public answer at most (its invalidation ends it sooner). */
export const PUBLIC_MAX_AGE_S = 60;

export async function buildDirectorySchema() {
  // The directory is public: cache hints for the gateway's response cache (@gerbang/common cache-hints.ts).
  return publicCacheHints(await buildDirectorySchemaWithoutHints(), { maxAge: PUBLIC_MAX_AGE_S, types: ['Agency', 'Service', 'Officer'], rootFields: ['agencies', 'agency', 'service', 'officer'] });
}

function buildDirectorySchemaWithoutHints() {
  return buildFederatedSchema({
    resolvers: [AgencyResolver, ServiceResolver, OfficerResolver],
    referenceResolvers: {
      Agency: { __resolveReference: (ref: { id: unknown }, ctx: DirectoryContext) => ctx.loaders.agency.load(referenceId(ref)) },
      Service: { __resolveReference: (ref: { id: unknown }, ctx: DirectoryContext) => ctx.loaders.service.load(referenceId(ref)) },
      Officer: { __resolveReference: (ref: { id: unknown }, ctx: DirectoryContext) => ctx.loaders.officer.load(referenceId(ref)) },
    },
  });
}
