import { refuseDevelopmentCredentials, runSimulator, simLogger } from '@gerbang/simkit';
import { createPermitSoapSimulator } from './server.js';

/** Development credentials: accepted only outside production, so a deployed simulator never runs on known secrets. */
const DEV_USERNAME = 'gerbang-hub';
const DEV_PASSWORD = 'dev-permit-password';
const log = simLogger('permit-soap');

function readCredentials(): { username: string; password: string } {
  refuseDevelopmentCredentials('permit-soap', { secrets: ['PERMIT_SOAP_PASSWORD'] });
  const username = process.env.PERMIT_SOAP_USERNAME;
  const password = process.env.PERMIT_SOAP_PASSWORD;
  if (username && password) return { username, password };
  if (process.env.NODE_ENV === 'production') {
    log.fatal('permit-soap simulator: PERMIT_SOAP_USERNAME and PERMIT_SOAP_PASSWORD must be set in production.');
    process.exit(1);
  }
  if (username || password) {
    log.fatal('permit-soap simulator: set both PERMIT_SOAP_USERNAME and PERMIT_SOAP_PASSWORD, or neither.');
    process.exit(1);
  }
  log.warn(`permit-soap simulator: using development credentials "${DEV_USERNAME}" / "${DEV_PASSWORD}"`);
  return { username: DEV_USERNAME, password: DEV_PASSWORD };
}

await runSimulator(createPermitSoapSimulator(readCredentials()), 4103);
