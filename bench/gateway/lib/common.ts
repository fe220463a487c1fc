import http from 'node:http';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, loadDevIdp } from '@gerbang/gateway';
import { CLK_TCK, LOAD_CPU, RssSampler, resetPeak, sample, sampleTree, spawnNode, stopChild, waitForMessage, BENCH_DIR } from './proc';
import type { LoadResult, LoadSpec } from './load';

// Drawn per run: production (NODE_ENV=production, as the benchmark runs Gerbang) refuses any
// signing secret this repository publishes, the former fixed bench secret included.
export const INTERNAL_SECRET = `bench-${randomBytes(24).toString('hex')}`;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The development IdP of the gateway (its ES256 key in DATA_DIR/dev-idp/key.json), serving its
 * JWKS over HTTP as a real issuer would, and signing one token per virtual user: distinct
 * subjects, so that nothing per-user (rate limits, caches keyed by caller) is shared by all.
 */
export async function startIdp(dataDir: string, users: number, roles: string[]) {
  const idp = await loadDevIdp({ dataDir, issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
  const privateJwk = JSON.parse(readFileSync(join(dataDir, 'dev-idp', 'key.json'), 'utf8')) as JWK;
  const key = await importJWK(privateJwk, 'ES256');
  const tokens: string[] = [];
  for (let i = 0; i < users; i++) {
    tokens.push(
      await new SignJWT({ roles, name: `Bench User ${i}` })
        .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid!, typ: 'JWT' })
        .setSubject(`bench-user-${i}`)
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('2h')
        .sign(key),
    );
  }
  const server = http.createServer((_req, res) => {
    const text = JSON.stringify(idp.jwks());
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return { idp, tokens, jwksUrl, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export interface Measured {
  load: LoadResult;
  /** Peak RSS of the server process over the measured window, MiB. */
  peakRssMiB: number;
  /** RSS of the server process started and answered once, before any load, MiB. */
  idleRssMiB: number;
  /** CPU time of each watched process over the measured window, as a share of one core. */
  cpu: Record<string, number>;
  /** The measured window on CLOCK_MONOTONIC, µs (the clock of V8's .cpuprofile timestamps). */
  window: { startUs: number; endUs: number };
  /** CPU used by every other process on the machine during the window, in cores (noise). */
  othersCores: number;
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** Busy CPU time of the whole machine, seconds (all cores). */
function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = line;
  return (user! + nice! + system! + irq! + softirq! + steal!) / CLK_TCK;
}

/**
 * Runs the load generator (its own child, on the load CPU) against `spec.url` and watches the
 * server process `pid` (peak RSS, CPU) and the other processes in `watch` (CPU).
 */
export async function measure(spec: LoadSpec, pid: number, watch: Record<string, number> = {}, options: { tree?: boolean } = {}): Promise<Measured> {
  // A cluster's server is the primary and its workers: CPU and RSS summed over the process tree.
  const readServer = options.tree ? sampleTree : sample;
  const read = (key: string, p: number) => (key === 'server' ? readServer(p) : sample(p));
  const idleRssMiB = (readServer(pid)?.rssKb ?? 0) / 1024;
  const loader = spawnNode(join(BENCH_DIR, 'lib', 'load.ts'), { cpu: LOAD_CPU });
  try {
    await waitForMessage(loader, (m) => m.ready);
    const pids: Record<string, number> = { server: pid, load: loader.pid!, ...watch };
    const sampler = new RssSampler(pid, 200, readServer);
    let before: Record<string, number> = {};
    let t0 = 0;
    let peakReset = false as boolean; // `as boolean`: set in a callback, which TypeScript does not see (it would keep the `false`)
    let startUs = 0;
    let busy0 = 0;
    const measuring = waitForMessage(loader, (m) => m.measuring, (spec.warmupSeconds + 60) * 1000).then(() => {
      peakReset = resetPeak(pid);
      sampler.start();
      t0 = performance.now();
      startUs = monotonicUs();
      busy0 = machineBusySeconds();
      before = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, read(k, p)?.cpuSeconds ?? 0]));
    });
    const done = waitForMessage<{ result: LoadResult }>(loader, (m) => m.result, (spec.warmupSeconds + spec.durationSeconds + 120) * 1000);
    loader.send(spec);
    await measuring;
    const { result } = await done;
    const endUs = monotonicUs();
    const busy = machineBusySeconds() - busy0;
    const wall = (performance.now() - t0) / 1000;
    const sampled = sampler.stop();
    const hwm = peakReset && !options.tree ? (sample(pid)?.hwmKb ?? 0) : 0;
    const cpu = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, ((read(k, p)?.cpuSeconds ?? 0) - (before[k] ?? 0)) / wall]));
    const ours = Object.values(cpu).reduce((a, b) => a + b, 0);
    return { load: result, peakRssMiB: Math.max(sampled, hwm) / 1024, idleRssMiB, cpu, window: { startUs, endUs }, othersCores: Math.max(0, busy / wall - ours) };
  } finally {
    await stopChild(loader);
  }
}

/** POSTs a GraphQL request and returns status and text. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

export async function waitUntil(fn: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await fn()) return;
    } catch {
      // not yet
    }
    if (Date.now() > until) throw new Error(`${what}: not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The machine may be shared with other work (other engineers' tests and benchmarks): before a
 * measurement, wait up to `maxSeconds` until the whole machine is under `thresholdCores` busy
 * (our own servers are idle then). Returns the busy level seen last, in cores.
 */
export async function waitQuiet(maxSeconds: number, thresholdCores: number, log: (line: string) => void): Promise<number> {
  const until = Date.now() + maxSeconds * 1000;
  let warned = false;
  for (;;) {
    const a = machineBusySeconds();
    const t = performance.now();
    await new Promise((r) => setTimeout(r, 1000));
    const busy = (machineBusySeconds() - a) / ((performance.now() - t) / 1000);
    if (busy <= thresholdCores || Date.now() >= until) {
      if (busy > thresholdCores) log(`  the machine is still ${(busy * 100).toFixed(0)}% busy with other work: figures will be pessimistic`);
      return busy;
    }
    if (!warned) log(`  the machine is ${(busy * 100).toFixed(0)}% busy with other work; waiting up to ${maxSeconds} s for it to settle …`);
    warned = true;
  }
}
