import { COLUMNS, buildSeed, type SeedRows } from './seed';
import { MARKER_TABLE, TABLES, quoteIdent, schemaStatements } from './schema';

/** What `installSismiop` needs of a connection: `pg`'s Client and PoolClient fit. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}
/** A `pg.Pool`: a single client is checked out so that the install runs in one transaction. */
export interface PoolLike extends Queryable {
  readonly totalCount: number;
  connect(): Promise<Queryable & { release(err?: Error | boolean): void }>;
}

export interface InstallOptions {
  /** The moment the data is seeded around: tax years and the demo citizens' recent requests (default: now). */
  now?: Date;
  /** Schema to install into (default `sismiop`). */
  schema?: string;
  /** A role to create (if missing) and give USAGE + SELECT only, for the hub to read through. */
  readOnlyRole?: string;
  /** That role's password (set when the role is created, and again on every install so it matches the configuration); without one it can log in only where auth is trust. */
  readOnlyPassword?: string;
}

export interface ReadOnlyRoleResult {
  name: string;
  /** `skipped`: the database refused roles (e.g. an installing user without CREATEROLE); see `reason`. */
  status: 'created' | 'existing' | 'skipped';
  reason?: string;
}

export interface InstallResult {
  schema: string;
  /** False when the schema was already installed and left untouched. */
  installed: boolean;
  counts: Record<(typeof TABLES)[number], number>;
  readOnlyRole: ReadOnlyRoleResult | null;
}

function isPool(db: Queryable | PoolLike): db is PoolLike {
  return typeof (db as PoolLike).connect === 'function' && typeof (db as PoolLike).totalCount === 'number';
}

export async function withClient<T>(db: Queryable | PoolLike, fn: (c: Queryable) => Promise<T>): Promise<T> {
  if (!isPool(db)) return fn(db);
  const client = await db.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

/** Multi-row INSERTs, chunked below PostgreSQL's 65,535 bind parameters. */
async function insertRows(c: Queryable, schema: string, table: string, columns: readonly string[], rows: unknown[][]): Promise<void> {
  const perChunk = Math.floor(60_000 / columns.length);
  const cols = columns.map((col) => `"${col}"`).join(', ');
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => `(${row.map((v) => (values.push(v), `$${values.length}`)).join(', ')})`);
    await c.query(`INSERT INTO ${quoteIdent(schema)}."${table}" (${cols}) VALUES ${tuples.join(', ')}`, values);
  }
}

async function seed(c: Queryable, schema: string, rows: SeedRows): Promise<void> {
  await insertRows(c, schema, 'REF_KECAMATAN', COLUMNS.kecamatan, rows.kecamatan);
  await insertRows(c, schema, 'REF_KELURAHAN', COLUMNS.kelurahan, rows.kelurahan);
  await insertRows(c, schema, 'TEMPAT_PEMBAYARAN', COLUMNS.tempatPembayaran, rows.tempatPembayaran);
  await insertRows(c, schema, 'REF_JNS_PELAYANAN', COLUMNS.jenisPelayanan, rows.jenisPelayanan);
  await insertRows(c, schema, 'REF_STATUS_PELAYANAN', COLUMNS.statusPelayanan, rows.statusPelayanan);
  await insertRows(c, schema, 'DAT_SUBJEK_PAJAK', COLUMNS.subjek, rows.subjek);
  await insertRows(c, schema, 'DAT_OBJEK_PAJAK', COLUMNS.objek, rows.objek);
  await insertRows(c, schema, 'SPPT', COLUMNS.sppt, rows.sppt);
  await insertRows(c, schema, 'PEMBAYARAN_SPPT', COLUMNS.pembayaran, rows.pembayaran);
  // One row per statement: the UPDATE_SEQ default must be drawn in change-feed order.
  for (const row of rows.permohonan) await insertRows(c, schema, 'PST_PERMOHONAN', COLUMNS.permohonan, [row]);
}

