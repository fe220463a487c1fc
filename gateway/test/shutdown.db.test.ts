import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_INTERNAL_SECRET, testDatabaseUrl } from '@gerbang/testing';
import { compose, startSubgraph, PLACES_SDL, placesResolvers, type FixtureSubgraph } from './support/fixtures';

/**
 * The gateway process as an orchestrator stops it (gateway/src/main.ts, SIGTERM): a request in
 * flight to a slow subgraph still gets its 200, new connections are refused (or, in the moment
 * before the listener closes, readiness says 503), and the process exits 0 once it has closed its
 * pools. Port 0; the access log in a schema of its own.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');

function request(port: number, method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; body: string } | 'refused' | 'dropped'> {
  return new Promise((ok, fail) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent: false, headers: { 'content-type': 'application/json', connection: 'close' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => ok({ status: res.statusCode!, body: text }));
    });
    req.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') ok('refused');
      else if (err.code === 'ECONNRESET' || err.message === 'socket hang up') ok('dropped');
      else fail(err);
    });
    req.end(body);
  });
}

describe('gateway process on SIGTERM', () => {
  let places: FixtureSubgraph | undefined;
  let child: ChildProcess | undefined;
  let port = 0;
  let output = '';
  const dir = mkdtempSync(join(tmpdir(), 'gerbang-shutdown-'));
  beforeAll(async () => {
    const slow = await startSubgraph('places', PLACES_SDL, placesResolvers({ delayMs: 1_500 }));
    places = slow;
    writeFileSync(join(dir, 'supergraph.graphql'), compose([slow]));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      DATABASE_URL: testDatabaseUrl(),
      AUDIT_SCHEMA: 'audit_shutdown_test',
      SUPERGRAPH_SOURCE: 'file',
      SUPERGRAPH_PATH: join(dir, 'supergraph.graphql'),
      INTERNAL_SIGNING_SECRET: TEST_INTERNAL_SECRET,
      PORTAL: 'false',
      SUBSCRIPTIONS: 'false',
      RESPONSE_CACHE: 'false',
      SHUTDOWN_DRAIN_MS: '8000',
      LOG_LEVEL: 'info',
    };
    const gateway = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'gateway', 'src', 'main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = gateway;
    await new Promise<void>((ok, fail) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const url = /"url":"(http:[^"]+)\/graphql"[^\n]*"gateway listening"/.exec(output)?.[1];
        if (url && !port) {
          port = Number(new URL(url).port);
          ok();
        }
      };
      gateway.stdout.on('data', onData);
      gateway.stderr.on('data', onData);
      gateway.once('exit', (code) => fail(new Error(`the gateway exited (${code}):\n${output.slice(-2000)}`)));
    });
  }, 120_000);
  afterAll(async () => {
    const gateway = child;
    if (gateway?.exitCode === null && gateway.signalCode === null) {
      const exited = new Promise((r) => gateway.once('exit', r));
      gateway.kill('SIGKILL');
      await exited;
    }
    await places?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('answers the request in flight with 200, takes no new connection, and exits 0', async () => {
    if (!child || !places) throw new Error('the gateway or the subgraph did not start');
    const gateway = child;
    expect(await request(port, 'GET', '/health/ready')).toMatchObject({ status: 200 });
    const inFlight = request(port, 'POST', '/graphql', JSON.stringify({ query: '{ agencies(first: 1) { id } }' }));
    for (let i = 0; i < 200 && places.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(places.calls).toHaveLength(1);

    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => gateway.once('exit', (code, signal) => r({ code, signal })));
    const signalled = performance.now();
    gateway.kill('SIGTERM');
    // The signal reaches the process asynchronously: a probe sent before it is handled is answered
    // 200 by a gateway that has not heard it yet. Its drain line says it has (logged just before the drain starts).
    for (let i = 0; i < 400 && !output.includes('shutting down: draining'); i++) await new Promise((r) => setTimeout(r, 5));
    expect(output).toMatch(/shutting down: draining/);

    // New connections while the answer is still on its way: refused (or closed unanswered in the
    // moment the listener closes); any readiness answer is 503.
    const meanwhile: string[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await request(port, 'GET', '/health/ready');
      meanwhile.push(typeof r === 'string' ? r : String(r.status));
      if (r === 'refused') break;
      await new Promise((res) => setTimeout(res, 5));
    }
    expect(meanwhile.at(-1)).toBe('refused');
    expect(meanwhile.filter((s) => s !== 'refused' && s !== 'dropped' && s !== '503')).toEqual([]);
    expect(performance.now() - signalled).toBeLessThan(1_000);

    const answer = await inFlight;
    expect(answer).toMatchObject({ status: 200 });
    expect(JSON.parse((answer as { body: string }).body)).toEqual({ data: { agencies: [{ id: 'dispendukcapil' }] } });
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/shutting down: draining requests in flight/);
    // Exited once the answer had gone, not at the 8 s deadline.
    expect(performance.now() - signalled).toBeLessThan(6_000);
  }, 30_000);
});
