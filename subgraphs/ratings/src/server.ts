import type { MikroORM } from '@mikro-orm/postgresql';
import { createSubgraphHttpServer, feedVerifiers, TICKET_FEED_PATH, type Caller, type Logger, type RequestVerifier } from '@gerbang/common';
import type { RatingsConfig } from './config';
import type { RatingsContext } from './context';
import { entities } from './entities';
import { createLoaders } from './loaders';
import { Sql } from './lib/sql';
import { citizenRef, keyedRef } from './lib/refs';
import { migrations } from './migrations';
import { ModerationService } from './modules/moderation/moderation.service';
import { RatingsService } from './modules/ratings/ratings.service';
import { SummaryService } from './modules/summaries/summary.service';
import { ticketFeedRoute } from './modules/tickets/feed.route';
import { LedgerService } from './modules/tickets/ledger.service';
import type { StaffDirectory } from './modules/tpp/staff-directory';
import { TppService } from './modules/tpp/tpp.service';
import { buildRatingsSchema } from './schema';

export { entities, migrations, buildRatingsSchema };
export { defaultRatingsConfig, ratingsConfigFromEnv, ratingsEnv, type RatingsConfig } from './config';
export { BkpsdmStaffDirectory, MemoryStaffDirectory, DEMO_STAFF, type StaffDirectory, type StaffMember } from './modules/tpp/staff-directory';
export const SCHEMA_NAME = 'ratings';

export interface RatingsServerOptions {
  orm: MikroORM;
  logger: Logger;
  /** Verifies the gateway's envelope on /graphql. */
  verifier: RequestVerifier;
  config: RatingsConfig;
  /** Officers and TPP bases (BKPSDM's register). */
  staff: StaffDirectory;
  /** The clock; tests move it. */
  now?: () => Date;
}

/**
 * Device and address of the rater, as the gateway passes them in its signed envelope on mutations
 * (`Caller.deviceId` / `Caller.ip`); stored only as keyed hashes for the anomaly rules.
 */
function clientRefs(caller: Caller, pepper: string) {
  return {
    deviceRef: caller.deviceId ? keyedRef(pepper, 'device', caller.deviceId) : null,
    ipRef: caller.ip ? keyedRef(pepper, 'ip', caller.ip) : null,
  };
}

/** The per-request context: a forked EntityManager behind one query-counting Sql, services, loaders, one "now". */
export function createRequestContext(
  options: Pick<RatingsServerOptions, 'orm' | 'config' | 'staff'> & { now: () => Date },
  request: { requestId: string; caller: Caller; logger: Logger },
): RatingsContext {
  const { orm, config } = options;
  const { caller } = request;
  const db = new Sql(orm.em.fork() as never);
  const ledger = new LedgerService(db, config.pepper);
  const moderation = new ModerationService(db, config.fraud);
  const ratings = new RatingsService(db, config.rating, moderation);
  const summaries = new SummaryService(db);
  const tpp = new TppService(db, options.staff, config.tpp, config.rating, request.logger);
  return {
    ...request,
    now: options.now(),
    config,
    rater: { signedIn: !!caller.sub, citizenRef: caller.nik ? citizenRef(config.pepper, caller.nik) : null, agencyId: caller.agencyId ?? null },
    client: clientRefs(caller, config.pepper),
    db,
    ledger,
    ratings,
    summaries,
    tpp,
    moderation,
    loaders: createLoaders({ ledger, ratings, summaries }),
  };
}

/** Builds the ratings subgraph's HTTP server (GraphQL + the ticket feed); starts nothing until `listen`. */
export async function createRatingsServer(options: RatingsServerOptions) {
  const { orm, logger, config } = options;
  const now = options.now ?? (() => new Date());
  const schema = await buildRatingsSchema();
  return createSubgraphHttpServer<RatingsContext>({
    name: 'ratings',
    schema,
    logger,
    verifier: options.verifier,
    context: (request) => createRequestContext({ ...options, now }, request),
    // Everything it serves comes from its own tables.
    ready: { database: () => orm.em.getConnection().execute('select 1') },
    routes: {
      [TICKET_FEED_PATH]: ticketFeedRoute({ orm, verifiers: feedVerifiers(config.feedKeys), pepper: config.pepper, logger, now }),
    },
  });
}
