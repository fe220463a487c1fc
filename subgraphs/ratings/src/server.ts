import type { MikroORM } from '@mikro-orm/postgresql';
import {
  createSubgraphHttpServer,
  defaultNonceStore,
  ErrorCode,
  feedVerifiers,
  GerbangError,
  MemoryNonceStore,
  Poller,
  TICKET_FEED_PATH,
  type Caller,
  type Logger,
  type RequestVerifier,
} from '@gerbang/common';
import type { RatingsConfig } from './config';
import { DEFAULT_NOTIFICATIONS } from './modules/notifications/config';
import type { RatingsContext } from './context';
import { createLoaders } from './loaders';
import { Sql, withBackgroundWork } from '@gerbang/common';
import { citizenRef, keyedRef } from './lib/refs';
import { migrations } from './migrations';
import { ModerationService } from './modules/moderation/moderation.service';
import { RATING_COLUMNS, RATING_DATES, RatingsService } from './modules/ratings/ratings.service';
import { DEFAULT_GROUP_COMMIT, GroupCommit } from './modules/ratings/group-commit';
import { RegisterCheckJob, registerCheckSealer, type RegisterCheckRun } from './modules/ratings/register-check';
import { SummaryService } from './modules/summaries/summary.service';
import { ticketFeedRoute } from './modules/tickets/feed.route';
import { FeedKeyStore } from './modules/tickets/feed-keys';
import { TICKET_CHANGES_PATH, ticketChangesRoute } from './modules/tickets/live';
import type { EventBus } from '@gerbang/common/events';
import { LedgerService } from './modules/tickets/ledger.service';
import type { Employment } from './modules/ratings/rules';
import type { StaffDirectory } from './modules/tpp/staff-directory';
import { TppService } from './modules/tpp/tpp.service';
import { buildRatingsSchema } from './schema';
import { SmsGatewayChannel, type NotificationChannel } from './modules/notifications/channel';
import { NotificationSender } from './modules/notifications/sender';

export { migrations, buildRatingsSchema };
export { defaultRatingsConfig, ratingsConfigFromEnv, ratingsEnv, type RatingsConfig } from './config';
export type { RegisterCheckRun } from './modules/ratings/register-check';
export { ChannelError, SmsGatewayChannel, type NotificationChannel, type NotificationMessage } from './modules/notifications/channel';
export { DEFAULT_GROUP_COMMIT, type GroupCommitConfig } from './modules/ratings/group-commit';
export { BkpsdmStaffDirectory, MemoryStaffDirectory, DEMO_STAFF, type Person, type StaffDirectory, type StaffMember } from './modules/tpp/staff-directory';
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
  /** Where committed ledger changes are published (live ticket status); none: not published. */
  events?: EventBus;
  /** Where notifications go; default: the SMS/WhatsApp gateway of `config.notifications.channel`, none: the outbox only fills. */
  notificationChannel?: NotificationChannel;
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

/**
 * Where the register says the caller works, asked once per request (a deadlock retry of a rating
 * does not ask again). A register that cannot answer is an answer too (`unavailable`): the rules
 * decide what it means (the rating is held for the register check).
 */
function employmentOf(staff: StaffDirectory, caller: Caller, logger: Logger): () => Promise<Employment> {
  let asked: Promise<Employment> | undefined;
  return () =>
    (asked ??= (async (): Promise<Employment> => {
      if (!caller.nik) return { agencyIds: [] };
      try {
        return { agencyIds: await staff.agenciesOf({ nik: caller.nik, nip: caller.nip ?? null }) };
      } catch (err) {
        if (err instanceof GerbangError && err.code === ErrorCode.UPSTREAM_UNAVAILABLE) {
          logger.warn({ reason: err.extensions.reason }, 'staff register not available for the own-agency check; the rating is held for the register check');
          return { unavailable: typeof err.extensions.reason === 'string' ? err.extensions.reason : 'unavailable' };
        }
        throw err;
      }
    })());
}

/** The per-request context: a forked EntityManager behind one query-counting Sql, services, loaders, one "now". */
export function createRequestContext(
  options: Pick<RatingsServerOptions, 'orm' | 'config' | 'staff'> & { now: () => Date; groupCommit?: GroupCommit; feedKeys?: FeedKeyStore },
  request: { requestId: string; caller: Caller; logger: Logger },
): RatingsContext {
  const { orm, config } = options;
  const { caller } = request;
  const db = new Sql(orm.em.fork());
  const ledger = new LedgerService(db, config.pepper);
  const moderation = new ModerationService(db, config.fraud);
  const ratings = new RatingsService(db, config.rating, moderation, registerCheckSealer(config.pepper), options.groupCommit);
  const summaries = new SummaryService(db);
  const tpp = new TppService(db, options.staff, config.tpp, config.rating, request.logger);
  return {
    ...request,
    now: options.now(),
    config,
    rater: { signedIn: !!caller.sub, citizenRef: caller.nik ? citizenRef(config.pepper, caller.nik) : null, agencyId: caller.agencyId ?? null },
    employment: employmentOf(options.staff, caller, request.logger),
    person: caller.nik ? { nik: caller.nik, nip: caller.nip ?? null } : null,
    client: clientRefs(caller, config.pepper),
    db,
    ledger,
    // Issuing needs no verifier cache: a store of the request's own serves when none is shared.
    feedKeys: options.feedKeys ?? new FeedKeyStore({ secret: config.feedKeySecret, nonces: new MemoryNonceStore(), logger: request.logger }),
    ratings,
    summaries,
    tpp,
    moderation,
    loaders: createLoaders({ ledger, ratings, summaries }),
  };
}

