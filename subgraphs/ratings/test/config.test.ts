import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { devFeedKey, parseConfig } from '@gerbang/common';
import { ratingsConfigFromEnv, ratingsEnv } from '../src/config';

const parse = (env: NodeJS.ProcessEnv) => parseConfig(z.object(ratingsEnv(env)), env, 'ratings configuration');

describe('ratings configuration', () => {
  it('has the docs/DOMAIN.md policies by default, and dev feed keys for the demo agencies', () => {
    const config = ratingsConfigFromEnv(parse({}));
    expect(config.rating).toEqual({ windowDays: 7, commentMax: 1000 });
    expect(config.tpp).toEqual({ minRatings: 5, scale: 'whole', productivitySharePercent: 60 });
    expect(config.feedKeys.get('dispendukcapil')).toBe(devFeedKey('dispendukcapil'));
    expect(config.feedKeys.size).toBe(6);
    expect(config.registerCheck).toEqual({ intervalMs: 30_000, batchSize: 100, maxAgeDays: 7 });
  });

  it('reads the register check of held ratings from the environment (0 turns the background run off)', () => {
    const config = ratingsConfigFromEnv(parse({ REGISTER_RECHECK_INTERVAL_MS: '0', REGISTER_RECHECK_BATCH: '200', REGISTER_CHECK_MAX_DAYS: '14' }));
    expect(config.registerCheck).toEqual({ intervalMs: 0, batchSize: 200, maxAgeDays: 14 });
    // The register answers at most 200 NIKs per call.
    expect(() => parse({ REGISTER_RECHECK_BATCH: '201' })).toThrow(/REGISTER_RECHECK_BATCH/);
    expect(() => parse({ REGISTER_CHECK_MAX_DAYS: '0' })).toThrow(/REGISTER_CHECK_MAX_DAYS/);
  });

  it('reads every policy from the environment', () => {
    const config = ratingsConfigFromEnv(
      parse({
        RATING_WINDOW_DAYS: '14',
        RATING_COMMENT_MAX: '500',
        TPP_MIN_RATINGS: '3',
        TPP_SCALE: 'productivity',
        TPP_PRODUCTIVITY_SHARE: '60',
        FRAUD_BURST_COUNT: '12',
        TICKET_FEED_KEYS: 'dinsos=a-feed-key-of-dinsos-0001',
      }),
    );
    expect(config.rating).toEqual({ windowDays: 14, commentMax: 500 });
    expect(config.tpp).toEqual({ minRatings: 3, scale: 'productivity', productivitySharePercent: 60 });
    expect(config.fraud.burstCount).toBe(12);
    expect([...config.feedKeys]).toEqual([['dinsos', 'a-feed-key-of-dinsos-0001']]);
  });

  it('refuses development defaults and missing secrets in production', () => {
    const prod = { NODE_ENV: 'production' };
    expect(() => parse(prod)).toThrow(/RATER_PEPPER: is required in production[\s\S]*TICKET_FEED_KEYS: is required in production/);
    expect(() =>
      parse({ ...prod, RATER_PEPPER: 'a-real-pepper-0123456789abcdef', STAFF_DIRECTORY_CLIENT_SECRET: 'a-real-register-secret', TICKET_FEED_KEYS: `dinsos=${devFeedKey('dinsos')}` }),
    ).toThrow(/development default/);
    const ok = parse({ ...prod, RATER_PEPPER: 'a-real-pepper-0123456789abcdef', STAFF_DIRECTORY_CLIENT_SECRET: 'a-real-register-secret', TICKET_FEED_KEYS: 'dinsos=a-feed-key-of-dinsos-0001' });
    expect(ok.TICKET_FEED_KEYS.size).toBe(1);
  });

  it('refuses nonsense policies', () => {
    expect(() => parse({ TPP_SCALE: 'half' })).toThrow(/TPP_SCALE/);
    expect(() => parse({ RATING_WINDOW_DAYS: '0' })).toThrow(/RATING_WINDOW_DAYS/);
    expect(() => parse({ TICKET_FEED_KEYS: 'dinsos' })).toThrow(/TICKET_FEED_KEYS/);
    expect(() => parse({ TICKET_FEED_KEYS: 'dinsos=short' })).toThrow(/at least 16/);
  });
});
