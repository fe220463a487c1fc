import type { GraphQLSchema } from 'graphql';
import { z } from 'zod';
import type { AccessLog } from './access-log';
import { secret } from './config';
import { createSubgraphHttpServer, type RequestInfo, type SubgraphHttpOptions } from './http';
import type { RequestVerifier } from './internal-auth';
import type { Logger } from './logger';
import { createTicketSync, devFeedKey, type TicketFeedOptions, type TicketSyncSource } from './ticket-feed';

/** What every subgraph that wraps an agency system is given. */
export interface AgencyServerOptions {
  logger: Logger;
  verifier: RequestVerifier;
  /** The agency system's state, for the status document (never readiness: see common's http.ts). */
  status?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** An agency subgraph that publishes its agency system's tickets. */
export interface TicketFeedServerOptions {
  /** Where ticket facts are published (the ratings subgraph's ledger); no feed when absent. */
  ticketFeed?: TicketFeedOptions;
}

/** The environment of an agency subgraph's ticket feed: the ledger's URL, its feed key, the poll interval. */
export const ticketFeedEnv = (agencyId: string, env: NodeJS.ProcessEnv) => ({
  RATINGS_URL: z.url().default('http://127.0.0.1:4003'),
  TICKET_FEED_KEY: secret(devFeedKey(agencyId), env),
  TICKET_SYNC_INTERVAL_MS: z.coerce.number().int().min(0).default(5_000),
});

/** An agency subgraph's ticket sync, whose failed polls are logged as warnings; none without a feed. */
export function agencyTicketSync(agencyId: string, source: TicketSyncSource, options: { logger: Logger } & TicketFeedServerOptions) {
  return createTicketSync(agencyId, source, options.ticketFeed, (err) => options.logger.warn({ err: (err as Error).message }, 'ticket sync failed; retrying'));
}

/**
 * Readiness of a subgraph that serves personal data: the access log's database. A read it cannot
 * record is refused, so without it the subgraph serves no personal data at all (its agency system
 * is status, not readiness).
 */
export const accessLogReadiness = (accessLog: AccessLog) => ({ accessLog: () => accessLog.ping() });

/**
 * An agency subgraph's HTTP server (see `createSubgraphHttpServer`): each request's context is the
 * request's own (id, caller, logger) plus the subgraph's `services` for it; the agency system's
 * state is the status document. Starts nothing until `listen`.
 */
export async function createAgencySubgraphServer<TContext extends RequestInfo>(
  options: AgencyServerOptions,
  subgraph: Pick<SubgraphHttpOptions<TContext>, 'name' | 'ready'> & {
    schema: GraphQLSchema;
    services: (request: RequestInfo) => Omit<TContext, keyof RequestInfo>;
  },
) {
  return createSubgraphHttpServer<TContext>({
    name: subgraph.name,
    schema: subgraph.schema,
    logger: options.logger,
    verifier: options.verifier,
    context: (request) => ({ ...request, ...subgraph.services(request) }) as TContext,
    ...(subgraph.ready ? { ready: subgraph.ready } : {}),
    ...(options.status ? { status: options.status } : {}),
  });
}
