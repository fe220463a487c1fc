import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger, MemoryNonceStore, parseConfig, Sql } from '@gerbang/common';
import { DEMO } from '@gerbang/testing';
import { ratingsConfigFromEnv, ratingsEnv } from '../src/config';
import { deriveFeedKey, FeedKeyStore } from '../src/modules/tickets/feed-keys';
import { codeOf, startRatings, ticket, type Ratings } from './support';

const SECRET = 'feed-key-secret-of-this-test-0123456789';
const ISSUE = `mutation($agencyId: ID!) { issueTicketFeedKey(agencyId: $agencyId) { agencyId key issuedAt } }`;

let r: Ratings;
beforeAll(async () => {
  r = await startRatings({ config: { feedKeySecret: SECRET } });
});
afterAll(async () => {
  if (r as Ratings | undefined) await r.stop();
});

describe('ticket feed keys issued to agencies', () => {
  it('derives the key from FEED_KEY_SECRET and a nonce, stores the nonce and the key hash only, and accepts batches signed with it', async () => {
    const res = await r.call(ISSUE, DEMO.admin, { agencyId: 'dishub' });
    const { key, agencyId, issuedAt } = res.body.data.issueTicketFeedKey;
    expect(agencyId).toBe('dishub');
    expect(new Date(issuedAt).toISOString()).toBe(r.clock.now.toISOString());
    const [row] = await r.sql<{ nonce: string; key_hash: string; issued_by: string }>(`select nonce, key_hash, issued_by from $s.feed_key where agency_id = 'dishub'`);
    expect(row!.issued_by).toBe(DEMO.admin.sub);
    expect(deriveFeedKey(SECRET, 'dishub', row!.nonce)).toBe(key);
    expect(JSON.stringify(row)).not.toContain(key);
    const published = await r.publish('dishub', [ticket('dishub', 'KIR-1', { serviceId: 'dishub.uji-kir', officerId: null })], { key });
    expect(published).toEqual({ status: 200, body: { accepted: 1, applied: 1 } });
  });

  it('refuses citizens and officers (FORBIDDEN), a malformed agency id and one with a configured key (BAD_USER_INPUT)', async () => {
    expect(codeOf((await r.call(ISSUE, DEMO.siti, { agencyId: 'dishub' })).body)).toBe('FORBIDDEN');
    expect(codeOf((await r.call(ISSUE, DEMO.petugasDukcapil, { agencyId: 'dishub' })).body)).toBe('FORBIDDEN');
    expect((await r.call(ISSUE, DEMO.admin, { agencyId: 'Dishub!' })).body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'agencyId' });
    expect((await r.call(ISSUE, DEMO.admin, { agencyId: 'dispendukcapil' })).body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'agencyId' });
  });

  it('ignores a key issued under another FEED_KEY_SECRET, and issues nothing without one', async () => {
    const logger = createLogger('t', 'silent');
    const db = new Sql(r.orm.em.fork());
    const other = new FeedKeyStore({ secret: 'another-feed-key-secret-0123456789ab', nonces: new MemoryNonceStore(), logger });
    const issued = await other.issue(db, DEMO.admin, 'satpolpp', new Date(), new Map());
    const here = new FeedKeyStore({ secret: SECRET, nonces: new MemoryNonceStore(), logger });
    expect(await here.verifierFor(db, 'satpolpp')).toBeUndefined();
    expect((await r.publish('satpolpp', [ticket('satpolpp', 'X-1', { serviceId: 'satpolpp.izin', officerId: null })], { key: issued.key })).status).toBe(401);
    const off = new FeedKeyStore({ secret: undefined, nonces: new MemoryNonceStore(), logger });
    await expect(off.issue(db, DEMO.admin, 'satpolpp', new Date(), new Map())).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'FEED_KEY_SECRET unset' } });
  });

  it('FEED_KEY_SECRET: optional, at least 32 characters, no development value in production', () => {
    const parse = (env: NodeJS.ProcessEnv) => parseConfig(z.object(ratingsEnv(env)), env, 'ratings configuration');
    expect(ratingsConfigFromEnv(parse({})).feedKeySecret).toBeUndefined();
    expect(ratingsConfigFromEnv(parse({ FEED_KEY_SECRET: SECRET })).feedKeySecret).toBe(SECRET);
    expect(() => parse({ FEED_KEY_SECRET: 'short' })).toThrow(/FEED_KEY_SECRET/);
    expect(() => parse({ NODE_ENV: 'production', FEED_KEY_SECRET: 'dev-feed-key-secret-change-me-0123456789' })).toThrow(/FEED_KEY_SECRET/);
  });
});
