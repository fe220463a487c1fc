import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '@gerbang/common';
import { compose, startGateway, startSubgraph, type FixtureSubgraph, type TestGateway } from './support/fixtures';
import { ifStarted } from '@gerbang/testing';

/** The gateway as an operator meets it: health, a new supergraph deployed by writing the file, a port in use. */
let shop: FixtureSubgraph;
let extra: FixtureSubgraph;
let dir: string;
let file: string;
let gw: TestGateway;

beforeAll(async () => {
  shop = await startSubgraph('shop', 'type Query { agencyCount: Int! }', { Query: { agencyCount: () => 16 } });
  extra = await startSubgraph('extra', 'type Query { serviceCount: Int! }', { Query: { serviceCount: () => 46 } });
  dir = mkdtempSync(join(tmpdir(), 'gerbang-supergraph-'));
  file = join(dir, 'supergraph.graphql');
  writeFileSync(file, compose([shop]));
  gw = await startGateway({ sdl: '' }, { supergraph: { path: file }, healthCacheMs: 0 });
});
afterAll(async () => {
  await ifStarted(gw)?.close();
  await ifStarted(shop)?.stop();
  await ifStarted(extra)?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('gateway lifecycle', () => {
  it('answers /health with 200 only while every subgraph answers', async () => {
    const healthUrl = gw.url.replace('/graphql', '/health');
    const up = await fetch(healthUrl);
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ status: 'ok', subgraphs: { shop: 'up' } });
    await shop.stop();
    try {
      const down = await fetch(healthUrl);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ subgraphs: { shop: 'down' } });
    } finally {
      await shop.start();
    }
  });

  it('serves a new supergraph once the file changes, without a restart', async () => {
    const before = await gw.gql('{ serviceCount }');
    expect(before.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    writeFileSync(file, compose([shop, extra]));
    let after: Awaited<ReturnType<TestGateway['gql']>> | undefined;
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await gw.gql('{ agencyCount serviceCount }');
      if (!after.body.errors) break;
    }
    expect(after!.body).toEqual({ data: { agencyCount: 16, serviceCount: 46 } });
  });

  it('keeps serving the current graph when the new file does not load', async () => {
    writeFileSync(file, 'this is not a supergraph');
    await new Promise((r) => setTimeout(r, 1_500));
    const still = await gw.gql('{ agencyCount }');
    expect(still.body).toEqual({ data: { agencyCount: 16 } });
  });

  it('says plainly when its port is taken', async () => {
    const blocker = http.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      // The function every Gerbang server listens through (gateway, subgraphs).
      await expect(listen(http.createServer(), port, '127.0.0.1', 'gateway')).rejects.toThrow(`gateway: port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });
});
