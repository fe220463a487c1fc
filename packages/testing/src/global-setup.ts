import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@gerbang/common';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let embedded: EmbeddedPostgres | undefined;

/**
 * One database for the whole run: the PostgreSQL named by DATABASE_URL (CI runs the suites a
 * second time against the real server), else one shared in-memory PGlite (a fresh one costs
 * seconds, so never one per file). Test files isolate themselves by schema name.
 */
export async function setup(project: TestProject): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({ maxConnections: 200 });
    url = embedded.url;
  }
  // Extensions are database-wide: create them once here, so parallel test files migrating their
  // own schemas never race on CREATE EXTENSION.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create extension if not exists pg_trgm with schema public');
  } finally {
    await client.end();
  }
  project.provide('databaseUrl', url);
}

export async function teardown(): Promise<void> {
  await embedded?.close();
}
