/**
 * npm run subgraph-compat -- [path to a checkout of apollographql/apollo-federation-subgraph-compatibility]
 *
 * Runs the Apollo subgraph compatibility suite's checks against the federation helper
 * (packages/common/src/federation.ts): the suite's `products` subgraph written in type-graphql
 * (packages/common/test/compat/products.ts), served by Gerbang's own subgraph host
 * (createSubgraphHttpServer, with a verifier that lets the suite's unsigned calls through), beside
 * the suite's own `inventory` and `users` subgraphs, behind @apollo/gateway in place of Apollo Router.
 *
 * The suite is not vendored: give its folder as the argument or in SUBGRAPH_COMPAT_DIR
 * (`git clone https://github.com/apollographql/apollo-federation-subgraph-compatibility`). Its test
 * files (packages/compatibility/src/tests), its schema comparison and reference products.graphql,
 * and its inventory and users subgraphs are copied to DATA_DIR/subgraph-compat (default
 * .data/subgraph-compat) and run there with vitest (jest-compatible globals), with one change: the
 * suite's HTTP client (make-fetch-happen, fixed localhost ports) is replaced by a fetch client that
 * reads PRODUCTS_URL and ROUTER_URL, so nothing binds a fixed port.
 *
 * Prints each of the suite's 15 features as passed or failed (as the suite's own report counts
 * them: a feature fails when any of its tests fails), writes results.json, and exits 1 when one
 * fails.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { startVitest } from 'vitest/node';
import { ANONYMOUS, createLogger, createSubgraphHttpServer, type RequestVerifier } from '@gerbang/common';
import { buildProductsSchema } from '../packages/common/test/compat/products';

/** The suite's features and, for each, the test (or describe block) that decides it: its testRunner.ts. */
const FEATURES: { assertion: string; column: string; fedVersion: 1 | 2; required: boolean }[] = [
  { assertion: 'introspection', column: '_service', fedVersion: 1, required: true },
  { assertion: '@key single', column: '@key (single)', fedVersion: 1, required: true },
  { assertion: '@key multiple', column: '@key (multi)', fedVersion: 1, required: false },
  { assertion: '@key composite', column: '@key (composite)', fedVersion: 1, required: false },
  { assertion: 'repeatable @key', column: 'repeatable @key', fedVersion: 1, required: false },
  { assertion: '@requires', column: '@requires', fedVersion: 1, required: false },
  { assertion: '@provides', column: '@provides', fedVersion: 1, required: false },
  { assertion: 'ftv1', column: 'federated tracing', fedVersion: 1, required: false },
  { assertion: '@link', column: '@link', fedVersion: 2, required: true },
  { assertion: '@shareable', column: '@shareable', fedVersion: 2, required: false },
  { assertion: '@tag', column: '@tag', fedVersion: 2, required: false },
  { assertion: '@override', column: '@override', fedVersion: 2, required: false },
  { assertion: '@inaccessible', column: '@inaccessible', fedVersion: 2, required: false },
  { assertion: '@composeDirective', column: '@composeDirective', fedVersion: 2, required: false },
  { assertion: '@interfaceObject', column: '@interfaceObject', fedVersion: 2, required: false },
];

const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(process.env.DATA_DIR ?? join(root, '.data'));
const suiteDir = resolve(process.argv[2] ?? process.env.SUBGRAPH_COMPAT_DIR ?? join(dataDir, 'apollo-federation-subgraph-compatibility'));
const compat = join(suiteDir, 'packages', 'compatibility');
if (!existsSync(join(compat, 'src', 'tests'))) {
  console.error(`No compatibility suite at ${suiteDir}.
Clone it and pass its folder:
  git clone https://github.com/apollographql/apollo-federation-subgraph-compatibility
  npm run subgraph-compat -- ./apollo-federation-subgraph-compatibility`);
  process.exit(2);
}

// 1. The suite's files, copied beside the repository's node_modules (so their imports resolve).
const work = join(dataDir, 'subgraph-compat');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'src', 'utils'), { recursive: true });
cpSync(join(compat, 'src', 'tests'), join(work, 'src', 'tests'), { recursive: true });
cpSync(join(compat, 'src', 'utils', 'schemaComparison.ts'), join(work, 'src', 'utils', 'schemaComparison.ts'));
cpSync(join(suiteDir, 'implementations', '_template_library_', 'products.graphql'), join(work, 'products.graphql'));
for (const name of ['inventory', 'users']) cpSync(join(suiteDir, 'packages', 'subgraphs', name), join(work, 'subgraphs', name), { recursive: true });
writeFileSync(join(work, 'src', 'utils', 'client.ts'), CLIENT_SOURCE());

