import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import {
  getNamedType,
  GraphQLError,
  isAbstractType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  Lexer,
  parse,
  print,
  Source,
  TokenKind,
  valueFromASTUntyped,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type DirectiveNode,
  type ValueNode,
} from 'graphql';
import { linkedDirectiveName } from '@gerbang/common';

/**
 * One pass over an operation's text, before Apollo Server parses and validates it: the figures the
 * query limits judge (tokens, depth, aliases, root fields, estimated cost) and the safelist id.
 * Results are cached per text, so a client repeating an operation costs one Map lookup; the cache
 * is bounded in bytes and cleared when the schema changes (list types feed the cost).
 *
 * Everything here is linear in the size of the document: named fragments are measured once per
 * evaluation (memoised), so a "fragment bomb" is measured, not expanded.
 */
export interface OperationFigures {
  depth: number;
  aliases: number;
  rootFields: number;
  /** Static cost estimate; see costOf for operations whose list sizes come from variables. */
  cost: number;
  /** The list sizes of this operation depend on variables: recompute the cost per request. */
  costDependsOnVariables: boolean;
  /** A mutation (the gateway then tells subgraphs the client's device and address). */
  mutation: boolean;
  /**
   * A list field whose `@listSize` requires exactly one slicing argument
   * (`requireOneSlicingArgument`, the spec's default) was given none or several: its coordinate.
   */
  slicingArgumentMissing?: string;
  /** A subscription (served over WebSocket or SSE only: src/subscriptions). */
  subscription?: boolean;
}

export interface Analysis {
  /** Tokens counted (stops counting one past the global cap). */
  tokens: number;
  tooManyTokens: boolean;
  /**
   * Deepest nesting of brackets (`{`, `[`, `(`) in the text, counted by the lexer. For a plain
   * selection it is the operation's depth; inline fragments and input objects add to it.
   */
  nesting: number;
  /** Nested past `maxNesting`: the text was not parsed (graphql's parser recurses per level). */
  tooDeep: boolean;
  /** Syntax error: Apollo Server reports it (GRAPHQL_PARSE_FAILED); the edge lets it through. */
  syntaxError?: GraphQLError;
  document?: DocumentNode;
  /** sha256 (hex) of the normalised text (graphql's print of the parsed document). */
  normalizedId?: string;
  /** normalizedId of the document without the `__typename` fields clients' caches add (see withoutTypename). */
  typenameFreeId?: string;
  /** By operation name ('' for an anonymous operation). */
  operations: Map<string, OperationFigures>;
}

export interface AnalyzerOptions {
  /** Largest token budget of any role: parsing stops past it. */
  maxTokens: number;
  /**
   * Deepest bracket nesting that is parsed at all. graphql's parser, printer and visitors recurse
   * once or more per level and blew the stack on ~2,000 levels here (a 5,000-level query fits in
   * the analysts' 15,000 tokens), so a deeper text is refused from the lexer's count alone.
   * Default 64.
   */
  maxNesting?: number;
  /** Assumed size of a list field the supergraph gives no size for (no `@listSize`). */
  listSizeDefault: number;
  /** Cache budget in UTF-16 code units of operation text (default 8 M). */
  cacheChars?: number;
  /** Texts longer than this are analysed every time rather than cached. */
  maxCachedTextLength?: number;
}

/** `@listSize` of a field, as the demand-control spec (https://specs.apollo.dev/cost/v0.1) defines it. */
export interface ListSize {
  assumedSize?: number;
  slicingArguments: string[];
  sizedFields: string[];
  requireOneSlicingArgument: boolean;
}

/** What the supergraph declares about costs: `@cost(weight:)` and `@listSize(...)`. */
export interface CostDirectives {
  /** `@cost` weights by field coordinate (`Type.field`) or type name (the cost of a field returning it). */
  weights: Map<string, number>;
  /** `@listSize` by field coordinate. */
  listSizes: Map<string, ListSize>;
}

export const NO_COST_DIRECTIVES: CostDirectives = { weights: new Map(), listSizes: new Map() };

