/**
 * Runs a QueryPlan of @apollo/query-planner: Sequence, Parallel, Flatten, Fetch and Condition
 * nodes (a plan with Defer or Subscription nodes is left to @apollo/gateway's executor; see
 * index.ts). Compared with @apollo/gateway's executeQueryPlan:
 * - subgraph answers are merged in place into one data tree (no per-node copies of paths or
 *   entity lists, no deep merge of representation fragments);
 * - entity representations are built by a selection compiled once per fetch node, and identical
 *   representations are sent once (each entity that asked still receives the answer);
 * - no OpenTelemetry span or usage-reporting trace node per plan node (Gerbang reports neither;
 *   the server span and the subgraph calls' trace context are kept: edge/telemetry.ts);
 * - the operation is not rebuilt with federation-internals on every request: its shape is
 *   compiled once per document (shape.ts).
 */
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { ERRORS, errorCodeDef } from '@apollo/federation-internals';
import type { FetchDataRewrite, FetchNode, PlanNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import { subtypesOf } from './shape';

type Obj = Record<string, unknown>;

// --- compiled pieces of a plan --------------------------------------------------------------

/** A `requires` selection: builds an entity's representation, or null when a field is missing. */
type RepNode = { k: 'field'; name: string; sub?: RepNode[] } | { k: 'fragment'; cond: TypeTest; sub: RepNode[] };

/** isObjectOfType of @apollo/gateway's dataRewrites.ts, on a set computed once. */
interface TypeTest {
  name: string;
  subtypes: Set<string>;
  /** The answer for an object without __typename. */
  orphan: boolean;
}

type PathStep = { k: 'field'; name: string } | { k: 'type'; test: TypeTest };
interface Rewrite {
  parent: PathStep[];
  field: string;
  apply(obj: Obj, field: string): void;
}

export interface CompiledFetch {
  node: FetchNode;
  requires?: RepNode[];
  inputRewrites?: Rewrite[];
  outputRewrites?: Rewrite[];
}

export class PlanCompiler {
  private readonly tests = new Map<string, TypeTest>();
  private readonly fetches = new WeakMap<FetchNode, CompiledFetch>();
  constructor(private readonly supergraph: GraphQLSchema) {}

  private test(name: string, orphan: boolean): TypeTest {
    const key = `${name}\u0000${orphan}`;
    let t = this.tests.get(key);
    if (!t) {
      const type = this.supergraph.getType(name);
      // A concrete condition matches only itself; an abstract one, its object and interface subtypes.
      const subtypes = type ? subtypesOf(this.supergraph, type) : new Set([name]);
      this.tests.set(key, (t = { name, subtypes, orphan }));
    }
    return t;
  }

  private reps(nodes: readonly QueryPlanSelectionNode[]): RepNode[] {
    return nodes.map((n): RepNode => {
      if (n.kind === 'Field') return { k: 'field', name: n.alias ?? n.name, ...(n.selections ? { sub: this.reps(n.selections) } : {}) };
      return { k: 'fragment', cond: n.typeCondition ? this.test(n.typeCondition, false) : { name: '', subtypes: new Set(), orphan: false }, sub: this.reps(n.selections) };
    });
  }

  private rewrites(rs: FetchDataRewrite[] | undefined): Rewrite[] | undefined {
    if (!rs?.length) return undefined;
    return rs.flatMap((r): Rewrite[] => {
      if (r.path.length === 0) return [];
      const last = r.path[r.path.length - 1]!;
      if (last.startsWith('... on ')) throw new Error(`Unexpected fragment as last element of ${r.path.join(',')}`);
      const parent = r.path.slice(0, -1).map((p): PathStep => (p.startsWith('... on ') ? { k: 'type', test: this.test(p.slice(7), true) } : { k: 'field', name: p }));
      const apply =
        r.kind === 'ValueSetter'
          ? (obj: Obj, field: string) => void (obj[field] = r.setValueTo)
          : (obj: Obj, field: string) => {
              const v = obj[field];
              if (v) {
                obj[r.renameKeyTo] = v;
                obj[field] = undefined;
              }
            };
      return [{ parent, field: last, apply }];
    });
  }

  fetch(node: FetchNode): CompiledFetch {
    let c = this.fetches.get(node);
    if (!c) {
      const inputRewrites = this.rewrites(node.inputRewrites);
      const outputRewrites = this.rewrites(node.outputRewrites);
      c = { node, ...(node.requires ? { requires: this.reps(node.requires) } : {}), ...(inputRewrites ? { inputRewrites } : {}), ...(outputRewrites ? { outputRewrites } : {}) };
      this.fetches.set(node, c);
    }
    return c;
  }
}

function matches(test: TypeTest, obj: Obj): boolean {
  const t = obj.__typename;
  if (!t) return test.orphan;
  return typeof t === 'string' && test.subtypes.has(t);
}

/** executeSelectionSet of @apollo/gateway, on the compiled selection. */
function representation(source: unknown, nodes: RepNode[]): Obj | null {
  if (source === null || source === undefined) return null;
  const src = source as Obj;
  const out: Obj = {};
  for (const n of nodes) {
    if (n.k === 'field') {
      const v = Object.prototype.hasOwnProperty.call(src, n.name) ? src[n.name] : undefined;
      if (v === undefined) return null;
      if (Array.isArray(v)) out[n.name] = n.sub ? v.map((e) => representation(e, n.sub!)) : v;
      else out[n.name] = n.sub ? representation(v, n.sub) : v;
    } else if (matches(n.cond, src)) {
      const sub = representation(src, n.sub);
      if (sub) mergeInto(out, sub);
    }
  }
  return out;
}

function applyRewrites(rewrites: Rewrite[] | undefined, value: unknown): void {
  if (!rewrites) return;
  for (const r of rewrites) applyAt(r, 0, value);
}

function applyAt(r: Rewrite, i: number, value: unknown): void {
  if (Array.isArray(value)) {
    for (const v of value) applyAt(r, i, v);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const obj = value as Obj;
  if (i === r.parent.length) return r.apply(obj, r.field);
  const step = r.parent[i]!;
  if (step.k === 'field') applyAt(r, i + 1, Object.prototype.hasOwnProperty.call(obj, step.name) ? obj[step.name] : undefined);
  else if (matches(step.test, obj)) applyAt(r, i + 1, obj);
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isArray = (value: unknown): value is unknown[] => Array.isArray(value);

/** deepMerge of @apollo/gateway (same rules: objects merged, same-length arrays merged element-wise). */
function mergeInto(target: Obj, source: Obj | null | undefined): void {
  if (source === null || source === undefined) return;
  for (const key in source) {
    const s = source[key];
    if (s === undefined) continue;
    const t = key === '__proto__' ? (Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined) : target[key];
    if (t && isObject(s) && typeof t === 'object') {
      mergeInto(t as Obj, s);
    } else if (isArray(s) && isArray(t) && s.length === t.length) {
      for (let i = 0; i < s.length; i++) {
        if (isObject(t[i]) && isObject(s[i])) mergeInto(t[i] as Obj, s[i] as Obj);
        else t[i] = s[i];
      }
    } else if (key === '__proto__') {
      Object.defineProperty(target, key, { value: s, enumerable: true, writable: true, configurable: true });
    } else {
      target[key] = s;
    }
  }
}

// --- running a plan --------------------------------------------------------------------------

export interface FetchRequest {
  fetch: FetchNode;
  variables: Obj;
  /** Where the fetch's results go, for the data source (pathInIncomingRequest). */
  path: (string | number)[];
}

export interface FetchResponse {
  data?: Obj | null;
  errors?: readonly { message?: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface PlanRun {
  compiler: PlanCompiler;
  variables: Obj;
  defaults: Obj;
  data: Obj;
  errors: GraphQLError[];
  send(request: FetchRequest): Promise<FetchResponse>;
}

/** Objects at `path` below `roots` (arrays flattened at `@`, nulls dropped), in response order. */
function collect(roots: unknown[], path: readonly (string | number)[], withPaths?: { base: (string | number)[][] }): { values: unknown[]; paths?: (string | number)[][] } {
  let values = roots;
  let paths = withPaths?.base;
  for (const step of path) {
    const next: unknown[] = [];
    const nextPaths: (string | number)[][] | undefined = paths ? [] : undefined;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      if (step === '@') {
        if (!Array.isArray(v)) continue;
        // As @apollo/gateway's flatMap: an element that is itself a list (a list of lists) is flattened too.
        const push = (list: unknown[], prefix: (string | number)[] | undefined) => {
          for (let j = 0; j < list.length; j++) {
            const e = list[j];
            if (e === null || e === undefined) continue;
            if (Array.isArray(e)) push(e, prefix ? [...prefix, j] : undefined);
            else {
              next.push(e);
              nextPaths?.push([...prefix!, j]);
            }
          }
        };
        push(v, paths ? paths[i]! : undefined);
      } else {
        if (Array.isArray(v)) throw new Error(`Unexpected array in result for path element ${String(step)}`);
        const child = Object.prototype.hasOwnProperty.call(v, step) ? (v as Obj)[step as string] : undefined;
        if (child === null || child === undefined) continue;
        next.push(child);
        nextPaths?.push([...paths![i]!, step]);
      }
    }
    values = next;
    if (nextPaths) paths = nextPaths;
  }
  return paths ? { values, paths } : { values };
}

interface Cursor {
  /** The path of the Flatten nodes above (strings and '@'), as @apollo/gateway reports it. */
  path: (string | number)[];
  values: unknown[];
}

export async function runNode(run: PlanRun, node: PlanNode, cursor: Cursor): Promise<void> {
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await runNode(run, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => runNode(run, child, cursor)));
      return;
    case 'Flatten': {
      const { values } = collect(cursor.values, node.path);
      if (values.length === 0) return;
      await runNode(run, node.node, { path: cursor.path.concat(node.path), values });
      return;
    }
    case 'Fetch':
      try {
        await runFetch(run, run.compiler.fetch(node), cursor);
      } catch (err) {
        run.errors.push(err instanceof GraphQLError ? err : new GraphQLError((err as Error).message, { originalError: err as Error }));
      }
      return;
    case 'Condition': {
      const v = run.variables[node.condition] !== undefined ? run.variables[node.condition] : run.defaults[node.condition];
      const branch = v ? node.ifClause : node.elseClause;
      if (branch) await runNode(run, branch, cursor);
      return;
    }
    default:
      throw new Error(`plan node ${(node as { kind: string }).kind} is not executed here`);
  }
}

async function runFetch(run: PlanRun, compiled: CompiledFetch, cursor: Cursor): Promise<void> {
  const fetch = compiled.node;
  const entities = cursor.values;
  if (entities.length === 0) return;
  const variables: Obj = {};
  if (fetch.variableUsages) {
    for (const name of fetch.variableUsages) {
      if (Object.prototype.hasOwnProperty.call(run.variables, name) && run.variables[name] !== undefined) variables[name] = run.variables[name];
    }
  }

  if (!compiled.requires) {
    const response = await run.send({ fetch, variables, path: cursor.path });
    if (response.errors) pushErrors(run, fetch, response.errors, (p) => (p ? [...cursor.path, ...p] : undefined));
    const data = response.data;
    if (data) applyRewrites(compiled.outputRewrites, data);
    for (const e of entities) mergeInto(e as Obj, data);
    return;
  }

  // One representation per distinct entity: `owners[i]` are the entities that sent representation i.
  const representations: Obj[] = [];
  const owners: number[][] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < entities.length; i++) {
    const rep = representation(entities[i], compiled.requires);
    if (!rep?.__typename) continue;
    applyRewrites(compiled.inputRewrites, rep);
    const key = keyOf(rep);
    const at = seen.get(key);
    if (at !== undefined) owners[at]!.push(i);
    else {
      seen.set(key, representations.length);
      representations.push(rep);
      owners.push([i]);
    }
  }
  if (representations.length === 0) return;
  if ('representations' in variables) throw new Error('Variables cannot contain key "representations"');
  variables.representations = representations;
  const response = await run.send({ fetch, variables, path: cursor.path });
  if (response.errors) {
    let hydrated: (string | number)[][] | undefined;
    pushErrors(run, fetch, response.errors, (p) => {
      if (typeof p?.[1] === 'number') {
        hydrated ??= entityPaths(run, cursor.path);
        const first = owners[p[1]]?.[0];
        return [...((first !== undefined ? hydrated[first] : undefined) ?? []), ...p.slice(2)];
      }
      return p ? [...cursor.path, ...p] : undefined;
    });
  }
  const data = response.data;
  if (!data) return;
  const received = data._entities;
  if (!Array.isArray(received)) throw new Error('Expected "data._entities" in response to be an array');
  if (received.length !== representations.length) throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
  for (let r = 0; r < received.length; r++) {
    const entity = received[r] as Obj | null;
    const targets = owners[r]!;
    if (entity && !entity.__typename) entity.__typename = (entities[targets[0]!] as Obj).__typename;
    applyRewrites(compiled.outputRewrites, entity);
    for (const t of targets) mergeInto(entities[t] as Obj, entity);
  }
}

/**
 * An injective text key of a representation, to send each distinct one once. Keys are usually flat
 * (`__typename` and scalar key fields): each field is written with its name, a type tag and its
 * value, strings length-prefixed, so that no two different representations share a key. Nested
 * ones fall back to JSON (key order is the compiled selection's, so equal entities stringify equally).
 */
function keyOf(rep: Obj): string {
  let key = '';
  for (const name in rep) {
    const v = rep[name];
    switch (typeof v) {
      case 'string':
        key += `${name.length}:${name}s${v.length}:${v}`;
        break;
      case 'number':
        key += `${name.length}:${name}n${v};`;
        break;
      case 'boolean':
        key += `${name.length}:${name}${v ? 't' : 'f'}`;
        break;
      default:
        if (v === null) {
          key += `${name.length}:${name}z`;
          break;
        }
        return `j${JSON.stringify(rep)}`;
    }
  }
  return `f${key}`;
}

/** The response paths of the entities a Flatten collected (only when a subgraph reports errors). */
function entityPaths(run: PlanRun, path: (string | number)[]): (string | number)[][] {
  return collect([run.data], path, { base: [[]] }).paths ?? [];
}

function pushErrors(run: PlanRun, fetch: FetchNode, errors: NonNullable<FetchResponse['errors']>, pathOf: (p: readonly (string | number)[] | undefined) => (string | number)[] | undefined): void {
  for (const e of errors) {
    const message = e.message || `Error while fetching subquery from service "${fetch.serviceName}"`;
    const path = pathOf(e.path);
    const options = { originalError: e as Error, ...(path ? { path } : {}), extensions: { ...e.extensions, serviceName: fetch.serviceName } };
    const def = errorCodeDef(e as never);
    run.errors.push(!def && e.extensions?.code ? new GraphQLError(message, options) : (def ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options));
  }
}
