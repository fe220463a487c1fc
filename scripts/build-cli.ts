/**
 * Compiles the `gerbang` CLI to one ES module, packages/cli/dist/gerbang.mjs (run at `npm ci` by
 * the root package's `prepare`, and by `npm run build` for the image). The workspace's own
 * TypeScript (@gerbang/cli, @gerbang/registry, @gerbang/common) is bundled; the libraries stay in
 * node_modules and load as Node loads them. Run through tsx, the CLI spent most of each command
 * compiling its sources and importing everything @gerbang/registry's index imports (the gateway,
 * Apollo Server); the bundle holds only what the CLI calls.
 *
 * Beside it, dist/inputs.json lists the source files it was built from: bin/gerbang.mjs runs the
 * bundle only while none of them is newer, and the sources through tsx otherwise (an edited
 * checkout never runs a stale CLI).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
export const CLI_DIST = join(root, 'packages/cli/dist');

export async function buildCli(outdir = CLI_DIST): Promise<{ file: string; inputs: string[]; bytes: number }> {
  const file = join(outdir, 'gerbang.mjs');
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'packages/cli/src/main.ts')],
    outdir,
    entryNames: 'gerbang',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    // The commands' heavier parts (signed calls, the conformance kit) in chunks loaded on use.
    splitting: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: join(root, 'tsconfig.json'),
    keepNames: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [
      {
        // Libraries stay external (node_modules resolves them at run time). The workspace's modules
        // are bundled and declared free of side effects, so that a module the CLI does not call
        // (the registry's store, the gateway hook) is left out with the libraries it imports.
        name: 'libraries-external',
        setup(b) {
          b.onResolve({ filter: /.*/ }, async (args) => {
            if (args.pluginData === 'inner' || args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined;
            if (/^[^./]/.test(args.path) && !args.path.startsWith('@gerbang/')) return { path: args.path, external: true };
            const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
            return resolved.errors.length ? { errors: resolved.errors } : { path: resolved.path, sideEffects: false };
          });
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs)
    .map((p) => relative(root, resolve(root, p)))
    .filter((p) => !p.includes('node_modules'))
    .sort();
  writeFileSync(join(outdir, 'inputs.json'), `${JSON.stringify(inputs, null, 2)}\n`);
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { file, inputs, bytes };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const t0 = Date.now();
  const out = await buildCli();
  console.log(`gerbang CLI: ${relative(root, out.file)} (${(out.bytes / 1024).toFixed(0)} KiB from ${out.inputs.length} sources) in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}
