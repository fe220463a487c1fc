import pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createSubgraphHttpServer, Poller, withBackgroundWork, type AccessLog, type Logger, type RequestVerifier } from '@gerbang/common';
import { migrations } from './migrations';
import { buildInsightsSchema } from './schema';
import { InsightsService } from './cube/insights.service';
import { AgencyInsightsService } from './cube/federated';
import { refreshRollups, type RefreshResult } from './cube/refresh';
import { exportRoute } from './cube/export-http';
import { generateHistory, upsertReference } from './history/generate';
import { parseAgencyK, type InsightsConfig } from './config';
import type { InsightsContext } from './context';

export { migrations, buildInsightsSchema };
export { defaultInsightsConfig, insightsConfigFromEnv, insightsEnv, type InsightsConfig } from './config';
export const SCHEMA_NAME = 'insights';

export interface InsightsServerOptions {
  orm: MikroORM;
  /** The access log, for readiness; questions are recorded in its table by the statement that charges them. */
  accessLog: AccessLog;
  /** The access log's schema (AUDIT_SCHEMA) in the same database. */
  auditSchema: string;
  logger: Logger;
  verifier: RequestVerifier;
  config: InsightsConfig;
  /** The insights schema (SCHEMA_NAME unless a test says otherwise). */
  schema?: string;
  now?: () => Date;
}

const jakartaMonth = (d: Date) => new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 7);

/**
 * Builds the insights subgraph's HTTP server; starts nothing until `listen`, which starts the
 * rollup refresh (every `refreshIntervalMs`) and, in development, the demo history once.
 */
