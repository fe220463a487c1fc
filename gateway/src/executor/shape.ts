/**
 * Result shaping, compiled once per operation: what @apollo/gateway's computeResponse
 * (resultShaping.js) does on every request by walking federation-internals' Operation (getters,
 * applied-directive lookups, subtype checks), done here on a tree of plain records built once
 * from the operation's AST against the API schema.
 *
 * Semantics kept on purpose, case by case (the federation audit checks them): selections in
 * document order; a response name already written is only completed, never replaced; `__typename`
 * from the data when it names a type of the API schema, else the parent type; a fragment applies
 * when the object's `__typename` (or, without one, the parent type) is a subtype of its condition;
 * leaves checked against their type (`Invalid value found for …`), non-null violations bubbling to
 * the nearest nullable parent (`Cannot return null for non-nullable …`); introspection fields
 * executed by graphql-js against the API schema.
 */
import {
  executeSync,
  GraphQLError,
  isEnumType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type DirectiveNode,
} from 'graphql';
import { ERRORS } from '@apollo/federation-internals';

/** `@skip(if:)` / `@include(if:)`: a literal, or a variable read at run time. */
interface Condition {
  include: boolean;
  literal?: boolean;
  variable?: string;
}

/** An output type, outermost wrapper first. */
type TypeRef = { k: 'nonNull'; of: TypeRef } | { k: 'list'; of: TypeRef } | { k: 'leaf'; check: (v: unknown) => boolean; name: string } | { k: 'composite'; name: string };

type Entry =
  | { k: 'field'; name: string; conds?: Condition[]; type: TypeRef; sub?: Selection; fieldName: string }
  | { k: 'typename'; name: string; conds?: Condition[] }
  | { k: 'introspection'; name: string; conds?: Condition[]; node: FieldNode }
  | { k: 'fragment'; conds?: Condition[]; cond?: Set<string>; condName?: string; sub: Selection };

interface Selection {
  entries: Entry[];
}

export interface Shape {
  root: Selection;
  rootType: string;
  /** Default values of the operation's variables (for @skip/@include and Condition nodes). */
  defaults: Record<string, unknown>;
  /** For introspection fields: the operation's variable definitions and fragments. */
  operation: OperationDefinitionNode;
  fragments: FragmentDefinitionNode[];
  schema: GraphQLSchema;
}

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

function leafCheck(type: GraphQLNamedType): (v: unknown) => boolean {
  if (isEnumType(type)) {
    const values = new Set(type.getValues().map((v) => v.name));
    return (v) => typeof v === 'string' && values.has(v);
  }
  if (!isSpecifiedScalarType(type)) return () => true;
  switch (type.name) {
    case 'Boolean':
      return (v) => typeof v === 'boolean';
    case 'Int':
      return (v) => typeof v === 'number' && Number.isFinite(v) && INTEGER.test(String(v));
    case 'ID':
      return (v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v) && INTEGER.test(String(v)));
    case 'Float':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    default: // String
      return (v) => typeof v === 'string';
  }
}

function typeRef(type: GraphQLOutputType): TypeRef {
  if (isNonNullType(type)) return { k: 'nonNull', of: typeRef(type.ofType) };
  if (isListType(type)) return { k: 'list', of: typeRef(type.ofType) };
  if (isLeafType(type)) return { k: 'leaf', check: leafCheck(type), name: type.name };
  return { k: 'composite', name: type.name };
}

/** Every type name T such that `condition` is a supertype of (or equal to) T. */
export function subtypesOf(schema: GraphQLSchema, condition: GraphQLNamedType): Set<string> {
  const out = new Set<string>([condition.name]);
  if (isUnionType(condition)) for (const t of condition.getTypes()) out.add(t.name);
  if (isInterfaceType(condition)) {
    const { objects, interfaces } = schema.getImplementations(condition);
    for (const t of objects) out.add(t.name);
    for (const t of interfaces) for (const s of subtypesOf(schema, t)) out.add(s);
  }
  return out;
}

function conditionsOf(directives: readonly DirectiveNode[] | undefined): Condition[] | undefined {
  if (!directives?.length) return undefined;
  const out: Condition[] = [];
  for (const d of directives) {
    if (d.name.value !== 'skip' && d.name.value !== 'include') continue;
    const arg = d.arguments?.find((a) => a.name.value === 'if');
    if (!arg) continue;
    const include = d.name.value === 'include';
    if (arg.value.kind === Kind.VARIABLE) out.push({ include, variable: arg.value.name.value });
    else if (arg.value.kind === Kind.BOOLEAN) out.push({ include, literal: arg.value.value });
  }
  return out.length ? out : undefined;
}

