import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@gerbang/embedded-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let embedded: EmbeddedPostgres | undefined;

/**
 * One database for the whole run: the PostgreSQL named by DATABASE_URL (CI runs the suite a
 * second time against the real server), else a throwaway embedded PostgreSQL server (real
 * PostgreSQL 17, started in well under a second, removed afterwards). Test files isolate
 * themselves by schema name.
 */
export async function setup(project: TestProject): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    // Test files run in parallel, each with pools of its own, and the stress test holds 64 connections.
    embedded = await startEmbeddedPostgres({ maxConnections: 400 });
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
