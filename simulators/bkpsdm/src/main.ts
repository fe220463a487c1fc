/**
 * Runs the BKPSDM staff-register simulator on its own port:
 * `PORT` (default 4106), `BKPSDM_CLIENT_ID`, `BKPSDM_CLIENT_SECRET`, `SIM_LATENCY_MS`.
 */
import { refuseDevelopmentCredentials, runSimulator, simLogger } from '@gerbang/simkit';
import { createBkpsdmSimulator } from './server.js';

const DEV_CREDENTIALS = { clientId: 'gerbang-dev', clientSecret: 'dev-bkpsdm-secret' };
/** The register is an older system on the regency's network; override with SIM_LATENCY_MS. */
const REALISTIC_LATENCY = { latencyMs: 120, jitterMs: 60 };
const log = simLogger('bkpsdm');

function readCredentials(): { clientId: string; clientSecret: string } {
  refuseDevelopmentCredentials('bkpsdm', { secrets: ['BKPSDM_CLIENT_SECRET'] });
  const clientId = process.env.BKPSDM_CLIENT_ID;
  const clientSecret = process.env.BKPSDM_CLIENT_SECRET;
  if (clientId && clientSecret) return { clientId, clientSecret };
  // Known credentials are only tolerable on a developer's machine; production must be given its own.
  if (process.env.NODE_ENV === 'production') {
    log.fatal('bkpsdm simulator: BKPSDM_CLIENT_ID and BKPSDM_CLIENT_SECRET are required when NODE_ENV=production');
    process.exit(1);
  }
  if (clientId || clientSecret) {
    log.fatal('bkpsdm simulator: set both BKPSDM_CLIENT_ID and BKPSDM_CLIENT_SECRET, or neither for the development pair');
    process.exit(1);
  }
  log.warn(`BKPSDM credentials not set; using the development client "${DEV_CREDENTIALS.clientId}"`);
  return DEV_CREDENTIALS;
}

await runSimulator(createBkpsdmSimulator({ ...readCredentials(), faults: REALISTIC_LATENCY }), 4106);
