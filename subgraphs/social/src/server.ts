import type { MikroORM } from '@mikro-orm/postgresql';
import { agencyTicketSync, createSubgraphHttpServer, Poller, withBackgroundWork } from '@gerbang/common';
import type { Logger, RequestVerifier, TicketFeedServerOptions } from '@gerbang/common';
import type { DtksDrop } from './adapters/dtks/registry';
import { entities } from './entities';
import { RegisterIngester, type IngestReport } from './ingest/ingester';
import { migrations } from './migrations';
import { createLoaders, type SocialContext } from './modules/context';
import { SocialService } from './modules/social.service';
import { SocialStore } from './modules/store';
import { AGENCY_ID, proposalTicketSource } from './modules/tickets';
import { isUpstreamUnavailable, ProposalExchange, type AckOutcome, type ExportResult } from './proposals/exchange';
import { buildSocialSchema } from './schema';

export { DtksDropFolder } from './adapters/dtks/drop-folder';
export type { DtksDrop } from './adapters/dtks/registry';
export { seedSocial } from './seed/seed';
export { entities, migrations, buildSocialSchema, AGENCY_ID };
export const SCHEMA_NAME = 'social';

export interface SocialServerOptions extends TicketFeedServerOptions {
  orm: MikroORM;
  logger: Logger;
  verifier: RequestVerifier;
  /** Dinsos PPPA's DTSEN drop folder. */
  drop: DtksDrop;
  /** Poll interval of the drop folder (0: only on `exchangeNow`) and the manifest grace period. */
  exchange: { intervalMs: number; graceMs: number };
  /** NIP of the social worker recorded as reviewer when Dinsos answers a proposal. */
  reviewerNip: string;
  /** Key of the access log's NIK hash. */
  accessLogKey: string;
  /** Readiness details of the drop folder (e.g. its breaker state). */
  dropHealth?: () => Record<string, unknown>;
  now?: () => Date;
  /** Observes every statement a GraphQL request runs (tests count round trips with it). */
  onQuery?: (sql: string) => void;
}

export interface ExchangeRun {
  ingest: IngestReport;
  exported: ExportResult[];
  acknowledged: AckOutcome[];
  /** Set when the proposal half could not reach the folder (the ingest report says it too). */
  proposalsError?: string;
}

/** Builds the social subgraph; starts nothing (no polling, no ticket sync) until `listen`. */
export async function createSocialServer(options: SocialServerOptions) {
  const { orm, logger } = options;
  const sync = agencyTicketSync(
    AGENCY_ID,
    proposalTicketSource(() => orm.em.fork()),
    options,
  );
  const ingester = new RegisterIngester({ orm, drop: options.drop, logger, graceMs: options.exchange.graceMs, now: options.now });
  const proposals = new ProposalExchange({ orm, drop: options.drop, logger, reviewerNip: options.reviewerNip, now: options.now });

  /** One exchange with Dinsos: take new register batches, send pending proposals, read answers. */
  const exchange = new Poller<ExchangeRun>(
    async () => {
      const ingest = await ingester.ingestNow();
      const run: ExchangeRun = { ingest, exported: [], acknowledged: [] };
      try {
        run.exported = await proposals.exportPending();
        run.acknowledged = await proposals.readAcks();
      } catch (err) {
        if (!isUpstreamUnavailable(err)) throw err;
        run.proposalsError = (err as Error).message;
      }
      if (run.acknowledged.length) sync?.syncNow().catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'ticket sync after acknowledgements failed'));
      return run;
    },
    { intervalMs: options.exchange.intervalMs, onError: (err) => logger.error({ err }, 'DTSEN exchange failed; retrying') },
  );

  const schema = await buildSocialSchema();
  const app = await createSubgraphHttpServer<SocialContext>({
    name: 'social',
    schema,
    logger,
    verifier: options.verifier,
    context: ({ requestId, caller, logger: log }) => {
      const store = new SocialStore(orm.em.fork(), options.onQuery);
      return { requestId, caller, logger: log, social: new SocialService({ caller, logger: log, store, loaders: createLoaders(store), accessLogKey: options.accessLogKey, sync }) };
    },
    // The subgraph answers from its own tables, so only the database decides readiness; the drop
    // folder's state is reported (a folder that is down delays new batches, nothing else).
    ready: { database: () => orm.em.getConnection().execute('select 1') },
    status: () => {
      const last = ingester.lastReport;
      return {
        dtksDrop: {
          ...(options.dropHealth?.() ?? {}),
          lastRun: last ? { status: last.status, at: last.finishedAt.toISOString(), ...(last.error ? { reason: last.error.reason } : {}) } : null,
        },
      };
    },
  });
  return {
    ...withBackgroundWork(app, {
      start: () => {
        exchange.start();
        sync?.start();
      },
      stop: () => {
        exchange.stop();
        sync?.stop();
      },
    }),
    sync,
    ingester,
    proposals,
    /** Runs one exchange now (shared with a poll in progress). */
    exchangeNow: () => exchange.runNow(),
  };
}
