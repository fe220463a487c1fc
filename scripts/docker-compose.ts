/**
 * npm run docker-compose   writes docker-compose.yml, .env.example and .env.development from
 * scripts/topology.ts, so that the containers run exactly the processes `npm start` runs, with the
 * same variables (local URLs rewritten to service names), compiled (`npm run build`, Dockerfile).
 *
 * Every value a deployment must choose (secrets, credentials of the agencies' systems, the identity
 * provider) is a setting below: docker-compose.yml requires it from the environment
 * (`${NAME:?…}`: compose refuses to start without it) and has no fallback for it, so nothing runs
 * on a development secret by accident. `.env.example` documents them for production;
 * `.env.development` holds the development values (`docker compose --env-file .env.development
 * --profile demo up`), which production refuses.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Scalar, stringify } from 'yaml';
import { INTERNAL_SECRET_DEV } from '../packages/common/src/config';
import { devFeedKey } from '../packages/common/src/ticket-feed';
import { DEV_AUDIENCE, DEV_ISSUER } from '../gateway/src/dev-idp';
import { RATER_PEPPER_DEV } from '../subgraphs/ratings/src/config';
import { COMPONENTS, builtMain, expandEnv, topologyValue } from './topology';

/** The data directory of every container (the image's DATA_DIR, owned by its user). */
export const CONTAINER_DATA_DIR = '/data';

export interface Setting {
  name: string;
  group: string;
  /** What it is, for .env.example. */
  about: string;
  /** Its value in .env.development. */
  dev: string;
  /** Optional settings fall back to this; the others are required. */
  fallback?: string;
}

const feedAgencies = COMPONENTS.filter((c) => c.feedAgency).map((c) => c.feedAgency!);
const feedKeyName = (agency: string) => `TICKET_FEED_KEY_${agency.toUpperCase().replace(/-/g, '_')}`;
const dev = (name: string) => topologyValue(name) ?? '';

