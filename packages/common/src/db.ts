import pg from 'pg';
import type { LogContext, LoggerNamespace } from '@mikro-orm/core';
import type { MikroORM, Options } from '@mikro-orm/postgresql';
import type { Migration } from '@mikro-orm/migrations';
import type { Logger } from './logger';

export type MigrationClass = new (...args: ConstructorParameters<typeof Migration>) => Migration;

export interface OrmOptions {
  /** PostgreSQL URL (DATABASE_URL, or the embedded server's). */
  url: string;
  /** The subgraph's own schema: all its tables live there, qualified by name. */
  schema: string;
  /**
   * Entity schemas, for subgraphs whose reads or writes are one table by key. Omitted where all the
   * SQL is written by hand: MikroORM then serves the connection, transactions and migrations only.
   */
  entities?: Options['entities'];
  migrations: { name: string; class: MigrationClass }[];
  poolMax?: number;
  debug?: boolean;
  /** Where MikroORM's own messages go (deprecations, warnings, debug queries); its console writer otherwise. */
  logger?: Logger;
}

/**
 * MikroORM on the subgraph's own PostgreSQL schema. Table names are qualified with the schema
 * rather than relying on search_path, so that a subgraph's SQL reads the same whoever else
 * shares the database. Migrations are a checked-in list; nothing syncs or drops at boot.
 */
export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  // Loaded on first use: processes without tables (the gateway, most agency subgraphs) never pay for it.
  const [{ MikroORM, DefaultLogger }, { Migrator }] = await Promise.all([import('@mikro-orm/postgresql'), import('@mikro-orm/migrations')]);
  const logger = options.logger;
  const entities = options.entities ?? [];
  // MikroORM writes coloured plain text to the console; through our logger it is one JSON format
  // like every other line. Its own enabling rules (debug namespaces, deprecations) still decide what.
  class OrmLogger extends DefaultLogger {
    override log(namespace: LoggerNamespace | (string & {}), message: string, context?: LogContext) {
      if (!logger || !this.isEnabled(namespace as LoggerNamespace, context)) return;
      const text = message
        .replace(/\u001b\[[0-9;]*m/g, '') // eslint-disable-line no-control-regex -- strips the ANSI colour codes MikroORM's logger adds
        .replace(/\s+/g, ' ')
        .trim();
      const level = context?.level === 'error' ? 'error' : context?.level === 'warning' ? 'warn' : 'debug';
      logger[level]({ orm: namespace }, text);
    }
  }
  return MikroORM.init({
    ...(logger ? { loggerFactory: (o: ConstructorParameters<typeof DefaultLogger>[0]) => new OrmLogger(o) } : {}),
    // knex, under MikroORM, writes its own warnings to the console in plain text ("Connection
    // Error: Error: Connection terminated unexpectedly" when the database goes away): ours too.
    ...(logger
      ? {
          driverOptions: {
            log: {
              warn: (m: unknown) => logger.warn({ from: 'knex' }, String(m)),
              error: (m: unknown) => logger.error({ from: 'knex' }, String(m)),
              deprecate: (m: unknown) => logger.debug({ from: 'knex' }, String(m)),
              debug: (m: unknown) => logger.debug({ from: 'knex' }, String(m)),
            },
          },
        }
      : {}),
    clientUrl: options.url,
    schema: options.schema,
    entities,
    extensions: [Migrator],
    // MikroORM refuses to start with no entities unless told not to check: check only where some are named.
    discovery: { warnWhenNoEntities: entities.length > 0 },
    allowGlobalContext: false,
    debug: options.debug ?? false,
    pool: { min: 0, max: options.poolMax ?? 5 },
    migrations: {
      tableName: 'mikro_orm_migrations',
      migrationsList: options.migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  });
}

/**
 * Applies pending migrations; returns the names applied. Replicas of a subgraph (or several
 * subgraphs) starting at once on one database take turns: without that, both would create the
 * schema, the migrations table and the same extension, and one would fail on the other's rows
 * (`duplicate key value violates unique constraint "pg_extension_name_index"`). The lock is a
 * PostgreSQL advisory lock held by a connection of its own for the whole run, since MikroORM
 * migrates on connections of its pool.
 */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const schema = orm.config.get('schema')!;
  const lock = new pg.Client({ connectionString: orm.config.get('clientUrl') });
  await lock.connect();
  try {
    await lock.query(`select pg_advisory_lock(hashtext('gerbang-subgraph-migrations'))`);
    await orm.em.getConnection().execute(`create schema if not exists "${schema}"`);
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  } finally {
    // Ending the session releases the lock too, even after a failed migration.
    await lock.end();
  }
}

/**
 * A PostgreSQL array literal for a `?::text[]` parameter. Knex expands JavaScript arrays in raw
 * bindings into comma lists, so arrays are passed as one literal and cast in SQL instead.
 */
export function pgArray(values: readonly (string | number)[]): string {
  return `{${values.map((v) => `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
