import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql must be loaded once: Vitest may otherwise load its ESM and CJS builds side by side
// ("Cannot use GraphQLSchema from another module or realm").
const require = createRequire(import.meta.url);
const graphql = require.resolve('graphql');

const shared = {
  resolve: { alias: { graphql } },
};
const include = (suffix: string) => [`packages/*/test/**/*${suffix}`, `simulators/*/test/**/*${suffix}`, `subgraphs/*/test/**/*${suffix}`, `gateway/test/**/*${suffix}`, `test/**/*${suffix}`];

// The Redis suites need a Redis server, which a bare machine does not have: they run when
// REDIS_URL names one (CI runs the whole suite a second time against the real servers).
const withRedis = Boolean(process.env.REDIS_URL);
if (!withRedis && !process.env.VITEST_WORKER_ID) console.log('Redis suites (*.redis.test.ts) not run: REDIS_URL is not set.');
// Likewise the NATS JetStream suites (*.nats.test.ts: the event bus) when NATS_URL names a server.
const withNats = Boolean(process.env.NATS_URL);
if (!withNats && !process.env.VITEST_WORKER_ID) console.log('NATS suites (*.nats.test.ts) not run: NATS_URL is not set.');

export default defineConfig({
  test: {
    // Test kinds are told apart by suffix: *.test.ts (unit, no services), *.db.test.ts (PostgreSQL:
    // the embedded server, or DATABASE_URL), *.e2e.test.ts (the whole graph through the gateway),
    // *.redis.test.ts (Redis at REDIS_URL).
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: include('.test.ts'),
          // *.browser.test.ts need Chromium: `npm run test:browser` (vitest.browser.config.ts).
          exclude: ['**/*.db.test.ts', '**/*.e2e.test.ts', '**/*.redis.test.ts', '**/*.nats.test.ts', '**/*.browser.test.ts', '**/node_modules/**'],
          testTimeout: 15_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'db',
          include: [...include('.db.test.ts'), ...include('.e2e.test.ts')],
          globalSetup: ['packages/testing/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      ...(withRedis ? [{ ...shared, test: { name: 'redis', include: include('.redis.test.ts'), testTimeout: 15_000 } }] : []),
      ...(withNats ? [{ ...shared, test: { name: 'nats', include: include('.nats.test.ts'), testTimeout: 15_000 } }] : []),
    ],
  },
});
