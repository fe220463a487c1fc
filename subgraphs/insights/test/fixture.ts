import pg from 'pg';
import { createLogger, verifierFromSecret, PostgresAccessLog } from '@gerbang/common';
import { TEST_INTERNAL_SECRET, testDatabaseUrl, testOrm, uniqueSchema } from '@gerbang/testing';
import * as ratings from '../../ratings/src/server';
import { createInsightsServer, migrations } from '../src/server';
import { generateHistory } from '../src/history/generate';
import { DEFAULT_PRIVACY } from '../src/cube/engine';
import { DEFAULT_EXPORT, type InsightsConfig } from '../src/config';

export const HISTORY = { seed: 3, months: 14, citizens: 4000, endMonth: '2026-11', now: new Date('2026-11-25T03:00:00Z') };

const testConfig = (overrides: Partial<InsightsConfig> = {}): InsightsConfig => ({
  ledgerSchema: 'ratings',
  policy: { privacy: DEFAULT_PRIVACY, dailyBudget: 50_000_000, maxRows: 5000, maxMonths: 60 },
  analyticsUrl: undefined,
  analyticsPoolMax: 2,
  statementTimeoutMs: 10_000,
  refreshIntervalMs: 0,
  fullRefreshHours: 24,
  demoHistory: null,
  export: { ...DEFAULT_EXPORT },
  ...overrides,
});

/**
 * A ledger (the ratings subgraph's migrations, test-only: the insights code reads its tables by
 * schema name, never by import), an insights schema, a generated history, the rollups and the
 * server on port 0.
 */
export async function insightsFixture(overrides: Partial<InsightsConfig> = {}) {
  const logger = createLogger('insights-test', 'silent');
  const ledger = await testOrm({ schemaPrefix: 'ratings', migrations: ratings.migrations });
  const own = await testOrm({ schemaPrefix: 'insights', migrations });
  const auditSchema = uniqueSchema('audit');
  const accessLog = await PostgresAccessLog.open({ url: testDatabaseUrl(), schema: auditSchema, logger });
  const db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
  const client = await db.connect();
  try {
    await generateHistory(client, { ...HISTORY, ledgerSchema: ledger.schema, insightsSchema: own.schema });
  } finally {
    client.release();
  }
  const config = testConfig({ ledgerSchema: ledger.schema, ...overrides });
  const server = await createInsightsServer({ orm: own.orm, accessLog, auditSchema, logger, verifier: verifierFromSecret(TEST_INTERNAL_SECRET), config, schema: own.schema, now: () => HISTORY.now });
  await server.refreshNow();
  const running = await server.listen(0);
  return {
    url: running.url,
    server,
    db,
    accessLog,
    ledgerSchema: ledger.schema,
    insightsSchema: own.schema,
    auditSchema,
    config,
    async close() {
      await running.close();
      await accessLog.close();
      await db.query(`drop schema if exists "${auditSchema}" cascade`);
      await db.end();
      await own.drop();
      await ledger.drop();
    },
  };
}

export const ANALYST = { sub: 'usr-analis', roles: ['analyst' as const], name: 'Dewi Lestari' };

export const ASK = `query Ask($q: InsightQuestionInput!) {
  insights(question: $q) {
    rows { agency { id } service { id } month week day kecamatan { code name } channel positionClass
      cells { measure value suppressed previous previousSuppressed change } }
    measures { measure unit definition minimumCellSize }
    suppressedCells cost budgetRemaining previousFrom previousTo dataAsOf
  }
}`;