export function compileShape(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Shape {
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const byName = new Map(fragments.map((f) => [f.name.value, f]));
  const rootType = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!rootType) throw new Error(`The schema has no ${operation.operation} type.`);
  const subtypeSets = new Map<string, Set<string>>();
  const subtypes = (t: GraphQLNamedType) => {
    let s = subtypeSets.get(t.name);
    if (!s) subtypeSets.set(t.name, (s = subtypesOf(schema, t)));
    return s;
  };

  const compileSet = (set: SelectionSetNode, parent: GraphQLCompositeType): Selection => {
    const entries: Entry[] = [];
    for (const sel of set.selections) {
      const conds = conditionsOf(sel.directives);
      if (sel.kind === Kind.FIELD) {
        const name = sel.alias?.value ?? sel.name.value;
        const fieldName = sel.name.value;
        if (fieldName === '__typename') {
          entries.push({ k: 'typename', name, ...(conds ? { conds } : {}) });
          continue;
        }
        if (fieldName === '__schema' || fieldName === '__type') {
          entries.push({ k: 'introspection', name, node: sel, ...(conds ? { conds } : {}) });
          continue;
        }
        if (isUnionType(parent)) throw new GraphQLError(`Cannot query field "${fieldName}" on type "${parent.name}".`);
        const def = parent.getFields()[fieldName];
        if (!def) throw new GraphQLError(`Cannot query field "${fieldName}" on type "${parent.name}".`);
        const type = typeRef(def.type);
        let named = def.type;
        while (isNonNullType(named) || isListType(named)) named = named.ofType;
        const sub = sel.selectionSet && !isLeafType(named) ? compileSet(sel.selectionSet, named as GraphQLCompositeType) : undefined;
        entries.push({ k: 'field', name, fieldName, type, ...(sub ? { sub } : {}), ...(conds ? { conds } : {}) });
      } else {
        let condName: string | undefined;
        let selectionSet: SelectionSetNode;
        if (sel.kind === Kind.INLINE_FRAGMENT) {
          condName = sel.typeCondition?.name.value;
          selectionSet = sel.selectionSet;
        } else {
          const frag = byName.get(sel.name.value);
          if (!frag) throw new GraphQLError(`Unknown fragment "${sel.name.value}".`);
          condName = frag.typeCondition.name.value;
          selectionSet = frag.selectionSet;
        }
        const condType = condName ? schema.getType(condName) : undefined;
        if (condName && !condType) throw new GraphQLError(`Unknown type "${condName}".`);
        const sub = compileSet(selectionSet, (condType as GraphQLCompositeType | undefined) ?? parent);
        entries.push({ k: 'fragment', sub, ...(condType ? { cond: subtypes(condType), condName: condType.name } : {}), ...(conds ? { conds } : {}) });
      }
    }
    return { entries };
  };

  const defaults: Record<string, unknown> = {};
  for (const v of operation.variableDefinitions ?? []) {
    if (!v.defaultValue) continue;
    const t = schema.getType(v.type.kind === Kind.NON_NULL_TYPE ? (v.type.type as { name: { value: string } }).name.value : v.type.kind === Kind.NAMED_TYPE ? v.type.name.value : '');
    defaults[v.variable.name.value] = t && isLeafType(t) ? valueFromAST(v.defaultValue, t) : undefined;
  }
  return { root: compileSet(operation.selectionSet, rootType), rootType: rootType.name, defaults, operation, fragments, schema };
}

// ---------------------------------------------------------------------------------------------
// Run time

interface Run {
  shape: Shape;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  path: (string | number)[];
}

const BUBBLE = 1;

function skipped(conds: Condition[] | undefined, run: Run): boolean {
  if (!conds) return false;
  for (const c of conds) {
    let value = c.literal;
    if (c.variable !== undefined) {
      const v = run.variables[c.variable] !== undefined ? run.variables[c.variable] : run.shape.defaults[c.variable];
      if (typeof v !== 'boolean') throw new GraphQLError(`Unexpected value ${String(v)} for variable $${c.variable} of @${c.include ? 'include' : 'skip'}.`);
      value = v;
    }
    if (c.include ? !value : value) return true;
  }
  return false;
}

function set(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return key === '__proto__' ? (Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined) : obj[key];
}

function describe(path: (string | number)[], typeName: string, parent: string): string {
  const last = path[path.length - 1];
  return typeof last === 'string' ? `field ${parent}.${last}` : `array element of type ${typeName} at index ${last}`;
}

function typeNameOf(t: TypeRef): string {
  if (t.k === 'nonNull') return `${typeNameOf(t.of)}!`;
  if (t.k === 'list') return `[${typeNameOf(t.of)}]`;
  return t.name;
}

