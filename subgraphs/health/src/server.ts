import { createSubgraphHttpServer, type AccessLog, type Logger, type RequestVerifier, createTicketSync, withTicketSync } from '@gerbang/common';
import type { ClinicQueueRegistry } from './adapters/clinic-queue/registry';
import { createLoaders, type HealthContext } from './modules/context';
import { jakartaDate } from './modules/dates';
import { HealthService } from './modules/health.service';
import { AGENCY_ID, clinicTicketSource } from './modules/tickets';
import { buildHealthSchema } from './schema';
import { clinicBookingsAnswerer } from './modules/insights';
import type { ClinicStatistics } from './adapters/clinic-queue/registry';

export { ClinicQueueClient, ClinicQueueRefusal, clientRefFor } from './adapters/clinic-queue/clinic-queue-client';
export { signedHeaders, clinicSignature, type ClinicCredentials } from './adapters/clinic-queue/signer';
export type { ClinicQueueRegistry, ClinicStatistics } from './adapters/clinic-queue/registry';
export { buildHealthSchema, AGENCY_ID };

/** Policy: how many days ahead a citizen may book a queue through the hub. */
export const DEFAULT_MAX_DAYS_AHEAD = 7;

export interface HealthServerOptions {
  registry: ClinicQueueRegistry;
  logger: Logger;
  verifier: RequestVerifier;
  /** Where ticket facts are published (the ratings subgraph's ledger); no feed when absent. */
  ticketFeed?: { ledgerUrl: string; key: string; intervalMs: number };
  /** The agency system's state, for the status document (never readiness: see common's http.ts). */
  status?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  maxDaysAhead?: number;
  now?: () => Date;
  /**
   * CLINIC_BOOKINGS for the analysts' insights: the queue service's recap, and the access log its
   * suppressed cells are recorded in. Without both, the field answers an error.
   */
  insights?: { statistics: ClinicStatistics; accessLog: AccessLog };
}

/** Builds the health subgraph; starts nothing (not even the ticket sync) until `listen`. */
export async function createHealthServer(options: HealthServerOptions) {
  const { logger } = options;
  const sync = createTicketSync(
    AGENCY_ID,
    clinicTicketSource(options.registry, (b, why) => logger.warn({ booking: b.code, why }, 'booking left out of the ticket feed')),
    options.ticketFeed,
    (err) => logger.warn({ err: (err as Error).message }, 'ticket sync failed; retrying'),
  );
  const now = options.now ?? (() => new Date());
  const booking = { today: () => jakartaDate(now()), maxDaysAhead: options.maxDaysAhead ?? DEFAULT_MAX_DAYS_AHEAD };
  const schema = await buildHealthSchema();
  const app = await createSubgraphHttpServer<HealthContext>({
    name: 'health',
    schema,
    logger,
    verifier: options.verifier,
    context: ({ requestId, caller, logger }) => ({
      requestId,
      caller,
      logger,
      health: new HealthService({ caller, logger, registry: options.registry, loaders: createLoaders(options.registry), booking, sync }),
      clinicBookings: clinicBookingsAnswerer({ statistics: options.insights?.statistics, accessLog: options.insights?.accessLog, caller, requestId }),
    }),
    ...(options.status ? { status: options.status } : {}),
  });
  return withTicketSync(app, sync);
}
