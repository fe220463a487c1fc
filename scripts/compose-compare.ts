/**
 * npm run compose:compare
 *
 * Composes the committed subgraph SDL (schema/<name>.graphql) with @apollo/composition (Elastic-2.0,
 * what `npm run compose` uses) and with @theguild/federation-composition (MIT), and prints every
 * difference a client or the gateway could see:
 *   1. composition errors of either;
 *   2. the API schema (what introspection shows), sorted and printed;
 *   3. the supergraph SDL, sorted (types, fields, directives) and printed;
 *   4. the query plan @apollo/query-planner builds on each supergraph for every safelisted operation
 *      (gateway/operations/*.graphql).
 * Exits 0 when the two compose; the differences are a measurement, printed with a verdict per part.
 * `--strict` exits 1 on any difference.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices as composeApollo } from '@apollo/composition';
import { operationFromDocument, ROUTER_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from '@apollo/federation-internals';
import { prettyFormatQueryPlan, QueryPlanner } from '@apollo/query-planner';
import { composeServices as composeGuild, sortSDL } from '@theguild/federation-composition';
import { buildSchema, lexicographicSortSchema, parse, print, printSchema } from 'graphql';

const root = join(import.meta.dirname, '..');
const schemaDir = join(root, 'schema');
const operationsDir = join(root, 'gateway', 'operations');
const strict = process.argv.includes('--strict');

const services = readdirSync(schemaDir)
  .filter((f) => f.endsWith('.graphql') && f !== 'supergraph.graphql')
  .sort()
  .map((f) => {
    const name = f.slice(0, -'.graphql'.length);
    return { name, url: `http://${name}.invalid/graphql`, typeDefs: parse(readFileSync(join(schemaDir, f), 'utf8')) };
  });

console.log(`Composing ${services.length} subgraphs from schema/ (${services.map((s) => s.name).join(', ')})`);
console.log(`  @apollo/composition ${version('@apollo/composition')}  vs  @theguild/federation-composition ${version('@theguild/federation-composition')}\n`);

const apollo = composeApollo(services);
const guild = composeGuild(services);
let differences = 0;

if (apollo.errors?.length || guild.errors?.length) {
  for (const [who, errors] of [
    ['@apollo/composition', apollo.errors],
    ['@theguild/federation-composition', guild.errors],
  ] as const) {
    for (const e of errors ?? []) console.log(`  ${who}: ${e.message}`);
  }
  console.log('\nComposition failed in at least one; nothing further to compare.');
  process.exit(1);
}

// 2. API schema.
const apolloApi = printSchema(lexicographicSortSchema(apollo.schema!.toAPISchema().toGraphQLJSSchema()));
const guildApi = printSchema(lexicographicSortSchema(buildSchema(guild.publicSdl!)));
report('API schema (introspection)', apolloApi, guildApi);

// 3. Supergraph SDL.
const apolloSupergraph = print(sortSDL(parse(apollo.supergraphSdl!)));
const guildSupergraph = print(sortSDL(parse(guild.supergraphSdl!)));
report('supergraph SDL', apolloSupergraph, guildSupergraph);

// 4. Query plans of the safelisted operations on each supergraph.
const planners = [apollo.supergraphSdl!, guild.supergraphSdl!].map((sdl) => {
  const supergraph = Supergraph.build(sdl, { supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES });
  return { schema: supergraph.schema, planner: new QueryPlanner(supergraph) };
});
const operations = readdirSync(operationsDir)
  .filter((f) => f.endsWith('.graphql'))
  .sort();
let samePlans = 0;
for (const file of operations) {
  const document = parse(readFileSync(join(operationsDir, file), 'utf8'));
  const [a, b] = planners.map(({ schema, planner }) => prettyFormatQueryPlan(planner.buildQueryPlan(operationFromDocument(schema, document))));
  if (a === b) samePlans++;
  else {
    differences++;
    console.log(`query plan of gateway/operations/${file} differs:\n${lineDiff(a!, b!)}\n`);
  }
}
console.log(`query plans: ${samePlans}/${operations.length} safelisted operations plan identically`);

console.log(differences === 0 ? '\nIdentical.' : `\n${differences} part(s) differ (see above; "-" is @apollo/composition, "+" is @theguild/federation-composition).`);
process.exit(strict && differences > 0 ? 1 : 0);

function report(what: string, a: string, b: string): void {
  if (a === b) {
    console.log(`${what}: identical (${a.split('\n').length} lines)`);
    return;
  }
  differences++;
  console.log(`${what}: differs\n${lineDiff(a, b)}\n`);
}

function version(pkg: string): string {
  const path = join(root, 'node_modules', ...pkg.split('/'), 'package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

/** Lines only in a ("-") or only in b ("+"), in order, from a longest common subsequence. */
function lineDiff(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  const lcs: Uint32Array[] = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
  for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      i++;
      j++;
      continue;
    }
    if (j < y.length && (i >= x.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push(`  + ${y[j++]}`);
    else out.push(`  - ${x[i++]}`);
  }
  return out.slice(0, 120).join('\n') + (out.length > 120 ? `\n  … ${out.length - 120} more lines` : '');
}