/**
 * Builds the ratings subgraph's HTTP server (GraphQL + the ticket feed); starts nothing until
 * `listen`, which also starts the register check of held ratings (every
 * `config.registerCheck.intervalMs`; 0: only through `registerCheckNow`).
 */
export async function createRatingsServer(options: RatingsServerOptions) {
  const { orm, logger, config } = options;
  const now = options.now ?? (() => new Date());
  const schema = await buildRatingsSchema();
  const job = new RegisterCheckJob({
    db: () => new Sql(orm.em.fork()),
    moderation: (db) => new ModerationService(db, config.fraud),
    staff: options.staff,
    sealer: registerCheckSealer(config.pepper),
    policy: config.registerCheck,
    logger,
  });
  // Feed keys issued to agencies: their verifiers share one nonce store (Redis with REDIS_URL), as /graphql's does.
  const feedKeys = new FeedKeyStore({ secret: config.feedKeySecret, nonces: config.feedKeySecret ? defaultNonceStore() : new MemoryNonceStore(), logger });
  // rateService's statements, grouped across concurrent requests (group-commit.ts).
  const commitDb = new Sql(orm.em.fork());
  const groupCommit = new GroupCommit(commitDb, new ModerationService(commitDb, config.fraud), RATING_COLUMNS, RATING_DATES, config.groupCommit ?? DEFAULT_GROUP_COMMIT);
  // Notifications: the outbox the ledger writes, drained here (modules/notifications/sender.ts).
  const notifications = config.notifications ?? DEFAULT_NOTIFICATIONS;
  const channel = options.notificationChannel ?? (notifications.channel ? new SmsGatewayChannel(notifications.channel) : undefined);
  const sender = channel
    ? new NotificationSender({ db: () => new Sql(orm.em.fork()), channel, pepper: config.pepper, policy: notifications.sender, logger, ratingWindowDays: config.rating.windowDays, now })
    : undefined;
  if (!sender) logger.warn('no notification channel configured (NOTIFY_SMS_URL): requests to rate completed tickets wait in the outbox');
  const senderLoop = new Poller(async () => (sender ? sender.run() : 0), {
    intervalMs: notifications.sender.intervalMs,
    onError: (err) => logger.error({ err }, 'notification sender run failed; retrying'),
    reportAfter: 2,
  });
  let lastCheck: { at: Date; run: RegisterCheckRun } | undefined;
  const registerCheck = new Poller<RegisterCheckRun>(
    async () => {
      const at = now();
      const run = await job.run(at);
      lastCheck = { at, run };
      if (run.accepted || run.rejected || run.handedOver || run.alreadyDecided) logger.info({ ...run }, 'register check: held ratings resolved');
      if (run.error) logger.warn({ reason: run.error, pending: run.pending }, 'register check: staff register still not available; held ratings stay pending');
      return run;
    },
    { intervalMs: config.registerCheck.intervalMs, onError: (err) => logger.error({ err }, 'register check failed; retrying'), reportAfter: 2 },
  );
  const app = await createSubgraphHttpServer<RatingsContext>({
    name: 'ratings',
    schema,
    logger,
    verifier: options.verifier,
    context: (request) => createRequestContext({ ...options, now, groupCommit, feedKeys }, request),
    // Everything it serves comes from its own tables.
    ready: { database: () => orm.em.getConnection().execute('select 1') },
    // The register check's last run, for operators (a register that stays down shows here).
    status: async () => ({
      registerCheck: lastCheck ? { at: lastCheck.at.toISOString(), ...lastCheck.run } : null,
      groupCommit: groupCommit.stats(),
      notifications: sender ? { channel: channel!.name, ...(await sender.stats()) } : { channel: null },
    }),
    routes: {
      [TICKET_FEED_PATH]: ticketFeedRoute({
        orm,
        verifiers: feedVerifiers(config.feedKeys),
        issued: feedKeys,
        pepper: config.pepper,
        logger,
        now,
        notifyWithinDays: config.rating.windowDays,
        ...(options.events ? { events: options.events } : {}),
      }),
      [TICKET_CHANGES_PATH]: ticketChangesRoute({ orm, verifier: options.verifier, pepper: config.pepper, logger }),
    },
  });
  return {
    ...withBackgroundWork(app, {
      start: () => {
        registerCheck.start();
        senderLoop.start();
      },
      stop: () => {
        registerCheck.stop();
        senderLoop.stop();
        sender?.halt();
      },
      release: async () => {
        await options.events?.close();
      },
    }),
    /** Runs the register check once now (shared with a run in progress). */
    registerCheckNow: () => registerCheck.runNow(),
    /** One run of the notification sender (shared with a run in progress); how many it claimed. */
    notifyNow: () => senderLoop.runNow(),
  };
}
