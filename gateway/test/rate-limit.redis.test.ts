import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { testRedisUrl, ifStarted } from '@gerbang/testing';
import { PLACES_SDL, placesResolvers, startGateway, startSubgraph, type FixtureSubgraph } from './support/fixtures';

let places: FixtureSubgraph;
beforeAll(async () => {
  places = await startSubgraph('places', PLACES_SDL, placesResolvers());
});
afterAll(async () => ifStarted(places)?.stop());

const limits = { userPerMinute: 5, userBurst: 3, anonymousPerMinute: 4, clientPerMinute: 1_000 };

describe('rate limits in Redis', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  });
  afterAll(() => ifStarted(redis)?.disconnect());

  it('shares one bucket between gateway replicas', async () => {
    const keyPrefix = `gerbang:test:${randomBytes(4).toString('hex')}`;
    const a = await startGateway([places], { redis, rateLimit: { ...limits, userBurst: 0, keyPrefix } });
    const b = await startGateway([places], { redis, rateLimit: { ...limits, userBurst: 0, keyPrefix } });
    try {
      const token = await a.idp.issue('warga.siti');
      const tokenB = await b.idp.issue('warga.siti');
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await a.gql('{ agencies { id } }', { token })).status);
      for (let i = 0; i < 3; i++) statuses.push((await b.gql('{ agencies { id } }', { token: tokenB })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      expect(Number(await redis.get(`${keyPrefix}:user:usr-warga-siti`))).toBe(6);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('shares the client budget between replicas, refusing only the caller over its share', async () => {
    const keyPrefix = `gerbang:test:${randomBytes(4).toString('hex')}`;
    const at = Math.floor(Date.now() / 60_000) * 60_000 + 1_000;
    const rateLimit = { ...limits, userPerMinute: 100, userBurst: 0, clientPerMinute: 4, keyPrefix, now: () => at };
    const a = await startGateway([places], { redis, rateLimit });
    const b = await startGateway([places], { redis, rateLimit });
    try {
      const kiosk = { 'apollographql-client-name': 'kiosk' };
      const flood = [];
      for (let i = 0; i < 4; i++) flood.push((await a.gql('{ agencies { id } }', { login: 'analis', headers: kiosk })).status);
      for (let i = 0; i < 2; i++) flood.push((await b.gql('{ agencies { id } }', { login: 'analis', headers: kiosk })).status);
      // The budget of 4 is spent through replica a; past it, the flooder (alone: a share of 4) waits on b too.
      expect(flood).toEqual([200, 200, 200, 200, 429, 429]);
      // Another caller of the same client, on either replica, is within its share (4 ÷ 2).
      expect((await b.gql('{ agencies { id } }', { login: 'warga.budi', headers: kiosk })).status).toBe(200);
      expect((await a.gql('{ agencies { id } }', { login: 'warga.budi', headers: kiosk })).status).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
