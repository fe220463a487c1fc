import { createSubgraphHttpServer, ReadRecorder, type AccessLog, type Logger, type RequestVerifier, createTicketSync, withTicketSync } from '@gerbang/common';
import type { PopulationRegistry } from './adapters/siak/registry';
import { createLoaders, type PopulationContext } from './modules/context';
import { PopulationService } from './modules/population.service';
import { AGENCY_ID, siakTicketSource } from './modules/tickets';
import { buildPopulationSchema } from './schema';

export { SiakClient } from './adapters/siak/siak-client';
export type { PopulationRegistry } from './adapters/siak/registry';
export { buildPopulationSchema, AGENCY_ID };

export interface PopulationServerOptions {
  registry: PopulationRegistry;
  logger: Logger;
  verifier: RequestVerifier;
  /** The append-only access log: officers' and administrators' reads of a full NIK are recorded there. */
  accessLog: AccessLog;
  /** Key of the NIK hashes in the access log (never the NIK itself). */
  nikHashKey: string;
  /** Where ticket facts are published (the ratings subgraph's ledger); no feed when absent. */
  ticketFeed?: { ledgerUrl: string; key: string; intervalMs: number };
  /** The agency system's state, for the status document (never readiness: see common's http.ts). */
  status?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** Builds the population subgraph; starts nothing (not even the ticket sync) until `listen`. */
export async function createPopulationServer(options: PopulationServerOptions) {
  const sync = createTicketSync(AGENCY_ID, siakTicketSource(options.registry), options.ticketFeed, (err) => options.logger.warn({ err: (err as Error).message }, 'ticket sync failed; retrying'));
  const schema = await buildPopulationSchema();
  const app = await createSubgraphHttpServer<PopulationContext>({
    name: 'population',
    schema,
    logger: options.logger,
    verifier: options.verifier,
    context: ({ requestId, caller, logger }) => ({
      requestId,
      caller,
      logger,
      population: new PopulationService({
        caller,
        logger,
        registry: options.registry,
        loaders: createLoaders(options.registry),
        reads: new ReadRecorder(options.accessLog, { source: 'population', requestId, caller }),
        nikHashKey: options.nikHashKey,
        sync,
      }),
    }),
    // Readiness: the access log's database. A read it cannot record is refused, so without it
    // this subgraph serves no personal data at all (its agency system is status, not readiness).
    ready: { accessLog: () => options.accessLog.ping() },
    ...(options.status ? { status: options.status } : {}),
  });
  return withTicketSync(app, sync);
}
