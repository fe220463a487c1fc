import type { MikroORM, Options } from '@mikro-orm/postgresql';
import type { Migration } from '@mikro-orm/migrations';

export type MigrationClass = new (...args: ConstructorParameters<typeof Migration>) => Migration;

export interface OrmOptions {
  /** PostgreSQL URL (DATABASE_URL, or the embedded server's). */
  url: string;
  /** The subgraph's own schema: all its tables live there, qualified by name. */
  schema: string;
  entities: Options['entities'];
  migrations: { name: string; class: MigrationClass }[];
  poolMax?: number;
  debug?: boolean;
}

/**
 * MikroORM on the subgraph's own PostgreSQL schema. Table names are qualified with the schema
 * rather than relying on search_path, so that a subgraph's SQL reads the same whoever else
 * shares the database. Migrations are a checked-in list; nothing syncs or drops at boot.
 */
export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  // Loaded on first use: processes without tables (the gateway, most agency subgraphs) never pay for it.
  const [{ MikroORM }, { Migrator }] = await Promise.all([import('@mikro-orm/postgresql'), import('@mikro-orm/migrations')]);
  return MikroORM.init({
    clientUrl: options.url,
    schema: options.schema,
    entities: options.entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
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

/** Applies pending migrations; returns the names applied. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const schema = orm.config.get('schema')!;
  await orm.em.getConnection().execute(`create schema if not exists "${schema}"`);
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}

/**
 * A PostgreSQL array literal for a `?::text[]` parameter. Knex expands JavaScript arrays in raw
 * bindings into comma lists, so arrays are passed as one literal and cast in SQL instead.
 */
export function pgArray(values: readonly (string | number)[]): string {
  return `{${values.map((v) => `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
