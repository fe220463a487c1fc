import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, visit, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import type { BuildSchemaOptions } from 'type-graphql';
import { refuseUnstorableText } from './text-input';

/**
 * The federation version a subgraph links: v2.7 (authorization directives included, since v2.5),
 * or v2.9 when it applies the demand-control directives `@cost`/`@listSize`, which need it. The
 * lowest version that carries what the schema uses, so that tools which know federation only up to
 * v2.7 (the Apollo subgraph compatibility suite among them) read every other subgraph as before.
 */
const FEDERATION_URL = 'https://specs.apollo.dev/federation/v2.7';
const FEDERATION_URL_WITH_COST = 'https://specs.apollo.dev/federation/v2.9';
const COST_DIRECTIVES = ['@cost', '@listSize'];
/** The directives every subgraph imports. */
const FEDERATION_IMPORTS = ['@key', '@shareable', '@external', '@requires', '@provides', '@inaccessible', '@composeDirective', '@interfaceObject'];
/**
 * Federation directives imported only when a schema applies them, so that they read unprefixed
 * (`@tag`, not `@federation__tag`) while the SDL of a subgraph that does not use them stays as it was:
 * among them the authorization directives (see authorization.ts for how Gerbang uses them) and
 * the demand-control ones, `@cost(weight:)` and `@listSize(...)`, which the gateway's cost
 * analysis reads (gateway/src/edge/analysis.ts).
 */
const FEDERATION_IMPORTS_ON_USE = ['@tag', '@override', '@extends', '@authenticated', '@requiresScopes', '@policy', '@cost', '@listSize'];

/** A `@link` to a spec of your own, whose directives can be kept in the supergraph with @composeDirective. */
export interface FederationLink {
  /** The spec's URL, ending in its version: `https://myspecs.dev/myCustomDirective/v1.0`. */
  url: string;
  /** The directives (and types) imported from it, e.g. `['@custom']`. */
  import: string[];
  /** Which imported directives to export to the supergraph with @composeDirective (default: none). */
  compose?: string[];
}

/**
 * `__resolveReference` per entity type. Parameters typed `never` so that every subgraph's resolver,
 * with the reference and context types of its own, fits: @apollo/subgraph passes what it was given.
 */
export type ReferenceResolvers = Record<string, { __resolveReference: (reference: never, context: never, info: GraphQLResolveInfo) => unknown }>;

export interface FederatedSchemaOptions extends Omit<BuildSchemaOptions, 'skipCheck'> {
  /** `__resolveReference` per entity type name. */
  referenceResolvers?: ReferenceResolvers;
  /** More `@link`s: specs of your own, for directives exported with @composeDirective. */
  links?: FederationLink[];
  /** SDL definitions of the directives those links import, e.g. `directive @custom on OBJECT`. */
  directiveDefinitions?: string;
}

/**
 * type-graphql → federated subgraph schema, in one place:
 * print with directives (graphql's printSchema drops @key), prepend the federation @link (with
 * @tag, @override, @extends, the authorization and the cost directives imported when used) and any
 * links of your own (`links`, `directiveDefinitions`), merge reference resolvers into type-graphql's resolver map and
 * build with @apollo/subgraph (array form, which 2.14 and 2.15 both accept). Every text argument
 * then refuses what PostgreSQL cannot store (text-input.ts), at the edge of every subgraph.
 */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const { referenceResolvers = {}, links = [], directiveDefinitions = '', ...buildOptions } = options;
  // Loaded on use, so that importing this package (the gateway does) does not load type-graphql.
  const { buildSchema, createResolversMap } = await import('type-graphql');
  const schema = await buildSchema({ ...buildOptions, skipCheck: true });
  const sdl = printSchemaWithDirectives(schema);
  const typeDefs = parse(`${federationLink(sdl)}\n${links.map(linkSdl).join('\n')}\n${directiveDefinitions}\n${sdl}`);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, ref] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...(ref as object) };
  }
  return refuseUnstorableText(buildSubgraphSchema([{ typeDefs, resolvers }]));
}

function federationLink(sdl: string): string {
  const applied = new Set<string>();
  visit(parse(sdl), { Directive: (node) => void applied.add(`@${node.name.value}`) });
  const imports = [...FEDERATION_IMPORTS, ...FEDERATION_IMPORTS_ON_USE.filter((name) => applied.has(name))];
  const url = COST_DIRECTIVES.some((name) => applied.has(name)) ? FEDERATION_URL_WITH_COST : FEDERATION_URL;
  return `extend schema @link(url: ${JSON.stringify(url)}, import: ${JSON.stringify(imports).replaceAll(',', ', ')})`;
}

function linkSdl(link: FederationLink): string {
  const compose = (link.compose ?? []).map((name) => ` @composeDirective(name: ${JSON.stringify(name)})`).join('');
  return `extend schema @link(url: ${JSON.stringify(link.url)}, import: ${JSON.stringify(link.import)})${compose}`;
}

/** Entity representations carry ids as strings (or numbers from some routers): normalise them. */
export const referenceId = (ref: { id: unknown }): string => String(ref.id);
