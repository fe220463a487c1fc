import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '@gerbang/common';
import { ratingsConfigFromEnv, ratingsEnv } from '../src/config';

const parse = (env: NodeJS.ProcessEnv) => parseConfig(z.object(ratingsEnv(env)), env, 'ratings configuration');
const prod = { NODE_ENV: 'production', RATER_PEPPER: 'a-real-pepper-0123456789abcdef', STAFF_DIRECTORY_CLIENT_SECRET: 'a-real-register-secret', TICKET_FEED_KEYS: 'dinsos=a-feed-key-of-dinsos-0001' };

describe('notifications configuration', () => {
  it('has no channel until NOTIFY_SMS_URL names one; outside production the development key', () => {
    expect(ratingsConfigFromEnv(parse({})).notifications?.channel).toBeUndefined();
    expect(ratingsConfigFromEnv(parse({ NOTIFY_SMS_URL: 'http://127.0.0.1:4108' })).notifications?.channel).toEqual({ url: 'http://127.0.0.1:4108', apiKey: 'dev-sms-gateway-key', timeoutMs: 5000 });
    const sender = ratingsConfigFromEnv(parse({ NOTIFY_MAX_ATTEMPTS: '3', NOTIFY_SMS_TIMEOUT_MS: '1000' })).notifications!.sender;
    expect(sender).toMatchObject({ maxAttempts: 3, leaseMs: 7_000, intervalMs: 2_000 });
  });

  it('in production: no key needed without a channel; a channel needs a real key', () => {
    expect(ratingsConfigFromEnv(parse(prod)).notifications?.channel).toBeUndefined();
    expect(() => ratingsConfigFromEnv(parse({ ...prod, NOTIFY_SMS_URL: 'https://sms.trenggalekkab.invalid' }))).toThrow(/NOTIFY_SMS_API_KEY: is required with NOTIFY_SMS_URL/);
    expect(() => parse({ ...prod, NOTIFY_SMS_URL: 'https://sms.trenggalekkab.invalid', NOTIFY_SMS_API_KEY: 'dev-sms-gateway-key' })).toThrow(/NOTIFY_SMS_API_KEY/);
    const ok = ratingsConfigFromEnv(parse({ ...prod, NOTIFY_SMS_URL: 'https://sms.trenggalekkab.invalid', NOTIFY_SMS_API_KEY: 'a-real-sms-gateway-key-0001' }));
    expect(ok.notifications?.channel?.apiKey).toBe('a-real-sms-gateway-key-0001');
  });
});
