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
  /** Readiness path. */
  health: string;
  /** Environment the process reads (besides PORT/HOST), with the local default. */
  env: Record<string, string>;
  /** Components that must be up first. */
  dependsOn: string[];
  usesDatabase?: boolean;
}

const url = (port: number) => `http://127.0.0.1:${port}`;

export const COMPONENTS: Component[] = [
  { name: 'sim-siak', kind: 'simulator', main: 'simulators/siak/src/main.ts', port: 4101, health: '/__sim/health', env: { SIAK_API_KEY: 'dev-siak-key', SIM_LATENCY_MS: '80' }, dependsOn: [] },
  { name: 'sim-bkpsdm', kind: 'simulator', main: 'simulators/bkpsdm/src/main.ts', port: 4106, health: '/__sim/health', env: { BKPSDM_CLIENT_ID: 'gerbang-dev', BKPSDM_CLIENT_SECRET: 'dev-bkpsdm-secret', SIM_LATENCY_MS: '120' }, dependsOn: [] },
  { name: 'sim-oss', kind: 'simulator', main: 'simulators/oss/src/main.ts', port: 4102, health: '/__sim/health', env: { OSS_USER_KEY: 'dev-oss-key', SIM_LATENCY_MS: '90' }, dependsOn: [] },
  { name: 'sim-permit-soap', kind: 'simulator', main: 'simulators/permit-soap/src/main.ts', port: 4103, health: '/__sim/health', env: { PERMIT_SOAP_USERNAME: 'gerbang-hub', PERMIT_SOAP_PASSWORD: 'dev-permit-password', SIM_LATENCY_MS: '150' }, dependsOn: [] },
  { name: 'sim-clinic-queue', kind: 'simulator', main: 'simulators/clinic-queue/src/main.ts', port: 4104, health: '/__sim/health', env: { CLINIC_CONS_ID: 'dev-cons-3503', CLINIC_CONS_SECRET: 'dev-clinic-cons-secret-change-me', CLINIC_USER_KEY: 'dev-clinic-user-key', SIM_LATENCY_MS: '100' }, dependsOn: [] },
  { name: 'directory', kind: 'subgraph', main: 'subgraphs/directory/src/main.ts', port: 4001, health: '/health', env: {}, dependsOn: [], usesDatabase: true },
  { name: 'ratings', kind: 'subgraph', main: 'subgraphs/ratings/src/main.ts', port: 4003, health: '/health', env: {}, dependsOn: [], usesDatabase: true },
  {
    name: 'population',
    kind: 'subgraph',
    main: 'subgraphs/population/src/main.ts',
    port: 4002,
    health: '/health',
    env: { SIAK_URL: url(4101), SIAK_API_KEY: 'dev-siak-key', RATINGS_URL: url(4003), TICKET_SYNC_INTERVAL_MS: '5000' },
    dependsOn: ['sim-siak', 'ratings'],
  },
  {
    name: 'staff',
    kind: 'subgraph',
    main: 'subgraphs/staff/src/main.ts',
    port: 4004,
    health: '/health',
    env: { BKPSDM_URL: url(4106), BKPSDM_CLIENT_ID: 'gerbang-dev', BKPSDM_CLIENT_SECRET: 'dev-bkpsdm-secret' },
    dependsOn: ['sim-bkpsdm'],
  },
  {
    name: 'licensing',
    kind: 'subgraph',
    main: 'subgraphs/licensing/src/main.ts',
    port: 4005,
    health: '/health',
    env: { OSS_URL: url(4102), PERMIT_SOAP_URL: `${url(4103)}/ws/permit`, PERMIT_SOAP_USERNAME: 'gerbang-hub', PERMIT_SOAP_PASSWORD: 'dev-permit-password', RATINGS_URL: url(4003), TICKET_SYNC_INTERVAL_MS: '5000' },
    dependsOn: ['sim-oss', 'sim-permit-soap', 'ratings'],
  },
  {
    name: 'health',
    kind: 'subgraph',
    main: 'subgraphs/health/src/main.ts',
    port: 4007,
    health: '/health',
    env: {
      CLINIC_URL: url(4104),
      CLINIC_CONS_ID: 'dev-cons-3503',
      CLINIC_CONS_SECRET: 'dev-clinic-cons-secret-change-me',
      CLINIC_USER_KEY: 'dev-clinic-user-key',
      RATINGS_URL: url(4003),
      TICKET_SYNC_INTERVAL_MS: '5000',
    },
    dependsOn: ['sim-clinic-queue', 'ratings'],
  },
  {
    name: 'gateway',
    kind: 'gateway',
    main: 'gateway/src/main.ts',
    port: 4000,
    health: '/health',
    env: { SUPERGRAPH_PATH: 'schema/supergraph.graphql' },
    dependsOn: ['directory', 'population', 'ratings', 'staff', 'licensing', 'health'],
  },
];
