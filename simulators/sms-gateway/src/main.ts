import { refuseDevelopmentCredentials, runSimulator, simLogger } from '@gerbang/simkit';
import { createSmsGatewaySimulator } from './server.js';

/** Development key: accepted only outside production, so a deployed simulator never runs on a known secret. */
const DEV_API_KEY = 'dev-sms-gateway-key';
const log = simLogger('sms-gateway');

function readApiKey(): string {
  refuseDevelopmentCredentials('sms-gateway', { secrets: ['SMS_GATEWAY_API_KEY'] });
  const fromEnv = process.env.SMS_GATEWAY_API_KEY;
  if (fromEnv) return fromEnv;
  if (process.env.NODE_ENV === 'production') {
    log.fatal('sms-gateway simulator: SMS_GATEWAY_API_KEY must be set in production.');
    process.exit(1);
  }
  log.warn(`sms-gateway simulator: SMS_GATEWAY_API_KEY not set, using the development key "${DEV_API_KEY}"`);
  return DEV_API_KEY;
}

await runSimulator(createSmsGatewaySimulator({ apiKey: readApiKey() }), 4108);
