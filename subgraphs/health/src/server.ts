import { createSubgraphHttpServer, TicketFeedPublisher, TicketSync, type Logger, type RequestVerifier } from '@gerbang/common';
import type { ClinicQueueRegistry } from './adapters/clinic-queue/registry';
import { createLoaders, type HealthContext } from './modules/context';
import { jakartaDate } from './modules/dates';
import { AGENCY_ID, clinicTicketSource } from './modules/tickets';
import { buildHealthSchema } from './schema';

export { ClinicQueueClient, ClinicQueueRefusal, clientRefFor } from './adapters/clinic-queue/clinic-queue-client';
export { signedHeaders, clinicSignature, type ClinicCredentials } from './adapters/clinic-queue/signer';
export type { ClinicQueueRegistry } from './adapters/clinic-queue/registry';
export { buildHealthSchema, AGENCY_ID };

/** Policy: how many days ahead a citizen may book a queue through the hub. */
export const DEFAULT_MAX_DAYS_AHEAD = 7;

export interface HealthServerOptions {
  registry: ClinicQueueRegistry;
  logger: Logger;
  verifier: RequestVerifier;
  /** Where ticket facts are published (the ratings subgraph's ledger); no feed when absent. */
  ticketFeed?: { ledgerUrl: string; key: string; intervalMs: number };
  /** Readiness probe of the agency system. */
  health?: () => Promise<Record<string, unknown>>;
  maxDaysAhead?: number;
  now?: () => Date;
}

/** Builds the health subgraph; starts nothing (not even the ticket sync) until `listen`. */
export async function createHealthServer(options: HealthServerOptions) {
  const { logger } = options;
  const sync = options.ticketFeed
    ? new TicketSync(
        clinicTicketSource(options.registry, (b, why) => logger.warn({ booking: b.code, why }, 'booking left out of the ticket feed')),
        new TicketFeedPublisher({ ledgerUrl: options.ticketFeed.ledgerUrl, agencyId: AGENCY_ID, key: options.ticketFeed.key }),
        { intervalMs: options.ticketFeed.intervalMs, onError: (err) => logger.warn({ err: (err as Error).message }, 'ticket sync failed; retrying') },
      )
    : undefined;
  const now = options.now ?? (() => new Date());
  const booking = { today: () => jakartaDate(now()), maxDaysAhead: options.maxDaysAhead ?? DEFAULT_MAX_DAYS_AHEAD };
  const schema = await buildHealthSchema(sync);
  const app = await createSubgraphHttpServer<HealthContext>({
    name: 'health',
    schema,
    logger,
    verifier: options.verifier,
    context: ({ requestId, caller, logger }) => ({ requestId, caller, logger, registry: options.registry, loaders: createLoaders(options.registry), booking }),
    health: options.health,
  });
  return {
    ...app,
    sync,
    async listen(port = 0, host = '127.0.0.1') {
      const running = await app.listen(port, host);
      sync?.start();
      return { ...running, close: async () => { sync?.stop(); await running.close(); } };
    },
    async close() {
      sync?.stop();
      await app.close();
    },
  };
}
