import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compose, runChecks, type CheckResult, type CompositionProblem, type RunChecksInput, type SubgraphInput } from './checks';

/**
 * Where the registry composes: a check composes the whole graph (about 1 to 3 s of CPU for the
 * hub's graph), and on the gateway's event loop every request it serves meanwhile would wait that
 * long. `workerRunner` runs composition and the checks in a worker thread (node:worker_threads),
 * so the gateway keeps answering while a publish is checked; `inlineRunner` runs them in the
 * calling thread (a one-shot tool, the figures in BENCHMARKS.md).
 */
export interface ChecksRunner {
  /** Starts what a first check needs (the worker, its libraries) ahead of it. */
  warm(): void;
  runChecks(input: RunChecksInput): Promise<CheckResult>;
  compose(subgraphs: SubgraphInput[]): Promise<{ sdl?: string; errors: CompositionProblem[] }>;
  close(): Promise<void>;
}

export const inlineRunner = (): ChecksRunner => ({
  warm: () => undefined,
  runChecks: (input) => runChecks(input),
  compose: async (subgraphs) => {
    const { sdl, errors } = compose(subgraphs);
    return sdl ? { sdl, errors } : { errors };
  },
  close: async () => undefined,
});

type Request = { kind: 'checks'; input: RunChecksInput } | { kind: 'compose'; subgraphs: SubgraphInput[] };
type Reply = { id: number; result?: unknown; error?: string };

/**
 * The worker's entry. In the compiled image (`npm run build`): dist/registry-worker.js beside the
 * gateway's bundle. From the TypeScript sources: checks-worker.ts bundled by esbuild (the
 * workspace's code; the libraries stay in node_modules) into packages/registry/dist/, named by a
 * hash of its content, so that processes starting together share one file and never see a stale
 * one. (A thread running tsx's loader hooks would share them with the process's other threads.)
 */
async function workerEntry(): Promise<URL> {
  if (!import.meta.url.endsWith('.ts')) return new URL('./registry-worker.js', import.meta.url);
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./checks-worker.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    plugins: [
      {
        name: 'libraries-external',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@gerbang/') || args.path.startsWith('node:') ? undefined : { path: args.path, external: true }));
        },
      },
    ],
  });
  const code = result.outputFiles[0]!.contents;
  const dir = fileURLToPath(new URL('../dist/', import.meta.url));
  const file = join(dir, `checks-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return pathToFileURL(file);
}

/**
 * One worker thread, started at the first check and kept (unref'd: it never holds a process
 * open). Checks queue in it one at a time; a worker that dies fails what it held and is
 * replaced at the next check.
 */
export function workerRunner(): ChecksRunner {
  let worker: Worker | undefined;
  let next = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  let entry: Promise<URL> | undefined;
  const start = async (): Promise<Worker> => {
    const w = new Worker(await (entry ??= workerEntry()), { execArgv: [] });
    w.unref();
    w.on('message', (m: Reply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    w.on('error', (err) => {
      if (worker === w) worker = undefined;
      failAll(err);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      failAll(new Error(`the registry's composition worker exited (code ${code})`));
    });
    return w;
  };
  let starting: Promise<Worker> | undefined;
  const call = async <T>(request: Request): Promise<T> => {
    if (!worker) {
      starting ??= start().finally(() => (starting = undefined));
      worker = await starting;
    }
    const id = ++next;
    const w = worker;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve, reject });
      // Only while a check runs does the worker keep the process alive.
      w.ref();
      w.postMessage({ ...request, id });
    }).finally(() => {
      if (!pending.size) w.unref();
    });
  };
  return {
    warm: () => void call({ kind: 'compose', subgraphs: [] }).catch(() => undefined),
    runChecks: (input) => call<CheckResult>({ kind: 'checks', input }),
    compose: (subgraphs) => call({ kind: 'compose', subgraphs }),
    async close() {
      const w = worker ?? (await starting?.catch(() => undefined));
      worker = undefined;
      await w?.terminate();
    },
  };
}
