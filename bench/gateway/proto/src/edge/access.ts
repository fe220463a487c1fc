import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  getNamedType,
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { ErrorCode, type Caller } from '@gerbang/common';
import type { GatewayContext } from '../context';

/**
 * Field-level authorization declared in the schema with Gerbang's own directive
 *
 *   directive @access(roles: [String!], owner: Boolean) on FIELD_DEFINITION | OBJECT
 *
 * exported by every subgraph through @composeDirective (packages/common/src/federation.ts). The
 * API schema does not carry it, so the rules are read from the supergraph SDL once per schema
 * load, and every operation is checked in `didResolveOperation`, before any subgraph is called.
 *
 * Semantics, for a field T.f (the rules of type T and of field T.f must both pass):
 * - any rule requires a signed-in caller: anonymous callers get UNAUTHENTICATED;
 * - `roles: [...]`: a caller holding any of these roles may read it;
 * - `owner: true`: the field is about the caller themself (a citizen's own data, an officer's own
 *   figures): callers holding an owner role (ACCESS_OWNER_ROLES: citizen, officer, hr) pass here,
 *   and the subgraph then serves only their own records;
 * - neither: any signed-in caller.
 * Anything else gets FORBIDDEN, with a plain message and no data.
 */
export interface AccessRule {
  roles: ReadonlySet<string> | null;
  owner: boolean;
}

export interface AccessRules {
  /** Rules on object and interface types. */
  types: Map<string, AccessRule[]>;
  /** Rules on fields, by coordinate `Type.field`. */
  fields: Map<string, AccessRule[]>;
}

const ACCESS_SPEC = /^https:\/\/gerbang\.trenggalekkab\.go\.id\/access\/v\d+\.\d+$/;

/** Reads the @access rules from a supergraph SDL (whatever name the @link imported it under). */
export function accessRulesFromSupergraph(supergraphSdl: string): AccessRules {
  const doc = parse(supergraphSdl, { noLocation: true });
  let name: string | undefined;
  for (const def of doc.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const d of def.directives ?? []) {
      if (d.name.value !== 'link') continue;
      const url = stringArg(d.arguments, 'url');
      if (!url || !ACCESS_SPEC.test(url)) continue;
      const as = stringArg(d.arguments, 'as') ?? 'access';
      name = `${as}__access`;
      const imports = d.arguments?.find((a) => a.name.value === 'import')?.value;
      if (imports?.kind === Kind.LIST) {
        for (const v of imports.values) {
          if (v.kind === Kind.STRING && v.value === '@access') name = 'access';
          if (v.kind === Kind.OBJECT) {
            const n = v.fields.find((f) => f.name.value === 'name')?.value;
            const alias = v.fields.find((f) => f.name.value === 'as')?.value;
            if (n?.kind === Kind.STRING && n.value === '@access') name = alias?.kind === Kind.STRING ? alias.value.replace(/^@/, '') : 'access';
          }
        }
      }
    }
  }
  const rules: AccessRules = { types: new Map(), fields: new Map() };
  if (!name) return rules;
  const read = (directives: readonly DirectiveNode[] | undefined) =>
    (directives ?? []).filter((d) => d.name.value === name).map(ruleOf);
  const push = (map: Map<string, AccessRule[]>, key: string, found: AccessRule[]) => {
    if (found.length) map.set(key, [...(map.get(key) ?? []), ...found]);
  };
  for (const def of doc.definitions) {
    if (
      def.kind === Kind.OBJECT_TYPE_DEFINITION ||
      def.kind === Kind.OBJECT_TYPE_EXTENSION ||
      def.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      def.kind === Kind.INTERFACE_TYPE_EXTENSION
    ) {
      push(rules.types, def.name.value, read(def.directives));
      for (const f of def.fields ?? []) push(rules.fields, `${def.name.value}.${f.name.value}`, read(f.directives));
    }
  }
  return rules;
}

function stringArg(args: readonly ArgumentNode[] | undefined, name: string): string | undefined {
  const v = args?.find((a) => a.name.value === name)?.value;
  return v?.kind === Kind.STRING ? v.value : undefined;
}

function ruleOf(d: DirectiveNode): AccessRule {
  let roles: Set<string> | null = null;
  let owner = false;
  for (const a of d.arguments ?? []) {
    if (a.name.value === 'roles') {
      roles = new Set();
      if (a.value.kind === Kind.LIST) for (const v of a.value.values) if (v.kind === Kind.STRING) roles.add(v.value);
      if (a.value.kind === Kind.STRING) roles.add(a.value.value);
    }
    if (a.name.value === 'owner' && a.value.kind === Kind.BOOLEAN) owner = a.value.value;
  }
  return { roles, owner };
}

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
  /** Roles that pass an `owner: true` rule. */
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
    for (const { coordinate, rules } of access.guarded) {
      if (!caller.sub) return refusal(ErrorCode.UNAUTHENTICATED, `Sign in to read ${coordinate}.`, 401, coordinate);
      for (const rule of rules) {
        const byRole = rule.roles !== null && caller.roles.some((r) => rule.roles!.has(r));
        const byOwner = rule.owner && caller.roles.some((r) => this.ownerRoles.has(r));
        const open = rule.roles === null && !rule.owner;
        if (!(byRole || byOwner || open)) return refusal(ErrorCode.FORBIDDEN, `You may not read ${coordinate}.`, 403, coordinate);
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
      this.personalFields.has(`${parent.name}.${field}`) ||
      (isAbstractType(parent) && schema.getPossibleTypes(parent).some((t) => this.personalFields.has(`${t.name}.${field}`)));

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
