/**
 * Every process of the system, as `npm start` runs it locally and docker-compose.yml runs it in
 * containers. One list, so the two cannot drift (a test checks docker-compose.yml against it).
 */
export interface Component {
  name: string;
  kind: 'simulator' | 'subgraph' | 'gateway';
  /** Entry point relative to the repository root. */
  main: string;
  port: number;
  /**
   * Readiness path: what `npm start` waits for and the containers' health check. The gateway's and
   * the subgraphs' /health/ready checks only their own dependencies, never another component, so
   * one agency down never marks the others (or the gateway) unhealthy.
   */
  health: string;
  /** Environment the process reads (besides PORT/HOST), with the local default. */
  env: Record<string, string>;
  /** Components that must be up first. */
  dependsOn: string[];
  /**
   * Gets DATABASE_URL: for tables of its own, or for the append-only access log of personal-data
   * reads (gateway, population, staff, land-tax).
   */
  usesDatabase?: boolean;
  /** Further ports the process listens on (e.g. a database proxy). */
  extraPorts?: number[];
  /** Named volumes shared between containers (`name:/path`). */
  volumes?: string[];
  /** The agency whose tickets it publishes to the ratings subgraph's ledger (its TICKET_FEED_KEY). */
  feedAgency?: string;
}

const url = (port: number) => `http://127.0.0.1:${port}`;

/** Where `npm run build` puts a component's (or tool's) compiled entry point: what containers run. */
export const builtMain = (name: string) => `dist/${name}.js`;

