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
    name: 'gateway',
    kind: 'gateway',
    main: 'gateway/src/main.ts',
    port: 4000,
    health: '/health',
    env: { SUPERGRAPH_PATH: 'schema/supergraph.graphql' },
    dependsOn: ['directory', 'population', 'ratings', 'staff'],
  },
];
