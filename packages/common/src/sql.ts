import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Transaction } from '@mikro-orm/core';

/** knex's client, typed `any` by knex: the two methods `prepared` uses to borrow a pooled connection. */
interface KnexPool {
  acquireConnection(): Promise<PgClient>;
  releaseConnection(client: PgClient): Promise<void>;
}

/** The pg client knex hands out (only what `prepared` uses). */
interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface SqlOptions {
  /** Observes every statement (tests count or inspect round trips with it). */
  onQuery?: ((sql: string) => void) | undefined;
}

/**
 * Every subgraph's one door to PostgreSQL: raw SQL on a forked EntityManager's connection, with
 * every round trip counted (the N+1 tests assert on `queries`). Tables are qualified with the
 * subgraph's schema (`t('rating')`), never found through search_path. A transaction is a `Sql`
 * of its own (`transaction(async (tx) => tx.all(...))`), so a statement cannot run outside the
 * transaction it was meant for.
 */
export class Sql {
  private readonly counter: { queries: number };
  /** The subgraph's schema name, unquoted (e.g. `ratings`). */
  readonly schema: string;

  constructor(em: EntityManager, options?: SqlOptions);
  constructor(em: EntityManager, options: SqlOptions, tx: Transaction, counter: { queries: number });
  constructor(
    private readonly em: EntityManager,
    private readonly options: SqlOptions = {},
    private readonly tx?: Transaction,
    counter?: { queries: number },
  ) {
    this.counter = counter ?? { queries: 0 };
    this.schema = em.config.get('schema')!;
  }

  /** Round trips made so far by this request (transactions included). */
  get queries(): number {
    return this.counter.queries;
  }

  /** A schema-qualified table (or sequence) name: `"ratings"."rating"`. */
  t(table: string): string {
    return `"${this.schema}"."${table}"`;
  }

  private counted(sql: string): void {
    this.counter.queries++;
    this.options.onQuery?.(sql);
  }

  /**
   * Runs one statement. MikroORM's pg connection hands timestamps back as text: the columns named
   * in `dates` are turned into Date objects here, once.
   */
  async all<T>(sql: string, params: unknown[] = [], dates: readonly string[] = []): Promise<T[]> {
    this.counted(sql);
    const rows = await this.em.getConnection().execute<Record<string, unknown>[]>(sql, params, 'all', this.tx ?? this.em.getTransactionContext());
    if (dates.length) for (const row of rows) for (const key of dates) row[key] = pgDate(row[key]);
    return rows as T[];
  }

  /**
   * Like `all`, as a named prepared statement on the pooled connection: PostgreSQL parses and
   * plans it once per connection instead of on every call. For hot statements whose planning
   * costs more than their execution. Outside a transaction only (inside one, `all`).
   */
  async prepared<T>(sql: string, params: unknown[] = [], dates: readonly string[] = [], options: { named?: boolean } = {}): Promise<T[]> {
    if (this.tx) return this.all<T>(sql, params, dates);
    this.counted(sql);
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    const knex = this.em.getConnection().getKnex();
    const pool = knex.client as KnexPool;
    const client = await pool.acquireConnection();
    // Prepared statements belong to the session: pg prepares the name once per connection.
    // Unnamed (options.named false): parsed and planned on every call, for poolers that cannot
    // keep a session's prepared statements (PgBouncer before 1.21 in transaction mode).
    const name = options.named === false ? undefined : `g_${createHash('sha1').update(text).digest('base64url').slice(0, 24)}`;
    let rows: Record<string, unknown>[];
    try {
      ({ rows } = await client.query(name ? { name, text, values: params } : { text, values: params }));
    } finally {
      await pool.releaseConnection(client);
    }
    if (dates.length) for (const row of rows) for (const key of dates) row[key] = pgDate(row[key]);
    return rows as T[];
  }

  /** The first row, or undefined when there is none. */
  async one<T>(sql: string, params: unknown[] = [], dates: readonly string[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params, dates))[0];
  }

  /** Runs `fn` in one transaction; nested calls join the outer one. */
  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    if (this.tx) return fn(this);
    return this.em.transactional((em) => fn(new Sql(em, this.options, em.getTransactionContext(), this.counter)));
  }
}

/** A timestamptz as PostgreSQL prints it (`2026-11-28 10:30:01.63+00`) → Date; null stays null. */
export function pgDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const d = typeof value === 'string' ? new Date(value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00')) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new Error(`unreadable timestamp from the database: ${JSON.stringify(value)}`);
  return d;
}
