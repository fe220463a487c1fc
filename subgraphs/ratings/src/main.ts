import { isProduction, defineSubgraph, isMain, runSubgraphMain, type Logger } from '@gerbang/common';
import { createEventBus, eventBusSettingsFromEnv } from '@gerbang/common/events';
import { ratingsConfigFromEnv, ratingsEnv, type RatingsEnv } from './config';
import { BkpsdmStaffDirectory, DEMO_STAFF, MemoryStaffDirectory, type StaffDirectory } from './modules/tpp/staff-directory';
import { createRatingsServer, migrations, SCHEMA_NAME } from './server';

function staffDirectory(env: RatingsEnv, logger: Logger): StaffDirectory {
  if (env.STAFF_DIRECTORY_URL) {
    return new BkpsdmStaffDirectory({
      url: env.STAFF_DIRECTORY_URL,
      clientId: env.STAFF_DIRECTORY_CLIENT_ID,
      clientSecret: env.STAFF_DIRECTORY_CLIENT_SECRET,
      timeoutMs: env.STAFF_DIRECTORY_TIMEOUT_MS,
    });
  }
  if (isProduction()) throw new Error('ratings configuration: STAFF_DIRECTORY_URL is required in production');
  logger.warn('STAFF_DIRECTORY_URL not set: TPP reports use the built-in demo roster');
  return new MemoryStaffDirectory(DEMO_STAFF);
}

export const subgraph = defineSubgraph({
  name: 'ratings',
  defaultPort: 4003,
  db: { schema: SCHEMA_NAME, migrations },
  env: ratingsEnv,
  createServer: ({ orm, logger, verifier, config }) => {
    // The bootstrap hands every subgraph its parsed environment untyped; it was parsed with ratingsEnv.
    const env = config as RatingsEnv;
    return createRatingsServer({
      orm: orm!,
      logger,
      verifier,
      config: ratingsConfigFromEnv(env),
      staff: staffDirectory(env, logger),
      // Live ticket status: committed ledger changes go out on the event bus (EVENT_BUS, NATS_URL, REDIS_URL, else this database).
      events: createEventBus({ ...eventBusSettingsFromEnv(), databaseUrl: orm!.config.get('clientUrl')!, logger }),
    });
  },
});

if (isMain(import.meta.url)) await runSubgraphMain(subgraph);
