/**
 * Hosts several subgraphs in one process for `npm start`: the libraries (graphql, Apollo,
 * type-graphql, MikroORM) load once instead of once per subgraph, which on two cores is most of
 * the start-up time. Each subgraph still listens on its own port with its own configuration, and
 * each can run alone from its main.ts. Input: GERBANG_HOSTED = JSON [{ main, env }].
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLogger, startSubgraph, type StartedSubgraph } from '@gerbang/common';

const hosted = JSON.parse(process.env.GERBANG_HOSTED ?? '[]') as { main: string; env: Record<string, string> }[];
delete process.env.GERBANG_HOSTED;
const root = resolve(import.meta.dirname, '..');
const started: StartedSubgraph[] = [];

const stop = async (code: number) => {
  await Promise.allSettled(started.map((s) => s.close()));
  process.exit(code);
};
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

try {
  const definitions = await Promise.all(hosted.map(async (h) => ({ ...h, module: await import(pathToFileURL(resolve(root, h.main)).href) })));
  await Promise.all(
    definitions.map(async ({ module, env }) => {
      // Each subgraph sees the host's environment (secrets, NODE_ENV) plus its own settings.
      started.push(await startSubgraph(module.subgraph, { ...process.env, ...env }));
    }),
  );
} catch (err) {
  createLogger('subgraph-host').fatal({ err: (err as Error).message }, 'a hosted subgraph failed to start; stopping them all');
  await stop(1);
}
