/**
 * npm run build: the compiled JavaScript that containers run (Dockerfile), one entry point per
 * process in `dist/`, so that nothing compiles TypeScript at run time and the runtime image needs
 * no node_modules at all.
 *
 * - esbuild bundles each entry point with everything it imports: the workspace packages (which
 *   stay TypeScript sources, `"main": "src/index.ts"`, for tsx and vitest) and the libraries.
 *   Shared code goes to chunks (`splitting`), so the 17 entry points do not each carry a copy of
 *   graphql, Apollo and MikroORM.
 * - Decorators: esbuild compiles type-graphql's and MikroORM's legacy decorators
 *   (`experimentalDecorators` in tsconfig.json), exactly as tsx does; like tsx it emits no
 *   decorator metadata, which is why every decorator names its type explicitly. `keepNames` keeps
 *   class names as written: type-graphql and MikroORM name GraphQL types and entities after them,
 *   and a bundle would otherwise rename two classes of the same name in different modules.
 * - Files found next to the code at run time (`new URL('./x', import.meta.url)`: the WSDL, the
 *   persisted-operation manifest) are copied to `dist/assets/<their repository path>` and the
 *   reference rewritten; every output file (chunks too) sits directly in `dist/`, so one
 *   rewrite serves all.
 * - A library loaded with import() keeps the named exports Node gives a CommonJS module
 *   (`const { Redis } = await import('ioredis')`); a split bundle would give it `default` only.
 * - The development explorer's files (GraphiQL, React UMD builds: development dependencies) are
 *   copied to `dist/explorer/`, where the compiled gateway finds them (gateway/src/edge/explorer.ts).
 * - The portal (web/dist, built first when missing or stale: scripts/portal.ts) is copied to
 *   `dist/portal/`, where the compiled gateway serves it (gateway/src/edge/portal.ts).
 * - Database drivers that knex and MikroORM can load but Gerbang never uses (MySQL, SQLite,
 *   MSSQL, Oracle …) and type-graphql's optional class-validator stay out: nothing requires them.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { ensurePortalBuilt, WEB_DIST } from './portal';
import { COMPONENTS, builtMain } from './topology';

const root = resolve(import.meta.dirname, '..');
/** Where `npm run build` writes (the Dockerfile copies it); tests build elsewhere. */
export const DIST = join(root, 'dist');

/** Output name (dist/<name>.js) → source. Every process of the topology, plus the one-shot tools. */
export const ENTRY_POINTS: Record<string, string> = {
  ...Object.fromEntries(COMPONENTS.map((c) => [c.name, c.main])),
  // The demo seed (docker-compose's one-shot `seed` service) and tokens of the development IdP.
  'seed-demo': 'scripts/seed-demo.ts',
  token: 'scripts/token.ts',
  // The schema registry's composition worker (packages/registry/src/runner.ts finds it beside the gateway's bundle).
  'registry-worker': 'packages/registry/src/checks-worker.ts',
};

/** Optional peers of knex, MikroORM and type-graphql that Gerbang does not install or load. */
// esbuild: the registry bundles its composition worker with it when run from sources only (the image has dist/registry-worker.js).
const NEVER_LOADED = ['esbuild', 'mariadb', 'mariadb/callback', 'sqlite3', 'better-sqlite3', 'libsql', 'tedious', 'mysql', 'mysql2', 'oracledb', 'pg-native', 'pg-query-stream', 'class-validator'];

/** Explorer files: package → files, served by gateway/src/edge/explorer.ts. */
const EXPLORER_FILES: Record<string, string[]> = {
  react: ['umd/react.production.min.js'],
  'react-dom': ['umd/react-dom.production.min.js'],
  graphiql: ['graphiql.min.js', 'graphiql.min.css'],
};

/** ESM output with CommonJS libraries inside: they call require() and read __dirname. */
const BANNER = [
  "import { createRequire as __gerbangCreateRequire } from 'node:module';",
  "import { fileURLToPath as __gerbangFileURLToPath } from 'node:url';",
  "import { dirname as __gerbangDirname } from 'node:path';",
  'const require = __gerbangCreateRequire(import.meta.url);',
  'const __filename = __gerbangFileURLToPath(import.meta.url);',
  'const __dirname = __gerbangDirname(__filename);',
].join(' ');

