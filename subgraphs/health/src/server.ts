import { agencyTicketSync, createAgencySubgraphServer, withTicketSync } from '@gerbang/common';
import type { AccessLog, AgencyServerOptions, TicketFeedServerOptions } from '@gerbang/common';
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

export interface HealthServerOptions extends AgencyServerOptions, TicketFeedServerOptions {
  registry: ClinicQueueRegistry;
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
  const sync = agencyTicketSync(
    AGENCY_ID,
    clinicTicketSource(options.registry, (b, why) => logger.warn({ booking: b.code, why }, 'booking left out of the ticket feed')),
    options,
  );
  const now = options.now ?? (() => new Date());
  const booking = { today: () => jakartaDate(now()), maxDaysAhead: options.maxDaysAhead ?? DEFAULT_MAX_DAYS_AHEAD };
  const app = await createAgencySubgraphServer<HealthContext>(options, {
    name: 'health',
    schema: await buildHealthSchema(),
    services: ({ requestId, caller, logger }) => ({
      health: new HealthService({ caller, logger, registry: options.registry, loaders: createLoaders(options.registry), booking, sync }),
      clinicBookings: clinicBookingsAnswerer({ statistics: options.insights?.statistics, accessLog: options.insights?.accessLog, caller, requestId }),
    }),
  });
  return withTicketSync(app, sync);
}