/** Reads `@cost` and `@listSize` from a supergraph SDL (whatever names its @link gave them). */
export function costDirectivesFromSupergraph(supergraphSdl: string): CostDirectives {
  const doc = parse(supergraphSdl, { noLocation: true });
  const cost = linkedDirectiveName(doc, 'cost', 'cost');
  const listSize = linkedDirectiveName(doc, 'cost', 'listSize');
  const out: CostDirectives = { weights: new Map(), listSizes: new Map() };
  if (!cost && !listSize) return out;
  const read = (coordinate: string, directives: readonly DirectiveNode[] | undefined) => {
    for (const d of directives ?? []) {
      const arg = (name: string) => d.arguments?.find((a) => a.name.value === name)?.value;
      if (d.name.value === cost) {
        const weight = arg('weight');
        if (weight?.kind === Kind.INT) out.weights.set(coordinate, Number(weight.value));
      }
      if (d.name.value === listSize) {
        const assumed = arg('assumedSize');
        const required = arg('requireOneSlicingArgument');
        out.listSizes.set(coordinate, {
          ...(assumed?.kind === Kind.INT ? { assumedSize: Number(assumed.value) } : {}),
          slicingArguments: strings(arg('slicingArguments')),
          sizedFields: strings(arg('sizedFields')),
          requireOneSlicingArgument: required?.kind === Kind.BOOLEAN ? required.value : true,
        });
      }
    }
  };
  for (const def of doc.definitions) {
    if (!('name' in def) || !def.name || def.kind === Kind.DIRECTIVE_DEFINITION) continue;
    read(def.name.value, def.directives);
    if ('fields' in def) for (const f of def.fields ?? []) read(`${def.name.value}.${f.name.value}`, f.directives);
  }
  return out;
}

function strings(value: ValueNode | undefined): string[] {
  if (!value) return [];
  return (value.kind === Kind.LIST ? value.values : [value]).flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
}

export const normalizeOperation = (text: string) => print(parse(text, { noLocation: true }));
export const operationId = (normalizedText: string) => createHash('sha256').update(normalizedText).digest('hex');

/**
 * The document without its unaliased `__typename` fields. Apollo Client's InMemoryCache (always,
 * in version 4) and urql's cacheExchange add `__typename` to every selection set of what they
 * send, so the safelist compares operations without them: a `__typename` reads the name of a type
 * the operation already selects, from the gateway alone (no subgraph, no personal data). An
 * aliased one is not something a cache adds and stays part of the operation.
 */
export function withoutTypename(document: DocumentNode): DocumentNode {
  return visit(document, { Field: (node) => (node.name.value === '__typename' && !node.alias ? null : undefined) });
}

/** The id of a document compared without the `__typename` fields clients add. */
export const typenameFreeId = (document: DocumentNode, normalizedId: string, text: string) => (text.includes('__typename') ? operationId(print(withoutTypename(document))) : normalizedId);

export class OperationAnalyzer {
  /** Analyses by operation text, least recently used dropped first, within `cacheChars` of text. */
  private readonly cache: LRUCache<string, Analysis>;
  private schema: GraphQLSchema | undefined;
  private costs: CostDirectives = NO_COST_DIRECTIVES;
  private readonly cacheChars: number;
  private readonly maxCachedTextLength: number;

  private readonly maxNesting: number;

  constructor(private readonly options: AnalyzerOptions) {
    this.maxNesting = options.maxNesting ?? 64;
    this.cacheChars = options.cacheChars ?? 8_000_000;
    this.maxCachedTextLength = options.maxCachedTextLength ?? 100_000;
    this.cache = new LRUCache<string, Analysis>({
      maxSize: this.cacheChars,
      maxEntrySize: this.maxCachedTextLength,
      sizeCalculation: (_analysis, text) => Math.max(1, text.length),
    });
  }

  /**
   * The API schema changed: list types, field arguments and the supergraph's `@cost`/`@listSize`
   * (which the API schema does not carry: read them with costDirectivesFromSupergraph) may differ.
   */
  setSchema(schema: GraphQLSchema, costs: CostDirectives = NO_COST_DIRECTIVES): void {
    this.schema = schema;
    this.costs = costs;
    this.cache.clear();
  }

  analyze(text: string): Analysis {
    const hit = this.cache.get(text);
    if (hit) return hit;
    const analysis = this.compute(text);
    // A text longer than maxCachedTextLength is analysed every time (lru-cache skips it: maxEntrySize).
    this.cache.set(text, analysis);
    return analysis;
  }

  /** The cost of one operation for these variables (the cached figure when it does not depend on them). */
  costOf(analysis: Analysis, operationName: string, variables: Record<string, unknown> | undefined): number {
    const figures = analysis.operations.get(operationName)!;
    if (!figures.costDependsOnVariables || !analysis.document) return figures.cost;
    const op = findOperation(analysis.document, operationName)!;
    return this.measure(analysis.document, op, variables ?? {}).cost;
  }

