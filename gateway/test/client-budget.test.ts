import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientBudget, DEFAULT_RATE_LIMITS, Identity, RateLimitRefusal } from '../src';
import { buildManifest, Safelist } from '../src/edge/persisted';
import { PLACES_SDL, placesResolvers, startGateway, startSubgraph, type FixtureSubgraph } from './support/fixtures';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { ifStarted } from '@gerbang/testing';

/**
 * The per-client budget (RATE_LIMIT_CLIENT_PER_MINUTE) is keyed on a name every caller declares
 * for itself (apollographql-client-name). From a security probe: 60 ordinary citizen accounts sent
 * 6,100 `{ __typename }` as "portal" in 4 s, and every portal user then got 429 for a minute. No
 * caller may exhaust a shared budget for everyone else.
 */
const issuer = 'https://idp.gerbang.invalid/flood';
let places: FixtureSubgraph;
let sign: (sub: string) => Promise<string>;
let identity: Identity;
beforeAll(async () => {
  places = await startSubgraph('places', PLACES_SDL, placesResolvers());
  // Accounts of our own: the demo IdP knows eight logins, the probe used sixty.
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  identity = Identity.fromJwks({ keys: [{ ...(await exportJWK(publicKey)), kid: 'flood', alg: 'ES256' }] }, { issuer, audience: 'gerbang' });
  sign = (sub) =>
    new SignJWT({ roles: ['citizen'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'flood' })
      .setSubject(sub)
      .setIssuer(issuer)
      .setAudience('gerbang')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
});
afterAll(() => ifStarted(places)?.stop());

// One minute of the budget's clock for the whole test, so that the flood cannot straddle two.
const minute = () => Math.floor(Date.now() / 60_000) * 60_000 + 1_000;

describe('the client budget, through the gateway', () => {
  it('60 accounts sending 6,100 { __typename } as "portal" are refused themselves; other portal users are not', async () => {
    const at = minute();
    // The production defaults: 120 per user per minute plus a burst of 60, 6,000 per client.
    const gw = await startGateway([places], { identity, rateLimit: { ...DEFAULT_RATE_LIMITS, now: () => at } });
    try {
      const portal = { 'apollographql-client-name': 'portal' };
      const flooders = await Promise.all(Array.from({ length: 60 }, (_, i) => sign(`usr-flood-${i}`)));
      const statuses: number[] = [];
      const scopes = new Set<string>();
      let sent = 0;
      // 60 accounts at once, each sending its share of 6,100 back to back.
      await Promise.all(
        flooders.map(async (token, i) => {
          const mine = Math.floor(6_100 / 60) + (i < 6_100 % 60 ? 1 : 0);
          for (let n = 0; n < mine; n++) {
            sent++;
            const r = await gw.gql('{ __typename }', { token, headers: portal });
            statuses.push(r.status);
            if (r.status === 429) scopes.add(r.body.errors[0].extensions.scope);
          }
        }),
      );
      expect(sent).toBe(6_100);
      // Past the budget the flooders, each over its share (6,000 ÷ 60 = 100), were refused, for
      // the client scope. (A caller within its share is never refused, so the total may pass the
      // budget by what faster callers took before it ran out: at most the budget again.)
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(2 * DEFAULT_RATE_LIMITS.clientPerMinute);
      expect([...scopes]).toEqual(['client']);

      // Every other portal user, in the same minute, is served.
      const others = await Promise.all(Array.from({ length: 30 }, (_, i) => sign(`usr-citizen-${i}`)));
      const theirs = await Promise.all(others.flatMap((token) => [1, 2, 3].map(() => gw.gql('{ agencies { id } }', { token, headers: portal }))));
      expect(theirs.map((r) => r.status)).toEqual(Array(90).fill(200));
      // And the flooders still wait.
      expect((await gw.gql('{ __typename }', { token: flooders[0]!, headers: portal })).status).toBe(429);
    } finally {
      await gw.close();
    }
  }, 120_000);

  it('counts only operations that pass the edge: a refused one spends nothing of the client budget', async () => {
    const at = minute();
    const safelist = new Safelist(buildManifest(['query Agencies { agencies { id } }']));
    const gw = await startGateway([places], {
      identity,
      persisted: { enforce: true, safelist },
      rateLimit: { userPerMinute: 100, userBurst: 0, anonymousPerMinute: 100, clientPerMinute: 5, now: () => at },
    });
    try {
      const portal = { 'apollographql-client-name': 'portal' };
      for (let i = 0; i < 10; i++) {
        const refused = await gw.gql('{ __typename }', { token: await sign(`usr-probe-${i}`), headers: portal });
        expect(refused.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_REQUIRED');
      }
      const ok = await gw.gql('query Agencies { agencies { id } }', { token: await sign('usr-citizen-x'), headers: portal });
      expect(ok.status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});

describe('ClientBudget', () => {
  const budget = (perMinute: number, now = () => 1_000) =>
    new ClientBudget(perMinute, (name) => new RateLimiterMemory({ keyPrefix: `${name}-${Math.random()}`, points: Number.MAX_SAFE_INTEGER, duration: 90 }), now);
  const outcome = (p: Promise<void>) =>
    p.then(
      () => 'ok' as const,
      (e: unknown) => (e instanceof RateLimitRefusal ? ('refused' as const) : Promise.reject(e)),
    );

  it('refuses nobody within the budget', async () => {
    const b = budget(100);
    const results = [];
    for (let i = 0; i < 100; i++) results.push(await outcome(b.spend('portal', 'u:heavy', 1)));
    expect(results.every((r) => r === 'ok')).toBe(true);
  });

  it('past the budget, refuses only the callers above budget ÷ callers', async () => {
    const b = budget(100);
    // 4 heavy callers spend 30 each (120 > 100): past it, each is over 100 ÷ 4 = 25.
    const heavy: string[] = [];
    for (let n = 0; n < 30; n++) for (const who of ['a', 'b', 'c', 'd']) heavy.push(await outcome(b.spend('portal', `u:${who}`, 1)));
    expect(heavy.filter((r) => r === 'refused').length).toBe(20);
    // 16 light callers arrive (20 callers: a share of 5): each is served its share.
    for (let i = 0; i < 16; i++) for (let n = 0; n < 5; n++) expect(await outcome(b.spend('portal', `u:light-${i}`, 1))).toBe('ok');
    // Past its share, a light caller waits too.
    expect(await outcome(b.spend('portal', 'u:light-0', 1))).toBe('refused');
  });

  it('keeps client names and minutes apart; a refusal says when the minute ends', async () => {
    let now = 60_000 * 100 + 45_000;
    const b = budget(2, () => now);
    await b.spend('portal', 'u:a', 2);
    const refusal = await b.spend('portal', 'u:a', 1).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RateLimitRefusal);
    expect((refusal as RateLimitRefusal).extensions).toMatchObject({ scope: 'client', retryAfter: 15 });
    expect(await outcome(b.spend('mobile', 'u:a', 1))).toBe('ok');
    now += 15_000;
    expect(await outcome(b.spend('portal', 'u:a', 1))).toBe('ok');
  });
});
