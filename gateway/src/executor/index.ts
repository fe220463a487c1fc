/**
 * The executor switch (GATEWAY_EXECUTOR): `gerbang` (the default) runs the query plans with this
 * directory's executor (plan.ts, shape.ts), which keeps @apollo/gateway for what it does well:
 * loading and hot-reloading the supergraph, query planning (the same QueryPlanner, plans cached
 * per document), the data sources. `apollo` runs @apollo/gateway's own executor.
 *
 * Gerbang's executor became the default once it won on both counts: correctness (the federation
 * audit, `npm run audit:federation`: the same cases pass as with @apollo/gateway's) and speed
 * (`npm run bench`: about 2.5× less CPU per workload-1 request); see BENCHMARKS.md. `apollo`
 * stays as the fallback, and CI runs the gateway's tests with it too.
 */
import type { ApolloGateway } from '@apollo/gateway';
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { PlanNode, QueryPlan, QueryPlanner } from '@apollo/query-planner';
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { getVariableValues, GraphQLError, Kind, parse, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileShape, shapeResponse, type Shape } from './shape';
import { PlanCompiler, runNode, type FetchRequest, type FetchResponse, type PlanRun } from './plan';
import { callerIndependentFetch, type SharingRules } from './sharing';

export type ExecutorKind = 'apollo' | 'gerbang';

/**
 * Spans with @apollo/gateway's names (gateway.request, gateway.plan, gateway.execute,
 * gateway.fetch, gateway.postprocessing), so that traces read the same whichever executor runs;
 * no-ops unless OpenTelemetry is configured (edge/telemetry.ts).
 */
const tracer = trace.getTracer('gerbang-gateway-executor');
function inSpan<T>(name: string, fn: (span: Span) => T, attributes?: Record<string, string>): T {
  return tracer.startActiveSpan(name, attributes ? { attributes } : {}, (span) => {
    let async = false;
    try {
      const out = fn(span);
      if (out instanceof Promise) {
        async = true;
        return out.then(
          (v: unknown) => (span.end(), v),
          (err: unknown) => {
            span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
            throw err;
          },
        ) as T;
      }
      return out;
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      if (!async) span.end();
    }
  });
}

/** GATEWAY_EXECUTOR: `gerbang` (default) or `apollo`; anything else is refused. */
export function executorKindFrom(value: string | undefined): ExecutorKind {
  if (value === undefined || value === '' || value === 'gerbang') return 'gerbang';
  if (value === 'apollo') return 'apollo';
  throw new Error(`GATEWAY_EXECUTOR must be "apollo" or "gerbang", not "${value}"`);
}

/** What the executor reads of ApolloGateway (private fields of @apollo/gateway 2.14, pinned). */
interface GatewayInternals {
  executor: GatewayExecutor;
  schema?: GraphQLSchema;
  apiSchema?: Schema;
  supergraphSchema?: GraphQLSchema;
  queryPlanner?: QueryPlanner;
  serviceMap: Record<string, { dataSource: { process(options: unknown): Promise<FetchResponse> } }>;
  recursiveSelectionsLimitDisabled?: boolean;
  nonLocalSelectionsLimitDisabled?: boolean;
}

interface Prepared {
  plan: QueryPlan;
  /** Undefined: left to @apollo/gateway's executor (Defer, Subscription). */
  shape?: Shape;
  operation: OperationDefinitionNode;
}

function hasUnsupported(node: PlanNode | QueryPlan['node']): boolean {
  if (!node) return false;
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return node.nodes.some(hasUnsupported);
    case 'Flatten':
      return hasUnsupported(node.node);
    case 'Condition':
      return hasUnsupported(node.ifClause) || hasUnsupported(node.elseClause);
    case 'Fetch':
      return false;
    default:
      return true;
  }
}

/**
 * What a fetch tells the data source besides @apollo/gateway's options: `shareable`, when the
 * call may be shared between callers (sharing.ts; data-source.ts decides the rest).
 */
export interface ShareableFetch {
  shareable?: boolean;
}

class GerbangExecutor {
  /** Per parsed document (Apollo Server's document store hands the same object for the same text). */
  private prepared = new WeakMap<DocumentNode, Map<string, Prepared>>();
  private compiler?: { supergraph: GraphQLSchema; compiler: PlanCompiler };
  private schemaSeen?: GraphQLSchema;
  /** Per fetch node of a cached plan: may its call be shared between callers (for these rules)? */
  private shareable = new WeakMap<PlanNode, { rules: SharingRules; value: boolean }>();

  constructor(
    private readonly gateway: GatewayInternals,
    private readonly sharingRules?: () => SharingRules | undefined,
  ) {}

  private isShareable(fetch: Extract<PlanNode, { kind: 'Fetch' }>): boolean {
    const rules = this.sharingRules?.();
    if (!rules || fetch.operationKind !== 'query') return false;
    const known = this.shareable.get(fetch);
    if (known?.rules === rules) return known.value;
    let value = false;
    try {
      value = callerIndependentFetch(this.gateway.supergraphSchema!, fetch.operationDocumentNode ?? parse(fetch.operation), rules);
    } catch {
      // A fetch this walk cannot read is not shared.
    }
    this.shareable.set(fetch, { rules, value });
    return value;
  }

