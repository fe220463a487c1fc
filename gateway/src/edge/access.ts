import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
  getNamedType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { accessRulesFromSupergraph, ErrorCode, OWNER_POLICY, ROLE_SCOPE_PREFIX, roleScope, type AccessRule, type AccessRules, type Caller } from '@gerbang/common';
import type { GatewayContext } from '../context';

/**
 * Field-level authorization declared in the subgraphs with federation's standard directives
 *
 *   @authenticated
 *   @requiresScopes(scopes: [["role:officer"], ["role:admin"]])
 *   @policy(policies: [["owner"], ["role:admin"]])
 *
 * (the vocabulary: packages/common/src/authorization.ts). Composition keeps them in the supergraph
 * (for: SECURITY); @apollo/gateway refuses such a supergraph, so it gets one without them
 * (supergraph.ts) while the rules are read here from the full supergraph SDL once per schema load,
 * and every operation is checked in `didResolveOperation`, before any subgraph is called.
 *
 * Semantics, for a field T.f (every directive on type T and on field T.f must pass):
 * - any of them requires a signed-in caller: anonymous callers get UNAUTHENTICATED;
 * - `@authenticated`: any signed-in caller;
 * - `@requiresScopes(scopes:)`: one inner list whose scopes the caller all holds (outer list OR,
 *   inner AND); a caller holds the scope `role:<role>` for each of their roles;
 * - `@policy(policies:)`: likewise, per policy: `owner` passes for a caller holding an owner role
 *   (ACCESS_OWNER_ROLES: citizen, officer, hr; the subgraph then serves only their own records),
 *   `role:<role>` for a caller holding that role; any other policy name fails.
 * Anything else gets FORBIDDEN, with a plain message and no data. The rules are read by
 * accessRulesFromSupergraph (packages/common/src/authorization.ts), which the registry's policy
 * check shares.
 */
/** Where personal fields sit in the response: the path of response keys to their parent objects. */
export interface PersonalSelection {
  path: string[];
  keys: string[];
  fields: string[];
}

/** What one operation touches, computed once per (document, operation) and reused. */
export interface OperationAccess {
  /** Coordinates with rules, each with the rules that apply to it (type and field). */
  guarded: { coordinate: string; rules: AccessRule[] }[];
  introspection: boolean;
  personal: PersonalSelection[];
  /** Personal field coordinates this operation selects. */
  personalFields: string[];
  /** Decision per caller kind (signed in or not + roles). */
  decisions: Map<string, GraphQLError | null>;
}

export interface AccessControlOptions {
  /** Roles that pass the `owner` policy. */
  ownerRoles: string[];
  /** Introspection for everyone (development, or INTROSPECTION=true); admins always may. */
  introspection: boolean;
  /** Coordinates of personal fields whose reads go to the access log, e.g. Citizen.nik. */
  personalFields: string[];
}

export class AccessControl {
  private rules: AccessRules = { types: new Map(), fields: new Map() };
  private cache = new WeakMap<DocumentNode, Map<string, OperationAccess>>();
  private readonly ownerRoles: Set<string>;
  private readonly personalFields: Set<string>;

  constructor(private readonly options: AccessControlOptions) {
    this.ownerRoles = new Set(options.ownerRoles);
    this.personalFields = new Set(options.personalFields);
  }

  /** A new supergraph was loaded: new rules, and every cached decision is dropped. */
  load(supergraphSdl: string): void {
    this.rules = accessRulesFromSupergraph(supergraphSdl);
    this.cache = new WeakMap();
  }

  get loadedRules(): AccessRules {
    return this.rules;
  }

  /** The operation's footprint (cached per document object: Apollo reuses parsed documents). */
  footprint(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): OperationAccess {
    let perDoc = this.cache.get(document);
    if (!perDoc) {
      perDoc = new Map();
      this.cache.set(document, perDoc);
    }
    const key = operation.name?.value ?? '';
    let found = perDoc.get(key);
    if (!found) {
      found = this.walk(schema, document, operation);
      perDoc.set(key, found);
    }
    return found;
  }

  /** null when allowed; else the error to refuse with. Cached per caller kind. */
  decide(access: OperationAccess, caller: Caller): GraphQLError | null {
    const key = `${caller.sub ? 1 : 0}|${caller.roles.join(',')}`;
    let decision = access.decisions.get(key);
    if (decision === undefined) {
      decision = this.evaluate(access, caller);
      if (access.decisions.size < 64) access.decisions.set(key, decision);
    }
    return decision;
  }

