import { Kind, parse, type DocumentNode } from 'graphql';
import { z } from 'zod';
import { ErrorCode, REQUEST_ERROR_CODES, signRequest } from '@gerbang/common';
import { fetchServiceSdl, REGISTRY_CALLER } from './verify';

export interface ConformanceResult {
  rule: string;
  ok: boolean;
  detail: string;
  ms?: number;
}

export interface ConformanceOptions {
  /** The subgraph's GraphQL URL. */
  url: string;
  /** Its name in the graph: the audience of signed calls. */
  name: string;
  /** The hub's signing secret (INTERNAL_SIGNING_SECRET): the kit signs as the gateway does. */
  secret: string;
  /** Budget for one request resolving 100 entities (default 1000 ms). */
  batchBudgetMs?: number;
}

const DOCUMENTED = new Set<string>([...Object.values(ErrorCode), ...REQUEST_ERROR_CODES]);
const ENTITY_TYPES = ['Ticket', 'Officer'];

/**
 * What the kit reads of a subgraph's answer, leniently: a part of the wrong shape counts as absent
 * (a malformed error entry as one without a code), never as a failure of the whole answer.
 */
const Scalar = z.union([z.string(), z.number(), z.boolean()]).optional().catch(undefined);
const GraphQLAnswer = z.object({
  data: z
    .object({ _entities: z.array(z.unknown()).optional().catch(undefined) })
    .nullish()
    .catch(undefined),
  errors: z
    .array(
      z
        .object({ extensions: z.object({ code: Scalar, reason: Scalar }).nullish().catch(undefined) })
        .nullish()
        .catch(undefined),
    )
    .optional()
    .catch(undefined),
});
type GraphQLAnswer = z.infer<typeof GraphQLAnswer>;

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: GraphQLAnswer | undefined; ms: number }> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const answer = GraphQLAnswer.safeParse(parsed);
  return { status: res.status, json: answer.success ? answer.data : undefined, ms: performance.now() - started };
}

/** Fields without a description (federation's own and key fields of types it extends aside). */
export function undocumentedFields(sdl: string): string[] {
  const doc: DocumentNode = parse(sdl);
  const out: string[] = [];
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION && def.kind !== Kind.INPUT_OBJECT_TYPE_DEFINITION) continue;
    const type = def.name.value;
    if (type.startsWith('_') || type.startsWith('link__') || type.startsWith('federation__') || type.startsWith('join__')) continue;
    const keyFields = new Set<string>();
    for (const d of def.directives ?? []) {
      if (d.name.value !== 'key') continue;
      const f = d.arguments?.find((a) => a.name.value === 'fields');
      if (f?.value.kind === Kind.STRING) for (const k of f.value.value.split(/[\s{}]+/).filter(Boolean)) keyFields.add(k);
    }
    for (const field of def.fields ?? []) {
      const name = field.name.value;
      if (name.startsWith('_') || keyFields.has(name)) continue;
      if (!field.description?.value.trim()) out.push(`${type}.${name}`);
    }
  }
  return out;
}

/** Entity types among Ticket/Officer that the subgraph resolves (a resolvable @key). */
function entityTypes(sdl: string): string[] {
  const doc = parse(sdl);
  const out = new Set<string>();
  for (const def of doc.definitions) {
    if ((def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION) && ENTITY_TYPES.includes(def.name.value)) {
      const key = def.directives?.find((d) => d.name.value === 'key');
      const resolvable = key?.arguments?.find((a) => a.name.value === 'resolvable');
      if (key && !(resolvable?.value.kind === Kind.BOOLEAN && !resolvable.value.value)) out.add(def.name.value);
    }
  }
  return [...out];
}

function codesOf(json: GraphQLAnswer | undefined): string[] {
  return json?.errors?.map((e) => String(e?.extensions?.code ?? '(none)')) ?? [];
}

/** `, reason <reason>` when a refusal's first error names one. */
function reasonOf(json: GraphQLAnswer | undefined): string {
  const reason = json?.errors?.[0]?.extensions?.reason;
  return reason ? `, reason ${String(reason)}` : '';
}

/**
 * The hub's rules, run against a running agency subgraph: signed calls only (unsigned and replayed
 * refused), health, 100 Ticket/Officer entities in one request within a budget, errors with
 * documented codes, and a description on every field.
 */
