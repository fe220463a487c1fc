import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, startSubgraph, PLACES_SDL, placesResolvers, type FixtureSubgraph, type TestGateway } from './support/fixtures';

/**
 * METRICS_TOKEN guards /metrics and /health/status, compared in constant time (common's
 * bearerMatches: SHA-256 of both sides, timingSafeEqual): the right token passes; a wrong one, of
 * the same or another length, or none, is refused with 401 and no figures.
 */
const TOKEN = 'metrics-token-0123456789abcdef';
const WRONG: Record<string, Record<string, string>> = {
  'no header': {},
  'wrong token, same length': { authorization: `Bearer ${TOKEN.slice(0, -1)}X` },
  'a prefix of the token': { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
  'the token and more': { authorization: `Bearer ${TOKEN}0` },
  'a short guess': { authorization: 'Bearer x' },
  'another scheme': { authorization: `Basic ${TOKEN}` },
};

let places: FixtureSubgraph | undefined;
let gw: TestGateway | undefined;
let base: string;
beforeAll(async () => {
  places = await startSubgraph('places', PLACES_SDL, placesResolvers());
  gw = await startGateway([places], { metricsToken: TOKEN });
  base = gw.url.replace('/graphql', '');
});
afterAll(async () => {
  await gw?.close();
  await places?.stop();
});

describe.each(['/metrics', '/health/status'])('%s behind METRICS_TOKEN', (path) => {
  it('answers the right token', async () => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(path === '/metrics' ? /gerbang_gateway_/ : /"ready":true/);
  });

  it.each(Object.keys(WRONG))('refuses %s with 401', async (name) => {
    const res = await fetch(`${base}${path}`, { headers: WRONG[name] });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized' });
  });
});
