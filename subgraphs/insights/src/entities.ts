/**
 * The insights subgraph's SQL is written by hand (rollups, the cube's aggregates, the history
 * generator's bulk COPY), so MikroORM serves its connection, transactions and migrations with no
 * entity schemas. The tables: migrations/.
 */
export const entities: never[] = [];
