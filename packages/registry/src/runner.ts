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
  runChecks(input: RunChecksInput): Promise<CheckResult>;
  compose(subgraphs: SubgraphInput[]): Promise<{ sdl?: string; errors: CompositionProblem[] }>;
  close(): Promise<void>;
}

export const inlineRunner = (): ChecksRunner => ({
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
 * The worker's entry: from the sources (tsx), a bootstrap that registers tsx in the thread; in the
 * compiled image (`npm run build`), dist/registry-worker.js beside the gateway's bundle.
 */
const workerEntry = () => (import.meta.url.endsWith('.ts') ? new URL('./checks-worker.mjs', import.meta.url) : new URL('./registry-worker.js', import.meta.url));

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
  const start = (): Worker => {
    const w = new Worker(workerEntry(), { execArgv: [] });
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
  const call = <T>(request: Request): Promise<T> => {
    worker ??= start();
    const id = ++next;
    const w = worker;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // Only while a check runs does the worker keep the process alive.
      w.ref();
      w.postMessage({ ...request, id });
    }).finally(() => {
      if (!pending.size) w.unref();
    });
  };
  return {
    runChecks: (input) => call<CheckResult>({ kind: 'checks', input }),
    compose: (subgraphs) => call({ kind: 'compose', subgraphs }),
    async close() {
      const w = worker;
      worker = undefined;
      await w?.terminate();
    },
  };
}