  private compute(text: string): Analysis {
    const { tokens, nesting } = lexicalFigures(text, this.options.maxTokens);
    const operations = new Map<string, OperationFigures>();
    const lexical = { tokens, nesting, tooManyTokens: tokens > this.options.maxTokens, tooDeep: nesting > this.maxNesting };
    if (lexical.tooManyTokens || lexical.tooDeep) return { ...lexical, operations };
    let document: DocumentNode;
    try {
      document = parse(text, { noLocation: true, maxLexicalTokens: this.options.maxTokens });
    } catch (err) {
      return { ...lexical, syntaxError: err as GraphQLError, operations };
    }
    for (const def of document.definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION) continue;
      const m = this.measure(document, def, undefined);
      const { dependsOnVariables, slicingArgumentMissing, ...figures } = m;
      operations.set(def.name?.value ?? '', {
        ...figures,
        ...(slicingArgumentMissing ? { slicingArgumentMissing } : {}),
        costDependsOnVariables: dependsOnVariables,
        mutation: def.operation === 'mutation',
        subscription: def.operation === 'subscription',
      });
    }
    const normalizedId = operationId(print(document));
    return { ...lexical, document, normalizedId, typenameFreeId: typenameFreeId(document, normalizedId, text), operations };
  }

  private measure(document: DocumentNode, op: OperationDefinitionNode, variables: Record<string, unknown> | undefined) {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const schema = this.schema;
    const listDefault = this.options.listSizeDefault;
    let dependsOnVariables = false;
    let slicingArgumentMissing: string | undefined;
    type M = { cost: number; depth: number; aliases: number; fields: number };
    const memo = new Map<string, M>();
    const visiting = new Set<string>();

    const { weights, listSizes } = this.costs;

    // Variables of the request over the defaults the operation declares (none while the
    // operation text alone is analysed: variables are then undefined).
    let values: Record<string, unknown> | undefined;
    const variableValues = () => {
      if (values) return values;
      values = {};
      for (const d of op.variableDefinitions ?? []) if (d.defaultValue) values[d.variable.name.value] = valueFromASTUntyped(d.defaultValue);
      return Object.assign(values, variables ?? {});
    };

    /**
     * The value of a slicing argument in this field selection, else the argument's default in the
     * schema; undefined when it has neither, and the gateway's default when it is not a number.
     */
    const argumentSize = (node: FieldNode, def: GraphQLField<unknown, unknown> | undefined, name: string): number | undefined => {
      const arg = node.arguments?.find((a) => a.name.value === name);
      let value: unknown;
      if (arg) {
        if (arg.value.kind === Kind.VARIABLE) {
          dependsOnVariables = true;
          if (!variables) return undefined;
        }
        value = valueFromASTUntyped(arg.value, variableValues());
      } else value = def?.args.find((a) => a.name === name)?.defaultValue;
      if (value === undefined || value === null) return undefined;
      return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.floor(value)) : listDefault;
    };

    /**
     * The size of a list field per its `@listSize`: the largest slicing argument given (or
     * defaulted), else `assumedSize`, else the gateway's default.
     */
    const sizeOf = (node: FieldNode, def: GraphQLField<unknown, unknown> | undefined, size: ListSize | undefined, coordinate?: string): number => {
      if (!size) return listDefault;
      if (size.requireOneSlicingArgument && size.slicingArguments.length && node.arguments?.filter((a) => size.slicingArguments.includes(a.name.value)).length !== 1) {
        slicingArgumentMissing ??= coordinate;
      }
      const given = size.slicingArguments.map((name) => argumentSize(node, def, name)).filter((n): n is number => n !== undefined);
      if (given.length) return Math.max(...given);
      return size.assumedSize ?? listDefault;
    };

    /**
     * Selections on an abstract type: what applies whatever the runtime type is, and what applies
     * only to one object type (an inline fragment or spread on it). An item is one object type, so
     * it costs the unconditional part plus the dearest object type's part, not all of them.
     */
    const walk = (set: SelectionSetNode, parent: GraphQLNamedType | undefined, sized?: { fields: string[]; size: number }): M => {
      const out: M = { cost: 0, depth: 0, aliases: 0, fields: 0 };
      const abstract = parent !== undefined && isAbstractType(parent);
      const perType = new Map<string, number>();
      const addFor = (type: GraphQLNamedType | undefined | null, m: M) => {
        if (abstract && type && isObjectType(type)) {
          perType.set(type.name, (perType.get(type.name) ?? 0) + m.cost);
          add(out, { ...m, cost: 0 });
        } else add(out, m);
      };
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          out.fields++;
          if (sel.alias) out.aliases++;
          const name = sel.name.value;
          if (name === '__typename') {
            out.depth = Math.max(out.depth, 1);
            continue;
          }
          if (name.startsWith('__')) {
            // Introspection is bounded by the schema and governed by the access rules.
            out.cost += 1;
            out.depth = Math.max(out.depth, 1);
            continue;
          }
          const def = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
          const coordinate = parent ? `${parent.name}.${name}` : undefined;
          const size = coordinate ? listSizes.get(coordinate) : undefined;
          const named = def ? getNamedType(def.type) : undefined;
          let factor = 1;
          if (def) {
            const t = isNonNullType(def.type) ? def.type.ofType : def.type;
            if (isListType(t)) factor = sized?.fields.includes(name) ? sized.size : sizeOf(sel, def, size, coordinate);
          }
          // A connection (`@listSize(sizedFields: ["edges"])`): its sized fields take this field's slicing argument.
          const sizes = size?.sizedFields.length ? { fields: size.sizedFields, size: sizeOf(sel, def, size, coordinate) } : undefined;
          const child = sel.selectionSet ? walk(sel.selectionSet, named, sizes) : undefined;
          const weight = (coordinate === undefined ? undefined : weights.get(coordinate)) ?? (named && weights.get(named.name)) ?? 1;
          out.cost += weight + factor * (child?.cost ?? 0);
          out.depth = Math.max(out.depth, 1 + (child?.depth ?? 0));
          out.aliases += child?.aliases ?? 0;
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          const type = sel.typeCondition ? schema?.getType(sel.typeCondition.name.value) : parent;
          addFor(type, walk(sel.selectionSet, type, sized));
        } else {
          const name = sel.name.value;
          const frag = fragments.get(name);
          // Unknown or cyclic fragments are left to validation, which refuses them.
          if (!frag) continue;
          const key = sized ? `${name}\u0000${sized.fields.join(',')}\u0000${sized.size}` : name;
          let m = memo.get(key);
          if (!m) {
            if (visiting.has(name)) continue;
            visiting.add(name);
            m = walk(frag.selectionSet, schema?.getType(frag.typeCondition.name.value), sized);
            visiting.delete(name);
            memo.set(key, m);
          }
          addFor(schema?.getType(frag.typeCondition.name.value), m);
        }
      }
      if (perType.size) out.cost += Math.max(...perType.values());
      return out;
    };
    const add = (a: M, b: M) => {
      a.cost += b.cost;
      a.depth = Math.max(a.depth, b.depth);
      a.aliases += b.aliases;
      a.fields += b.fields;
    };

    const rootType = schema ? (op.operation === 'mutation' ? schema.getMutationType() : op.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType()) : undefined;
    const m = walk(op.selectionSet, rootType ?? undefined);
    return { depth: m.depth, aliases: m.aliases, rootFields: m.fields, cost: m.cost, dependsOnVariables, slicingArgumentMissing };
  }
}

