import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '@gerbang/common/logger';
import { developmentValueProblem, urlPasswordProblem } from '@gerbang/common/config';

export type { Logger };

const simLoggers = new Map<string, Logger>();

/**
 * A simulator's logger: the hub's logger (one JSON format, LOG_LEVEL), named like the process in
 * scripts/topology.ts (`sim-siak`). Made on first use, so importing a simulator opens nothing.
 */
export function simLogger(name: string): Logger {
  let logger = simLoggers.get(name);
  if (!logger) simLoggers.set(name, (logger = createLogger(`sim-${name}`)));
  return logger;
}

/**
 * A simulator run with NODE_ENV=production (standing in for an agency system in a shared
 * environment) refuses the credentials this repository publishes: a `dev-…` value or a known
 * development value in any of `secrets`, or as the password of any of `urls`. Logs one fatal line
 * naming each variable and exits 1. Outside production it does nothing: the development defaults
 * are what `npm start` runs on.
 */
export function refuseDevelopmentCredentials(name: string, vars: { secrets?: string[]; urls?: string[] }, env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV !== 'production') return;
  const problems: string[] = [];
  for (const key of vars.secrets ?? []) {
    const value = env[key];
    const problem = value ? developmentValueProblem(value) : undefined;
    if (problem) problems.push(`${key} ${problem}`);
  }
  for (const key of vars.urls ?? []) {
    const problem = urlPasswordProblem(env[key], env);
    if (problem) problems.push(`${key} ${problem}`);
  }
  if (!problems.length) return;
  simLogger(name).fatal(`${name} simulator: ${problems.join('; ')}; set real credentials when NODE_ENV=production`);
  process.exit(1);
}

/**
 * Faults a simulator can be told to inject, at run time through `POST /__sim/faults`
 * or from a test through `sim.faults.set(...)`.
 * - latencyMs / jitterMs: added before every answer (realistic legacy-system latency);
 * - errorRate: share of requests (0..1) answered with a 500;
 * - down: every request is refused by resetting the connection, as a host that is down.
 */
export interface Faults {
  latencyMs: number;
  jitterMs: number;
  errorRate: number;
  down: boolean;
}

export class FaultState {
  private state: Faults;
  constructor(private readonly initial: Partial<Faults> = {}) {
    this.state = { latencyMs: 0, jitterMs: 0, errorRate: 0, down: false, ...initial };
  }
  get(): Faults {
    return { ...this.state };
  }
  set(patch: Partial<Faults>): Faults {
    this.state = { ...this.state, ...patch };
    return this.get();
  }
  reset(): Faults {
    this.state = { latencyMs: 0, jitterMs: 0, errorRate: 0, down: false, ...this.initial };
    return this.get();
  }
}

