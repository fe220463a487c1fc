import { defaultFieldResolver, getNamedType, isCompositeType, isObjectType, type GraphQLField, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';

/**
 * Apollo cache hints for a subgraph's public data (Apollo Server's cache-control plugin, on by
 * default): a response made only of fields hinted here is answered with
 * `cache-control: max-age=N, public`, which the gateway folds into its own policy (the minimum over
 * every subgraph call, data-source.ts) and its response cache reads (gateway/src/edge/response-cache.ts).
 * Any field left unhinted that returns an object, and any root field not listed, keeps Apollo's
 * default of max-age 0: one such field makes the whole response uncacheable. So personal data
 * (tickets, citizens, TPP) is never hinted, and a query that mixes it with public data is not cached.
 *
 * Hints are set at resolve time (`info.cacheControl.setCacheHint`) rather than with @cacheControl in
 * the SDL: the supergraph and the composed schema stay as they are.
 */
export interface PublicCacheHints {
  /** Seconds a public answer may be reused (the gateway's invalidation usually ends it sooner). */
  maxAge: number;
  /** Object types all of whose fields are public: their fields that return objects get the hint. */
  types: readonly string[];
  /** Root query fields whose answers are public. */
  rootFields?: readonly string[];
}

interface CacheControlInfo {
  cacheControl?: { setCacheHint(hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }): void };
}

const setHint = (info: GraphQLResolveInfo, hint: { maxAge: number; scope: 'PUBLIC' }) => (info as GraphQLResolveInfo & CacheControlInfo).cacheControl?.setCacheHint(hint);

export function publicCacheHints(schema: GraphQLSchema, hints: PublicCacheHints): GraphQLSchema {
  const hint = { maxAge: hints.maxAge, scope: 'PUBLIC' as const };
  const publicTypes = new Set(hints.types);
  const wrap = (field: GraphQLField<unknown, unknown>) => {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (root, args, ctx, info) => {
      setHint(info, hint);
      return resolve(root, args, ctx, info);
    };
  };
  for (const name of hints.types) {
    const type = schema.getType(name);
    if (!isObjectType(type)) throw new Error(`publicCacheHints: no object type ${name}`);
    for (const field of Object.values(type.getFields())) if (isCompositeType(getNamedType(field.type))) wrap(field);
  }
  const query = schema.getQueryType();
  for (const name of hints.rootFields ?? []) {
    const field = query?.getFields()[name];
    if (!field) throw new Error(`publicCacheHints: no root field Query.${name}`);
    wrap(field);
  }
  // Entity fetches from the gateway: public when every representation is of a public type.
  const entities = query?.getFields()._entities;
  if (entities?.resolve) {
    const resolve = entities.resolve;
    entities.resolve = (root, args, ctx, info) => {
      const reps = (args as { representations?: { __typename?: unknown }[] }).representations;
      if (reps?.length && reps.every((r) => publicTypes.has(String(r.__typename)))) setHint(info, hint);
      return resolve(root, args, ctx, info);
    };
  }
  return schema;
}
