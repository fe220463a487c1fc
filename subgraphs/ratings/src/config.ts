import { z } from 'zod';
import { developmentValueProblem, devFeedKey, isProduction, parseFeedKeys, secret } from '@gerbang/common';
import { DEFAULT_FRAUD_POLICY, type FraudPolicy } from './modules/moderation/fraud';
import { DEFAULT_RATING_POLICY, DEFAULT_REGISTER_CHECK_POLICY, type RatingPolicy, type RegisterCheckPolicy } from './modules/ratings/rules';
import { DEFAULT_TPP_POLICY, type TppPolicy } from './modules/tpp/tpp';
import { DEFAULT_GROUP_COMMIT, type GroupCommitConfig } from './modules/ratings/group-commit';
import { DEFAULT_NOTIFICATIONS, notificationsConfigFromEnv, notificationsEnv, type NotificationsConfig } from './modules/notifications/config';

/** Agencies that publish tickets in the demo (docs/DEMO-DATA.md); dev feed keys exist for these only. */
export const DEMO_FEED_AGENCIES = ['dispendukcapil', 'dpmptsp', 'bpkpd', 'dinkesdalduk', 'dinsos', 'bkpsdm'] as const;

export const RATER_PEPPER_DEV = 'dev-rater-pepper-change-me-0123456789';

/** The typed configuration the server factory takes: secrets and every policy of docs/DOMAIN.md. */
export interface RatingsConfig {
  /** Key of the HMACs that pseudonymise citizens, devices and addresses. */
  pepper: string;
  /** Ticket feed key per publishing agency. */
  feedKeys: Map<string, string>;
  /** FEED_KEY_SECRET: derives the feed keys issued to agencies (modules/tickets/feed-keys.ts); unset: none are issued. */
  feedKeySecret?: string | undefined;
  rating: RatingPolicy;
  tpp: TppPolicy;
  fraud: FraudPolicy;
  /** The later check of ratings held while BKPSDM's register could not be asked. */
  registerCheck: RegisterCheckConfig;
  /** rateService's group commit (modules/ratings/group-commit.ts); default DEFAULT_GROUP_COMMIT. */
  groupCommit?: GroupCommitConfig;
  /** Requests to rate completed tickets (modules/notifications); default DEFAULT_NOTIFICATIONS (no channel). */
  notifications?: NotificationsConfig;
}

interface RegisterCheckConfig extends RegisterCheckPolicy {
  /** How often the check runs (0: only when driven, as in tests). */
  intervalMs: number;
  /** Held ratings asked about per request to the register (it answers at most 200 NIKs per call). */
  batchSize: number;
}

const DEFAULT_REGISTER_CHECK: RegisterCheckConfig = { ...DEFAULT_REGISTER_CHECK_POLICY, intervalMs: 30_000, batchSize: 100 };

