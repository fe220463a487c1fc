import { composeServices } from '@apollo/composition';
import { ROUTER_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from '@apollo/federation-internals';
import { diff, CriticalityLevel } from '@graphql-inspector/core';
import { accessRulesFromSupergraph, DEFAULT_PERSONAL_FIELDS, type AccessRule } from '@gerbang/common';
import { Kind, parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type ConstDirectiveNode } from 'graphql';

export interface SubgraphInput {
  name: string;
  routingUrl: string;
  sdl: string;
}

/** An operation a client sends: from the safelist, or recorded as served by a gateway. */
export interface UsageOperation {
  source: 'safelist' | 'served';
  name: string | null;
  hash: string;
  document: string;
  clients: string[];
  count?: number;
  lastSeen?: string;
}

export interface CompositionProblem {
  code: string;
  message: string;
  subgraph?: string;
  type?: string;
  field?: string;
  hint: string;
}

export type Criticality = 'breaking' | 'dangerous' | 'safe';

export interface SchemaChange {
  criticality: Criticality;
  type: string;
  message: string;
  path?: string;
  reason?: string;
}

export interface UsageFailure {
  source: 'safelist' | 'served';
  operation: string;
  hash: string;
  clients: string[];
  count?: number;
  lastSeen?: string;
  errors: string[];
}

export interface PolicyViolation {
  rule: 'access-kept' | 'personal-data-access' | 'entity-key';
  coordinate: string;
  message: string;
}

export interface CheckReport {
  subgraph: string;
  /** True when nothing blocks a publish. */
  ok: boolean;
  /** Whether an admin may force it (composition errors cannot be forced: there is no graph to serve). */
  forcible: boolean;
  composition: { ok: boolean; errors: CompositionProblem[]; subgraphs: string[] };
  changes: { breaking: number; dangerous: number; safe: number; list: SchemaChange[] };
  usage: { checked: number; days: number; failing: UsageFailure[] };
  policy: { ok: boolean; violations: PolicyViolation[] };
}

export interface CheckResult {
  report: CheckReport;
  /** The candidate supergraph, when it composes. */
  supergraphSdl?: string;
}

/** Types whose keys other subgraphs and the ticket feed depend on: they must stay resolvable. */
export const KEY_TYPES = ['Ticket', 'Agency', 'Officer'];

/** Fields that carry personal data (common's list, the gateway's PERSONAL_FIELDS default): they must keep an access rule. */
export { DEFAULT_PERSONAL_FIELDS };

const HINTS: Record<string, string> = {
  FIELD_TYPE_MISMATCH: 'A field shared by several subgraphs must have compatible types in each; align the type with the other subgraphs.',
  INVALID_FIELD_SHARING: 'A non-key field defined in several subgraphs must be marked @shareable in each, or be defined in one subgraph only.',
  INVALID_GRAPHQL: 'The SDL is not valid GraphQL: fix the syntax or the type reference named.',
  KEY_FIELDS_SELECT_INVALID_TYPE: 'A @key may select only fields of object, scalar or enum type.',
  KEY_INVALID_FIELDS: 'The @key names a field the type does not have.',
  EXTERNAL_MISSING_ON_BASE: 'A field marked @external must be defined (not external) in some other subgraph.',
  SATISFIABILITY_ERROR:
    'Some query cannot be planned: a field is reachable only through a type with no key the other subgraphs can resolve. Add a @key (e.g. @key(fields: "id")) the owning subgraph resolves.',
  TYPE_KIND_MISMATCH: 'The same type name is declared as a different kind (object, interface, enum …) elsewhere; rename it or match the kind.',
  ENUM_VALUE_MISMATCH: 'An enum used as input and output in several subgraphs must list the same values in each.',
  REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH: 'An argument required in one subgraph must exist in every subgraph defining the field.',
  EMPTY_MERGED_ENUM_TYPE: 'The enum has no value every subgraph agrees on.',
  DIRECTIVE_DEFINITION_INVALID: 'A directive is declared differently from the federation specification it imports; import it with @link instead of declaring it.',
  INVALID_LINK_DIRECTIVE_USAGE: 'The @link of the schema is malformed: import federation with `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])`.',
};

/** Subgraph, type and field named in a composition error's message ("[ratings] Field \"Ticket.id\" …"). */
function locate(message: string): Pick<CompositionProblem, 'subgraph' | 'type' | 'field'> {
  const out: Pick<CompositionProblem, 'subgraph' | 'type' | 'field'> = {};
  const sub = /^\[([A-Za-z0-9_-]+)\]/.exec(message) ?? /subgraphs? "([A-Za-z0-9_-]+)"/.exec(message);
  if (sub) out.subgraph = sub[1]!;
  const coord = /"([A-Z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)(?:\([^"]*\))?"/.exec(message);
  if (coord) {
    out.type = coord[1]!;
    out.field = coord[2]!;
  } else {
    const type = /(?:[Tt]ype|[Ee]num|[Ii]nterface|[Oo]bject) "([A-Z_][A-Za-z0-9_]*)"/.exec(message);
    if (type) out.type = type[1]!;
  }
  return out;
}