  private prepare(document: DocumentNode, operationName: string | undefined): Prepared | GraphQLError {
    const g = this.gateway;
    if (g.schema !== this.schemaSeen) {
      // A new supergraph: nothing compiled for the old one may run.
      this.schemaSeen = g.schema;
      this.prepared = new WeakMap();
    }
    let byName = this.prepared.get(document);
    if (!byName) this.prepared.set(document, (byName = new Map<string, Prepared>()));
    const key = operationName ?? '';
    let p = byName.get(key);
    if (p) return p;
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const operation = operationName === undefined ? (operations.length === 1 ? operations[0] : undefined) : operations.find((o) => o.name?.value === operationName);
    if (!operation) return new GraphQLError(operationName === undefined ? 'Must provide operation name if query contains multiple operations.' : `Unknown operation named "${operationName}".`);
    const fedOperation = operationFromDocument(g.apiSchema!, document, operationName !== undefined ? { operationName } : {});
    const plan = inSpan('gateway.plan', () =>
      g.queryPlanner!.buildQueryPlan(fedOperation, {
        recursiveSelectionsLimitDisabled: g.recursiveSelectionsLimitDisabled ?? false,
        nonLocalSelectionsLimitDisabled: g.nonLocalSelectionsLimitDisabled ?? false,
      }),
    );
    p = { plan, operation, ...(operation.operation !== 'subscription' && !hasUnsupported(plan.node) ? { shape: compileShape(g.schema!, document, operation) } : {}) };
    byName.set(key, p);
    return p;
  }

  private planCompiler(): PlanCompiler {
    const supergraph = this.gateway.supergraphSchema!;
    if (this.compiler?.supergraph !== supergraph) this.compiler = { supergraph, compiler: new PlanCompiler(supergraph) };
    return this.compiler.compiler;
  }

  readonly execute: GatewayExecutor = (requestContext) => inSpan('gateway.request', () => this.run(requestContext));

  private async run(requestContext: GatewayGraphQLRequestContext): Promise<Awaited<ReturnType<GatewayExecutor>>> {
    const { request, document } = requestContext;
    let prepared: Prepared | GraphQLError;
    try {
      prepared = this.prepare(document, request.operationName ?? undefined);
    } catch (err) {
      if (err instanceof GraphQLError) return { errors: [err] };
      throw err;
    }
    if (prepared instanceof GraphQLError) return { errors: [prepared] };
    if (!prepared.shape) return this.gateway.executor(requestContext);
    const shape = prepared.shape;

    const variables = (request.variables ?? {}) as Record<string, unknown>;
    if (prepared.operation.variableDefinitions?.length) {
      const { errors } = getVariableValues(this.gateway.schema!, prepared.operation.variableDefinitions, variables);
      if (errors?.length) return { errors };
    }

    const serviceMap = this.gateway.serviceMap;
    const run: PlanRun = {
      compiler: this.planCompiler(),
      variables,
      defaults: shape.defaults,
      data: {},
      errors: [],
      send: ({ fetch, variables: vars, path }: FetchRequest) => {
        const service = serviceMap[fetch.serviceName];
        if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
        return inSpan(
          'gateway.fetch',
          () =>
            service.dataSource.process({
              kind: 'incoming operation',
              request: { query: fetch.operation, variables: vars, operationName: fetch.operationName },
              incomingRequestContext: requestContext,
              context: requestContext.context,
              document: fetch.operationDocumentNode,
              pathInIncomingRequest: path,
              shareable: this.isShareable(fetch),
            }),
          { service: fetch.serviceName },
        );
      },
    };
    const root = prepared.plan.node as PlanNode | undefined;
    if (root) await inSpan('gateway.execute', () => runNode(run, root, { path: [], values: [run.data] }));

    let shaped: ReturnType<typeof shapeResponse>;
    try {
      shaped = inSpan('gateway.postprocessing', () => shapeResponse(shape, run.data, { ...shape.defaults, ...variables }));
    } catch (err) {
      return { errors: [err instanceof GraphQLError ? err : new GraphQLError((err as Error).message, { originalError: err as Error })] };
    }
    // As @apollo/gateway: shaping errors are reported (as extensions.valueCompletion) only when
    // no subgraph reported any.
    if (run.errors.length === 0 && shaped.errors.length > 0) return { extensions: { valueCompletion: shaped.errors }, data: shaped.data };
    return run.errors.length === 0 ? { data: shaped.data } : { errors: run.errors, data: shaped.data };
  }
}

/**
 * What Apollo Server is given as its gateway: `gateway` itself (kind `apollo`), or the same
 * gateway whose executor is Gerbang's (kind `gerbang`). `sharingRules`: the access rules and
 * personal fields of the current supergraph, for marking the fetches that may be shared between
 * callers (none without it, and none with @apollo/gateway's executor).
 */
export function withExecutor(gateway: ApolloGateway, kind: ExecutorKind, sharingRules?: () => SharingRules | undefined): GatewayInterface {
  if (kind === 'apollo') return gateway;
  const internals = gateway as unknown as GatewayInternals;
  const executor = new GerbangExecutor(internals, sharingRules);
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    async load(options) {
      const loaded = await gateway.load(options);
      return { schema: loaded.schema, executor: executor.execute };
    },
  };
}