export const COMPONENTS: Component[] = [
  { name: 'sim-siak', kind: 'simulator', main: 'simulators/siak/src/main.ts', port: 4101, health: '/__sim/health', env: { SIAK_API_KEY: 'dev-siak-key', SIM_LATENCY_MS: '80' }, dependsOn: [] },
  {
    name: 'sim-bkpsdm',
    kind: 'simulator',
    main: 'simulators/bkpsdm/src/main.ts',
    port: 4106,
    health: '/__sim/health',
    env: { BKPSDM_CLIENT_ID: 'gerbang-dev', BKPSDM_CLIENT_SECRET: 'dev-bkpsdm-secret', SIM_LATENCY_MS: '120' },
    dependsOn: [],
  },
  { name: 'sim-oss', kind: 'simulator', main: 'simulators/oss/src/main.ts', port: 4102, health: '/__sim/health', env: { OSS_USER_KEY: 'dev-oss-key', SIM_LATENCY_MS: '90' }, dependsOn: [] },
  {
    name: 'sim-permit-soap',
    kind: 'simulator',
    main: 'simulators/permit-soap/src/main.ts',
    port: 4103,
    health: '/__sim/health',
    env: { PERMIT_SOAP_USERNAME: 'gerbang-hub', PERMIT_SOAP_PASSWORD: 'dev-permit-password', SIM_LATENCY_MS: '150' },
    dependsOn: [],
  },
  {
    name: 'sim-clinic-queue',
    kind: 'simulator',
    main: 'simulators/clinic-queue/src/main.ts',
    port: 4104,
    health: '/__sim/health',
    env: { CLINIC_CONS_ID: 'dev-cons-3503', CLINIC_CONS_SECRET: 'dev-clinic-cons-secret-change-me', CLINIC_USER_KEY: 'dev-clinic-user-key', SIM_LATENCY_MS: '100' },
    dependsOn: [],
  },
  // BPKPD's legacy PBB-P2 database: installs the SISMIOP schema into DATABASE_URL, serves it through a
  // fault-injecting TCP proxy on SISMIOP_PROXY_PORT (faults and stats on PORT).
  {
    name: 'sim-sismiop',
    kind: 'simulator',
    main: 'simulators/sismiop/src/main.ts',
    port: 4105,
    health: '/__sim/health',
    env: { SISMIOP_PROXY_PORT: '4115', SISMIOP_SCHEMA: 'sismiop', SISMIOP_READONLY_ROLE: 'gerbang_sismiop_reader', SISMIOP_READONLY_PASSWORD: 'dev-sismiop-reader-password', SIM_LATENCY_MS: '10' },
    dependsOn: [],
    usesDatabase: true,
    extraPorts: [4115],
  },
  // Dinsos PPPA's DTSEN register exchange: CSV batches (+ .sha256 manifests) and the proposal outbox/ack
  // in a drop folder shared with the social subgraph (DTKS_DROP_DIR); a small control plane answers on PORT.
  {
    name: 'sim-dtks-drop',
    kind: 'simulator',
    main: 'simulators/dtks-drop/src/main.ts',
    port: 4107,
    health: '/__sim/health',
    env: { DTKS_DROP_DIR: '${DATA_DIR}/dtks-drop', DTKS_DROP_INTERVAL_MS: '60000' },
    dependsOn: [],
    volumes: ['dtks-drop:/data/dtks-drop'],
  },
  // The regency's SMS/WhatsApp gateway: where the ratings subgraph's notification sender delivers requests to rate.
  {
    name: 'sim-sms-gateway',
    kind: 'simulator',
    main: 'simulators/sms-gateway/src/main.ts',
    port: 4108,
    health: '/__sim/health',
    env: { SMS_GATEWAY_API_KEY: 'dev-sms-gateway-key', SIM_LATENCY_MS: '60' },
    dependsOn: [],
  },
  { name: 'directory', kind: 'subgraph', main: 'subgraphs/directory/src/main.ts', port: 4001, health: '/health/ready', env: {}, dependsOn: [], usesDatabase: true },
  {
    name: 'ratings',
    kind: 'subgraph',
    main: 'subgraphs/ratings/src/main.ts',
    port: 4003,
    health: '/health/ready',
    // Its notification sender runs in this process (subgraphs/ratings/README.md § Notifications).
    env: {
      STAFF_DIRECTORY_URL: url(4106),
      STAFF_DIRECTORY_CLIENT_ID: 'gerbang-dev',
      STAFF_DIRECTORY_CLIENT_SECRET: 'dev-bkpsdm-secret',
      NOTIFY_SMS_URL: url(4108),
      NOTIFY_SMS_API_KEY: 'dev-sms-gateway-key',
    },
    dependsOn: ['sim-bkpsdm', 'sim-sms-gateway'],
    usesDatabase: true,
  },
  {
    name: 'population',
    kind: 'subgraph',
    feedAgency: 'dispendukcapil',
    main: 'subgraphs/population/src/main.ts',
    port: 4002,
    health: '/health/ready',
    env: { SIAK_URL: url(4101), SIAK_API_KEY: 'dev-siak-key', RATINGS_URL: url(4003), TICKET_SYNC_INTERVAL_MS: '5000' },
    dependsOn: ['sim-siak', 'ratings'],
    // No tables of its own: the access log records officers' reads of full NIKs.
    usesDatabase: true,
  },
  {
    name: 'staff',
    kind: 'subgraph',
    main: 'subgraphs/staff/src/main.ts',
    port: 4004,
    health: '/health/ready',
    env: { BKPSDM_URL: url(4106), BKPSDM_CLIENT_ID: 'gerbang-dev', BKPSDM_CLIENT_SECRET: 'dev-bkpsdm-secret' },
    dependsOn: ['sim-bkpsdm'],
    // No tables of its own: the access log records reads of TPP bases and rosters.
    usesDatabase: true,
  },
  {
    name: 'licensing',
    kind: 'subgraph',
    feedAgency: 'dpmptsp',
    main: 'subgraphs/licensing/src/main.ts',
    port: 4005,
    health: '/health/ready',
    env: {
      OSS_URL: url(4102),
      OSS_USER_KEY: 'dev-oss-key',
      PERMIT_SOAP_URL: `${url(4103)}/ws/permit`,
      PERMIT_SOAP_USERNAME: 'gerbang-hub',
      PERMIT_SOAP_PASSWORD: 'dev-permit-password',
      RATINGS_URL: url(4003),
      TICKET_SYNC_INTERVAL_MS: '5000',
    },
    dependsOn: ['sim-oss', 'sim-permit-soap', 'ratings'],
    // No tables of its own: the access log records the analysts' PERMITS_ISSUED questions.
    usesDatabase: true,
  },
  {
    name: 'health',
    kind: 'subgraph',
    feedAgency: 'dinkesdalduk',
    main: 'subgraphs/health/src/main.ts',
    port: 4007,
    health: '/health/ready',
    env: {
      CLINIC_URL: url(4104),
      CLINIC_CONS_ID: 'dev-cons-3503',
      CLINIC_CONS_SECRET: 'dev-clinic-cons-secret-change-me',
      CLINIC_USER_KEY: 'dev-clinic-user-key',
      RATINGS_URL: url(4003),
      TICKET_SYNC_INTERVAL_MS: '5000',
    },
    dependsOn: ['sim-clinic-queue', 'ratings'],
    // No tables of its own: the access log records the analysts' CLINIC_BOOKINGS questions.
    usesDatabase: true,
  },
  {
    name: 'land-tax',
    kind: 'subgraph',
    feedAgency: 'bpkpd',
    main: 'subgraphs/land-tax/src/main.ts',
    port: 4006,
    health: '/health/ready',
    // SISMIOP through the simulator's proxy, as the read-only role the simulator creates.
    env: {
      SISMIOP_DATABASE_URL: '${DATABASE_URL|host=127.0.0.1:4115|user=SISMIOP_READONLY_ROLE|password=SISMIOP_READONLY_PASSWORD}',
      SISMIOP_SCHEMA: 'sismiop',
      RATINGS_URL: url(4003),
      TICKET_SYNC_INTERVAL_MS: '5000',
    },
    dependsOn: ['sim-sismiop', 'ratings'],
    // No tables of its own: the access log records staff's reads of taxpayers' names.
    usesDatabase: true,
  },
  {
    name: 'social',
    kind: 'subgraph',
    feedAgency: 'dinsos',
    main: 'subgraphs/social/src/main.ts',
    port: 4008,
    health: '/health/ready',
    // The same drop folder as sim-dtks-drop (in containers: one volume mounted in both).
    env: { DTKS_DROP_DIR: '${DATA_DIR}/dtks-drop', DTKS_POLL_INTERVAL_MS: '5000', RATINGS_URL: url(4003), TICKET_SYNC_INTERVAL_MS: '5000' },
    dependsOn: ['sim-dtks-drop', 'ratings'],
    usesDatabase: true,
    volumes: ['dtks-drop:/data/dtks-drop'],
  },
  {
    name: 'insights',
    kind: 'subgraph',
    main: 'subgraphs/insights/src/main.ts',
    port: 4009,
    health: '/health/ready',
    // Reads the ratings subgraph's ledger tables (same database) into rollups of its own schema.
    env: { INSIGHTS_LEDGER_SCHEMA: 'ratings' },
    dependsOn: ['ratings'],
    usesDatabase: true,
  },
  {
    name: 'documents',
    kind: 'subgraph',
    main: 'subgraphs/documents/src/main.ts',
    port: 4010,
    health: '/health/ready',
    // Attachments' metadata in its own schema, the files under DATA_DIR/documents (or an S3 bucket:
    // DOCUMENTS_STORE=s3 and DOCUMENTS_S3_*); officers' downloads go to the access log. The ticket
    // ledger (ratings) is asked whose a ticket is before files are attached to it.
    env: { DOCUMENTS_STORE: 'local', DOCUMENTS_DIR: '${DATA_DIR}/documents', DOCUMENTS_URL_SECRET: 'dev-documents-url-secret-change-me', RATINGS_URL: url(4003) },
    dependsOn: ['ratings'],
    usesDatabase: true,
    volumes: ['documents:/data/documents'],
  },
  {
    name: 'gateway',
    kind: 'gateway',
    main: 'gateway/src/main.ts',
    port: 4000,
    health: '/health/ready',
    // The schema registry is the gateway's supergraph everywhere (npm start, docker-compose.yml): at
    // start it publishes the hub's subgraphs from the SDL files beside SUPERGRAPH_PATH (REGISTRY_SEED),
    // after the registry's checks; agencies publish theirs with the gerbang CLI.
    env: { SUPERGRAPH_PATH: 'schema/supergraph.graphql', SUPERGRAPH_SOURCE: 'registry', REGISTRY_SEED: 'true' },
    dependsOn: ['directory', 'population', 'ratings', 'staff', 'licensing', 'health', 'land-tax', 'social', 'insights', 'documents'],
    // The append-only access log of personal-data reads lives in the gateway's own schema.
    usesDatabase: true,
  },
];