export function compose(subgraphs: SubgraphInput[]): { sdl?: string; apiSchema?: GraphQLSchema; errors: CompositionProblem[] } {
  const services: { name: string; url: string; typeDefs: DocumentNode }[] = [];
  const errors: CompositionProblem[] = [];
  for (const s of subgraphs) {
    try {
      services.push({ name: s.name, url: s.routingUrl, typeDefs: parse(s.sdl) });
    } catch (err) {
      const e = err as GraphQLError;
      const where = e.locations?.[0];
      errors.push({ code: 'INVALID_GRAPHQL', subgraph: s.name, message: `[${s.name}] ${e.message}${where ? ` (line ${where.line}, column ${where.column})` : ''}`, hint: HINTS.INVALID_GRAPHQL! });
    }
  }
  if (errors.length) return { errors };
  const result = composeServices(services);
  if (result.errors?.length) {
    for (const e of result.errors) {
      const code = typeof e.extensions.code === 'string' ? e.extensions.code : 'COMPOSITION_ERROR';
      errors.push({ code, message: e.message, ...locate(e.message), hint: HINTS[code] ?? 'See the message: the subgraph named must change so that every subgraph composes.' });
    }
    return { errors };
  }
  return { sdl: result.supergraphSdl, apiSchema: result.schema!.toAPISchema().toGraphQLJSSchema(), errors: [] };
}

const levels: Record<string, Criticality> = { [CriticalityLevel.Breaking]: 'breaking', [CriticalityLevel.Dangerous]: 'dangerous', [CriticalityLevel.NonBreaking]: 'safe' };

/** @key selections per type of one subgraph's SDL (resolvable ones only). */
export function keysOf(sdl: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  let doc: DocumentNode;
  try {
    doc = parse(sdl);
  } catch {
    return out;
  }
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const d of def.directives ?? []) {
      if (d.name.value !== 'key') continue;
      const fields = argString(d, 'fields');
      const resolvable = d.arguments?.find((a) => a.name.value === 'resolvable');
      if (!fields || (resolvable?.value.kind === Kind.BOOLEAN && !resolvable.value.value)) continue;
      const set = out.get(def.name.value) ?? new Set<string>();
      set.add(fields.replace(/\s+/g, ' ').trim());
      out.set(def.name.value, set);
    }
  }
  return out;
}

function argString(d: ConstDirectiveNode, name: string): string | undefined {
  const a = d.arguments?.find((x) => x.name.value === name);
  return a?.value.kind === Kind.STRING ? a.value.value : undefined;
}

/** Field-level changes of the API (what clients see), classed by @graphql-inspector/core, plus @key changes of the subgraph. */
export async function changesBetween(before: { apiSchema?: GraphQLSchema; subgraphSdl?: string }, after: { apiSchema: GraphQLSchema; subgraphSdl: string }): Promise<SchemaChange[]> {
  const out: SchemaChange[] = [];
  if (before.apiSchema) {
    for (const c of await diff(before.apiSchema, after.apiSchema)) {
      out.push({
        criticality: levels[c.criticality.level] ?? 'dangerous',
        // String(): inspector types `type` as its generic parameter, `any` for the list diff returns.
        type: String(c.type),
        message: c.message,
        ...(c.path ? { path: c.path } : {}),
        ...(c.criticality.reason ? { reason: c.criticality.reason } : {}),
      });
    }
  }
  if (before.subgraphSdl) {
    const old = keysOf(before.subgraphSdl);
    const now = keysOf(after.subgraphSdl);
    for (const [type, keys] of old) {
      for (const k of keys) {
        if (!now.get(type)?.has(k))
          out.push({
            criticality: 'breaking',
            type: 'KEY_REMOVED',
            path: type,
            message: `@key(fields: "${k}") removed from type "${type}"`,
            reason: 'Other subgraphs and the query planner reach this entity through that key.',
          });
      }
    }
    for (const [type, keys] of now) {
      for (const k of keys) if (!old.get(type)?.has(k)) out.push({ criticality: 'safe', type: 'KEY_ADDED', path: type, message: `@key(fields: "${k}") added to type "${type}"` });
    }
  }
  return out;
}

