/** Why the embedded PostgreSQL could not start, in words a new user can act on. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export const NO_BINARY_HINT = 'Set DATABASE_URL to a PostgreSQL server (14 or newer) instead, e.g. DATABASE_URL=postgresql://user:password@127.0.0.1:5432/gerbang.';
