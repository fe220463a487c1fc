import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '@gerbang/common';

/**
 * Serves the supergraph from a file and hot-swaps it when the file changes (a new composition
 * is deployed by writing the file). A file that does not load leaves the running graph in place.
 */
export function supergraphFromFile(path: string, logger: Logger, intervalMs = 1_000): SupergraphSdlHook {
  return async ({ update }) => {
    let current = readFileSync(path, 'utf8');
    watchFile(path, { interval: intervalMs, persistent: false }, () => {
      let next: string;
      try {
        next = readFileSync(path, 'utf8');
      } catch (err) {
        logger.error({ err, path }, 'supergraph file unreadable; keeping the current graph');
        return;
      }
      if (next === current) return;
      try {
        update(next);
        current = next;
        logger.info({ path }, 'supergraph reloaded');
      } catch (err) {
        logger.error({ err, path }, 'new supergraph rejected; keeping the current graph');
      }
    });
    return { supergraphSdl: current, cleanup: async () => unwatchFile(path) };
  };
}

/** Subgraph names and URLs, read from the supergraph's join__Graph enum. */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  const out: { name: string; url: string }[] = [];
  const re = /@join__graph\(name:\s*"([^"]+)",\s*url:\s*"([^"]+)"\)/g;
  for (let m = re.exec(supergraphSdl); m; m = re.exec(supergraphSdl)) out.push({ name: m[1]!, url: m[2]! });
  return out;
}
