import type { SupergraphSdlHook } from '@apollo/gateway';
import pg from 'pg';
import type { Logger } from '@gerbang/common';
import type { RegistryStore } from './store';

export interface RegistryHookOptions {
  /** Poll for a new version this often, in case a notification was lost (REGISTRY_POLL_MS). */
  pollMs?: number;
  /** Called with each version loaded (metrics, tests). */
  onVersion?: (version: number) => void;
}

/**
 * The gateway's supergraph, from the registry: the current version at start, then every new
 * version within moments of its commit. A LISTEN connection hears the registry's NOTIFY; a poll
 * (every `pollMs`) catches what a lost connection missed. @apollo/gateway swaps the schema for new
 * operations only: operations already executing finish on the graph they started with.
 */
export function supergraphFromRegistry(store: RegistryStore, logger: Logger, options: RegistryHookOptions = {}): { hook: SupergraphSdlHook; initial(): Promise<{ id: number; sdl: string }> } {
  let initial: { id: number; sdl: string } | undefined;
  const load = async () => {
    const current = await store.currentSupergraph();
    if (!current) throw new Error(`the registry (schema ${store.schema}) holds no supergraph yet: publish the subgraphs first`);
    return { id: current.id, sdl: current.sdl };
  };
  return {
    async initial() {
      initial ??= await load();
      return initial;
    },
    hook: async ({ update }) => {
      const first = initial ?? (await load());
      let loaded = first.id;
      options.onVersion?.(loaded);
      let stopped = false;
      let checking: Promise<void> | undefined;
      const check = () =>
        (checking ??= (async () => {
          try {
            const id = await store.currentSupergraphId();
            if (id === undefined || id === loaded) return;
            const next = await store.supergraph(id);
            if (!next || stopped) return;
            try {
              update(next.sdl);
              loaded = id;
              options.onVersion?.(id);
              logger.info({ version: id }, 'supergraph version loaded from the registry');
            } catch (err) {
              // Not loaded: the next notice or poll tries again; the running graph stays.
              logger.error({ err: (err as Error).message, version: id }, 'supergraph version rejected by the gateway; keeping the current graph');
              loaded = id;
            }
          } catch (err) {
            logger.warn({ err: (err as Error).message }, 'registry unreachable; keeping the current graph');
          } finally {
            checking = undefined;
          }
        })());

      let listener: pg.Client | undefined;
      const listen = async () => {
        if (stopped) return;
        const client = new pg.Client({ connectionString: store.options.url });
        client.on('error', () => undefined);
        client.on('end', () => {
          if (listener === client) listener = undefined;
          if (!stopped) setTimeout(() => void listen().catch(() => undefined), 2_000).unref();
        });
        client.on('notification', () => void check());
        try {
          await client.connect();
          await client.query(`LISTEN "${store.channel}"`);
          listener = client;
          // A version published while we were not listening.
          void check();
        } catch (err) {
          logger.warn({ err: (err as Error).message }, 'registry LISTEN failed; polling until it works');
          await client.end().catch(() => undefined);
        }
      };
      await listen();
      const poll = setInterval(() => void check(), options.pollMs ?? 5_000);
      poll.unref();
      return {
        supergraphSdl: first.sdl,
        cleanup: async () => {
          stopped = true;
          clearInterval(poll);
          await listener?.end().catch(() => undefined);
          await checking;
        },
      };
    },
  };
}
