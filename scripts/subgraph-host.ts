/**
 * Hosts several subgraphs in one process for `npm start`: the libraries (graphql, Apollo,
 * type-graphql, MikroORM) load once instead of once per subgraph, which on two cores is most of
 * the start-up time. Each subgraph still listens on its own port with its own configuration, and
 * each can run alone from its main.ts. Input: GERBANG_HOSTED = JSON [{ name, main, env }].
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { createLogger, startSubgraph, stopSubgraphs, type StartedSubgraph, type SubgraphMainOptions } from '@gerbang/common';

const hosted = JSON.parse(process.env.GERBANG_HOSTED ?? '[]') as { name: string; main: string; env: Record<string, string> }[];
delete process.env.GERBANG_HOSTED;
const root = resolve(import.meta.dirname, '..');
const started: StartedSubgraph[] = [];

// Each hosted subgraph drains as it would alone (common's stopSubgraphs), then the host exits.
const logger = createLogger('subgraph-host');
process.once('SIGINT', () => void stopSubgraphs(started, 'SIGINT', logger));
process.once('SIGTERM', () => void stopSubgraphs(started, 'SIGTERM', logger));

const results = await Promise.allSettled(
  hosted.map(async ({ name, main, env }) => {
    try {
      // A subgraph's main.ts exports its definition (defineSubgraph) as `subgraph`.
      const module = (await import(pathToFileURL(resolve(root, main)).href)) as { subgraph: SubgraphMainOptions<z.ZodRawShape> };
      // Each subgraph sees the host's environment (secrets, NODE_ENV) plus its own settings.
      started.push(await startSubgraph(module.subgraph, { ...process.env, ...env }));
    } catch (err) {
      // Named, so that `npm start` can say which subgraph did not start.
      logger.fatal({ subgraph: name, err: (err as Error).stack ?? (err as Error).message }, `subgraph ${name} did not start`);
      throw err;
    }
  }),
);
if (results.some((r) => r.status === 'rejected')) await stopSubgraphs(started, 'a subgraph did not start', logger, 1);