/**
 * Environment values may refer to the run: `${DATA_DIR}`, and `${DATABASE_URL|host=H:P|user=VAR|password=VAR}`
 * (this run's database URL with host, user and password replaced; VAR names a variable set on some
 * component, e.g. the read-only role the SISMIOP simulator creates).
 */
export function expandEnv(value: string, run: { dataDir: string; databaseUrl: string; lookup: (name: string) => string | undefined; host?: (hostPort: string) => string }): string {
  return value.replace(/\$\{DATA_DIR\}/g, run.dataDir).replace(/\$\{DATABASE_URL((?:\|[a-z]+=[^|}]+)*)\}/g, (_m, opts: string) => {
    const url = new URL(run.databaseUrl);
    for (const opt of opts.split('|').filter(Boolean)) {
      const [key, v] = opt.split('=') as [string, string];
      if (key === 'host') url.host = run.host ? run.host(v) : v;
      if (key === 'user') url.username = run.lookup(v) ?? v;
      if (key === 'password') url.password = run.lookup(v) ?? '';
    }
    return url.toString();
  });
}

/** A variable's value as some component of the topology sets it (the process environment wins). */
export const topologyValue = (name: string): string | undefined => process.env[name] ?? COMPONENTS.map((c) => c.env[name]).find((v) => v !== undefined);