export async function createInsightsServer(options: InsightsServerOptions) {
  const { config, logger } = options;
  const insightsSchema = options.schema ?? SCHEMA_NAME;
  const primaryUrl = options.orm.config.getClientUrl();
  const pool = (url: string, max: number, readOnly: boolean) => {
    const p = new pg.Pool({
      connectionString: url,
      max,
      // Analysts' questions never hold a citizen's request up: a short statement timeout, a small pool.
      options: `-c statement_timeout=${config.statementTimeoutMs}${readOnly ? ' -c default_transaction_read_only=on' : ''}`,
    });
    p.on('error', (err) => logger.warn({ err: err.message }, 'insights database connection lost'));
    return p;
  };
  const primary = pool(primaryUrl, 2, false);
  const analytics = pool(config.analyticsUrl ?? primaryUrl, config.analyticsPoolMax, true);
  const { auditSchema } = options;
  const insights = new InsightsService({ analytics, primary, auditSchema, ledgerSchema: config.ledgerSchema, insightsSchema, policy: config.policy, now: options.now, logger });
  const agencyInsights = new AgencyInsightsService({
    primary,
    auditSchema,
    logger,
    insightsSchema,
    k: config.agencyK ?? parseAgencyK(''),
    dailyBudget: config.policy.dailyBudget,
    maxMonths: config.policy.maxMonths,
    now: options.now,
  });
  const schema = await buildInsightsSchema();

  let lastRefresh: ({ at: string; startedAt: number } & RefreshResult) | null = null;
  let lastFullAt = 0;
  /**
   * A full rebuild at start and every `fullRefreshHours`; in between, the ledger's changes since
   * the last refresh are applied to the rollups as deltas (cube/refresh.ts).
   */
  const refresh = async (mode: 'full' | 'auto' = 'full') => {
    const startedAt = Date.now();
    // At start, the rollups' own cursors decide (a first refresh of an empty insights schema is full).
    const full = mode === 'full' || (lastFullAt > 0 && startedAt - lastFullAt >= config.fullRefreshHours * 3_600_000);
    const client = await primary.connect();
    try {
      // Long enough for a big ledger; only this session's timeout changes.
      await client.query(`set statement_timeout = 0`);
      const r = await refreshRollups(client, { ledger: config.ledgerSchema, insights: insightsSchema }, { full });
      lastRefresh = { at: new Date().toISOString(), startedAt, ...r };
      if (full || lastFullAt === 0) lastFullAt = startedAt;
      return r;
    } finally {
      client.release();
    }
  };
  const ledgerReady = async () => {
    const { rows } = await primary.query<{ ok: boolean }>(`select to_regclass($1) is not null as ok`, [`"${config.ledgerSchema}".tpp_appeal`]);
    return rows[0]!.ok;
  };
  const demoHistory = async () => {
    const client = await primary.connect();
    try {
      await client.query(`set statement_timeout = 0`);
      await upsertReference(client, insightsSchema);
      if (!config.demoHistory) return;
      const result = await generateHistory(client, {
        ...config.demoHistory,
        endMonth: jakartaMonth(options.now?.() ?? new Date()),
        ledgerSchema: config.ledgerSchema,
        insightsSchema,
      });
      if (!result.skipped) logger.info({ ...result, months: result.months.join(',') }, 'demo history generated');
    } finally {
      client.release();
    }
  };
  const poller = new Poller(
    async () => {
      // The ledger's tables are the ratings subgraph's: wait for its migrations on a fresh database.
      if (!(await ledgerReady())) throw new Error(`ledger schema ${config.ledgerSchema} not migrated yet`);
      if (!lastRefresh) await demoHistory();
      return refresh('auto');
    },
    { intervalMs: config.refreshIntervalMs, onError: (err) => logger.warn({ err: (err as Error).message }, 'insights rollup refresh failed; retrying'), reportAfter: 3 },
  );
  let firstRun: Promise<unknown> | null = null;
  let closed = false;
  // Read through a function: `close` may set it while `start` awaits.
  const isClosed = () => closed;
  /** At start: wait (up to two minutes) for the ledger's migrations, then history and rollups, then the timer. */
  const start = async () => {
    for (let i = 0; i < 240 && !closed; i++) {
      if (await ledgerReady().catch(() => false)) break;
      await new Promise((r) => setTimeout(r, 500).unref());
    }
    if (closed) return;
    await poller.runNow().catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'insights: first rollup refresh failed; retrying on the timer'));
    if (!isClosed()) poller.start();
  };

  const dataAsOf = async () => {
    const { rows } = await analytics.query<{ refreshed_at: Date }>(`select refreshed_at from "${insightsSchema}".refresh_state`);
    return rows[0] ? rows[0].refreshed_at.toISOString() : null;
  };
  const app = await createSubgraphHttpServer<InsightsContext>({
    name: 'insights',
    schema,
    logger,
    verifier: options.verifier,
    context: ({ requestId, caller, logger: log }) => ({
      requestId,
      caller,
      logger: log,
      insights,
      agencyInsights,
      policy: config.policy,
      dataAsOf,
    }),
    // The streamed export (CSV, Apache Arrow), signed by the gateway for `insights:export`.
    routes: {
      '/export': exportRoute({ insights, verifier: options.verifier, logger, policy: config.policy, ...config.export, dataAsOf, ...(options.now ? { now: options.now } : {}) }),
    },
    ready: { database: () => primary.query('select 1'), accessLog: () => options.accessLog.ping() },
    status: () => ({ rollups: lastRefresh }),
  });
  return {
    ...withBackgroundWork(app, {
      start: () => {
        // The first run (demo history, first rollups) in the background: readiness never waits on it.
        if (config.refreshIntervalMs > 0) firstRun = start();
      },
      stop: () => {
        closed = true;
        poller.stop();
      },
      release: async () => {
        await firstRun?.catch(() => undefined);
        await Promise.allSettled([primary.end(), analytics.end()]);
      },
    }),
    insights,
    /** Rebuilds the rollups now: whole (the default), or only the months changed since the last refresh. */
    refreshNow: (mode: 'full' | 'auto' = 'full') => refresh(mode),
  };
}
