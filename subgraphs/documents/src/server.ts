import pg from 'pg';
import DataLoader from 'dataloader';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createSubgraphHttpServer, Poller, ReadRecorder, withBackgroundWork, type AccessLog, type Logger, type RequestVerifier } from '@gerbang/common';
import type { DocumentsConfig } from './config';
import type { DocumentsContext } from './context';
import { filesRoute } from './files-route';
import { migrations } from './migrations';
import { buildDocumentsSchema } from './schema';
import { AttachmentService } from './service';
import { LocalDiskStore } from './storage/local';
import { S3Store } from './storage/s3';
import type { DocumentStore } from './storage/store';
import { LedgerTicketCheck, type TicketOwnership } from './tickets';

export { migrations, buildDocumentsSchema };
export { documentsConfigFromEnv, documentsEnv, type DocumentsConfig } from './config';
export const SCHEMA_NAME = 'documents';

export interface DocumentsServerOptions {
  orm: MikroORM;
  accessLog: AccessLog;
  logger: Logger;
  verifier: RequestVerifier;
  config: DocumentsConfig;
  /** The documents schema (SCHEMA_NAME unless a test says otherwise). */
  schema?: string;
  now?: () => Date;
  /** Whose a ticket is (default: the ledger at `config.ledger`, asked over HTTP). */
  tickets?: TicketOwnership;
}

export function createStore(config: DocumentsConfig): DocumentStore {
  return config.store.kind === 's3' ? new S3Store(config.store) : new LocalDiskStore(config.store.dir, config.store.secrets[0]!, config.store.publicUrl);
}

/** Builds the documents subgraph's HTTP server (GraphQL, and `/files` for the local store); starts nothing until `listen`. */
export async function createDocumentsServer(options: DocumentsServerOptions) {
  const { config, logger } = options;
  const db = new pg.Pool({ connectionString: options.orm.config.get('clientUrl')!, max: 4 });
  db.on('error', (err) => logger.warn({ err: err.message }, 'documents database connection lost'));
  const store = createStore(config);
  const ledger = options.tickets ? undefined : new LedgerTicketCheck(config.ledger);
  const service = new AttachmentService(db, options.schema ?? SCHEMA_NAME, store, config, options.tickets ?? ledger!, options.now);
  // Abandoned uploads: in every replica, side by side (the sweep skips rows another one holds).
  const sweeper = new Poller(
    async () => {
      const removed = await service.sweep(config.sweep);
      if (removed.pending || removed.unlinked) logger.info(removed, 'abandoned attachments removed');
      return removed;
    },
    { intervalMs: config.sweep.intervalMs, onError: (err) => logger.warn({ err: (err as Error).message }, 'sweep of abandoned attachments failed') },
  );
  const app = await createSubgraphHttpServer<DocumentsContext>({
    name: 'documents',
    schema: await buildDocumentsSchema(),
    logger,
    verifier: options.verifier,
    context: ({ requestId, caller, logger: log }) => ({
      requestId,
      caller,
      logger: log,
      attachments: service,
      byTicket: new DataLoader((ids: readonly string[]) => service.byTickets(ids)),
      reads: new ReadRecorder(options.accessLog, { source: 'documents', requestId, caller }),
    }),
    ready: { database: () => service.ping(), accessLog: () => options.accessLog.ping() },
    // The store is status, not readiness: with it down, the list and links still answer.
    status: async () => ({
      store: {
        kind: store.kind,
        ok: await store.ping().then(
          () => true,
          (err: unknown) => (err instanceof Error ? err.message : String(err)),
        ),
      },
    }),
    ...(store instanceof LocalDiskStore && config.store.kind === 'local' ? { routes: { '/files': filesRoute(store, config.store.secrets, logger, options.now) } } : {}),
  });
  return {
    ...withBackgroundWork(app, {
      start: () => sweeper.start(),
      stop: () => sweeper.stop(),
      release: async () => {
        ledger?.shutdown();
        await db.end();
        if (store instanceof S3Store) store.close();
      },
    }),
    attachments: service,
    /** One sweep of abandoned uploads now (what the timer does every `config.sweep.intervalMs`). */
    sweepNow: () => sweeper.runNow(),
  };
}