export const defaultRatingsConfig = (overrides: Partial<RatingsConfig> = {}): RatingsConfig => ({
  pepper: RATER_PEPPER_DEV,
  feedKeys: new Map(DEMO_FEED_AGENCIES.map((a) => [a, devFeedKey(a)])),
  rating: { ...DEFAULT_RATING_POLICY },
  tpp: { ...DEFAULT_TPP_POLICY },
  fraud: { ...DEFAULT_FRAUD_POLICY },
  registerCheck: { ...DEFAULT_REGISTER_CHECK },
  groupCommit: { ...DEFAULT_GROUP_COMMIT },
  notifications: { ...DEFAULT_NOTIFICATIONS, sender: { ...DEFAULT_NOTIFICATIONS.sender } },
  ...overrides,
});

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** TICKET_FEED_KEYS=`agency=key,…`; unset in development → the demo agencies' dev keys. */
function feedKeys(env: NodeJS.ProcessEnv = process.env) {
  const prod = isProduction(env);
  return z
    .string()
    .optional()
    .transform((spec, ctx) => {
      if (!spec) {
        if (prod) {
          ctx.addIssue({ code: 'custom', message: 'is required in production (agency=key,…)' });
          return z.NEVER;
        }
        return new Map(DEMO_FEED_AGENCIES.map((a) => [a, devFeedKey(a)] as [string, string]));
      }
      let keys: Map<string, string>;
      try {
        keys = parseFeedKeys(spec);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
      for (const [agency, key] of keys) {
        if (key.length < 16) ctx.addIssue({ code: 'custom', message: `key of ${agency} must be at least 16 characters` });
        const dev = prod ? developmentValueProblem(key) : undefined;
        if (dev) ctx.addIssue({ code: 'custom', message: `key of ${agency} ${dev}` });
      }
      return keys;
    });
}

/** Environment of the ratings subgraph, on top of every subgraph's (PORT, DATABASE_URL, …). */
export const ratingsEnv = (env: NodeJS.ProcessEnv = process.env) => ({
  RATER_PEPPER: secret(RATER_PEPPER_DEV, env),
  TICKET_FEED_KEYS: feedKeys(env),
  /** Derives the ticket feed keys issued to new agencies (issueTicketFeedKey); unset: none are issued. */
  FEED_KEY_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .superRefine((v, ctx) => {
      const dev = v && isProduction(env) ? developmentValueProblem(v) : undefined;
      if (dev) ctx.addIssue({ code: 'custom', message: dev });
    }),
  RATING_WINDOW_DAYS: int(DEFAULT_RATING_POLICY.windowDays, 1, 366),
  RATING_COMMENT_MAX: int(DEFAULT_RATING_POLICY.commentMax, 1, 10_000),
  TPP_MIN_RATINGS: int(DEFAULT_TPP_POLICY.minRatings, 1, 1000),
  TPP_SCALE: z.enum(['whole', 'productivity']).default(DEFAULT_TPP_POLICY.scale),
  TPP_PRODUCTIVITY_SHARE: int(DEFAULT_TPP_POLICY.productivitySharePercent, 0, 100),
  FRAUD_BURST_COUNT: int(DEFAULT_FRAUD_POLICY.burstCount, 2, 10_000),
  FRAUD_BURST_MINUTES: int(DEFAULT_FRAUD_POLICY.burstWindowMinutes, 1, 24 * 60),
  FRAUD_DEVICE_MAX_OFFICERS: int(DEFAULT_FRAUD_POLICY.deviceMaxOfficers, 1, 10_000),
  FRAUD_IP_MAX_OFFICERS: int(DEFAULT_FRAUD_POLICY.ipMaxOfficers, 1, 10_000),
  FRAUD_SPREAD_HOURS: int(DEFAULT_FRAUD_POLICY.spreadWindowHours, 1, 24 * 31),
  FRAUD_DEVIATION_TENTHS: int(DEFAULT_FRAUD_POLICY.deviationTenths, 1, 40),
  FRAUD_DEVIATION_MIN_OFFICER: int(DEFAULT_FRAUD_POLICY.deviationMinOfficer, 1, 10_000),
  FRAUD_DEVIATION_MIN_UNIT: int(DEFAULT_FRAUD_POLICY.deviationMinUnit, 1, 100_000),
  /** BKPSDM staff register (JSON-RPC 2.0, POST {url}/rpc); unset in development → built-in demo roster. */
  STAFF_DIRECTORY_URL: z.url().optional(),
  STAFF_DIRECTORY_CLIENT_ID: z.string().min(1).default('gerbang-dev'),
  STAFF_DIRECTORY_CLIENT_SECRET: secret('dev-bkpsdm-secret', env),
  STAFF_DIRECTORY_TIMEOUT_MS: int(3000, 100, 60_000),
  /** The register check of held ratings: how often (0 = off), how many per request, how long before a moderator decides. */
  REGISTER_RECHECK_INTERVAL_MS: int(DEFAULT_REGISTER_CHECK.intervalMs, 0, 24 * 3_600_000),
  REGISTER_RECHECK_BATCH: int(DEFAULT_REGISTER_CHECK.batchSize, 1, 200),
  REGISTER_CHECK_MAX_DAYS: int(DEFAULT_REGISTER_CHECK.maxAgeDays, 1, 366),
  /** rateService's group commit: ratings per statement (1 = none), statements of a kind at once, named prepared statements. */
  RATINGS_GROUP_COMMIT_MAX: int(DEFAULT_GROUP_COMMIT.maxBatch, 1, 1000),
  RATINGS_GROUP_COMMIT_IN_FLIGHT: int(DEFAULT_GROUP_COMMIT.maxInFlight, 1, 64),
  DB_NAMED_STATEMENTS: z.enum(['true', 'false']).default('true'),
  ...notificationsEnv(env),
});

export type RatingsEnv = z.infer<z.ZodObject<ReturnType<typeof ratingsEnv>>>;

export function ratingsConfigFromEnv(env: RatingsEnv): RatingsConfig {
  return {
    pepper: env.RATER_PEPPER,
    feedKeys: env.TICKET_FEED_KEYS,
    feedKeySecret: env.FEED_KEY_SECRET,
    rating: { windowDays: env.RATING_WINDOW_DAYS, commentMax: env.RATING_COMMENT_MAX },
    tpp: { minRatings: env.TPP_MIN_RATINGS, scale: env.TPP_SCALE, productivitySharePercent: env.TPP_PRODUCTIVITY_SHARE },
    fraud: {
      burstCount: env.FRAUD_BURST_COUNT,
      burstWindowMinutes: env.FRAUD_BURST_MINUTES,
      deviceMaxOfficers: env.FRAUD_DEVICE_MAX_OFFICERS,
      ipMaxOfficers: env.FRAUD_IP_MAX_OFFICERS,
      spreadWindowHours: env.FRAUD_SPREAD_HOURS,
      deviationTenths: env.FRAUD_DEVIATION_TENTHS,
      deviationMinOfficer: env.FRAUD_DEVIATION_MIN_OFFICER,
      deviationMinUnit: env.FRAUD_DEVIATION_MIN_UNIT,
    },
    registerCheck: { intervalMs: env.REGISTER_RECHECK_INTERVAL_MS, batchSize: env.REGISTER_RECHECK_BATCH, maxAgeDays: env.REGISTER_CHECK_MAX_DAYS },
    groupCommit: { maxBatch: env.RATINGS_GROUP_COMMIT_MAX, maxInFlight: env.RATINGS_GROUP_COMMIT_IN_FLIGHT, namedStatements: env.DB_NAMED_STATEMENTS === 'true' },
    notifications: notificationsConfigFromEnv(env),
  };
}
