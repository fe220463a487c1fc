import { Kind, parse, type ArgumentNode, type DirectiveNode, type DocumentNode, type ValueNode } from 'graphql';

/**
 * Gerbang's authorization vocabulary, in federation's standard directives (as Apollo Router, Hive
 * Gateway and Cosmo read them):
 *
 * - `@authenticated`: any signed-in caller;
 * - `@requiresScopes(scopes: [["role:officer"], ["role:admin"]])`: a caller holding one of these
 *   roles. A role is the scope `role:<role>`; the outer list is OR, an inner list AND;
 * - `@policy(policies: [["owner"], ["role:officer"]])`: the field is about the caller themself
 *   (the `owner` policy: the caller holds an owner role, i.e. citizen, officer or hr, and the
 *   subgraph then serves only their own records), or, as the other alternatives of the same
 *   directive, a caller holding one of these roles. Separate directives AND together, so an
 *   owner-or-role rule lives in one `@policy`, whose policy `role:<role>` passes exactly when the
 *   scope `role:<role>` would.
 *
 * Any of them requires a signed-in caller. The gateway enforces them from the supergraph
 * (gateway/src/edge/access.ts); a router's coprocessor that evaluates Gerbang's policies
 * implements the same two rules.
 */
export const ROLE_SCOPE_PREFIX = 'role:';
export const OWNER_POLICY = 'owner';

/**
 * Fields that carry a citizen's personal data: the gateway records every read of them in the access
 * log (its PERSONAL_FIELDS default), and the registry refuses a schema that leaves one without an
 * access rule. One list, so the two cannot drift.
 */
export const DEFAULT_PERSONAL_FIELDS = ['Citizen.nik', 'Citizen.name', 'Citizen.sex', 'Citizen.birthPlace', 'Citizen.birthDate', 'Citizen.address'];

/** The scope that stands for a role. */
export const roleScope = (role: string): string => `${ROLE_SCOPE_PREFIX}${role}`;

/** One authorization directive as the gateway reads it from the supergraph. */
export type AccessRule = { kind: 'authenticated' } | { kind: 'scopes' | 'policy'; anyOf: string[][] };

export interface AccessRules {
  /** Rules on object and interface types. */
  types: Map<string, AccessRule[]>;
  /** Rules on fields, by coordinate `Type.field`. */
  fields: Map<string, AccessRule[]>;
}

/** The authorization specs, each with its directive and the argument that carries its alternatives. */
const AUTH_SPECS = [
  { spec: 'authenticated', kind: 'authenticated', argument: '' },
  { spec: 'requiresScopes', kind: 'scopes', argument: 'scopes' },
  { spec: 'policy', kind: 'policy', argument: 'policies' },
] as const;

/** Reads the authorization rules from a supergraph SDL (whatever names its @links gave the directives). */
export function accessRulesFromSupergraph(supergraphSdl: string): AccessRules {
  const doc = parse(supergraphSdl, { noLocation: true });
  const byName = new Map<string, (typeof AUTH_SPECS)[number]>();
  for (const spec of AUTH_SPECS) {
    const name = linkedDirectiveName(doc, spec.spec, spec.spec);
    if (name) byName.set(name, spec);
  }
  const rules: AccessRules = { types: new Map(), fields: new Map() };
  if (!byName.size) return rules;
  const read = (directives: readonly DirectiveNode[] | undefined): AccessRule[] =>
    (directives ?? []).flatMap((d): AccessRule[] => {
      const spec = byName.get(d.name.value);
      if (!spec) return [];
      if (spec.kind === 'authenticated') return [{ kind: spec.kind }];
      return [{ kind: spec.kind, anyOf: nestedStrings(d.arguments?.find((a) => a.name.value === spec.argument)?.value) }];
    });
  const push = (map: Map<string, AccessRule[]>, key: string, found: AccessRule[]) => {
    if (found.length) map.set(key, [...(map.get(key) ?? []), ...found]);
  };
  for (const def of doc.definitions) {
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION || def.kind === Kind.INTERFACE_TYPE_DEFINITION || def.kind === Kind.INTERFACE_TYPE_EXTENSION) {
      push(rules.types, def.name.value, read(def.directives));
      for (const f of def.fields ?? []) push(rules.fields, `${def.name.value}.${f.name.value}`, read(f.directives));
    }
  }
  return rules;
}

/**
 * The name under which a schema's `@link` to `https://specs.apollo.dev/<spec>/vX.Y` makes the
 * spec's `directive` available: as imported (`"@d"` or `{ name: "@d", as: "@e" }`), else
 * `@<as>` for the directive named like the spec and `@<as>__<directive>` for the others.
 * undefined when the schema does not link the spec.
 */
export function linkedDirectiveName(doc: DocumentNode, spec: string, directive: string): string | undefined {
  const url = new RegExp(`^https://specs\\.apollo\\.dev/${spec}/v\\d+\\.\\d+$`);
  for (const def of doc.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const d of def.directives ?? []) {
      if (d.name.value !== 'link' || !url.test(stringArg(d.arguments, 'url') ?? '')) continue;
      const imports = d.arguments?.find((a) => a.name.value === 'import')?.value;
      if (imports?.kind === Kind.LIST) {
        for (const v of imports.values) {
          if (v.kind === Kind.STRING && v.value === `@${directive}`) return directive;
          if (v.kind === Kind.OBJECT) {
            const n = v.fields.find((f) => f.name.value === 'name')?.value;
            const alias = v.fields.find((f) => f.name.value === 'as')?.value;
            if (n?.kind === Kind.STRING && n.value === `@${directive}`) return alias?.kind === Kind.STRING ? alias.value.replace(/^@/, '') : directive;
          }
        }
      }
      const as = stringArg(d.arguments, 'as') ?? spec;
      return directive === spec ? as : `${as}__${directive}`;
    }
  }
  return undefined;
}

function stringArg(args: readonly ArgumentNode[] | undefined, name: string): string | undefined {
  const v = args?.find((a) => a.name.value === name)?.value;
  return v?.kind === Kind.STRING ? v.value : undefined;
}

/** `[["a", "b"], ["c"]]` → [['a', 'b'], ['c']] (a lone string or inner string coerced to a list, as GraphQL input coercion does). */
function nestedStrings(value: ValueNode | undefined): string[][] {
  if (!value) return [];
  const outer = value.kind === Kind.LIST ? value.values : [value];
  return outer.map((inner) => (inner.kind === Kind.LIST ? inner.values : [inner]).flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])));
}
