import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import { PostgresAccessLog, type AccessLog } from './access-log';
import { INTERNAL_SECRET_DEV, isProduction, parseConfig, port, secret, secretKeys, shutdownDrainMs, urlPasswordProblem } from './config';
import { createOrm, migrate, type OrmOptions } from './db';
import { RequestVerifier } from './internal-auth';
import { createLogger, type Logger } from './logger';
import type { RunningServer } from './http';

/**
 * A database URL, whose password production refuses when it is a development value. Built per
 * environment, like `secret()`, so that production is judged from the variables being validated.
 */
export const databaseUrl = (env: NodeJS.ProcessEnv = process.env) =>
  z
    .url()
    .optional()
    .superRefine((v, ctx) => {
      const problem = urlPasswordProblem(v, env);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** Every subgraph's environment, judged (production or not) from `env`. */
export const subgraphEnv = (defaultPort: number, env: NodeJS.ProcessEnv = process.env) =>
  z.object({
    PORT: port(defaultPort),
    HOST: z.string().default('127.0.0.1'),
    DATABASE_URL: databaseUrl(env),
    DATA_DIR: z.string().default('.data'),
    // A rotation list: every key is checked, not only the string as a whole.
    INTERNAL_SIGNING_SECRET: secret(INTERNAL_SECRET_DEV, env, { list: true }),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
    /**
     * On SIGTERM/SIGINT, how long requests in flight may take to finish (ms). Checked here; the HTTP
     * server reads it from the process's environment (createSubgraphHttpServer), so subgraphs hosted
     * in one process share the host's.
     */
    SHUTDOWN_DRAIN_MS: shutdownDrainMs(),
    /** Schema of the personal-data access log (subgraphs that keep one; the gateway's is the same table). */
    AUDIT_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a plain lower-case identifier')
      .default('audit'),
  });

type SubgraphEnv = z.infer<ReturnType<typeof subgraphEnv>>;

export const verifierFromSecret = (secrets: string) => new RequestVerifier({ secrets: secretKeys(secrets) });

export interface SubgraphMainOptions<Extra extends z.ZodRawShape> {
  name: string;
  defaultPort: number;
  db?: Pick<OrmOptions, 'schema' | 'entities' | 'migrations'>;
  /**
   * The subgraph serves personal data to people other than its owner and records each such read in
   * the append-only access log (DATABASE_URL, schema AUDIT_SCHEMA) before serving it. The log is
   * then part of its readiness (`accessLog.ping()`), as its database is.
   */
  accessLog?: boolean;
  /**
   * The subgraph's own variables, built for the environment being read (pass `env` on to
   * `secret()`), so that production is judged from that environment, not from this process's.
   */
  env?: (env: NodeJS.ProcessEnv) => Extra;
  /** Runs after migrations on every start; must be idempotent. */
  seed?: (orm: MikroORM, config: Record<string, unknown>, logger: Logger) => Promise<unknown>;
  createServer: (deps: {
    orm: MikroORM | undefined;
    accessLog: AccessLog | undefined;
    logger: Logger;
    verifier: RequestVerifier;
    config: any;
  }) => Promise<{ listen(port: number, host: string): Promise<RunningServer> }>;
}

/** Typed identity: a subgraph's main.ts declares its definition once; it can run alone or hosted. */
export const defineSubgraph = <Extra extends z.ZodRawShape>(options: SubgraphMainOptions<Extra>) => options;

/** True when this module is the process's entry point (`node --import tsx src/main.ts`). */
export const isMain = (moduleUrl: string): boolean => {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === moduleUrl;
  } catch {
    return false;
  }
};

/**
 * A process run alone without DATABASE_URL (a subgraph's or the gateway's main.ts, in
 * development) gets an embedded PostgreSQL server of its own in `dir`. Loaded on demand: a
 * deployment, which always names DATABASE_URL, never loads the embedded server's code.
 */
export async function startOwnDatabase(dir: string, logger: Logger): Promise<{ url: string; close(): Promise<void> }> {
  const { startEmbeddedPostgres } = await import('@gerbang/embedded-postgres');
  const embedded = await startEmbeddedPostgres({ dir, database: 'gerbang', onNote: (m) => logger.info(m) });
  logger.info({ dir, version: embedded.version }, 'DATABASE_URL not set: using an embedded PostgreSQL server');
  return embedded;
}

export interface StartedSubgraph {
  name: string;
  url: string;
  /** SHUTDOWN_DRAIN_MS: how long `close` may wait for requests in flight. */
  drainMs: number;
  /** Drains (not ready at once, no new connections, requests in flight finish), then closes the pools. */
  close(): Promise<void>;
}

/**
 * Starts one subgraph from its definition and an explicit environment: read config, open the
 * database (DATABASE_URL, or an embedded PostgreSQL of its own when unset), migrate, seed, listen.
 * `npm start` hosts all subgraphs in one process this way (one copy of the libraries in memory);
 * a deployment runs each main.ts alone.
 */
/** A subgraph's whole configuration schema for `env`: every subgraph's variables and its own. */
export const subgraphConfigSchema = <Extra extends z.ZodRawShape>(options: SubgraphMainOptions<Extra>, env: NodeJS.ProcessEnv) =>
  subgraphEnv(options.defaultPort, env).extend(options.env?.(env) ?? ({} as Extra));

export async function startSubgraph<Extra extends z.ZodRawShape>(options: SubgraphMainOptions<Extra>, env: NodeJS.ProcessEnv): Promise<StartedSubgraph> {
  // TypeScript cannot resolve zod's output type for the schema extended with a generic Extra: it is
  // subgraphEnv's output (typed here) plus the subgraph's own variables (its createServer reads them).
  const config = parseConfig(subgraphConfigSchema(options, env), env, `${options.name} configuration`) as unknown as SubgraphEnv & Record<string, unknown>;
  const logger = createLogger(options.name, env.LOG_LEVEL);
  let embedded: { close(): Promise<void> } | undefined;
  let orm: MikroORM | undefined;
  let accessLog: PostgresAccessLog | undefined;
  let url = config.DATABASE_URL;
  if (options.db || options.accessLog) {
    if (!url) {
      // A read that must be recorded cannot be served without a log that outlives the process.
      if (options.accessLog && isProduction(env)) throw new Error(`${options.name} configuration: DATABASE_URL (its access log) is required in production`);
      const own = await startOwnDatabase(`${config.DATA_DIR}/postgres-${options.name}`, logger);
      embedded = own;
      url = own.url;
    }
  }
  if (options.db) {
    orm = await createOrm({ url: url!, poolMax: config.DB_POOL_MAX, logger, ...options.db });
    const applied = await migrate(orm);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    if (options.seed) await options.seed(orm, config, logger);
  }
  if (options.accessLog) accessLog = await PostgresAccessLog.open({ url: url!, schema: config.AUDIT_SCHEMA, logger });
  const verifier = verifierFromSecret(config.INTERNAL_SIGNING_SECRET);
  const app = await options.createServer({ orm, accessLog, logger, verifier, config });
  const running = await app.listen(config.PORT, config.HOST);
  logger.info({ url: running.url }, `${options.name} subgraph listening`);
  return {
    name: options.name,
    url: running.url,
    drainMs: config.SHUTDOWN_DRAIN_MS,
    async close() {
      await running.close();
      await accessLog?.close();
      await orm?.close();
      await embedded?.close();
    },
  };
}

/** What every subgraph's main.ts does when run alone: start from process.env, stop on SIGINT/SIGTERM. */
export async function runSubgraphMain<Extra extends z.ZodRawShape>(options: SubgraphMainOptions<Extra>): Promise<void> {
  let started: StartedSubgraph;
  try {
    started = await startSubgraph(options, process.env);
  } catch (err) {
    createLogger(options.name).fatal((err as Error).message);
    process.exit(1);
  }
  const logger = createLogger(options.name);
  process.once('SIGINT', () => void stopSubgraphs([started], 'SIGINT', logger));
  process.once('SIGTERM', () => void stopSubgraphs([started], 'SIGTERM', logger));
}

/**
 * SIGTERM/SIGINT in a process serving subgraphs (runSubgraphMain, scripts/subgraph-host.ts): each
 * drains (not ready at once, no new connections, requests in flight finish within SHUTDOWN_DRAIN_MS)
 * and closes its pools; then exit 0. A close that fails, or hangs 5 s past the deadline, exits 1.
 */
export async function stopSubgraphs(started: StartedSubgraph[], why: string, logger: Logger, code = 0): Promise<never> {
  const drainMs = Math.max(0, ...started.map((s) => s.drainMs));
  logger.info({ why, subgraphs: started.map((s) => s.name), drainMs }, 'shutting down: draining requests in flight');
  setTimeout(() => {
    logger.error('shutdown did not finish in time; exiting');
    process.exit(1);
  }, drainMs + 5_000).unref();
  const results = await Promise.allSettled(started.map((s) => s.close()));
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ subgraph: started[i]!.name, err: (r.reason as Error).message }] : []));
  if (failed.length) logger.error({ failed }, 'shutdown failed');
  process.exit(failed.length ? 1 : code);
}
