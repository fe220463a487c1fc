import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// The live benchmark runs inside Vitest only to start the graph exactly as test/live.e2e.test.ts
// does (test/support/stack.ts reads the run's database from the global setup). Not part of `npm test`.
const require = createRequire(import.meta.url);
export default defineConfig({
  resolve: { alias: { graphql: require.resolve('graphql') } },
  test: {
    include: ['bench/live/measure.bench-run.ts'],
    globalSetup: ['packages/testing/src/global-setup.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 10 * 60_000,
    fileParallelism: false,
    pool: 'forks',
    // GC exposed so memory per connection is measured after a collection.
    execArgv: ['--expose-gc', '--max-old-space-size=4096'],
  },
});