async function counts(c: Queryable, schema: string): Promise<InstallResult['counts']> {
  const s = quoteIdent(schema);
  const sql = TABLES.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${s}."${t}"`).join(' UNION ALL ');
  const out = {} as InstallResult['counts'];
  for (const row of (await c.query(sql)).rows) out[row.t as (typeof TABLES)[number]] = Number(row.n);
  return out;
}

/**
 * Creates the SISMIOP schema with its tables and seed data, in one transaction. Idempotent and safe
 * to race: an advisory lock serialises installers, and an installed schema is left as it is (its
 * data is never reseeded or dropped). With `readOnlyRole`, also ensures that role can read and only
 * read the schema.
 */
export async function installSismiop(db: Queryable | PoolLike, options: InstallOptions = {}): Promise<InstallResult> {
  const schema = options.schema ?? 'sismiop';
  quoteIdent(schema);
  return withClient(db, async (c) => {
    let installed = false;
    await c.query('BEGIN');
    try {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`gerbang.sismiop:${schema}`]);
      const existing = await c.query('SELECT to_regclass($1) IS NOT NULL AS present', [`${quoteIdent(schema)}."${MARKER_TABLE}"`]);
      if (!existing.rows[0]?.present) {
        for (const statement of schemaStatements(schema)) await c.query(statement);
        await seed(c, schema, buildSeed(options.now ?? new Date()));
        installed = true;
      }
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    const readOnlyRole = options.readOnlyRole ? await ensureReadOnlyRole(c, schema, options.readOnlyRole, options.readOnlyPassword) : null;
    return { schema, installed, counts: await counts(c, schema), readOnlyRole };
  });
}

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Errors meaning "this database will not let us manage roles", rather than a bug. */
const ROLE_UNSUPPORTED = new Set(['42501', '0A000']);

/**
 * The hub reads SISMIOP through a role that can only SELECT: USAGE on the schema, SELECT on its
 * tables, and read-only transactions by default as a second fence. A role that is a superuser or
 * the installing user itself is refused, since restricting it would be meaningless or harmful.
 */
export async function ensureReadOnlyRole(c: Queryable, schema: string, role: string, password?: string): Promise<ReadOnlyRoleResult> {
  const r = quoteIdent(role);
  const s = quoteIdent(schema);
  const found = await c.query('SELECT rolsuper, rolname = current_user AS is_me FROM pg_roles WHERE rolname = $1', [role]);
  const row = found.rows[0];
  if (row && (row.rolsuper || row.is_me)) throw new Error(`readOnlyRole "${role}" is a superuser or the installing user; choose a dedicated role`);
  let status: ReadOnlyRoleResult['status'] = row ? 'existing' : 'created';
  try {
    if (!row) {
      try {
        await c.query(`CREATE ROLE ${r} LOGIN${password ? ` PASSWORD ${literal(password)}` : ''}`);
      } catch (err) {
        // Another installer created it between our look-up and CREATE.
        if ((err as { code?: string }).code !== '42710') throw err;
        status = 'existing';
      }
    }
    // An existing role gets the configured password too: the hub logs in with what its configuration says.
    if (row && password) await c.query(`ALTER ROLE ${r} LOGIN PASSWORD ${literal(password)}`);
    await c.query(`GRANT USAGE ON SCHEMA ${s} TO ${r}`);
    await c.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO ${r}`);
    await c.query(`ALTER ROLE ${r} SET default_transaction_read_only = on`);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && ROLE_UNSUPPORTED.has(code)) return { name: role, status: 'skipped', reason: `${code}: ${(err as Error).message}` };
    throw err;
  }
  return { name: role, status };
}

/** Drops the schema and everything in it: for tests and for a developer's deliberate reset, never at boot. */
export async function uninstallSismiop(db: Queryable | PoolLike, options: { schema?: string; dropRole?: string } = {}): Promise<void> {
  const schema = options.schema ?? 'sismiop';
  await withClient(db, async (c) => {
    await c.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    if (options.dropRole) {
      const exists = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [options.dropRole]);
      if (exists.rows.length) {
        // Grants in this database go first; a role that still holds rights elsewhere stays.
        await c.query(`DROP OWNED BY ${quoteIdent(options.dropRole)}`);
        await c.query(`DROP ROLE ${quoteIdent(options.dropRole)}`);
      }
    }
  });
}
