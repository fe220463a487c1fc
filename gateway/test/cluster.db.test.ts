import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerCount } from '../src/cluster-count';
import { ifStarted } from '@gerbang/testing';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** One request on a connection of its own, so that the primary hands each to the next worker. */
function post(port: number, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false, headers: { 'content-type': 'application/json', connection: 'close', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => ok({ status: res.statusCode!, body: text }));
    });
    req.once('error', fail);
    req.end(body);
  });
}

describe('cluster mode (GATEWAY_WORKERS=2)', () => {
  let child: ChildProcess;
  let port = 0;
  const listening: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'gerbang-cluster-'));
  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GATEWAY_WORKERS: '2',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '4',
      NODE_ENV: 'development',
    };
    // Rate limits through the primary (no Redis): what this test is about.
    delete env.REDIS_URL;
    child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'gateway', 'src', 'cluster.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((ok, fail) => {
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        for (const line of out.split('\n')) {
          if (!line.includes('"gateway listening"')) continue;
          const url = /"url":"([^"]+)"/.exec(line)?.[1];
          if (url && !listening.includes(line)) listening.push(line);
          if (url) port = Number(new URL(url).port);
        }
        if (listening.length >= 2) ok();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => fail(new Error(`the cluster exited (${code}):\n${out.slice(-2000)}`)));
    });
  }, 120_000);
  afterAll(async () => {
    if (ifStarted(child)?.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('runs two workers behind one port', () => {
    expect(listening).toHaveLength(2);
    const ports = listening.map((l) => new URL(/"url":"([^"]+)"/.exec(l)![1]!).port);
    expect(new Set(ports).size).toBe(1);
  });

  it("keeps one rate limit per caller across workers (the primary's, without Redis)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post(port, JSON.stringify({ query: '{ __typename }' }))).status);
    // An anonymous address may send 4 a minute plus a burst of 2, whichever worker answers:
    // limits per worker would let all 12 through (6 at each).
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
  });

  it('accepts a token issued by one worker at every worker (one development IdP key)', async () => {
    const token = await new Promise<string>((ok, fail) => {
      http
        .get({ host: '127.0.0.1', port, path: '/dev/token?login=analis', agent: false }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c: string) => (text += c));
          res.on('end', () => ok((JSON.parse(text) as { token: string }).token));
        })
        .once('error', fail);
    });
    for (let i = 0; i < 4; i++) {
      const res = await post(port, JSON.stringify({ query: '{ __typename }' }), { authorization: `Bearer ${token}` });
      expect(res.status).toBe(200);
    }
  });
});

describe('GATEWAY_WORKERS', () => {
  it('is one per core by default or with "auto", a number on request, and refuses anything else', () => {
    expect(workerCount(undefined, 4)).toBe(4);
    expect(workerCount('auto', 4)).toBe(4);
    expect(workerCount('2', 4)).toBe(2);
    expect(() => workerCount('0', 4)).toThrow(/GATEWAY_WORKERS/);
    expect(() => workerCount('two', 4)).toThrow(/GATEWAY_WORKERS/);
  });
});