export const SETTINGS: Setting[] = [
  { group: 'Deployment', name: 'NODE_ENV', fallback: 'production', dev: 'development', about: 'production (the default here) refuses development secrets, the development IdP and the explorer' },
  { group: 'Deployment', name: 'LOG_LEVEL', fallback: 'info', dev: 'info', about: 'pino level of every process' },
  {
    group: 'Deployment',
    name: 'GATEWAY_PORT',
    fallback: '4000',
    dev: '4000',
    about: "the host port the gateway is published on (the only published port; PostgreSQL, Redis, the subgraphs and the agencies' systems stay on the compose network)",
  },
  { group: 'Identity', name: 'JWT_ISSUER', dev: DEV_ISSUER, about: "the exact `iss` of your identity provider's tokens" },
  { group: 'Identity', name: 'JWT_AUDIENCE', dev: DEV_AUDIENCE, about: 'the `aud` your identity provider issues for Gerbang' },
  {
    group: 'Identity',
    name: 'JWT_JWKS_URL',
    dev: 'http://127.0.0.1:4000/.well-known/jwks.json',
    about: "your identity provider's JWKS (fetched and cached by the gateway). Development: the development IdP's own, which the gateway uses directly while DEV_IDP=true",
  },
  {
    group: 'Identity',
    name: 'DEV_IDP',
    fallback: 'false',
    dev: 'true',
    about: 'the development identity provider (demo logins, `node dist/token.js <login>` inside the gateway container); refused in production',
  },
  {
    group: 'Identity',
    name: 'PORTAL_OIDC_AUTHORIZATION_URL',
    fallback: '',
    dev: '',
    about:
      "the portal's sign-in: your identity provider's authorization endpoint (OAuth 2.0 code flow with PKCE; register the client with redirect URI https://<your host>/auth/callback). Empty: the development IdP's login page while DEV_IDP=true, else no sign-in",
  },
  { group: 'Identity', name: 'PORTAL_OIDC_TOKEN_URL', fallback: '', dev: '', about: "the portal's sign-in: your identity provider's token endpoint (it must allow the portal's origin by CORS)" },
  { group: 'Identity', name: 'PORTAL_OIDC_CLIENT_ID', fallback: 'portal', dev: 'portal', about: "the portal's client id at your identity provider (a public client: no secret)" },
  { group: 'Identity', name: 'CORS_ORIGINS', fallback: '', dev: '*', about: "comma-separated origins allowed to read answers in a browser (the portal's); empty: none" },
  {
    group: 'Identity',
    name: 'TRUST_PROXY',
    fallback: 'false',
    dev: 'false',
    about:
      'which proxies in front of the gateway are yours, so that the client address comes from X-Forwarded-For: false none; true one reverse proxy; N the N nearest; or their addresses (gateway/README.md § Client address)',
  },
  { group: 'Secrets', name: 'POSTGRES_PASSWORD', dev: 'dev-postgres-password', about: "password of PostgreSQL's `gerbang` user (URL-safe characters: it goes into DATABASE_URL)" },
  { group: 'Secrets', name: 'INTERNAL_SIGNING_SECRET', dev: INTERNAL_SECRET_DEV, about: 'HMAC key of gateway→subgraph calls; comma-separated during rotation (current first)' },
  { group: 'Secrets', name: 'METRICS_TOKEN', dev: 'dev-metrics-token-change-me', about: "bearer token of the gateway's /metrics" },
  {
    group: 'Secrets',
    name: 'RATER_PEPPER',
    dev: RATER_PEPPER_DEV,
    about: 'key of the hashes that keep rater identity apart from ratings, and (by HKDF) of the NIKs sealed while a rating waits for the register check (never change it once ratings exist)',
  },
  {
    group: 'Secrets',
    name: 'ACCESS_LOG_HASH_KEY',
    dev: 'dev-social-access-log-hash-key',
    about: "key of the NIK hashes in the access logs (the population subgraph's full-NIK reads, the social subgraph's eligibility log): one key for both, so one NIK's reads are found with one hash",
  },
  {
    group: 'Secrets',
    name: 'DOCUMENTS_URL_SECRET',
    dev: dev('DOCUMENTS_URL_SECRET'),
    about: "HMAC key of the attachments' signed upload and download links (the documents subgraph's local store); comma-separated during rotation (current first)",
  },
  ...feedAgencies.map((a) => ({
    group: 'Secrets',
    name: feedKeyName(a),
    dev: devFeedKey(a),
    about: `ticket feed key of ${a}: its subgraph signs the tickets it publishes with it, the ratings subgraph checks them (TICKET_FEED_KEYS)`,
  })),
  { group: "Agencies' systems", name: 'SIAK_API_KEY', dev: dev('SIAK_API_KEY'), about: "Dispendukcapil's SIAK web service key" },
  { group: "Agencies' systems", name: 'BKPSDM_CLIENT_ID', dev: dev('BKPSDM_CLIENT_ID'), about: "Gerbang's client at BKPSDM's SIMPEG (the staff and ratings subgraphs)" },
  { group: "Agencies' systems", name: 'BKPSDM_CLIENT_SECRET', dev: dev('BKPSDM_CLIENT_SECRET'), about: 'its secret' },
  { group: "Agencies' systems", name: 'OSS_USER_KEY', dev: dev('OSS_USER_KEY'), about: 'OSS RBA `user_key`' },
  { group: "Agencies' systems", name: 'PERMIT_SOAP_USERNAME', dev: dev('PERMIT_SOAP_USERNAME'), about: 'SIMPERDA WS-Security user' },
  { group: "Agencies' systems", name: 'PERMIT_SOAP_PASSWORD', dev: dev('PERMIT_SOAP_PASSWORD'), about: 'its password' },
  { group: "Agencies' systems", name: 'CLINIC_CONS_ID', dev: dev('CLINIC_CONS_ID'), about: 'Puskesmas queue service consumer id (not starting with "dev-" in production)' },
  { group: "Agencies' systems", name: 'CLINIC_CONS_SECRET', dev: dev('CLINIC_CONS_SECRET'), about: 'its HMAC secret' },
  { group: "Agencies' systems", name: 'CLINIC_USER_KEY', dev: dev('CLINIC_USER_KEY'), about: 'its `user_key`' },
  {
    group: "Agencies' systems",
    name: 'SISMIOP_READONLY_ROLE',
    fallback: dev('SISMIOP_READONLY_ROLE'),
    dev: dev('SISMIOP_READONLY_ROLE'),
    about: "the read-only PostgreSQL role the land-tax subgraph reads BPKPD's SISMIOP with",
  },
  { group: "Agencies' systems", name: 'SISMIOP_READONLY_PASSWORD', dev: dev('SISMIOP_READONLY_PASSWORD'), about: 'its password (URL-safe characters)' },
  {
    group: "Agencies' systems",
    name: 'SMS_GATEWAY_API_KEY',
    dev: dev('SMS_GATEWAY_API_KEY'),
    about: "the regency's SMS/WhatsApp gateway API key (the ratings subgraph's notifications, NOTIFY_SMS_API_KEY)",
  },
];

