/**
 * Child process: Hive Gateway (@graphql-hive/gateway's runtime, from bench/gateway/vendor) on the
 * same supergraph file, served by a plain node http server. HIVE_ROUTER_RUNTIME=1 swaps in the
 * Rust query planner (@graphql-hive/router-runtime's unifiedGraphHandler). HIVE_DEDUPLICATE=0 turns
 * off its default sharing of identical in-flight subgraph requests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR } from '../lib/proc';

const vendor = createRequire(join(BENCH_DIR, 'vendor', 'package.json'));
const load = (name: string): Promise<any> => import(pathToFileURL(vendor.resolve(name)).href);

const { createGatewayRuntime } = await load('@graphql-hive/gateway');
const options: Record<string, unknown> = { supergraph: process.env.SUPERGRAPH_PATH!, logging: 'error' };
// HIVE_DEDUPLICATE=0: no sharing of identical in-flight subgraph requests (on by default in Hive Gateway).
if (process.env.HIVE_DEDUPLICATE === '0') options.transportEntries = { '*.http': { options: { deduplicateInflightRequests: false } } };
if (process.env.HIVE_ROUTER_RUNTIME === '1') options.unifiedGraphHandler = (await load('@graphql-hive/router-runtime')).unifiedGraphHandler;
const runtime = createGatewayRuntime(options);
const server = http.createServer(runtime);
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send!({ ready: true, url: `http://127.0.0.1:${port}/graphql` });
});
const stop = async () => {
  server.close();
  await runtime[Symbol.asyncDispose]?.().catch(() => undefined);
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
