import pg from 'pg';
import { refuseDevelopmentCredentials, runSimulator, simLogger } from '@gerbang/simkit';
import { installSismiop } from './install';
import { createSismiopSimulator } from './proxy';

/**
 * Installs the SISMIOP schema into DATABASE_URL (once; an installed schema is left as it is), then
 * serves the fault-injecting proxy on SISMIOP_PROXY_PORT and its control plane on PORT.
 */
function config(env: NodeJS.ProcessEnv = process.env) {
  const production = env.NODE_ENV === 'production';
  refuseDevelopmentCredentials('sismiop', { secrets: ['SISMIOP_READONLY_PASSWORD'], urls: ['DATABASE_URL'] }, env);
  const databaseUrl = env.DATABASE_URL ?? (production ? undefined : 'postgresql://postgres@127.0.0.1:5432/postgres');
  if (!databaseUrl) throw new Error('DATABASE_URL is required in production');
  const url = new URL(databaseUrl);
  if (!url.hostname) throw new Error('DATABASE_URL must name a TCP host for the proxy to forward to');
  const proxyPort = Number(env.SISMIOP_PROXY_PORT ?? 4115);
  if (!Number.isInteger(proxyPort) || proxyPort < 0 || proxyPort > 65535) throw new Error('SISMIOP_PROXY_PORT must be a port number');
  return {
    databaseUrl,
    target: { host: url.hostname, port: Number(url.port || 5432) },
    proxyPort,
    host: env.HOST ?? '127.0.0.1',
    schema: env.SISMIOP_SCHEMA ?? 'sismiop',
    install: env.SISMIOP_INSTALL !== '0',
    readOnlyRole: env.SISMIOP_READONLY_ROLE || undefined,
    readOnlyPassword: env.SISMIOP_READONLY_PASSWORD || undefined,
  };
}

const cfg = config();
const log = simLogger('sismiop');
if (cfg.install) {
  const pool = new pg.Pool({ connectionString: cfg.databaseUrl, max: 1 });
  try {
    const result = await installSismiop(pool, { schema: cfg.schema, readOnlyRole: cfg.readOnlyRole, readOnlyPassword: cfg.readOnlyPassword });
    log.info(result, result.installed ? 'sismiop schema installed' : 'sismiop schema already installed');
  } finally {
    await pool.end();
  }
}

const sim = createSismiopSimulator({ target: cfg.target });
const proxyAddress = await sim.proxy.listen(cfg.proxyPort, cfg.host);
log.info({ proxy: proxyAddress, target: cfg.target }, 'sismiop proxy listening');
process.once('exit', () => void sim.proxy.close());
await runSimulator(sim.control, 4105);