export function findOperation(document: DocumentNode, name: string): OperationDefinitionNode | undefined {
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION && (d.name?.value ?? '') === name) return d;
  }
  return undefined;
}

/**
 * Lexical tokens (comments excluded, as graphql's own `maxLexicalTokens` counts them), stopping past `cap`,
 * and the deepest bracket nesting among them. The lexer is a loop, not a recursion: whatever the
 * text, this cannot blow the stack.
 */
export function lexicalFigures(text: string, cap: number): { tokens: number; nesting: number } {
  const lexer = new Lexer(new Source(text));
  let tokens = 0;
  let open = 0;
  let nesting = 0;
  try {
    for (let kind = lexer.advance().kind; kind !== TokenKind.EOF; kind = lexer.advance().kind) {
      if (++tokens > cap) break;
      if (kind === TokenKind.BRACE_L || kind === TokenKind.BRACKET_L || kind === TokenKind.PAREN_L) {
        if (++open > nesting) nesting = open;
      } else if (kind === TokenKind.BRACE_R || kind === TokenKind.BRACKET_R || kind === TokenKind.PAREN_R) {
        open--;
      }
    }
  } catch {
    // A lexical error: the parser reports it.
  }
  return { tokens, nesting };
}

export const countTokens = (text: string, cap: number): number => lexicalFigures(text, cap).tokens;
