import { refuseDevelopmentCredentials, runSimulator, simLogger } from '@gerbang/simkit';
import { createOssSimulator } from './server.js';

/** Development key: accepted only outside production, so a deployed simulator never runs on a known secret. */
const DEV_USER_KEY = 'dev-oss-key';
const log = simLogger('oss');

function readUserKey(): string {
  refuseDevelopmentCredentials('oss', { secrets: ['OSS_USER_KEY'] });
  const fromEnv = process.env.OSS_USER_KEY;
  if (fromEnv) return fromEnv;
  if (process.env.NODE_ENV === 'production') {
    log.fatal('oss simulator: OSS_USER_KEY must be set in production.');
    process.exit(1);
  }
  log.warn(`oss simulator: OSS_USER_KEY not set, using the development key "${DEV_USER_KEY}"`);
  return DEV_USER_KEY;
}

await runSimulator(createOssSimulator({ userKey: readUserKey() }), 4102);
