import { accessLogReadiness, agencyTicketSync, createAgencySubgraphServer, ReadRecorder, withTicketSync } from '@gerbang/common';
import type { AccessLog, AgencyServerOptions, TicketFeedServerOptions } from '@gerbang/common';
import type { PopulationRegistry } from './adapters/siak/registry';
import { createLoaders, type PopulationContext } from './modules/context';
import { PopulationService } from './modules/population.service';
import { AGENCY_ID, siakTicketSource } from './modules/tickets';
import { buildPopulationSchema } from './schema';

export { SiakClient } from './adapters/siak/siak-client';
export type { PopulationRegistry } from './adapters/siak/registry';
export { buildPopulationSchema, AGENCY_ID };

export interface PopulationServerOptions extends AgencyServerOptions, TicketFeedServerOptions {
  registry: PopulationRegistry;
  /** The append-only access log: officers' and administrators' reads of a full NIK are recorded there. */
  accessLog: AccessLog;
  /** Key of the NIK hashes in the access log (never the NIK itself). */
  nikHashKey: string;
}

/** Builds the population subgraph; starts nothing (not even the ticket sync) until `listen`. */
export async function createPopulationServer(options: PopulationServerOptions) {
  const sync = agencyTicketSync(AGENCY_ID, siakTicketSource(options.registry), options);
  const app = await createAgencySubgraphServer<PopulationContext>(options, {
    name: 'population',
    schema: await buildPopulationSchema(),
    services: ({ requestId, caller, logger }) => ({
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
    ready: accessLogReadiness(options.accessLog),
  });
  return withTicketSync(app, sync);
}
