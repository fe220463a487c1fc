import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApolloServer } from '@apollo/server';
import { decodeJwt } from 'jose';
import { GraphQLError, parse, type DocumentNode, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import { encodeCaller, ErrorCode, type Caller, type Logger } from '@gerbang/common';
import type { EventBus } from '@gerbang/common/events';
import type { GatewayContext } from '../context';
import type { AccessControl } from '../edge/access';
import type { OperationAnalyzer } from '../edge/analysis';
import type { QueryLimits } from '../edge/limits';
import { checkPersistedQuery, type PersistedPolicy, type Safelist } from '../edge/persisted';
import { persistedHash } from '../edge/request';
import { EdgeRefusal } from '../edge/refusal';
import type { Identity } from '../identity';
import { ChangesClient, ChangesRefused, type TicketChange } from './changes';
import { ConnectionLimits } from './connections';
import { LiveTickets, type LiveSubscription, type Subscriber } from './live-tickets';
import { LiveMetrics } from './metrics';
import { prepareSubscription, TICKET_VARIABLE } from './operation';
import type { Registry } from 'prom-client';

/** The limits of live subscriptions (LIVE_* settings; gateway/README.md § Subscriptions). */
export interface LiveLimits {
  /** Open connections (WebSockets and SSE streams) per signed-in user. */
  connectionsPerUser: number;
  /** Open connections per client address. */
  connectionsPerAddress: number;
  /** Subscriptions at once on one WebSocket. */
  subscriptionsPerConnection: number;
  /** A WebSocket with no subscription for this long is closed (4408). */
  idleTimeoutMs: number;
  /** WebSocket ping interval; a connection that misses a pong is terminated. SSE: a comment line. */
  keepAliveMs: number;
  /** How often a connection's token is checked again (a key withdrawn from the JWKS ends it). */
  revalidateMs: number;
  /** Time to send connection_init after the WebSocket opens. */
  connectionInitWaitTimeoutMs: number;
}

const DEFAULT_LIVE_LIMITS: LiveLimits = {
  connectionsPerUser: 10,
  connectionsPerAddress: 200,
  subscriptionsPerConnection: 20,
  idleTimeoutMs: 300_000,
  keepAliveMs: 12_000,
  revalidateMs: 60_000,
  connectionInitWaitTimeoutMs: 3_000,
};

export interface LiveGatewayOptions {
  bus: EventBus;
  identity: Identity;
  apollo: ApolloServer<GatewayContext>;
  schema: () => GraphQLSchema | undefined;
  access: AccessControl;
  analyzer: OperationAnalyzer;
  limits: QueryLimits;
  /** Persisted operations: ids resolve from the safelist manifest, and the same policy as over HTTP (PERSISTED_ONLY). */
  safelist: Safelist;
  policy: PersistedPolicy;
  /** The ratings subgraph's base URL (without /graphql), from the loaded supergraph. */
  ratingsUrl: () => string | undefined;
  internalSecret: string;
  registry: Registry;
  logger: Logger;
  clientAddress: (req: http.IncomingMessage) => string;
  live?: Partial<LiveLimits>;
}

/** An authenticated subscriber connection (a WebSocket or an SSE stream). */
export interface LiveConnection {
  caller: Caller;
  callerHeader: string;
  authorization: string;
  /** Token expiry (ms since the epoch). */
  expiresAt: number;
  address: string;
  clientName?: string;
}

/** A subscription as a transport received it; `query` is filled in from the safelist when it names a persisted operation. */
export interface LiveRequest {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
  lastEventId?: string | undefined;
}

const gqlError = (code: string, message: string, extensions: Record<string, unknown> = {}) => new GraphQLError(message, { extensions: { ...extensions, code } });

/**
 * Subscriptions at the gateway (the Subscription root is the gateway's; @apollo/gateway executes
 * none): graphql-ws over WebSocket and graphql-sse (distinct connections) on /graphql, fed by the
 * ticket ledger's events (live-tickets.ts). ws.ts and sse.ts wire the two libraries; this file
 * holds what both share: authentication, limits, the checks every operation passes at the edge
 * (budget, authorization directives), and resolving an event through the supergraph.
 */
export async function createLiveGateway(options: LiveGatewayOptions) {
  const { logger } = options;
  const limits: LiveLimits = { ...DEFAULT_LIVE_LIMITS, ...options.live };
  const metrics = new LiveMetrics(options.registry);
  const connections = new ConnectionLimits({ perUser: limits.connectionsPerUser, perAddress: limits.connectionsPerAddress });
  const changes = new ChangesClient({ url: options.ratingsUrl, secret: options.internalSecret });

  const resolve = async (subscriber: Subscriber, change: TicketChange): Promise<FormattedExecutionResult> => {
    const { prepared } = subscriber;
    const response = await options.apollo.executeOperation(
      { query: prepared.query, variables: { ...prepared.variables, [TICKET_VARIABLE]: change.ticketId }, ...(prepared.operationName ? { operationName: prepared.operationName } : {}) },
      {
        contextValue: {
          requestId: `${subscriber.requestId}:${change.cursor}`,
          caller: subscriber.caller,
          callerHeader: subscriber.callerHeader,
          logger: subscriber.logger,
          ...(subscriber.clientName ? { clientName: subscriber.clientName } : {}),
        },
      },
    );
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not used for live events');
    return response.body.singleResult;
  };
  const live = new LiveTickets({ bus: options.bus, changes, resolve, metrics, logger });
  live.start();

  /** Authorization header value → connection; refusals as GraphQL errors with their codes. */
  const authenticate = async (authorization: string | undefined, address: string, clientName?: string): Promise<LiveConnection | GraphQLError> => {
    if (!authorization) return gqlError(ErrorCode.UNAUTHENTICATED, 'Sign in: every subscription needs a token (connection_init payload `authorization`, or the Authorization header).');
    let caller: Caller;
    try {
      caller = await options.identity.callerFrom(authorization);
    } catch (err) {
      if (err instanceof GraphQLError) return err;
      throw err;
    }
    const token = authorization.trim().replace(/^Bearer\s+/i, '');
    const exp = decodeJwt(token).exp!;
    return { caller, callerHeader: encodeCaller(caller), authorization, expiresAt: exp * 1000, address, ...(clientName ? { clientName } : {}) };
  };

  /** Every check a subscription operation passes before it opens; then it opens. */
  const subscribe = async (connection: LiveConnection, request: LiveRequest, requestId: string): Promise<LiveSubscription | GraphQLError[]> => {
    const schema = options.schema();
    if (!schema) return [gqlError(ErrorCode.UPSTREAM_UNAVAILABLE, 'The gateway has no supergraph loaded yet.', { service: 'gateway', retryAfter: 5 })];
    // A persisted operation by id: graphql-ws and graphql-sse require a `query` string, so an empty
    // one with `extensions.persistedQuery.sha256Hash` names an operation of the safelist manifest
    // (what Apollo's and urql's persisted-query links send). The text is filled in for the transport.
    const hash = persistedHash(request);
    if ((request.query === '' || request.query === undefined) && hash !== undefined) {
      const body = options.safelist.get(hash)?.body;
      if (!body) return [gqlError('PERSISTED_QUERY_NOT_FOUND', 'No safelisted operation has this id: subscriptions by id are served from the manifest only.')];
      request.query = body;
    }
    if (typeof request.query !== 'string' || request.query === '') return [gqlError('BAD_REQUEST', 'The subscription has no `query` text.')];
    const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
    const variables = request.variables && typeof request.variables === 'object' ? (request.variables as Record<string, unknown>) : undefined;
    const analysis = options.analyzer.analyze(request.query);
    try {
      // An id sent with text must be that text's (as over HTTP); then the safelist policy (PERSISTED_ONLY)
      // and the budgets of the caller's roles, exactly as over HTTP (edge/persisted.ts, edge/limits.ts).
      checkPersistedQuery(request);
      options.policy.check(analysis, connection.caller, connection.clientName);
      options.limits.check(options.analyzer, analysis, operationName, variables, connection.caller.roles);
    } catch (err) {
      if (err instanceof EdgeRefusal) return [gqlError(err.code, err.message, err.extensions)];
      throw err;
    }
    let document: DocumentNode;
    try {
      document = analysis.document ?? parse(request.query, { maxLexicalTokens: options.limits.maxTokens });
    } catch (err) {
      return [gqlError('GRAPHQL_PARSE_FAILED', (err as Error).message)];
    }
    const prepared = prepareSubscription(schema, document, operationName, variables);
    if (Array.isArray(prepared)) return prepared;
    // The authorization directives on the subscription field and everything under it, as for queries.
    const operation = document.definitions.find((d) => d.kind === 'OperationDefinition' && (operationName === undefined || d.name?.value === operationName));
    const refused = options.access.decide(options.access.footprint(schema, document, operation as never), connection.caller);
    if (refused) return [refused];
    // SSE: a reconnecting EventSource sends the last event's id; an explicit `after` wins.
    const after = prepared.after ?? (request.lastEventId && /^\d{1,19}$/.test(request.lastEventId) ? request.lastEventId : null);
    const subscriber: Subscriber = {
      caller: connection.caller,
      callerHeader: connection.callerHeader,
      requestId,
      logger: logger.child({ requestId, live: prepared.field }),
      prepared,
      ...(connection.clientName ? { clientName: connection.clientName } : {}),
    };
    try {
      return await live.open(subscriber, after);
    } catch (err) {
      if (err instanceof ChangesRefused) return [gqlError(err.code, err.message, err.code === 'NOT_FOUND' ? { field: 'id' } : {})];
      logger.warn({ err: (err as Error).message, requestId }, 'live tickets: subscription could not start');
      return [gqlError(ErrorCode.UPSTREAM_UNAVAILABLE, 'The ticket ledger cannot be reached; subscribe again shortly.', { service: 'ratings', retryAfter: 5 })];
    }
  };

  const { createWsTransport } = await import('./ws');
  const { createSseTransport } = await import('./sse');
  const shared = { options, limits, metrics, connections, authenticate, subscribe, logger };
  const ws = createWsTransport(shared);
  const sse = createSseTransport(shared);

  return {
    live,
    metrics,
    limits,
    /** `upgrade` on the HTTP server: WebSockets on /graphql (protocol graphql-transport-ws). */
    handleUpgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => ws.handleUpgrade(req, socket, head),
    /** A GraphQL-over-SSE request (Accept: text/event-stream) on /graphql. */
    wantsSse: (req: http.IncomingMessage) => sse.wants(req),
    serveSse: (req: http.IncomingMessage, res: http.ServerResponse, headers: Record<string, string>) => sse.serve(req, res, headers),
    async close() {
      await ws.close();
      sse.close();
      await live.close();
    },
  };
}

export type LiveShared = {
  options: LiveGatewayOptions;
  limits: LiveLimits;
  metrics: LiveMetrics;
  connections: ConnectionLimits;
  authenticate: (authorization: string | undefined, address: string, clientName?: string) => Promise<LiveConnection | GraphQLError>;
  subscribe: (connection: LiveConnection, request: LiveRequest, requestId: string) => Promise<LiveSubscription | GraphQLError[]>;
  logger: Logger;
};
