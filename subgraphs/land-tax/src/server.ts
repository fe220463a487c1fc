import { createSubgraphHttpServer, ReadRecorder, type AccessLog, type Logger, type RequestVerifier, createTicketSync, withTicketSync } from '@gerbang/common';
import type { TaxRegistry, TaxStatistics } from './adapters/sismiop/registry';
import { pbbCollectionAnswerer } from './modules/insights';
import { createLoaders, type LandTaxContext } from './modules/context';
import { LandTaxService } from './modules/land-tax.service';
import { AGENCY_ID, sismiopTicketSource } from './modules/tickets';
import { buildLandTaxSchema } from './schema';

export { SismiopClient, SISMIOP_MAX_KEYS } from './adapters/sismiop/sismiop-client';
export type { TaxRegistry, TaxStatistics } from './adapters/sismiop/registry';
export { buildLandTaxSchema, AGENCY_ID };

export interface LandTaxServerOptions {
  /** SISMIOP; its aggregates (`TaxStatistics`) answer the analysts' PBB_COLLECTION_RATE. */
  registry: TaxRegistry & TaxStatistics;
  logger: Logger;
  verifier: RequestVerifier;
  /** The append-only access log: staff's reads of taxpayers' names are recorded there. */
  accessLog: AccessLog;
  /** Where ticket facts are published (the ratings subgraph's ledger); no feed when absent. */
  ticketFeed?: { ledgerUrl: string; key: string; intervalMs: number };
  /** The agency system's state, for the status document (never readiness: see common's http.ts). */
  status?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** The clock (surcharges accrued on unpaid bills); tests pin it. */
  now?: () => Date;
}

/** Builds the land-tax subgraph; starts nothing (not even the ticket sync) until `listen`. */
export async function createLandTaxServer(options: LandTaxServerOptions) {
  const { logger } = options;
  const sync = createTicketSync(
    AGENCY_ID,
    sismiopTicketSource(options.registry, (number, reason) => logger.info({ request: number, reason }, 'SISMIOP request not published as a ticket')),
    options.ticketFeed,
    (err) => logger.warn({ err: (err as Error).message }, 'ticket sync failed; retrying'),
  );
  const schema = await buildLandTaxSchema();
  const now = options.now ?? (() => new Date());
  const app = await createSubgraphHttpServer<LandTaxContext>({
    name: 'land-tax',
    schema,
    logger,
    verifier: options.verifier,
    context: ({ requestId, caller, logger }) => ({
      requestId,
      caller,
      logger,
      landTax: new LandTaxService({
        caller,
        logger,
        registry: options.registry,
        loaders: createLoaders(options.registry),
        reads: new ReadRecorder(options.accessLog, { source: 'land-tax', requestId, caller }),
        now,
      }),
      pbbCollectionRate: pbbCollectionAnswerer({ statistics: options.registry, accessLog: options.accessLog, caller, requestId }),
    }),
    // Readiness: the access log's database. A read it cannot record is refused, so without it
    // this subgraph serves no personal data at all (its agency system is status, not readiness).
    ready: { accessLog: () => options.accessLog.ping() },
    ...(options.status ? { status: options.status } : {}),
  });
  return withTicketSync(app, sync);
}
