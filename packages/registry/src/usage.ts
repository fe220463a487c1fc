import type { ApolloServerPlugin } from '@apollo/server';
import { stripSensitiveLiterals } from '@apollo/utils.stripsensitiveliterals';
import { parse, print } from 'graphql';
import type { Logger } from '@gerbang/common';
import { sha256, type RegistryStore } from './store';

interface Pending {
  hash: string;
  client: string;
  operationName: string | null;
  document: string;
  count: number;
  lastSeen: Date;
}

/**
 * Records the operations the gateway serves, for the registry's usage check: per document hash
 * and client name, a count and when it was last seen. The document is kept with its literals
 * blanked (a NIK written inline in a query never reaches the table), which validates the same.
 * Counts are batched in memory and written every `flushMs` (one statement per batch).
 */
export class ServedOperations {
  private pending = new Map<string, Pending>();
  private readonly documents = new Map<string, { hash: string; document: string }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: RegistryStore,
    private readonly logger: Logger,
    private readonly options: { flushMs?: number; maxPending?: number } = {},
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 10_000);
    this.timer.unref();
  }

  /** Called for each operation that passed validation. */
  record(source: string, operationName: string | null, client: string | undefined): void {
    let doc = this.documents.get(source);
    if (!doc) {
      let document: string;
      try {
        const ast = parse(source, { noLocation: true });
        document = print(stripSensitiveLiterals(ast, { hideListAndObjectLiterals: true }));
      } catch {
        return;
      }
      doc = { hash: sha256(document), document };
      if (this.documents.size > 5_000) this.documents.clear();
      this.documents.set(source, doc);
    }
    const who = client ?? 'unknown';
    const key = `${doc.hash}\u0000${who}`;
    const entry = this.pending.get(key);
    if (entry) {
      entry.count++;
      entry.lastSeen = new Date();
    } else if (this.pending.size < (this.options.maxPending ?? 10_000)) {
      this.pending.set(key, { hash: doc.hash, client: who, operationName, document: doc.document, count: 1, lastSeen: new Date() });
    }
  }

  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.store.recordServed(batch);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message, operations: batch.length }, 'served operations not recorded (registry database)');
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** The Apollo Server plugin that feeds it. */
  plugin<T extends { clientName?: string }>(): ApolloServerPlugin<T> {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async (rc) => {
          if (rc.source) this.record(rc.source, rc.operationName ?? null, rc.contextValue.clientName);
        },
      }),
    };
  }
}
