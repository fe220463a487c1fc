import { accessLogReadiness, agencyTicketSync, createAgencySubgraphServer, ReadRecorder, withTicketSync } from '@gerbang/common';
import type { AccessLog, AgencyServerOptions, TicketFeedServerOptions } from '@gerbang/common';
import type { TaxRegistry, TaxStatistics } from './adapters/sismiop/registry';
import { pbbCollectionAnswerer } from './modules/insights';
import { createLoaders, type LandTaxContext } from './modules/context';
import { LandTaxService } from './modules/land-tax.service';
import { AGENCY_ID, sismiopTicketSource } from './modules/tickets';
import { buildLandTaxSchema } from './schema';

export { SismiopClient, SISMIOP_MAX_KEYS } from './adapters/sismiop/sismiop-client';
export type { TaxRegistry, TaxStatistics } from './adapters/sismiop/registry';
export { buildLandTaxSchema, AGENCY_ID };

export interface LandTaxServerOptions extends AgencyServerOptions, TicketFeedServerOptions {
  /** SISMIOP; its aggregates (`TaxStatistics`) answer the analysts' PBB_COLLECTION_RATE. */
  registry: TaxRegistry & TaxStatistics;
  /** The append-only access log: staff's reads of taxpayers' names are recorded there. */
  accessLog: AccessLog;
  /** The clock (surcharges accrued on unpaid bills); tests pin it. */
  now?: () => Date;
}

/** Builds the land-tax subgraph; starts nothing (not even the ticket sync) until `listen`. */
export async function createLandTaxServer(options: LandTaxServerOptions) {
  const { logger } = options;
  const sync = agencyTicketSync(
    AGENCY_ID,
    sismiopTicketSource(options.registry, (number, reason) => logger.info({ request: number, reason }, 'SISMIOP request not published as a ticket')),
    options,
  );
  const now = options.now ?? (() => new Date());
  const app = await createAgencySubgraphServer<LandTaxContext>(options, {
    name: 'land-tax',
    schema: await buildLandTaxSchema(),
    services: ({ requestId, caller, logger }) => ({
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
    ready: accessLogReadiness(options.accessLog),
  });
  return withTicketSync(app, sync);
}