const settingByName = new Map(SETTINGS.map((s) => [s.name, s]));
/** The subgraphs that name NIKs in an access log by their keyed hash: one key, so the hashes match. */
const ACCESS_LOG_HASH_READERS = ['population', 'social'];
/** Variables of the code that take another setting's value: one credential, several readers. */
const ALIAS: Record<string, string> = { STAFF_DIRECTORY_CLIENT_ID: 'BKPSDM_CLIENT_ID', STAFF_DIRECTORY_CLIENT_SECRET: 'BKPSDM_CLIENT_SECRET', NOTIFY_SMS_API_KEY: 'SMS_GATEWAY_API_KEY' };

/** A compose reference to a setting: required ones stop compose with a message naming them. */
export function ref(name: string): string {
  const s = settingByName.get(name);
  if (!s) throw new Error(`unknown setting ${name}`);
  return s.fallback === undefined ? `\${${name}:?see .env.example}` : `\${${name}:-${s.fallback}}`;
}

const byPort = new Map(COMPONENTS.flatMap((c) => [c.port, ...(c.extraPorts ?? [])].map((p) => [p, c.name] as const)));
const containerValue = (v: string) => v.replace(/http:\/\/127\.0\.0\.1:(\d+)/g, (m, p) => (byPort.has(Number(p)) ? `http://${byPort.get(Number(p))}:${p}` : m));
const DATABASE_URL = `postgresql://gerbang:${ref('POSTGRES_PASSWORD')}@postgres:5432/gerbang`;
const healthcheck = (port: number, path: string) => ({
  test: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${port}${path}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
  interval: '5s',
  timeout: '3s',
  retries: 30,
});