/** Operations that validate against the current API but not against the candidate's. */
export function usageFailures(operations: UsageOperation[], current: GraphQLSchema | undefined, candidate: GraphQLSchema): UsageFailure[] {
  const failing: UsageFailure[] = [];
  for (const op of operations) {
    let doc: DocumentNode;
    try {
      doc = parse(op.document);
    } catch {
      continue;
    }
    const errors = validate(candidate, doc);
    if (!errors.length) continue;
    // Already invalid today (an operation no client can be running successfully): not this change's doing.
    if (current && validate(current, doc).length) continue;
    failing.push({
      source: op.source,
      operation: op.name ?? op.hash.slice(0, 12),
      hash: op.hash,
      clients: op.clients,
      ...(op.count !== undefined ? { count: op.count } : {}),
      ...(op.lastSeen ? { lastSeen: op.lastSeen } : {}),
      errors: errors.map((e) => e.message),
    });
  }
  return failing;
}

/**
 * The authorization directives (`@authenticated`, `@requiresScopes`, `@policy`) on each type and
 * field of a supergraph, printed canonically (alternatives and their members sorted):
 * coordinate → rule, e.g. `@policy(policies: [["owner"], ["role:admin"]])`.
 */
export function accessRules(supergraphSdl: string): Map<string, string> {
  const out = new Map<string, string>();
  const { types, fields } = accessRulesFromSupergraph(supergraphSdl);
  for (const [coordinate, rules] of [...types, ...fields]) out.set(coordinate, rules.map(printRule).sort().join(' '));
  return out;
}

function printRule(rule: AccessRule): string {
  if (rule.kind === 'authenticated') return '@authenticated';
  const alternatives = rule.anyOf
    .map((all) => JSON.stringify([...all].sort()))
    .sort()
    .join(', ');
  return rule.kind === 'scopes' ? `@requiresScopes(scopes: [${alternatives}])` : `@policy(policies: [${alternatives}])`;
}

/** (graph, key) pairs of the KEY_TYPES in a supergraph: which subgraphs resolve them, by which key. */
function joinKeys(supergraphSdl: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const doc = parse(supergraphSdl);
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || !KEY_TYPES.includes(def.name.value)) continue;
    const set = new Set<string>();
    for (const d of def.directives ?? []) {
      if (d.name.value !== 'join__type') continue;
      const key = argString(d, 'key');
      const graph = d.arguments?.find((a) => a.name.value === 'graph');
      const resolvable = d.arguments?.find((a) => a.name.value === 'resolvable');
      if (!key || graph?.value.kind !== Kind.ENUM) continue;
      if (resolvable?.value.kind === Kind.BOOLEAN && !resolvable.value.value) continue;
      set.add(`${graph.value.value}:${key}`);
    }
    out.set(def.name.value, set);
  }
  return out;
}

export function policyViolations(current: string | undefined, candidate: string, personalFields: string[]): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  const after = accessRules(candidate);
  const candidateDoc = parse(candidate);
  const fieldExists = new Set<string>();
  for (const def of candidateDoc.definitions) {
    if ('name' in def && def.name && 'fields' in def) {
      fieldExists.add(def.name.value);
      for (const f of def.fields ?? []) fieldExists.add(`${def.name.value}.${f.name.value}`);
    }
  }
  if (current) {
    for (const [coord, rule] of accessRules(current)) {
      // A removed field is a breaking change, reported there.
      if (!fieldExists.has(coord)) continue;
      const now = after.get(coord);
      if (now === undefined) out.push({ rule: 'access-kept', coordinate: coord, message: `${rule} was removed from ${coord}: access rules stay unless an admin forces the change` });
      else if (now !== rule) out.push({ rule: 'access-kept', coordinate: coord, message: `the access rule of ${coord} changed from ${rule} to ${now}` });
    }
  }
  for (const coord of personalFields) {
    if (!fieldExists.has(coord)) continue;
    const type = coord.split('.')[0]!;
    if (!after.has(coord) && !after.has(type))
      out.push({
        rule: 'personal-data-access',
        coordinate: coord,
        message: `${coord} carries personal data and has no access rule (@authenticated, @requiresScopes or @policy, on the field or on ${type})`,
      });
  }
  const keysAfter = joinKeys(candidate);
  if (current) {
    for (const [type, before] of joinKeys(current)) {
      const now = keysAfter.get(type);
      if (!now) {
        out.push({ rule: 'entity-key', coordinate: type, message: `${type} is no longer in the graph` });
        continue;
      }
      for (const k of before)
        if (!now.has(k))
          out.push({
            rule: 'entity-key',
            coordinate: type,
            message: `${type} is no longer resolvable by subgraph ${k.split(':')[0]!.toLowerCase()} through @key(fields: "${k.slice(k.indexOf(':') + 1)}")`,
          });
    }
  }
  for (const type of KEY_TYPES) {
    const now = keysAfter.get(type);
    if (now && ![...now].some((k) => k.endsWith(':id') || k.split(':')[1]!.split(' ').includes('id')))
      out.push({ rule: 'entity-key', coordinate: type, message: `no subgraph resolves ${type} by its id` });
  }
  return out;
}

