import { defaultFieldResolver, getNamedType, isEnumType, isInputObjectType, isObjectType, isScalarType, type GraphQLArgument, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { badInput } from './errors';

/** An unpaired UTF-16 surrogate: not a Unicode character, so not text UTF-8 (or PostgreSQL) can hold. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why PostgreSQL cannot store this text as it is, or undefined. PostgreSQL's text types refuse
 * U+0000 (SQLSTATE 22021, which reached clients as an internal error with a stack trace in the
 * log). An unpaired surrogate (JSON allows "\ud800") is no character at all: encoded to UTF-8 it
 * silently becomes U+FFFD, so what is stored would not be what was sent.
 */
export function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text (it holds an unpaired surrogate)';
  return undefined;
}

/** The first string in an argument value that PostgreSQL cannot store, named by its own field or argument. */
export function findUnstorableText(value: unknown, name: string): { field: string; problem: string } | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { field: name, problem } : undefined;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findUnstorableText(item, name);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      const found = findUnstorableText(item, key);
      if (found) return found;
    }
  }
  return undefined;
}

/** Whether a value of this input type can hold a string anywhere (String, ID, custom scalars, input objects). */
function carriesText(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (isEnumType(named)) return false;
  if (isScalarType(named)) return !['Int', 'Float', 'Boolean'].includes(named.name);
  if (isInputObjectType(named)) {
    if (seen.has(named.name)) return false;
    seen.add(named.name);
    return Object.values(named.getFields()).some((f) => carriesText(f.type, seen));
  }
  return false;
}

/** Federation's own fields: their arguments come from the gateway's query plan, not from a client. */
const FEDERATION_FIELDS = new Set(['_entities', '_service']);

/**
 * Every field of the schema that takes text arguments refuses, before its resolver runs, a string
 * PostgreSQL cannot store, with BAD_USER_INPUT naming the field (`comment`, `reason`, `note`…).
 * One place at each subgraph's edge, applied by buildFederatedSchema, so a new argument is
 * covered without anyone remembering to. The schema's resolvers are wrapped in place.
 */
export function refuseUnstorableText(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (FEDERATION_FIELDS.has(field.name)) continue;
      const textArgs = field.args.filter((a: GraphQLArgument) => carriesText(a.type)).map((a) => a.name);
      if (!textArgs.length) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        for (const name of textArgs) {
          const found = findUnstorableText((args as Record<string, unknown>)[name], name);
          if (found) throw badInput(`${found.field} ${found.problem}.`, found.field);
        }
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