  private evaluate(access: OperationAccess, caller: Caller): GraphQLError | null {
    const isAdmin = caller.roles.includes('admin');
    if (access.introspection && !this.options.introspection && !isAdmin) {
      return refusal(ErrorCode.FORBIDDEN, 'Introspection is turned off.', 403);
    }
    const scopes = new Set(caller.roles.map(roleScope));
    const passes = (name: string) => (name === OWNER_POLICY ? caller.roles.some((r) => this.ownerRoles.has(r)) : name.startsWith(ROLE_SCOPE_PREFIX) && scopes.has(name));
    for (const { coordinate, rules } of access.guarded) {
      if (!caller.sub) return refusal(ErrorCode.UNAUTHENTICATED, `Sign in to read ${coordinate}.`, 401, coordinate);
      for (const rule of rules) {
        if (rule.kind === 'authenticated') continue;
        const holds = rule.kind === 'scopes' ? (scope: string) => scopes.has(scope) : passes;
        if (!rule.anyOf.some((all) => all.every(holds))) return refusal(ErrorCode.FORBIDDEN, `You may not read ${coordinate}.`, 403, coordinate);
      }
    }
    return null;
  }

  private walk(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): OperationAccess {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const guarded = new Map<string, AccessRule[]>();
    const personal = new Map<string, PersonalSelection>();
    const personalFields = new Set<string>();
    let introspection = false;
    const { types, fields } = this.rules;

    const rulesFor = (parent: GraphQLNamedType, field: string): { coordinate: string; rules: AccessRule[] } => {
      // On an abstract type the runtime type is unknown here: every possible type's rules apply.
      const owners = isAbstractType(parent) ? [parent, ...schema.getPossibleTypes(parent)] : [parent];
      const rules: AccessRule[] = [];
      for (const t of owners) {
        rules.push(...(types.get(t.name) ?? []), ...(fields.get(`${t.name}.${field}`) ?? []));
      }
      return { coordinate: `${parent.name}.${field}`, rules };
    };
    const isPersonal = (parent: GraphQLNamedType, field: string) =>
      this.personalFields.has(`${parent.name}.${field}`) || (isAbstractType(parent) && schema.getPossibleTypes(parent).some((t) => this.personalFields.has(`${t.name}.${field}`)));

    const visit = (set: SelectionSetNode, parent: GraphQLNamedType | undefined, path: string[], seen: Set<string>) => {
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          const name = sel.name.value;
          if (name === '__typename') continue;
          if (name === '__schema' || name === '__type') {
            introspection = true;
            continue;
          }
          if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) continue;
          const { coordinate, rules } = rulesFor(parent, name);
          if (rules.length && !guarded.has(coordinate)) guarded.set(coordinate, rules);
          const key = sel.alias?.value ?? name;
          if (isPersonal(parent, name)) {
            const at = path.join('\u0000');
            let group = personal.get(at);
            if (!group) personal.set(at, (group = { path, keys: [], fields: [] }));
            if (!group.keys.includes(key)) group.keys.push(key);
            if (!group.fields.includes(coordinate)) group.fields.push(coordinate);
            personalFields.add(coordinate);
          }
          const def = parent.getFields()[name];
          if (sel.selectionSet && def) visit(sel.selectionSet, getNamedType(def.type), [...path, key], seen);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          visit(sel.selectionSet, sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent, path, seen);
        } else {
          const frag = fragments.get(sel.name.value);
          if (!frag || seen.has(frag.name.value)) continue;
          visit(frag.selectionSet, schema.getType(frag.typeCondition.name.value), path, new Set(seen).add(frag.name.value));
        }
      }
    };
    const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
    if (root) visit(operation.selectionSet, root, [], new Set());
    return {
      guarded: [...guarded].map(([coordinate, rules]) => ({ coordinate, rules })),
      introspection,
      personal: [...personal.values()],
      personalFields: [...personalFields],
      decisions: new Map(),
    };
  }
}

function refusal(code: string, message: string, status: number, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...(field ? { field } : {}), http: { status } } });
}

/**
 * The Apollo Server plugin: refuses in `didResolveOperation`, i.e. after parsing and validation
 * and before the query planner or any subgraph; leaves the operation's footprint in the context
 * for the access log.
 */
export function accessPlugin(control: AccessControl): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          if (!rc.operation) return;
          const access = control.footprint(rc.schema, rc.document, rc.operation);
          rc.contextValue.access = access;
          const refused = control.decide(access, rc.contextValue.caller);
          if (refused) throw refused;
        },
      };
    },
  };
}
