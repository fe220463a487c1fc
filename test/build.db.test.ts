import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSubgraph, TEST_INTERNAL_SECRET, testDatabaseUrl } from '@gerbang/testing';
import { buildAll } from '../scripts/build';
import { builtMain } from '../scripts/topology';

/**
 * `npm run build` output runs on its own: copied outside the repository (so no node_modules can be
 * found above it), its entry points start and serve what needs more than plain code: the
 * decorators of type-graphql and MikroORM, migrations, a library loaded with import() (ioredis),
 * files read next to the code (the WSDL, the safelist manifest) and the explorer's files.
 * `npm run check:image` runs the whole system from it as the image would.
 */
const root = resolve(import.meta.dirname, '..');
let work: string;
let databaseUrl: string;
let database: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gerbang-build-'));
  await buildAll({ outdir: join(work, 'dist'), quiet: true });
  mkdirSync(join(work, 'schema'));
  cpSync(join(root, 'schema/supergraph.graphql'), join(work, 'schema/supergraph.graphql'));
  // A database of its own: the compiled subgraphs migrate into their fixed schema names.
  database = `gerbang_build_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${database}`;
  databaseUrl = url.toString();
}, 120_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 300));
  if (database) {
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Starts `node dist/<name>.js` from the build and resolves with the URL it says it listens on. */
async function start(name: string, env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [builtMain(name)], {
    cwd: work,
    env: { PATH: process.env.PATH, NODE_ENV: 'development', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(work, 'data', name), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${name}: no "listening" line within 60 s:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of out.split('\n')) {
        const url = /"url":"([^"]+)"/.exec(line)?.[1];
        if (url && line.includes('listening')) {
          clearTimeout(timer);
          done(url.replace(/\/graphql$/, ''));
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${name} exited (${code}):\n${out}`));
    });
  });
}

describe('the compiled build (npm run build), without node_modules', () => {
  it('has no node_modules to fall back on', () => {
    expect(existsSync(join(work, 'node_modules'))).toBe(false);
    expect(existsSync(join(work, 'dist', builtMain('gateway').replace('dist/', '')))).toBe(true);
  });

  it('runs a subgraph: type-graphql and MikroORM decorators, migrations and seed, signed calls', async () => {
    const [plain, withRedis] = await Promise.all([
      start('directory', { DATABASE_URL: databaseUrl, INTERNAL_SIGNING_SECRET: TEST_INTERNAL_SECRET }),
      // ioredis is loaded with import() when REDIS_URL is set (its nonce store): it must construct.
      start('directory', { DATABASE_URL: databaseUrl, INTERNAL_SIGNING_SECRET: TEST_INTERNAL_SECRET, REDIS_URL: 'redis://127.0.0.1:1' }),
    ]);
    const res = await callSubgraph(plain, '{ agencies(search: "kependudukan", first: 1) { id name } }', { audience: 'directory' });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ agencies: [{ id: 'dispendukcapil', name: expect.stringContaining('Kependudukan') }] });
    // Alive with its Redis nonce store constructed (not ready: nothing listens at that Redis).
    expect((await fetch(`${withRedis}/health/live`)).status).toBe(200);
    expect((await fetch(`${withRedis}/health/ready`)).status).toBe(503);
  });

  it('runs the gateway with its safelist manifest and the explorer files copied into dist/', async () => {
    const url = await start('gateway', { DATABASE_URL: databaseUrl, AUDIT_SCHEMA: `audit_${randomBytes(3).toString('hex')}` });
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
    const page = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const graphiql = await fetch(`${url}/explorer/graphiql.min.js`);
    expect(graphiql.status).toBe(200);
    expect((await graphiql.text()).length).toBeGreaterThan(100_000);
  });

  it('serves the SOAP simulator’s WSDL from dist/assets', async () => {
    const url = await start('sim-permit-soap');
    const wsdl = await fetch(`${url}/ws/permit?wsdl`);
    expect(wsdl.status).toBe(200);
    expect(await wsdl.text()).toContain('wsdl:definitions');
  });
});