function applySelection(input: Record<string, unknown>, sel: Selection, output: Record<string, unknown>, run: Run, parent: string): number {
  const schema = run.shape.schema;
  for (const e of sel.entries) {
    if (e.conds && skipped(e.conds, run)) continue;
    switch (e.k) {
      case 'typename': {
        if (output[e.name] !== undefined) continue;
        let value = own(input, e.name) ?? null;
        if (value === null && e.name !== '__typename') value = input.__typename ?? null;
        const type = typeof value === 'string' ? (schema.getType(value) ?? schema.getType(parent)) : schema.getType(parent);
        if (!isObjectType(type)) return BUBBLE;
        set(output, e.name, type.name);
        continue;
      }
      case 'introspection': {
        if (output[e.name] === undefined) set(output, e.name, introspect(run, e.node, e.name));
        continue;
      }
      case 'field': {
        const current = output[e.name];
        const inputValue = own(input, e.name) ?? null;
        run.path.push(e.name);
        const r = complete(current, e.type, inputValue, e.sub, run, parent);
        run.path.pop();
        set(output, e.name, r.value);
        if (r.invalid) return BUBBLE;
        continue;
      }
      case 'fragment': {
        if (e.cond) {
          const typename = input.__typename;
          if (typename !== undefined && typeof typename !== 'string') throw new Error(`Got unexpected value for __typename: ${JSON.stringify(typename)}`);
          const applies = typename ? e.cond.has(typename) && schema.getType(typename) !== undefined : e.cond.has(parent);
          if (!applies) continue;
        }
        if (applySelection(input, e.sub, output, run, e.condName ?? parent) === BUBBLE) return BUBBLE;
        continue;
      }
    }
  }
  return 0;
}

interface Completed {
  value: unknown;
  invalid?: boolean;
  errors?: boolean;
}

function complete(current: unknown, type: TypeRef, input: unknown, sub: Selection | undefined, run: Run, parent: string): Completed {
  if (current === null || (current !== undefined && !sub)) return { value: current };
  if (type.k === 'nonNull') {
    const r = complete(current, type.of, input, sub, run, parent);
    if (r.value === null) {
      if (!r.errors) run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable ${describe(run.path, typeNameOf(type.of), parent)}.`, { path: run.path.slice() }));
      return { value: null, invalid: true, errors: true };
    }
    return { value: r.value };
  }
  if (input === null) return { value: null };
  if (type.k === 'list') {
    if (!Array.isArray(input)) throw new Error(`Invalid non-list value ${JSON.stringify(input)} returned by subgraph for list type ${typeNameOf(type)}`);
    const currentList = current === undefined ? undefined : (current as unknown[]);
    if (currentList && currentList.length !== input.length) throw new Error(`[${String(input)}].length (${input.length}) !== [${String(currentList)}].length (${currentList.length})`);
    const out: unknown[] = new Array(input.length);
    let nullify = false;
    let errors = false;
    for (let i = 0; i < input.length; i++) {
      run.path.push(i);
      const r = complete(currentList ? currentList[i] : undefined, type.of, input[i] ?? null, sub, run, parent);
      run.path.pop();
      if (r.invalid) nullify = true;
      if (r.errors) errors = true;
      out[i] = r.value;
    }
    return { value: nullify ? null : out, errors };
  }
  if (type.k === 'composite') {
    if (!sub) throw new Error(`Invalid empty selection set for composite type ${type.name}`);
    if (typeof input !== 'object') throw new Error(`Invalid non-object value ${JSON.stringify(input)} returned by subgraph for composite type ${type.name}`);
    const obj = input as Record<string, unknown>;
    const typename = obj.__typename;
    if (typename !== undefined && typeof typename !== 'string') throw new Error(`Invalid non-string value ${JSON.stringify(typename)} for __typename at ${run.path.join('.')}`);
    let objType = type.name;
    if (typename) {
      const t = run.shape.schema.getType(typename);
      if (!t || !(isObjectType(t) || isInterfaceType(t) || isUnionType(t))) {
        run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid __typename found for object at ${describe(run.path, type.name, parent)}.`, { path: run.path.slice() }));
        return { value: null, errors: true };
      }
      objType = typename;
    }
    const out = (current as Record<string, unknown> | undefined) ?? {};
    const bubbled = applySelection(obj, sub, out, run, objType) === BUBBLE;
    return { value: bubbled ? null : out, errors: bubbled };
  }
  // leaf
  if (type.check(input)) return { value: input };
  run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${describe(run.path, type.name, parent)}.`, { path: run.path.slice() }));
  return { value: null, errors: true };
}

function introspect(run: Run, node: FieldNode, responseName: string): unknown {
  const { operation, fragments, schema } = run.shape;
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [{ ...operation, operation: 'query' as never, name: undefined, directives: [], selectionSet: { kind: Kind.SELECTION_SET, selections: [node] } }, ...fragments],
  };
  const { data, errors } = executeSync({ schema, document, rootValue: {}, variableValues: run.variables });
  if (errors?.length || !data) throw new Error(`Introspection query for ${responseName} failed: ${JSON.stringify(errors)}`);
  return (data as Record<string, unknown>)[responseName];
}

/** Shapes the merged subgraph data to the operation: `{ data, errors }` as computeResponse returns it. */
export function shapeResponse(shape: Shape, input: Record<string, unknown>, variables: Record<string, unknown>): { data: Record<string, unknown> | null; errors: GraphQLError[] } {
  const run: Run = { shape, variables, errors: [], path: [] };
  const data: Record<string, unknown> = {};
  const r = applySelection(input, shape.root, data, run, shape.rootType);
  return { data: r === BUBBLE ? null : data, errors: run.errors };
}
