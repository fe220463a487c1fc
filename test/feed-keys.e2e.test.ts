import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest, TICKET_FEED_AUDIENCE, TICKET_FEED_PATH } from '@gerbang/common';
import { EXIT, main } from '../packages/cli/src/main';
import { startStack, type Stack } from './support/stack';

/**
 * Feed keys for new agencies (issue 12): an administrator issues one with `gerbang agency
 * feed-key <agency>` (the ratings subgraph's issueTicketFeedKey through the gateway), and the
 * ledger accepts the agency's batches signed with it, with no TICKET_FEED_KEYS entry.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ feedKeySecret: 'feed-key-secret-for-the-e2e-test-0123456789' });
}, 240_000);
afterAll(async () => {
  if (stack as Stack | undefined) await stack.close();
});

const gatewayBase = () => stack.gatewayUrl.replace(/\/graphql$/, '');
async function cli(args: string[], login?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--registry', gatewayBase()], { out: (t) => out.push(t), err: (t) => err.push(t), env: login ? { GERBANG_TOKEN: await stack.token(login) } : {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const EVENT = {
  ticketId: 'dishub:KIR-2026-0001',
  citizenNik: '3503115708900001',
  serviceId: 'dishub.uji-kir',
  officerId: null,
  status: 'SUBMITTED',
  submittedAt: '2026-12-01T09:00:00+07:00',
  completedAt: null,
  version: 1,
};
async function publish(agencyId: string, key: string) {
  const body = JSON.stringify({ agencyId, events: [{ ...EVENT, ticketId: `${agencyId}:KIR-2026-0001`, serviceId: `${agencyId}.uji-kir` }] });
  const headers = { 'content-type': 'application/json', ...signRequest(key, body, { roles: [], sub: `feed:${agencyId}`, agencyId }, TICKET_FEED_AUDIENCE) };
  const res = await fetch(`${stack.subgraphUrls.ratings!.replace(/\/graphql$/, '')}${TICKET_FEED_PATH}`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('ticket feed keys issued to new agencies', () => {
  it('an admin issues one with the CLI; the ledger accepts the agency signing with it, and only with it', async () => {
    expect((await publish('dishub', 'a-key-nobody-issued-0123456789')).status).toBe(401);

    const issued = await cli(['agency', 'feed-key', 'dishub', '--json'], 'admin');
    expect(issued.code).toBe(EXIT.OK);
    const { agencyId, key } = JSON.parse(issued.out) as { agencyId: string; key: string };
    expect(agencyId).toBe('dishub');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(await publish('dishub', key)).toEqual({ status: 200, body: { accepted: 1, applied: 1 } });
    // The key is dishub's: another new agency signing with it is refused, as is a forged key.
    expect((await publish('satpolpp', key)).status).toBe(401);
    expect((await publish('dishub', `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).body).toMatchObject({ error: 'bad signature', reason: 'forged' });

    // A second key: both work (rotation).
    const second = JSON.parse((await cli(['agency', 'feed-key', 'dishub', '--json'], 'admin')).out) as { key: string };
    expect(second.key).not.toBe(key);
    expect((await publish('dishub', second.key)).status).toBe(200);
    expect((await publish('dishub', key)).status).toBe(200);
  });

  it('refuses anyone but an administrator, and a bad agency id, with exit codes', async () => {
    const officer = await cli(['agency', 'feed-key', 'dishub'], 'petugas.dukcapil');
    expect(officer.code).toBe(EXIT.AUTH);
    expect(officer.err).toContain('FORBIDDEN');
    expect((await cli(['agency', 'feed-key', 'dishub'])).code).toBe(EXIT.AUTH);
    const bad = await cli(['agency', 'feed-key', 'Dishub!'], 'admin');
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.err).toContain('BAD_USER_INPUT');
    expect((await cli(['agency', 'feed-key'], 'admin')).code).toBe(EXIT.USAGE);
    // An agency with a configured key (TICKET_FEED_KEYS) keeps it.
    const configured = await cli(['agency', 'feed-key', 'dispendukcapil'], 'admin');
    expect(configured.code).toBe(EXIT.USAGE);
    expect(configured.err).toContain('TICKET_FEED_KEYS');
  });
});
