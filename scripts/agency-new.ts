/**
 * npm run agency:new -- <name> [--dir <folder>] [--agency <directory agency id>] [--service <service id>] [--port <port>]
 * Scaffolds a subgraph package for a new agency (packages/cli/src/scaffold.ts), by default in
 * agencies/<name>: outside the workspace's subgraph list, as an agency's own repository would be.
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { scaffoldAgency } from '../packages/cli/src/scaffold';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dir: { type: 'string' }, agency: { type: 'string' }, service: { type: 'string' }, port: { type: 'string' } } });
const name = positionals[0];
if (!name) {
  console.error('usage: npm run agency:new -- <name> [--dir <folder>] [--agency <directory agency id>] [--service <agency.service>] [--port <port>]');
  process.exit(2);
}
const dir = resolve(values.dir ?? `agencies/${name}`);
try {
  const files = scaffoldAgency({
    name,
    dir,
    ...(values.agency ? { agency: values.agency } : {}),
    ...(values.service ? { service: values.service } : {}),
    ...(values.port ? { port: Number(values.port) } : {}),
  });
  const rel = relative(process.cwd(), dir) || '.';
  console.log(`wrote ${files.length} files in ${dir}:\n${files.map((f) => `  ${f}`).join('\n')}
next (in the package's folder: its tsconfig.json compiles type-graphql's decorators):
  cd ${rel}
  npx vitest run --config vitest.config.ts                                  # its tests
  INTERNAL_SIGNING_SECRET=<the hub's> npx tsx src/main.ts                   # run it
  npx tsx src/print-sdl.ts > ${name}.graphql                                # the SDL to publish
  npx gerbang subgraph check --name ${name} --schema ${name}.graphql          # (docs/PLUGGING-IN.md walks through publishing)`);
} catch (err) {
  console.error(`agency:new: ${(err as Error).message}`);
  process.exit(2);
}
