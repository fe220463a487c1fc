import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '@gerbang/common';
import { callSubgraph, DEMO, TEST_INTERNAL_SECRET, ifStarted } from '@gerbang/testing';
import { Safelist } from '@gerbang/gateway';
import { FIND_AGENCY } from './support/operations';
import { startStack, type Stack } from './support/stack';
import { gatewayOver } from './support/edge';

/**
 * The abuse cases of the gateway's edge against the real stack: each refused with its code and
 * no data, while the contract operations still work for their callers. A citizen reading another
 * citizen's ticket has no path in the stack's schema (tickets come only through `me`), so that case
 * runs in gateway/test/population.test.ts against the real population subgraph with a ticket lookup.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => ifStarted(stack)?.close());

const noData = (body: { data?: unknown; errors?: unknown[] }, code: string) => {
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  expect((body.errors![0] as { extensions: { code: string } }).extensions.code).toBe(code);
};

describe('identity', () => {
  it('refuses an expired token with UNAUTHENTICATED', async () => {
    const token = await stack.idp.issue('warga.siti', { expiresIn: '-10min' });
    const { status, body } = await stack.graphql(FIND_AGENCY, { token, variables: { q: 'capil' } });
    expect(status).toBe(401);
    noData(body, 'UNAUTHENTICATED');
    expect(body.errors![0]!.message).toMatch(/expired/);
  });

  it('refuses a forged token with UNAUTHENTICATED', async () => {
    const token = await stack.token('admin');
    const [h, , s] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'usr-admin', roles: ['admin'], iss: stack.idp.issuer, aud: 'gerbang', exp: 9_999_999_999 })).toString('base64url');
    const { status, body } = await stack.graphql('{ agencies(first: 1) { id } }', { token: `${h}.${payload}.${s}` });
    expect(status).toBe(401);
    noData(body, 'UNAUTHENTICATED');
  });
});

describe('signed subgraph calls', () => {
  const base = () => stack.subgraphUrls.directory!.replace(/\/graphql$/, '');
  it('refuses a direct call without a signature', async () => {
    const { status, body } = await callSubgraph(base(), '{ agencies { id } }', { audience: 'directory', unsigned: true });
    expect(status).toBe(401);
    noData(body, 'UNAUTHENTICATED');
  });
  it('refuses a forged signature', async () => {
    const { status, body } = await callSubgraph(base(), '{ agencies { id } }', { audience: 'directory', secret: 'not-the-gateway-secret-000000', caller: DEMO.admin });
    expect(status).toBe(401);
    noData(body, 'UNAUTHENTICATED');
  });
  it('refuses a replayed request', async () => {
    const body = JSON.stringify({ query: '{ agencies { id } }' });
    const headers = { 'content-type': 'application/json', ...signRequest(TEST_INTERNAL_SECRET, body, DEMO.admin, 'directory') };
    expect((await fetch(stack.subgraphUrls.directory!, { method: 'POST', headers, body })).status).toBe(200);
    const replay = await fetch(stack.subgraphUrls.directory!, { method: 'POST', headers, body });
    expect(replay.status).toBe(401);
    noData((await replay.json()) as never, 'UNAUTHENTICATED');
  });
  it('refuses, at directory, population and staff, a call signed for ratings (the audience), with the reason', async () => {
    const body = JSON.stringify({ query: '{ _service { sdl } }' });
    const headers = { 'content-type': 'application/json', ...signRequest(TEST_INTERNAL_SECRET, body, DEMO.admin, 'ratings') };
    for (const name of ['directory', 'population', 'staff']) {
      const res = await fetch(stack.subgraphUrls[name]!, { method: 'POST', headers, body });
      expect(res.status, name).toBe(401);
      expect(((await res.json()) as { errors: { extensions: unknown }[] }).errors[0]!.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'audience' });
    }
    expect((await fetch(stack.subgraphUrls.ratings!, { method: 'POST', headers, body })).status).toBe(200);
  });
});

describe('text PostgreSQL cannot store, through the gateway', () => {
  // Before: INTERNAL_SERVER_ERROR ("Internal error.") and SQLSTATE 22021 with a stack trace in the ratings log.
  const refused = (body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] }, field: string) => {
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ message: `${field} must not contain the NUL character (U+0000).`, extensions: { code: 'BAD_USER_INPUT', field } });
  };

  it('rateService: comment', async () => {
    const { body: mine } = await stack.graphql<{ me: { tickets: { id: string; canRate: boolean }[] } }>('{ me { tickets(first: 50) { id canRate } } }', { login: 'warga.siti' });
    const ticketId = mine.data!.me.tickets.find((t) => t.canRate)!.id;
    const { status, body } = await stack.graphql('mutation($input: RateServiceInput!) { rateService(input: $input) { id } }', {
      login: 'warga.siti',
      variables: { input: { ticketId, stars: 4, comment: 'Ramah\u0000' } },
    });
    expect(status).toBe(200);
    refused(body, 'comment');
    const { body: after } = await stack.graphql<{ me: { tickets: { id: string; canRate: boolean }[] } }>('{ me { tickets(first: 50) { id canRate } } }', { login: 'warga.siti' });
    expect(after.data!.me.tickets.find((t) => t.id === ticketId)!.canRate).toBe(true);
  });

  it('fileTppAppeal: reason', async () => {
    const { body } = await stack.graphql('mutation { fileTppAppeal(agencyId: "dispendukcapil", month: "2026-11", reason: "Keliru\\u0000") { id } }', { login: 'petugas.dukcapil' });
    refused(body, 'reason');
  });

  it('reviewRatingFlag: note', async () => {
    const { body } = await stack.graphql('mutation($note: String!) { reviewRatingFlag(id: "1", decision: ACCEPT, note: $note) { id } }', { login: 'admin', variables: { note: 'Diperiksa\u0000' } });
    refused(body, 'note');
  });
});

describe('query limits', () => {
  const deep = (levels: number) => {
    let inner = 'id';
    for (let d = levels - 1; d >= 2; d--) inner = `${d % 2 === 0 ? 'services' : 'agency'} { ${inner} }`;
    return `{ agencies(first: 1) { ${inner} } }`;
  };

  it('answers the contract operation FindAgency', async () => {
    const { body } = await stack.graphql(FIND_AGENCY, { variables: { q: 'dukcapil' } });
    expect(body.errors).toBeUndefined();
    expect(body.data.agencies[0].id).toBe('dispendukcapil');
  });

  it('refuses a query 50 levels deep', async () => {
    const { status, body } = await stack.graphql(deep(50), { login: 'analis' });
    expect(status).toBe(400);
    noData(body, 'QUERY_TOO_COMPLEX');
    expect(body.errors![0]!.extensions).toMatchObject({ depth: 50, maxDepth: 15 });
  });

  it('refuses 1,000 aliases', async () => {
    const q = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: agency(id: "dinsos") { id }`).join(' ')} }`;
    const { status, body } = await stack.graphql(q, { login: 'warga.budi' });
    expect(status).toBe(400);
    noData(body, 'QUERY_TOO_COMPLEX');
  });

  it('refuses a 2 MB body', async () => {
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ agencies { id } } #${'x'.repeat(2 * 1024 * 1024)}` }),
    });
    expect(res.status).toBe(413);
    noData((await res.json()) as never, 'QUERY_TOO_COMPLEX');
  });

  it('refuses a batch of 100 operations', async () => {
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: 100 }, () => ({ query: '{ agencies(first: 1) { id } }' }))),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as never;
    noData(body, 'QUERY_TOO_COMPLEX');
    expect((body as { errors: { extensions: unknown }[] }).errors[0]!.extensions).toMatchObject({ batchSize: 100, maxBatchSize: 10 });
  });
});

describe('production mode', () => {
  let prod: Awaited<ReturnType<typeof gatewayOver>>;
  beforeAll(async () => {
    prod = await gatewayOver(stack, {
      persisted: { enforce: true },
      introspection: false,
      rateLimit: { userPerMinute: 3, userBurst: 2, anonymousPerMinute: 3, clientPerMinute: 1_000 },
    });
  });
  afterAll(async () => ifStarted(prod)?.close());

  it('refuses a non-safelisted operation from the mobile client', async () => {
    const { status, body } = await prod.post({ query: '{ agencies { id name address phone } }' }, { 'apollographql-client-name': 'mobile' });
    expect(status).toBe(400);
    noData(body, 'PERSISTED_QUERY_REQUIRED');
  });

  it('lets the mobile client through with a safelisted operation id', async () => {
    const id = Safelist.fromFile().manifest.operations.find((o) => o.name === 'FindAgency')!.id;
    const { body } = await prod.post(
      { variables: { q: 'capil' }, extensions: { persistedQuery: { version: 1, sha256Hash: id } } },
      { 'apollographql-client-name': 'mobile', authorization: `Bearer ${await stack.token('warga.budi')}` },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.agencies[0]).toMatchObject({ id: 'dispendukcapil', rating: { count: expect.any(Number) } });
  });

  it('refuses introspection to everyone but admins', async () => {
    const { body } = await prod.post({ query: '{ __schema { types { name } } }' }, { authorization: `Bearer ${await stack.token('analis')}` });
    noData(body, 'FORBIDDEN');
  });

  it('refuses a burst over the rate limit with 429 and Retry-After', async () => {
    const token = await stack.token('analis');
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof prod.post>> | undefined;
    for (let i = 0; i < 8; i++) {
      last = await prod.post({ query: '{ agencies(first: 1) { id } }' }, { authorization: `Bearer ${token}`, 'apollographql-client-name': 'analysis-notebook' });
      statuses.push(last.status);
    }
    expect(statuses.filter((s) => s === 200).length).toBe(4);
    expect(statuses.at(-1)).toBe(429);
    noData(last!.body, 'RATE_LIMITED');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('personal data', () => {
  it('refuses an analyst requesting NIK with FORBIDDEN and no data', async () => {
    const { status, body } = await stack.graphql('{ me { nik name } }', { login: 'analis' });
    expect(status).toBe(403);
    noData(body, 'FORBIDDEN');
    expect(body.errors![0]!.extensions).toMatchObject({ field: 'Query.me' });
  });

  it('shows a citizen their own NIK and writes the read to the access log', async () => {
    const gw = await gatewayOver(stack, {});
    try {
      const { body } = await gw.post({ query: 'query Profile { me { nik name } }' }, { authorization: `Bearer ${await stack.token('warga.siti')}` });
      expect(body.data.me).toEqual({ nik: DEMO.siti.nik, name: 'Siti Rahayu' });
      expect(gw.accessLog.entries).toEqual([expect.objectContaining({ subject: 'usr-warga-siti', operationName: 'Profile', fields: ['Citizen.nik', 'Citizen.name'], records: 1 })]);
    } finally {
      await gw.close();
    }
  });

  it("records staff's reads of TPP bases and of taxpayers' names in the access log under the client's request id, whatever the log level", async () => {
    // The stack logs at level silent: what the access log holds cannot depend on it.
    const hr = await stack.graphql('{ officer(id: "198703152010011002") { name tppBase } }', { login: 'hr.bkpsdm', headers: { 'x-request-id': 'req-e2e-audit-hr' } });
    expect(hr.body.data.officer).toEqual({ name: 'Agus Prasetyo', tppBase: 1_875_000 });
    const bpkpd = await stack.graphql('{ taxBill(nop: "35.03.110.005.001-0012.0", year: 2026) { taxpayerName } }', { login: 'petugas.bpkpd', headers: { 'x-request-id': 'req-e2e-audit-bpkpd' } });
    expect(bpkpd.body.data.taxBill).toEqual({ taxpayerName: 'SITI RAHAYU' });
    const { entries } = await stack.accessLog.query({ limit: 50 });
    expect(entries.find((e) => e.requestId === 'req-e2e-audit-hr')).toMatchObject({
      source: 'staff',
      subject: 'usr-hr-bkpsdm',
      fields: ['Officer.tppBase'],
      purpose: 'hr',
      recordRefs: ['nip:198703152010011002'],
    });
    expect(entries.find((e) => e.requestId === 'req-e2e-audit-bpkpd')).toMatchObject({
      source: 'land-tax',
      subject: 'usr-petugas-bpkpd',
      fields: ['TaxBill.taxpayerName'],
      purpose: 'officer of bpkpd',
    });
  });

  it("never shows an officer another officer's TPP row", async () => {
    const month = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 7);
    const { body } = await stack.graphql('query($m: String!) { tppReport(agencyId: "dispendukcapil", month: $m) { rows { officer { id } payout } } }', {
      login: 'petugas.dukcapil',
      variables: { m: month },
    });
    const rows: { officer: { id: string } }[] = body.data?.tppReport?.rows ?? [];
    // Refused outright or reduced to the officer's own row: either way, no colleague's figures.
    expect(rows.every((r) => r.officer.id === DEMO.petugasDukcapil.nip)).toBe(true);
  });
});
