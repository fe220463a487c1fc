/**
 * Cluster mode: one gateway worker per core behind one port (node:cluster).
 *
 *   GATEWAY_WORKERS=auto npx tsx gateway/src/cluster.ts     one worker per core (os.availableParallelism())
 *   GATEWAY_WORKERS=2    npx tsx gateway/src/cluster.ts     two workers
 *
 * The primary only forks and supervises; each worker is gateway/src/main.ts, unchanged, and its
 * `listen` goes through the primary's shared socket (connections handed out round-robin).
 *
 * What the workers share, and how:
 * - Rate limits: in Redis when REDIS_URL is set (as for several gateway replicas); without Redis,
 *   in the primary's memory (rate-limiter-flexible's RateLimiterCluster: each worker asks the
 *   primary over IPC), so a caller's budget is the configured one whichever worker serves them,
 *   not one per worker.
 * - APQ (persisted-query hashes registered by clients): in Redis when configured; without it each
 *   worker keeps its own, so a hash registered on one worker can miss on another: the client then
 *   gets PERSISTED_QUERY_NOT_FOUND and re-sends the query with its hash (the APQ protocol), i.e.
 *   one extra round trip, never a wrong answer. Safelisted operations are in every worker.
 * - Replay nonces of the signed subgraph calls: drawn at random per call (128 bits) in every
 *   worker and checked by the subgraphs (in Redis when configured), so workers never collide.
 * - Metrics: per worker (each answers /metrics for itself); the supergraph file is watched by each.
 *
 * A worker that dies is replaced (at most 10 times a minute, then the primary exits 1). SIGTERM
 * or SIGINT to the primary stops the workers (each drains as main.ts does) and then exits.
 */
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { RateLimiterClusterMaster } from 'rate-limiter-flexible';
import { createLogger, startOwnDatabase } from '@gerbang/common';
import { readGatewayConfig, type GatewayConfig } from './config';
import { loadDevIdp } from './dev-idp';
import { workerCount } from './cluster-count';
import { CLUSTER_ENV } from './edge/rate-limit';

if (cluster.isPrimary) {
  const logger = createLogger('gateway-cluster');
  let count: number;
  try {
    count = workerCount(process.env.GATEWAY_WORKERS);
  } catch (err) {
    logger.fatal((err as Error).message);
    process.exit(1);
  }
  let config: GatewayConfig;
  try {
    config = readGatewayConfig();
  } catch (err) {
    logger.fatal((err as Error).message);
    process.exit(1);
  }
  // Without Redis, the workers' rate limiters live here (answered over IPC).
  if (!config.REDIS_URL) new RateLimiterClusterMaster();
  // What the workers must not each make for themselves: the development IdP's key (created once,
  // here, so that a token of one worker is valid at every other) and, without DATABASE_URL
  // (development), the access log's embedded PostgreSQL server (one per data folder).
  const workerEnv: Record<string, string> = { [CLUSTER_ENV]: '1' };
  if (config.devIdp) await loadDevIdp({ dataDir: config.DATA_DIR, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  let embedded: { url: string; close(): Promise<void> } | undefined;
  if (!config.DATABASE_URL) {
    try {
      embedded = await startOwnDatabase(`${config.DATA_DIR}/postgres-gateway`, logger);
    } catch (err) {
      logger.fatal({ err: (err as Error).message }, 'the gateway cluster could not start: an embedded PostgreSQL for the access log');
      process.exit(1);
    }
    workerEnv.DATABASE_URL = embedded.url;
  }
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./main.ts', import.meta.url)) });
  let stopping = false;
  const restarts: number[] = [];
  const fork = (): Worker => cluster.fork(workerEnv);
  for (let i = 0; i < count; i++) fork();
  logger.info({ workers: count }, 'gateway cluster started');
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) void done(0);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length && restarts[0]! < now - 60_000) restarts.shift();
    if (restarts.length > 10) {
      logger.fatal({ code, signal }, 'gateway workers keep dying; stopping');
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      void done(1);
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'gateway worker died; starting another');
    fork();
  });
  const done = async (code: number) => {
    await embedded?.close().catch(() => undefined);
    process.exit(code);
  };
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) void done(0);
    for (const w of workers) w?.process.kill('SIGTERM');
    // Each worker drains for up to SHUTDOWN_DRAIN_MS and gives itself 5 s more to close (main.ts).
    setTimeout(() => void done(0), config.SHUTDOWN_DRAIN_MS + 10_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