const children: ChildProcess[] = [];
const closers: (() => Promise<unknown>)[] = [];
let exitCode = 1;
try {
  // 2. products: the helper's schema on Gerbang's subgraph host.
  const logger = createLogger('subgraph-compat', process.env.LOG_LEVEL ?? 'warn');
  const letEveryoneIn = { verify: async () => ANONYMOUS, dependencyChecks: () => ({}) } as unknown as RequestVerifier;
  const productsSchema = await buildProductsSchema();
  const products = await createSubgraphHttpServer({ name: 'products', schema: productsSchema, logger, verifier: letEveryoneIn, context: () => ({}) });
  const productsUrl = await listen(products.server);
  closers.push(() => new Promise((r) => products.server.close(r)));

  // 3. The suite's inventory and users subgraphs, as it runs them (node index.js), on free ports.
  const peers: Record<string, string> = {};
  for (const [name, envName] of [
    ['inventory', 'INVENTORY_PORT'],
    ['users', 'USERS_PORT'],
  ] as const) {
    const port = await freePort();
    const child = spawn(process.execPath, ['index.js'], { cwd: join(work, 'subgraphs', name), env: { ...process.env, [envName]: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    peers[name] = `http://127.0.0.1:${port}/`;
    await waitForGraphQL(peers[name], name);
  }

  // 4. The supergraph and a gateway in place of Apollo Router.
  const composed = composeServices([
    { name: 'products', url: productsUrl, typeDefs: parse(printSubgraphSchema(productsSchema)) },
    { name: 'inventory', url: peers.inventory!, typeDefs: parse(readFileSync(join(work, 'subgraphs', 'inventory', 'inventory.graphql'), 'utf8')) },
    { name: 'users', url: peers.users!, typeDefs: parse(readFileSync(join(work, 'subgraphs', 'users', 'users.graphql'), 'utf8')) },
  ]);
  if (composed.errors?.length) throw new Error(`The suite's supergraph does not compose:\n${composed.errors.map((e) => `  ${e.message}`).join('\n')}`);
  const router = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl! }), introspection: true });
  const { url: routerUrl } = await startStandaloneServer(router, { listen: { host: '127.0.0.1', port: 0 } });
  closers.push(() => router.stop());

  // 5. The suite's tests.
  process.env.PRODUCTS_URL = productsUrl;
  process.env.ROUTER_URL = routerUrl;
  const vitest = await startVitest(
    'test',
    [],
    {
      root: work,
      config: false,
      globals: true,
      watch: false,
      include: ['src/tests/**/*.test.ts'],
      reporters: [process.env.COMPAT_VERBOSE ? 'verbose' : 'dot'],
      testTimeout: 15_000,
    },
    { resolve: { alias: { graphql: createRequire(import.meta.url).resolve('graphql') } } },
  );
  const failed = new Set<string>();
  const seen = new Set<string>();
  for (const module of vitest.state.getTestModules()) {
    for (const test of module.children.allTests()) {
      // As the suite's report: a test's feature is its outermost describe block, or its own name.
      let suite = test.parent;
      let top = test.name;
      while (suite.type === 'suite') {
        top = suite.name;
        suite = suite.parent;
      }
      seen.add(top);
      if (test.result().state !== 'passed') failed.add(top);
    }
  }
  await vitest.close();

  const rows = FEATURES.map((f) => ({ ...f, success: seen.has(f.assertion) && !failed.has(f.assertion) }));
  const passed = rows.filter((r) => r.success).length;
  console.log('\nApollo Federation subgraph compatibility (products subgraph built with packages/common/src/federation.ts):\n');
  console.log('| feature | federation | required | result |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.column} | v${r.fedVersion} | ${r.required ? 'yes' : 'no'} | ${r.success ? 'pass' : 'FAIL'} |`);
  console.log(`\n${passed}/${rows.length} features pass (suite at ${suiteDir}, commit ${suiteCommit()}).`);
  writeFileSync(join(work, 'results.json'), `${JSON.stringify(Object.fromEntries(rows.map((r) => [r.assertion, { success: r.success }])), null, 2)}\n`);
  exitCode = passed === rows.length ? 0 : 1;
} catch (err) {
  console.error(err);
} finally {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  for (const child of children) child.kill();
}
process.exit(exitCode);

function listen(server: import('node:http').Server): Promise<string> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`));
  });
}

/** A port free at this moment (the suite's subgraphs take their port from the environment). */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => ok(port));
    });
  });
}

async function waitForGraphQL(url: string, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the suite's ${name} subgraph did not answer at ${url} within 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function suiteCommit(): string {
  try {
    const head = readFileSync(join(suiteDir, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head.slice(0, 12);
    const ref = join(suiteDir, '.git', head.slice(5));
    return existsSync(ref) ? readFileSync(ref, 'utf8').trim().slice(0, 12) : head.slice(5);
  } catch {
    return readdirSync(suiteDir).includes('.git') ? 'unknown' : 'not a git checkout';
  }
}

/** Stands in for the suite's src/utils/client.ts: the same three functions, over fetch, with URLs from the environment. */
function CLIENT_SOURCE(): string {
  return `// Written by scripts/subgraph-compat.ts in place of the suite's client (fixed ports, make-fetch-happen).
type Req = { query: string; variables?: Record<string, unknown>; operationName?: string };
export async function graphqlRequest(url: string, req: Req, headers?: Record<string, string>): Promise<any> {
  const resp = await fetch(url, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', ...(headers ?? {}) },
    body: JSON.stringify(req),
  });
  if (resp.ok && resp.headers.get('content-type')?.startsWith('application/json')) return resp.json();
  return resp.text();
}
export const productsRequest = (req: Req, headers?: Record<string, string>) => graphqlRequest(process.env.PRODUCTS_URL!, req, headers);
export const routerRequest = (req: Req, headers?: Record<string, string>) => graphqlRequest(process.env.ROUTER_URL!, req, headers);
`;
}
