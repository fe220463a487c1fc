import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Browser tests (`*.browser.test.ts`) need Chromium, so they are not part of `npm test` (which
// needs nothing but Node): `npm run test:browser`. graphql is loaded once, as in vitest.config.ts.
const graphql = createRequire(import.meta.url).resolve('graphql');

export default defineConfig({
  resolve: { alias: { graphql } },
  test: {
    name: 'browser',
    include: ['gateway/test/**/*.browser.test.ts', 'test/**/*.browser.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The portal's journeys run against the whole graph (test/support/stack.ts), on PostgreSQL.
    globalSetup: ['packages/testing/src/global-setup.ts'],
  },
});