export function composeDocument(): Record<string, unknown> {
  const services: Record<string, unknown> = {
    // Neither is published on the host (where a PostgreSQL or Redis of its own may already listen):
    // `docker compose exec postgres psql -U gerbang` and `docker compose exec redis redis-cli` reach them.
    postgres: {
      image: 'postgres:17-alpine',
      restart: 'unless-stopped',
      environment: { POSTGRES_USER: 'gerbang', POSTGRES_PASSWORD: ref('POSTGRES_PASSWORD'), POSTGRES_DB: 'gerbang' },
      volumes: ['pgdata:/var/lib/postgresql/data'],
      healthcheck: { test: ['CMD-SHELL', 'pg_isready -U gerbang -d gerbang'], interval: '5s', timeout: '3s', retries: 20 },
    },
    redis: {
      image: 'redis:7-alpine',
      restart: 'unless-stopped',
      healthcheck: { test: ['CMD', 'redis-cli', 'ping'], interval: '5s', timeout: '3s', retries: 20 },
    },
  };

  for (const c of COMPONENTS) {
    const environment: Record<string, string> = { NODE_ENV: ref('NODE_ENV'), LOG_LEVEL: ref('LOG_LEVEL'), PORT: String(c.port), HOST: '0.0.0.0' };
    if (c.kind !== 'simulator') {
      environment.INTERNAL_SIGNING_SECRET = ref('INTERNAL_SIGNING_SECRET');
      // Shared state across replicas: replay nonces, APQ, rate limits.
      environment.REDIS_URL = 'redis://redis:6379';
    }
    if (c.usesDatabase) environment.DATABASE_URL = DATABASE_URL;
    const run = {
      dataDir: CONTAINER_DATA_DIR,
      databaseUrl: 'postgresql://gerbang:gerbang@postgres:5432/gerbang',
      // A setting stays a reference to the deployment's environment.
      lookup: (name: string) => ref(name),
      host: (hostPort: string) => containerValue(`http://${hostPort}`).slice('http://'.length),
    };
    for (const [k, v] of Object.entries(c.env)) {
      const setting = ALIAS[k] ?? (settingByName.has(k) ? k : undefined);
      environment[k] = setting ? ref(setting) : decodeURIComponent(containerValue(expandEnv(v, run)));
    }
    if (c.feedAgency) environment.TICKET_FEED_KEY = ref(feedKeyName(c.feedAgency));
    if (c.name === 'ratings') {
      environment.RATER_PEPPER = ref('RATER_PEPPER');
      environment.TICKET_FEED_KEYS = feedAgencies.map((a) => `${a}=${ref(feedKeyName(a))}`).join(',');
    }
    if (ACCESS_LOG_HASH_READERS.includes(c.name)) environment.ACCESS_LOG_HASH_KEY = ref('ACCESS_LOG_HASH_KEY');
    if (c.kind === 'gateway') {
      for (const name of ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_JWKS_URL', 'DEV_IDP', 'METRICS_TOKEN', 'CORS_ORIGINS', 'TRUST_PROXY']) environment[name] = ref(name);
      for (const name of ['PORTAL_OIDC_AUTHORIZATION_URL', 'PORTAL_OIDC_TOKEN_URL', 'PORTAL_OIDC_CLIENT_ID']) environment[name] = ref(name);
      for (const s of COMPONENTS.filter((x) => x.kind === 'subgraph')) {
        environment[`SUBGRAPH_${s.name.toUpperCase().replace(/-/g, '_')}_URL`] = `http://${s.name}:${s.port}/graphql`;
      }
    }
    const dependsOn: Record<string, { condition: string }> = {};
    if (c.usesDatabase) dependsOn.postgres = { condition: 'service_healthy' };
    if (c.kind !== 'simulator') dependsOn.redis = { condition: 'service_healthy' };
    for (const d of c.dependsOn) dependsOn[d] = { condition: 'service_healthy' };
    const volumes = [...(c.volumes ?? []), ...(c.kind === 'gateway' ? [`gateway-data:${CONTAINER_DATA_DIR}`] : [])];
    services[c.name] = {
      build: '.',
      image: 'gerbang:local',
      command: ['node', builtMain(c.name)],
      restart: 'unless-stopped',
      environment,
      // Only the gateway is reachable from outside; everything else answers on the compose network.
      ...(c.kind === 'gateway' ? { ports: [`${ref('GATEWAY_PORT')}:${c.port}`] } : {}),
      ...(volumes.length ? { volumes } : {}),
      ...(Object.keys(dependsOn).length ? { depends_on: dependsOn } : {}),
      healthcheck: healthcheck(c.port, c.health),
      // On `docker compose stop`/`down` the gateway and the subgraphs drain for up to
      // SHUTDOWN_DRAIN_MS (10 s) and then close their pools: more than compose's default 10 s
      // before it kills them.
      ...(c.kind === 'gateway' || c.kind === 'subgraph' ? { stop_grace_period: '20s' } : {}),
    };
  }

  // The demo (development IdP only): scripts/seed-demo.ts once per database, like `npm start`.
  // It signs the demo logins' tokens with the gateway's development IdP key, hence its volume.
  services.seed = {
    build: '.',
    image: 'gerbang:local',
    profiles: ['demo'],
    command: ['node', builtMain('seed-demo')],
    // Quoted: a bare `no` is a boolean to YAML 1.1 readers.
    restart: Object.assign(new Scalar('no'), { type: Scalar.QUOTE_DOUBLE }),
    environment: {
      NODE_ENV: ref('NODE_ENV'),
      GATEWAY_URL: 'http://gateway:4000/graphql',
      DATABASE_URL,
      JWT_ISSUER: ref('JWT_ISSUER'),
      JWT_AUDIENCE: ref('JWT_AUDIENCE'),
    },
    volumes: [`gateway-data:${CONTAINER_DATA_DIR}`],
    depends_on: { gateway: { condition: 'service_healthy' } },
  };

  const volumeNames = ['pgdata', 'gateway-data', ...new Set(COMPONENTS.flatMap((c) => c.volumes ?? []).map((v) => v.split(':')[0]!))];
  return { name: 'gerbang', services, volumes: Object.fromEntries(volumeNames.map((v) => [v, {}])) };
}

const GENERATED = 'Generated by `npm run docker-compose` from scripts/topology.ts and scripts/docker-compose.ts';

export function renderCompose(): string {
  return `# ${GENERATED}; test/docker-compose.test.ts checks it.\n# Settings: .env.example (production), .env.development (development, with --profile demo). See README § Deploying with containers.\n${stringify(composeDocument(), { lineWidth: 0 })}`;
}

function renderEnv(header: string[], value: (s: Setting) => string, comments: boolean): string {
  const out = header.map((l) => `# ${l}`);
  let group = '';
  for (const s of SETTINGS) {
    if (s.group !== group) {
      group = s.group;
      out.push('', `## ${group}`);
    }
    if (comments) out.push(`# ${s.about}${s.fallback !== undefined ? ` (optional; default ${s.fallback === '' ? 'empty' : s.fallback})` : ''}`);
    out.push(`${s.name}=${value(s)}`);
  }
  return `${out.join('\n')}\n`;
}

export const renderEnvExample = () =>
  renderEnv(
    [
      `${GENERATED}.`,
      'Production settings of docker-compose.yml: copy to .env (never commit it), fill in every empty value, then',
      '`docker compose up -d`. Compose refuses to start while a required value is missing, and each process refuses',
      'development values ("dev-…") and secrets shorter than 16 characters in production.',
      'Make secrets with e.g. `openssl rand -hex 32`.',
    ],
    (s) => s.fallback ?? '',
    true,
  );

export const renderEnvDevelopment = () =>
  renderEnv(
    [
      `${GENERATED}.`,
      'Development values for docker-compose.yml, public on purpose (production refuses them):',
      '  docker compose --env-file .env.development --profile demo up --build',
      'runs the system with the development identity provider and seeds the demo. A token:',
      '  docker compose exec gateway node dist/token.js warga.siti',
      'Every setting is described in .env.example.',
    ],
    (s) => s.dev,
    false,
  );

export const GENERATED_FILES: Record<string, () => string> = {
  'docker-compose.yml': renderCompose,
  '.env.example': renderEnvExample,
  '.env.development': renderEnvDevelopment,
};

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const root = join(import.meta.dirname, '..');
  for (const [file, render] of Object.entries(GENERATED_FILES)) {
    writeFileSync(join(root, file), render());
    console.log(`wrote ${file}`);
  }
}
