import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { testRedisUrl, ifStarted } from '@gerbang/testing';
import { apqRoundTrip } from './support/apq';
import { PLACES_SDL, placesResolvers, startGateway, startSubgraph, type FixtureSubgraph } from './support/fixtures';

describe('automatic persisted queries (APQ) in Redis', () => {
  let places: FixtureSubgraph;
  let redis: Redis;
  beforeAll(async () => {
    places = await startSubgraph('places', PLACES_SDL, placesResolvers());
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await ifStarted(places)?.stop();
    ifStarted(redis)?.disconnect();
  });

  it('shares registered operations between two gateways, with a TTL', async () => {
    const a = await startGateway([places], { redis });
    const b = await startGateway([places], { redis });
    try {
      const hash = await apqRoundTrip(a);
      expect(await redis.get(`gerbang:apq:${hash}`)).toMatch(/agencies/);
      expect(await redis.ttl(`gerbang:apq:${hash}`)).toBeGreaterThan(0);
      const fromB = await b.post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
      expect(fromB.body.data.agencies[0].id).toBe('dispendukcapil');
      await redis.del(`gerbang:apq:${hash}`);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