/** Counts what reached the system, per route, so tests can assert batching (no N+1). */
export class CallStats {
  private counts = new Map<string, number>();
  private items = new Map<string, number>();
  /** The last request ids callers sent (x-request-id), to follow one request across systems. */
  readonly requestIds: string[] = [];
  seenRequestId(id: string | undefined): void {
    if (!id) return;
    this.requestIds.push(id);
    if (this.requestIds.length > 100) this.requestIds.shift();
  }
  record(route: string, itemCount = 1): void {
    this.counts.set(route, (this.counts.get(route) ?? 0) + 1);
    this.items.set(route, (this.items.get(route) ?? 0) + itemCount);
  }
  calls(route?: string): number {
    if (route) return this.counts.get(route) ?? 0;
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }
  snapshot(): { total: number; routes: Record<string, { calls: number; items: number }> } {
    const routes: Record<string, { calls: number; items: number }> = {};
    for (const [route, calls] of this.counts) routes[route] = { calls, items: this.items.get(route) ?? 0 };
    return { total: this.calls(), routes };
  }
  reset(): void {
    this.counts.clear();
    this.items.clear();
    this.requestIds.length = 0;
  }
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => Promise<void> | void;

export interface SimulatorOptions {
  name: string;
  /** Handles every request that is not a `/__sim/*` control request. */
  handler: Handler;
  faults?: Partial<Faults>;
  /** Largest request body accepted (bytes). */
  maxBodyBytes?: number;
  /** Control routes of this simulator's own under `/__sim/` (e.g. `/__sim/messages`), never delayed, failed or counted. */
  control?: Record<string, Handler>;
}

export interface Simulator {
  readonly name: string;
  readonly server: http.Server;
  readonly faults: FaultState;
  readonly stats: CallStats;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  url(): string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * Wraps an agency system's request handler with the control plane every simulator shares:
 * `GET/POST /__sim/faults`, `GET /__sim/stats`, `POST /__sim/stats/reset`, `GET /__sim/health`.
 * Control requests are never delayed, failed or counted.
 */
export function createSimulator(options: SimulatorOptions): Simulator {
  const faults = new FaultState(options.faults);
  const stats = new CallStats();
  const limit = options.maxBodyBytes ?? 1_000_000;
  let baseUrl = '';

  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    try {
      if (path.startsWith('/__sim/')) {
        const body = await readBody(req, limit);
        if (path === '/__sim/faults') {
          if (req.method === 'POST') {
            const patch = body.length ? (JSON.parse(body.toString('utf8')) as Partial<Faults>) : {};
            return sendJson(res, 200, faults.set(sanitize(patch)));
          }
          if (req.method === 'DELETE') return sendJson(res, 200, faults.reset());
          return sendJson(res, 200, faults.get());
        }
        if (path === '/__sim/stats') return sendJson(res, 200, stats.snapshot());
        if (path === '/__sim/stats/reset') {
          stats.reset();
          return sendJson(res, 200, stats.snapshot());
        }
        if (path === '/__sim/health') return sendJson(res, 200, { status: 'ok', name: options.name });
        const own = options.control?.[path];
        if (own) return await own(req, res, body);
        return sendJson(res, 404, { error: 'unknown control route' });
      }
      const f = faults.get();
      if (f.down) {
        req.socket.destroy();
        return;
      }
      const body = await readBody(req, limit);
      stats.seenRequestId(req.headers['x-request-id'] as string | undefined);
      const delay = f.latencyMs + (f.jitterMs ? Math.random() * f.jitterMs : 0);
      if (delay > 0) await sleep(delay);
      if (f.errorRate > 0 && Math.random() < f.errorRate) {
        stats.record('!fault');
        return sendJson(res, 500, { error: 'INTERNAL', message: 'simulated failure' });
      }
      await options.handler(req, res, body);
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      if (!res.headersSent) sendJson(res, status, { error: status === 413 ? 'TOO_LARGE' : 'INTERNAL', message: (err as Error).message });
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 5_000;

  return {
    name: options.name,
    server,
    faults,
    stats,
    url: () => baseUrl,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const addr = server.address() as AddressInfo;
          baseUrl = `http://${host}:${addr.port}`;
          resolve(baseUrl);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

function sanitize(patch: Partial<Faults>): Partial<Faults> {
  const out: Partial<Faults> = {};
  if (typeof patch.latencyMs === 'number' && patch.latencyMs >= 0) out.latencyMs = patch.latencyMs;
  if (typeof patch.jitterMs === 'number' && patch.jitterMs >= 0) out.jitterMs = patch.jitterMs;
  if (typeof patch.errorRate === 'number' && patch.errorRate >= 0 && patch.errorRate <= 1) out.errorRate = patch.errorRate;
  if (typeof patch.down === 'boolean') out.down = patch.down;
  return out;
}

/** Runs a simulator from its `main.ts`: PORT and SIM_LATENCY_MS from the environment, stop on signals. */
export async function runSimulator(sim: Simulator, defaultPort: number): Promise<void> {
  const port = Number(process.env.PORT ?? defaultPort);
  const latency = process.env.SIM_LATENCY_MS;
  if (latency !== undefined) sim.faults.set({ latencyMs: Number(latency) });
  const log = simLogger(sim.name);
  try {
    const url = await sim.listen(port, process.env.HOST ?? '127.0.0.1');
    log.info({ url }, `${sim.name} simulator listening`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      log.fatal({ port }, `${sim.name} simulator: port ${port} is already in use; set PORT to a free port.`);
      process.exit(1);
    }
    throw err;
  }
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