export interface RunChecksInput {
  /** The current subgraphs (the candidate's own current version included, when it has one). */
  current: SubgraphInput[];
  /** The current supergraph's SDL (absent in an empty registry). */
  currentSupergraphSdl?: string;
  candidate: SubgraphInput;
  /** Other subgraphs changed in the same publish (the local stack's seed publishes several at once). */
  alsoChanged?: SubgraphInput[];
  operations: UsageOperation[];
  usageDays: number;
  personalFields?: string[];
}

/** Every check, in order: composition, then (when it composes) changes, usage and policy. */
export async function runChecks(input: RunChecksInput): Promise<CheckResult> {
  const changed = [input.candidate, ...(input.alsoChanged ?? [])];
  const names = new Set(changed.map((s) => s.name));
  const others = input.current.filter((s) => !names.has(s.name));
  const previousOf = (name: string) => input.current.find((s) => s.name === name);
  const previous = previousOf(input.candidate.name);
  const set = [...others, ...changed].sort((a, b) => a.name.localeCompare(b.name));
  const composed = compose(set);
  const report: CheckReport = {
    subgraph: changed.map((s) => s.name).join(', '),
    ok: false,
    forcible: false,
    composition: { ok: composed.errors.length === 0, errors: composed.errors, subgraphs: set.map((s) => s.name) },
    changes: { breaking: 0, dangerous: 0, safe: 0, list: [] },
    usage: { checked: input.operations.length, days: input.usageDays, failing: [] },
    policy: { ok: true, violations: [] },
  };
  if (!composed.sdl || !composed.apiSchema) return { report };

  let currentApi: GraphQLSchema | undefined;
  if (input.currentSupergraphSdl) {
    currentApi = apiSchemaOf(input.currentSupergraphSdl);
  }
  const changes = await changesBetween(
    { ...(currentApi ? { apiSchema: currentApi } : {}), ...(previous ? { subgraphSdl: previous.sdl } : {}) },
    { apiSchema: composed.apiSchema, subgraphSdl: input.candidate.sdl },
  );
  for (const s of input.alsoChanged ?? []) {
    const before = previousOf(s.name);
    // The API's changes are all in the first diff; these add each subgraph's @key changes.
    if (before) changes.push(...(await changesBetween({ subgraphSdl: before.sdl }, { apiSchema: composed.apiSchema, subgraphSdl: s.sdl })));
  }
  const order: Record<Criticality, number> = { breaking: 0, dangerous: 1, safe: 2 };
  changes.sort((a, b) => order[a.criticality] - order[b.criticality]);
  report.changes = {
    breaking: changes.filter((c) => c.criticality === 'breaking').length,
    dangerous: changes.filter((c) => c.criticality === 'dangerous').length,
    safe: changes.filter((c) => c.criticality === 'safe').length,
    list: changes,
  };
  report.usage.failing = usageFailures(input.operations, currentApi, composed.apiSchema);
  report.policy.violations = policyViolations(input.currentSupergraphSdl, composed.sdl, input.personalFields ?? DEFAULT_PERSONAL_FIELDS);
  report.policy.ok = report.policy.violations.length === 0;
  report.ok = report.changes.breaking === 0 && report.usage.failing.length === 0 && report.policy.ok;
  report.forcible = true;
  return { report, supergraphSdl: composed.sdl };
}

/** The API schema (what clients see) of a supergraph. */
/** The API schema of a supergraph; the authorization and cost specs (which @apollo/gateway refuses, Apollo Router reads) are accepted. */
export const apiSchemaOf = (supergraphSdl: string): GraphQLSchema => Supergraph.build(supergraphSdl, { supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES }).apiSchema().toGraphQLJSSchema();
