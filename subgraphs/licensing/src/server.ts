import { createSubgraphHttpServer, TicketFeedPublisher, TicketSync, type Logger, type RequestVerifier } from '@gerbang/common';
import { createLoaders, type LicensingContext, type LicensingRegistries } from './modules/context';
import { AGENCY_ID, permitTicketSource } from './modules/tickets';
import { buildLicensingSchema } from './schema';

export { OssClient, OSS_MAX_BATCH } from './adapters/oss/oss-client';
export { PermitSoapClient, PERMIT_MAX_STATUS_BATCH, PERMIT_WSDL_FILE } from './adapters/permit-soap/permit-client';
export type { BusinessRegistry } from './adapters/oss/registry';
export type { PermitRegistry } from './adapters/permit-soap/registry';
export type { LicensingRegistries } from './modules/context';
export { buildLicensingSchema, AGENCY_ID };

export interface LicensingServerOptions {
  registries: LicensingRegistries;
  logger: Logger;
  verifier: RequestVerifier;
  /** Where ticket facts are published (the ratings subgraph's ledger); no feed when absent. */
  ticketFeed?: { ledgerUrl: string; key: string; intervalMs: number };
  /** Readiness probe of the agency systems. */
  health?: () => Promise<Record<string, unknown>>;
}

/** Builds the licensing subgraph; starts nothing (not even the ticket sync) until `listen`. */
export async function createLicensingServer(options: LicensingServerOptions) {
  const sync = options.ticketFeed
    ? new TicketSync(
        permitTicketSource(options.registries.permits),
        new TicketFeedPublisher({ ledgerUrl: options.ticketFeed.ledgerUrl, agencyId: AGENCY_ID, key: options.ticketFeed.key }),
        { intervalMs: options.ticketFeed.intervalMs, onError: (err) => options.logger.warn({ err: (err as Error).message }, 'ticket sync failed; retrying') },
      )
    : undefined;
  const schema = await buildLicensingSchema(sync);
  const app = await createSubgraphHttpServer<LicensingContext>({
    name: 'licensing',
    schema,
    logger: options.logger,
    verifier: options.verifier,
    context: ({ requestId, caller, logger }) => ({ requestId, caller, logger, registries: options.registries, loaders: createLoaders(options.registries) }),
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
