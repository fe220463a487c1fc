import { createLogger, sendJson } from '@gerbang/common';
import { readGatewayConfig, subgraphUrlOverrides } from './config';
import { loadDevIdp } from './dev-idp';
import { Identity } from './identity';
import { createGateway } from './server';

const logger = createLogger('gateway');
let config;
try {
  config = readGatewayConfig();
} catch (err) {
  logger.fatal((err as Error).message);
  process.exit(1);
}

const routes: Parameters<typeof createGateway>[0]['routes'] = {};
let identity: Identity;
if (config.devIdp) {
  const idp = await loadDevIdp({ dataDir: config.DATA_DIR, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  identity = Identity.fromJwks(idp.jwks(), { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  routes['/.well-known/jwks.json'] = (_req, res) => sendJson(res, 200, idp.jwks());
  logger.warn('development identity provider enabled: tokens come from `npm run -s token -- <login>`');
} else {
  identity = Identity.fromJwksUrl(config.JWT_JWKS_URL!, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
}

const app = await createGateway({
  logger,
  identity,
  supergraph: { path: config.SUPERGRAPH_PATH },
  subgraphUrls: subgraphUrlOverrides(),
  internalSecret: config.INTERNAL_SIGNING_SECRET.split(',')[0]!.trim(),
  subgraphTimeoutMs: config.SUBGRAPH_TIMEOUT_MS,
  maxBodyBytes: config.MAX_BODY_BYTES,
  introspection: !config.production,
  routes,
});

try {
  const { url } = await app.listen(config.PORT, config.HOST);
  logger.info({ url: `${url}/graphql` }, 'gateway listening');
} catch (err) {
  logger.fatal((err as Error).message);
  process.exit(1);
}
const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
