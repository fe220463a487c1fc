import { agencyTicketSync, createAgencySubgraphServer, withTicketSync } from '@gerbang/common';
import type { AccessLog, AgencyServerOptions, TicketFeedServerOptions } from '@gerbang/common';
import { createLoaders, type LicensingContext, type LicensingRegistries } from './modules/context';
import { LicensingService } from './modules/licensing.service';
import { AGENCY_ID, permitTicketSource } from './modules/tickets';
import { buildLicensingSchema } from './schema';
import { permitsIssuedAnswerer } from './modules/insights';
import type { LicenceStatistics } from './adapters/oss/registry';

export { OssClient, OSS_MAX_BATCH } from './adapters/oss/oss-client';
export { PermitSoapClient, PERMIT_MAX_STATUS_BATCH, PERMIT_WSDL_FILE } from './adapters/permit-soap/permit-client';
export type { BusinessRegistry, LicenceStatistics } from './adapters/oss/registry';
export type { PermitRegistry } from './adapters/permit-soap/registry';
export type { LicensingRegistries } from './modules/context';
export { buildLicensingSchema, AGENCY_ID };

export interface LicensingServerOptions extends AgencyServerOptions, TicketFeedServerOptions {
  registries: LicensingRegistries;
  /**
   * PERMITS_ISSUED for the analysts' insights: OSS's statistics, and the access log its suppressed
   * cells are recorded in. Without both, the field answers an error.
   */
  insights?: { statistics: LicenceStatistics; accessLog: AccessLog };
}

/** Builds the licensing subgraph; starts nothing (not even the ticket sync) until `listen`. */
export async function createLicensingServer(options: LicensingServerOptions) {
  const sync = agencyTicketSync(AGENCY_ID, permitTicketSource(options.registries.permits), options);
  const app = await createAgencySubgraphServer<LicensingContext>(options, {
    name: 'licensing',
    schema: await buildLicensingSchema(),
    services: ({ requestId, caller, logger }) => ({
      licensing: new LicensingService({ caller, logger, registries: options.registries, loaders: createLoaders(options.registries), sync }),
      permitsIssued: permitsIssuedAnswerer({ statistics: options.insights?.statistics, accessLog: options.insights?.accessLog, caller, requestId }),
    }),
  });
  return withTicketSync(app, sync);
}
