import { z } from 'zod';
import { isProduction, secretProblems } from '@gerbang/common';
import { DEFAULT_SENDER_POLICY, type SenderPolicy } from './sender';

/** Notifications (the outbox's sender and its channel); `channel` absent: the outbox fills, nothing is sent. */
export interface NotificationsConfig {
  channel?: { url: string; apiKey: string; timeoutMs: number };
  sender: SenderPolicy;
}

export const DEFAULT_NOTIFICATIONS: NotificationsConfig = { sender: { ...DEFAULT_SENDER_POLICY } };

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** NOTIFY_* variables of the ratings subgraph (README § Configuration). */
export const notificationsEnv = (env: NodeJS.ProcessEnv = process.env) => ({
  NOTIFY_SMS_URL: z.url().optional(),
  // A secret, but only needed with NOTIFY_SMS_URL: production refuses a development key, and a URL without a key (below).
  NOTIFY_SMS_API_KEY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return isProduction(env) ? undefined : 'dev-sms-gateway-key';
      for (const message of isProduction(env) ? secretProblems(v) : []) ctx.addIssue({ code: 'custom', message });
      return v;
    }),
  NOTIFY_SMS_TIMEOUT_MS: int(5_000, 100, 120_000),
  NOTIFY_INTERVAL_MS: int(DEFAULT_SENDER_POLICY.intervalMs, 0, 3_600_000),
  NOTIFY_MAX_ATTEMPTS: int(DEFAULT_SENDER_POLICY.maxAttempts, 1, 100),
  NOTIFY_BACKOFF_MS: int(DEFAULT_SENDER_POLICY.backoffMs, 1, 3_600_000),
  NOTIFY_BACKOFF_MAX_MS: int(DEFAULT_SENDER_POLICY.backoffMaxMs, 1, 24 * 3_600_000),
  NOTIFY_LINK: z.url().default(DEFAULT_SENDER_POLICY.link),
});

type NotificationsEnv = z.infer<z.ZodObject<ReturnType<typeof notificationsEnv>>>;

export function notificationsConfigFromEnv(env: NotificationsEnv): NotificationsConfig {
  if (env.NOTIFY_SMS_URL && !env.NOTIFY_SMS_API_KEY) throw new Error('Invalid ratings configuration:\n  - NOTIFY_SMS_API_KEY: is required with NOTIFY_SMS_URL in production');
  return {
    ...(env.NOTIFY_SMS_URL && env.NOTIFY_SMS_API_KEY ? { channel: { url: env.NOTIFY_SMS_URL, apiKey: env.NOTIFY_SMS_API_KEY, timeoutMs: env.NOTIFY_SMS_TIMEOUT_MS } } : {}),
    sender: {
      ...DEFAULT_SENDER_POLICY,
      intervalMs: env.NOTIFY_INTERVAL_MS,
      maxAttempts: env.NOTIFY_MAX_ATTEMPTS,
      backoffMs: env.NOTIFY_BACKOFF_MS,
      backoffMaxMs: env.NOTIFY_BACKOFF_MAX_MS,
      // A claim outlives the longest send, so a live sender never loses its row to another.
      leaseMs: env.NOTIFY_SMS_TIMEOUT_MS * 2 + 5_000,
      link: env.NOTIFY_LINK,
    },
  };
}
