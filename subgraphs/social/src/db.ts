import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Schema-qualified SQL through the EntityManager's connection (as the directory subgraph does).
 * `queries` counts round trips, so tests can assert batching.
 */
export class Sql {
  queries = 0;
  /** The quoted schema name, e.g. `"social"`. */
  readonly s: string;
  constructor(
    readonly em: EntityManager,
    /** Observes every statement (tests count round trips with it). */
    private readonly onQuery?: (sql: string) => void,
  ) {
    this.s = `"${em.config.get('schema')}"`;
  }

  /** Runs on `tx` when given (inside a transaction), else on the forked manager's own connection. */
  async all<T>(sql: string, params: unknown[] = [], tx?: EntityManager): Promise<T[]> {
    this.queries++;
    this.onQuery?.(sql);
    const em = tx ?? this.em;
    return (await em.getConnection().execute(sql, params, 'all', em.getTransactionContext())) as T[];
  }

  async one<T>(sql: string, params: unknown[] = [], tx?: EntityManager): Promise<T | null> {
    return (await this.all<T>(sql, params, tx))[0] ?? null;
  }

  transactional<T>(fn: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.em.transactional((tx) => fn(tx as EntityManager));
  }
}
