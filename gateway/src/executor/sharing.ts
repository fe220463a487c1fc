/**
 * Which subgraph calls may be shared between callers (in-flight only; data-source.ts does the
 * sharing). The static half of the rule, decided once per fetch node of a plan: the call is a
 * query, and nothing it selects (at any depth, through fragments and `_entities`) is a field or a
 * type with an access rule (`@authenticated`, `@requiresScopes`, `@policy`), or a personal field
 * (PERSONAL_FIELDS, whose reads the access log records). Such a call asks only for what an
 * anonymous caller may read, so it can be sent signed as the anonymous caller; the dynamic half
 * (the subgraph says its answer is public, or the subgraph is declared caller-independent) is
 * checked on the answer, before anyone but an anonymous caller receives it.
 *
 * Anything this walk does not understand (an unknown field or type, `_service`, a field directly
 * under `_entities`) makes the call not shareable.
 */
import {
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { AccessRules } from '@gerbang/common';

export interface SharingRules {
  access: AccessRules;
  /** Coordinates (`Type.field`) of personal fields. */
  personal: ReadonlySet<string>;
}

export function callerIndependentFetch(supergraph: GraphQLSchema, document: DocumentNode, rules: SharingRules): boolean {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.length === 1 ? operations[0]! : undefined;
  if (operation?.operation !== 'query') return false;
  const query = supergraph.getQueryType();
  if (!query) return false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  /** The type, the interfaces it implements and, for an abstract one, every type it may be at run time. */
  const family = (type: GraphQLNamedType): string[] => {
    if (isAbstractType(type)) return [type.name, ...supergraph.getPossibleTypes(type).map((t) => t.name)];
    return isObjectType(type) || isInterfaceType(type) ? [type.name, ...type.getInterfaces().map((i) => i.name)] : [type.name];
  };
  const typeGuarded = (type: GraphQLNamedType) => family(type).some((name) => rules.access.types.has(name));
  const fieldGuarded = (parent: GraphQLNamedType, field: string) => {
    return family(parent).some((name) => {
      const coordinate = `${name}.${field}`;
      return rules.access.fields.has(coordinate) || rules.personal.has(coordinate);
    });
  };

  // `null` parent: directly under `_entities`, where only __typename and typed fragments may be.
  const visit = (set: SelectionSetNode, parent: GraphQLNamedType | null, seen: Set<string>): boolean => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        if (name === '__typename') continue;
        if (parent === null) return false;
        if (parent === query && name === '_entities') {
          if (!sel.selectionSet || !visit(sel.selectionSet, null, seen)) return false;
          continue;
        }
        if (!('getFields' in parent)) return false;
        const def = (parent.getFields() as Record<string, { type: unknown } | undefined>)[name];
        if (!def || fieldGuarded(parent, name)) return false;
        let named = def.type as GraphQLNamedType & { ofType?: unknown };
        while ('ofType' in named && named.ofType) named = named.ofType as GraphQLNamedType & { ofType?: unknown };
        if (typeGuarded(named)) return false;
        if (sel.selectionSet && !visit(sel.selectionSet, named, seen)) return false;
      } else {
        let condition: string | undefined;
        let sub: SelectionSetNode;
        if (sel.kind === Kind.INLINE_FRAGMENT) {
          condition = sel.typeCondition?.name.value;
          sub = sel.selectionSet;
        } else {
          const fragment = fragments.get(sel.name.value);
          if (!fragment) return false;
          // A spread already being walked adds nothing (and would not end).
          if (seen.has(fragment.name.value)) continue;
          condition = fragment.typeCondition.name.value;
          sub = fragment.selectionSet;
          seen = new Set(seen).add(fragment.name.value);
        }
        let type = parent;
        if (condition !== undefined) {
          const t = supergraph.getType(condition);
          if (!t || typeGuarded(t)) return false;
          type = t;
        }
        if (type === null || !visit(sub, type, seen)) return false;
      }
    }
    return true;
  };
  return !typeGuarded(query) && visit(operation.selectionSet, query, new Set());
}
