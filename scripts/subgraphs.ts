import type { GraphQLSchema } from 'graphql';

/**
 * The subgraphs that compose into the supergraph, with the URL written into it (the default local
 * port; deployments override per subgraph with SUBGRAPH_<NAME>_URL on the gateway).
 * Adding a subgraph = one line here + its package (see README "Adding a subgraph").
 */
export interface SubgraphEntry {
  name: string;
  port: number;
  schema: () => Promise<GraphQLSchema>;
}

export const SUBGRAPHS: SubgraphEntry[] = [
  { name: 'directory', port: 4001, schema: async () => (await import('../subgraphs/directory/src/schema')).buildDirectorySchema() },
  { name: 'ratings', port: 4003, schema: async () => (await import('../subgraphs/ratings/src/schema')).buildRatingsSchema() },
  { name: 'population', port: 4002, schema: async () => (await import('../subgraphs/population/src/schema')).buildPopulationSchema() },
  { name: 'staff', port: 4004, schema: async () => (await import('../subgraphs/staff/src/schema')).buildStaffSchema() },
  { name: 'licensing', port: 4005, schema: async () => (await import('../subgraphs/licensing/src/schema')).buildLicensingSchema() },
  { name: 'land-tax', port: 4006, schema: async () => (await import('../subgraphs/land-tax/src/schema')).buildLandTaxSchema() },
  { name: 'health', port: 4007, schema: async () => (await import('../subgraphs/health/src/schema')).buildHealthSchema() },
  { name: 'social', port: 4008, schema: async () => (await import('../subgraphs/social/src/schema')).buildSocialSchema() },
  { name: 'insights', port: 4009, schema: async () => (await import('../subgraphs/insights/src/schema')).buildInsightsSchema() },
  { name: 'documents', port: 4010, schema: async () => (await import('../subgraphs/documents/src/schema')).buildDocumentsSchema() },
];

export const subgraphUrl = (entry: SubgraphEntry) => `http://127.0.0.1:${entry.port}/graphql`;
