import { createSubgraphHttpServer, type AccessLog, type Logger, type RequestVerifier, createTicketSync, withTicketSync } from '@gerbang/common';
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

export interface LicensingServerOptions {
  registries: LicensingRegistries;
  logger: Logger;
  verifier: RequestVerifier;
  /** Where ticket facts are published (the ratings subgraph's ledger); no feed when absent. */
  ticketFeed?: { ledgerUrl: string; key: string; intervalMs: number };
  /** The agency system's state, for the status document (never readiness: see common's http.ts). */
  status?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /**
   * PERMITS_ISSUED for the analysts' insights: OSS's statistics, and the access log its suppressed
   * cells are recorded in. Without both, the field answers an error.
   */
  insights?: { statistics: LicenceStatistics; accessLog: AccessLog };
}

/** Builds the licensing subgraph; starts nothing (not even the ticket sync) until `listen`. */
export async function createLicensingServer(options: LicensingServerOptions) {
  const sync = createTicketSync(AGENCY_ID, permitTicketSource(options.registries.permits), options.ticketFeed, (err) =>
    options.logger.warn({ err: (err as Error).message }, 'ticket sync failed; retrying'),
  );
  const schema = await buildLicensingSchema();
  const app = await createSubgraphHttpServer<LicensingContext>({
    name: 'licensing',
    schema,
    logger: options.logger,
    verifier: options.verifier,
    context: ({ requestId, caller, logger }) => ({
      requestId,
      caller,
      logger,
      licensing: new LicensingService({ caller, logger, registries: options.registries, loaders: createLoaders(options.registries), sync }),
      permitsIssued: permitsIssuedAnswerer({ statistics: options.insights?.statistics, accessLog: options.insights?.accessLog, caller, requestId }),
    }),
    ...(options.status ? { status: options.status } : {}),
  });
  return withTicketSync(app, sync);
}