export async function runConformance(o: ConformanceOptions): Promise<ConformanceResult[]> {
  const results: ConformanceResult[] = [];
  const add = (rule: string, ok: boolean, detail: string, ms?: number) => results.push({ rule, ok, detail, ...(ms !== undefined ? { ms: Math.round(ms) } : {}) });
  const base = new URL(o.url);
  const codes: string[] = [];

  for (const path of ['/health/live', '/health/ready']) {
    try {
      const res = await fetch(new URL(path, base), { signal: AbortSignal.timeout(5_000) });
      add(`health: GET ${path}`, res.status === 200, `HTTP ${res.status}`);
    } catch (err) {
      add(`health: GET ${path}`, false, `unreachable (${(err as Error).message})`);
    }
  }

  const probe = JSON.stringify({ query: '{ __typename }' });
  try {
    const unsigned = await post(o.url, probe, {});
    add('refuses unsigned calls', unsigned.status === 401, `HTTP ${unsigned.status}${reasonOf(unsigned.json)}`);
    const signed = signRequest(o.secret, probe, REGISTRY_CALLER, o.name);
    const first = await post(o.url, probe, signed);
    const again = await post(o.url, probe, signed);
    add('accepts a call signed for it', first.status === 200, `HTTP ${first.status}`);
    add('refuses a replayed call', again.status === 401, `HTTP ${again.status}${reasonOf(again.json)}`);
    const other = signRequest(o.secret, probe, REGISTRY_CALLER, `${o.name}-other`);
    const misaddressed = await post(o.url, probe, other);
    add('refuses a call signed for another subgraph', misaddressed.status === 401, `HTTP ${misaddressed.status}`);
  } catch (err) {
    add('signed calls', false, `unreachable (${(err as Error).message})`);
  }

  let sdl: string | undefined;
  try {
    sdl = await fetchServiceSdl(o.url, o.name, o.secret);
  } catch (err) {
    add('serves _service { sdl }', false, (err as Error).message);
  }
  if (sdl) {
    const missing = undocumentedFields(sdl);
    add('descriptions on every field', missing.length === 0, missing.length ? `${missing.length} without: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ' …' : ''}` : 'all described');
    const types = entityTypes(sdl);
    if (!types.length) add('entities: 100 in one request', false, 'resolves neither Ticket nor Officer by @key');
    const budget = o.batchBudgetMs ?? 1_000;
    for (const type of types) {
      const representations = Array.from({ length: 100 }, (_, i) => ({ __typename: type, id: `${o.name}:conformance-${i}` }));
      const body = JSON.stringify({ query: `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`, variables: { r: representations } });
      try {
        const r = await post(o.url, body, signRequest(o.secret, body, REGISTRY_CALLER, o.name));
        codes.push(...codesOf(r.json));
        const n = r.json?.data?._entities?.length ?? 0;
        add(
          `entities: 100 ${type} in one request within ${budget} ms`,
          r.status === 200 && n === 100 && r.ms <= budget && !r.json?.errors?.some((e) => e?.extensions?.code === 'INTERNAL_SERVER_ERROR'),
          `${n} answered in ${Math.round(r.ms)} ms`,
          r.ms,
        );
      } catch (err) {
        add(`entities: 100 ${type} in one request`, false, (err as Error).message);
      }
    }
  }

  const bad = JSON.stringify({ query: '{ noSuchFieldConformance }' });
  try {
    const r = await post(o.url, bad, signRequest(o.secret, bad, REGISTRY_CALLER, o.name));
    codes.push(...codesOf(r.json));
  } catch {
    /* reported above as unreachable */
  }
  const undocumented = codes.filter((c) => !DOCUMENTED.has(c) || c === 'INTERNAL_SERVER_ERROR');
  add(
    'errors carry documented codes',
    codes.length > 0 && undocumented.length === 0,
    undocumented.length ? `undocumented or internal: ${[...new Set(undocumented)].join(', ')}` : `${codes.length} error(s), codes ${[...new Set(codes)].join(', ')}`,
  );
  return results;
}

export function formatConformance(results: ConformanceResult[]): string {
  const width = Math.max(...results.map((r) => r.rule.length));
  const lines = results.map((r) => `  ${r.ok ? 'PASS' : 'FAIL'}  ${r.rule.padEnd(width)}  ${r.detail}`);
  const failed = results.filter((r) => !r.ok).length;
  return `${lines.join('\n')}\n\n${failed ? `${failed} of ${results.length} rules failed` : `all ${results.length} rules pass`}`;
}
