import { parentPort } from 'node:worker_threads';
import { compose, runChecks } from './checks';

/** The registry's composition worker (runner.ts): checks and compositions, one message at a time. */
parentPort!.on('message', async (m: { id: number; kind: 'checks' | 'compose'; input?: never; subgraphs?: never }) => {
  try {
    let result: unknown;
    if (m.kind === 'checks') result = await runChecks(m.input!);
    else {
      const { sdl, errors } = compose(m.subgraphs!);
      result = sdl ? { sdl, errors } : { errors };
    }
    parentPort!.postMessage({ id: m.id, result });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: (err as Error).stack ?? String(err) });
  }
});
