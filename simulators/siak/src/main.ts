/**
 * Runs the SIAK simulator on its own port: `PORT` (default 4101), `SIAK_API_KEY`, `SIM_LATENCY_MS`.
 */
import { refuseDevelopmentCredentials, runSimulator, simLogger } from '@gerbang/simkit';
import { createSiakSimulator } from './server.js';

const DEV_API_KEY = 'dev-siak-key';
/** A web service across the regency's network answers in roughly this time; override with SIM_LATENCY_MS. */
const REALISTIC_LATENCY = { latencyMs: 80, jitterMs: 40 };
const log = simLogger('siak');

function readApiKey(): string {
  refuseDevelopmentCredentials('siak', { secrets: ['SIAK_API_KEY'] });
  const key = process.env.SIAK_API_KEY;
  if (key) return key;
  // A known key is only tolerable on a developer's machine; production must be given its own.
  if (process.env.NODE_ENV === 'production') {
    log.fatal('siak simulator: SIAK_API_KEY is required when NODE_ENV=production');
    process.exit(1);
  }
  log.warn(`SIAK_API_KEY not set; using the development key "${DEV_API_KEY}"`);
  return DEV_API_KEY;
}

await runSimulator(createSiakSimulator({ apiKey: readApiKey(), faults: REALISTIC_LATENCY }), 4101);
