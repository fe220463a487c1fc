import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import type { BuildSchemaOptions } from 'type-graphql';
import { refuseUnstorableText } from './text-input';

/** The federation version and the directives every subgraph may use. */
const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@composeDirective", "@interfaceObject"])';

/**
 * Gerbang's own authorization directive, exported to the supergraph with @composeDirective so the
 * gateway can read it from the supergraph SDL and enforce it before planning (see gateway/src/auth).
 * @apollo/gateway refuses @authenticated/@requiresScopes, hence our own.
 */
export const ACCESS_DIRECTIVE_SDL = `
extend schema @link(url: "https://gerbang.trenggalekkab.go.id/access/v1.0", import: ["@access"]) @composeDirective(name: "@access")
directive @access(roles: [String!], owner: Boolean) on FIELD_DEFINITION | OBJECT
`;

export type ReferenceResolvers = Record<string, { __resolveReference: (reference: any, context: any, info: any) => unknown }>;

export interface FederatedSchemaOptions extends Omit<BuildSchemaOptions, 'skipCheck'> {
  /** `__resolveReference` per entity type name. */
  referenceResolvers?: ReferenceResolvers;
}

/**
 * type-graphql → federated subgraph schema, in one place:
 * print with directives (graphql's printSchema drops @key), prepend the federation @link and
 * Gerbang's @access definition, merge reference resolvers into type-graphql's resolver map and
 * build with @apollo/subgraph (array form, which 2.14 and 2.15 both accept). Every text argument
 * then refuses what PostgreSQL cannot store (text-input.ts), at the edge of every subgraph.
 */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const { referenceResolvers = {}, ...buildOptions } = options;
  // Loaded on use, so that importing this package (the gateway does) does not load type-graphql.
  const { buildSchema, createResolversMap } = await import('type-graphql');
  const schema = await buildSchema({ ...buildOptions, skipCheck: true });
  const sdl = printSchemaWithDirectives(schema).replace(/directive @access[^\n]*\n/, '');
  const typeDefs = parse(`${FEDERATION_LINK}\n${ACCESS_DIRECTIVE_SDL}\n${sdl}`);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, ref] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...ref } as never;
  }
  return refuseUnstorableText(buildSubgraphSchema([{ typeDefs, resolvers }]));
}

/** Entity representations carry ids as strings (or numbers from some routers): normalise them. */
export const referenceId = (ref: { id: unknown }): string => String(ref.id);