const URL_REFERENCE = /new URL\((['"])(\.{1,2}\/[^'"]+)\1,\s*import\.meta\.url\)/g;
/** `import('pkg')` as a value (not `import('pkg').Type` in a type position). */
const DYNAMIC_IMPORT = /\bimport\((['"])([^./'"][^'"]*)\1\)(?!\.(?!then\b))/g;
/**
 * Node gives a CommonJS module imported with import() named exports (ioredis' `{ Redis }`); a
 * split bundle gives it only `default` (module.exports). Our sources' import() of a library
 * therefore gets module.exports' properties as named exports, as Node's would.
 */
const NODE_NAMED_EXPORTS = `
function __gerbangNodeNamedExports(m: any): any {
  const d = m?.default;
  if (Object.keys(m).length === 1 && d !== null && (typeof d === 'object' || typeof d === 'function')) return { ...d, default: d };
  return m;
}
`;

/**
 * Our sources, as Node would run them: files referenced with `new URL('./x', import.meta.url)`
 * copied into dist/assets and the code pointed there; libraries loaded with import() given their
 * named exports.
 */
function nodeSemantics(outdir: string, copied: Set<string>): Plugin {
  return {
    name: 'gerbang-node-semantics',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`/node_modules/`)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url') && !source.includes('import(')) return undefined;
        let dynamic = false as boolean; // `as boolean`: set in a callback, which TypeScript does not see (it would keep the `false`)
        const withImports = source.replace(DYNAMIC_IMPORT, (match, _q: string, specifier: string) => {
          if (specifier.startsWith('@gerbang/') || specifier.startsWith('node:')) return match;
          dynamic = true;
          return `${match}.then(__gerbangNodeNamedExports)`;
        });
        const contents = (dynamic ? withImports + NODE_NAMED_EXPORTS : withImports).replace(URL_REFERENCE, (match, _q: string, ref: string) => {
          const file = resolve(dirname(args.path), ref);
          if (!existsSync(file) || !statSync(file).isFile()) return match;
          const target = join('assets', relative(root, file));
          mkdirSync(dirname(join(outdir, target)), { recursive: true });
          cpSync(file, join(outdir, target));
          copied.add(target);
          return `new URL(${JSON.stringify(`./${target}`)}, import.meta.url)`;
        });
        return { contents, loader: 'ts', resolveDir: dirname(args.path) };
      });
    },
  };
}

export async function buildAll(options: { outdir?: string; quiet?: boolean } = {}): Promise<{ entries: string[]; assets: string[]; bytes: number }> {
  const t0 = Date.now();
  const outdir = options.outdir ?? DIST;
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const assets = new Set<string>();
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, src]) => [name, join(root, src)])),
    outdir,
    entryNames: '[name]',
    // Flat, chunks included: an asset reference `./assets/…` then resolves alike from every file.
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: join(root, 'tsconfig.json'),
    keepNames: true,
    sourcemap: 'linked',
    legalComments: 'none',
    banner: { js: BANNER },
    external: NEVER_LOADED,
    plugins: [nodeSemantics(outdir, assets)],
    metafile: true,
    logLevel: 'warning',
  });
  const require = createRequire(import.meta.url);
  for (const [pkg, files] of Object.entries(EXPLORER_FILES)) {
    const dir = dirname(require.resolve(`${pkg}/package.json`));
    for (const f of files) {
      mkdirSync(dirname(join(outdir, 'explorer', pkg, f)), { recursive: true });
      cpSync(join(dir, f), join(outdir, 'explorer', pkg, f));
    }
  }
  // The portal's static files (web/, built by vite when stale), served by the compiled gateway from dist/portal.
  ensurePortalBuilt();
  cpSync(WEB_DIST, join(outdir, 'portal'), { recursive: true, filter: (src) => !src.endsWith('.map') && !src.endsWith('.sources') });
  // The output is ES modules whatever package.json sits above it (the image copies dist/ alone).
  writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`);
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  if (!options.quiet) {
    console.log(`built ${Object.keys(ENTRY_POINTS).length} entry points in ${((Date.now() - t0) / 1000).toFixed(1)}s: ${(bytes / 1e6).toFixed(1)} MB of JavaScript and source maps in dist/`);
    for (const name of Object.keys(ENTRY_POINTS)) console.log(`  ${builtMain(name).padEnd(28)} ${ENTRY_POINTS[name]}`);
  }
  return { entries: Object.keys(ENTRY_POINTS).map(builtMain), assets: [...assets], bytes };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await buildAll();
