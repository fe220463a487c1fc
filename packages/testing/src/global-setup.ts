import type { TestProject } from 'vitest/node';
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
  project.provide('databaseUrl', url);
}

export async function teardown(): Promise<void> {
  await embedded?.close();
}
