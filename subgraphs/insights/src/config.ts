import { z } from 'zod';
import { AGENCY_MEASURES, databaseUrl, isProduction, type AgencyMeasure } from '@gerbang/common';
import { DEFAULT_PRIVACY } from './cube/engine';
import { DEFAULT_INSIGHTS_POLICY, type InsightsPolicy } from './cube/insights.service';
import { BASES, type Basis } from './cube/model';

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const ident = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a plain lower-case identifier');

/** Minimum cell size of each agency measure unless INSIGHTS_AGENCY_K says otherwise. */
const DEFAULT_AGENCY_K = 10;

/**
 * A minimum-cell-size list: `10` for every key, or per key, e.g. `10,RATINGS=5,APPEALS=5` (the
 * first number, if any, is the default); `name` and `KEY` say what the keys are in errors.
 */
function parseKList<K extends string>(spec: string, keys: readonly K[], defaults: Record<K, number>, name: string, KEY: string): Record<K, number> {
  const k = { ...defaults };
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(?:([A-Z_]+)=)?(\d+)$/.exec(part);
    if (!m) throw new Error(`"${part}" is neither a number nor ${KEY}=number`);
    const n = Number(m[2]);
    if (n < 2 || n > 1000) throw new Error(`k must be 2–1000 (got ${n})`);
    if (!m[1]) for (const key of keys) k[key] = n;
    else if ((keys as readonly string[]).includes(m[1])) k[m[1] as K] = n;
    else throw new Error(`unknown ${name} ${m[1]} (one of ${keys.join(', ')})`);
  }
  return k;
}

/** INSIGHTS_K: the minimum cell size per basis, e.g. `10,RATINGS=5,APPEALS=5`. */
export const parseK = (spec: string): Record<Basis, number> => parseKList(spec, BASES, DEFAULT_PRIVACY.k, 'basis', 'BASIS');

/** INSIGHTS_AGENCY_K: the minimum cell size per agency measure (cube/federated.ts), e.g. `10,CLINIC_BOOKINGS=20`. */
export const parseAgencyK = (spec: string): Record<AgencyMeasure, number> =>
  parseKList(spec, AGENCY_MEASURES, Object.fromEntries(AGENCY_MEASURES.map((m) => [m, DEFAULT_AGENCY_K])) as Record<AgencyMeasure, number>, 'agency measure', 'MEASURE');

/** A variable parsed by `parse`, its error a configuration error. */
const parsed = <T>(fallback: string, parse: (v: string) => T) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      try {
        return parse(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    });

/** Environment of the insights subgraph, on top of every subgraph's (PORT, DATABASE_URL, …). */
export const insightsEnv = (env: NodeJS.ProcessEnv = process.env) => ({
  ANALYTICS_DATABASE_URL: databaseUrl(env),
  ANALYTICS_POOL_MAX: int(2, 1, 20),
  INSIGHTS_STATEMENT_TIMEOUT_MS: int(5000, 100, 600_000),
  INSIGHTS_LEDGER_SCHEMA: ident.default('ratings'),
  INSIGHTS_K: parsed('10', parseK),
  /** Minimum cell size of the agency measures (cube/federated.ts), e.g. `10,CLINIC_BOOKINGS=20`. */
  INSIGHTS_AGENCY_K: parsed(String(DEFAULT_AGENCY_K), parseAgencyK),
  INSIGHTS_MIN_OFFICERS: int(DEFAULT_PRIVACY.minOfficers, 2, 100),
  INSIGHTS_DAILY_BUDGET: int(DEFAULT_INSIGHTS_POLICY.dailyBudget, 1, Number.MAX_SAFE_INTEGER),
  INSIGHTS_MAX_ROWS: int(DEFAULT_INSIGHTS_POLICY.maxRows, 1, 100_000),
  INSIGHTS_EXPORT_MAX_ROWS: int(DEFAULT_EXPORT.maxRows, 1, 10_000_000),
  INSIGHTS_EXPORT_BATCH_ROWS: int(DEFAULT_EXPORT.batchRows, 10, 100_000),
  INSIGHTS_REFRESH_INTERVAL_MS: int(60_000, 0, 86_400_000),
  INSIGHTS_FULL_REFRESH_HOURS: int(24, 1, 24 * 31),
  /** Months of generated history the demo gets at its first start (0: none; always 0 in production). */
  INSIGHTS_DEMO_HISTORY_MONTHS: int(isProduction(env) ? 0 : 3, 0, 36),
  INSIGHTS_DEMO_HISTORY_CITIZENS: int(20_000, 10, 1_000_000),
});

export type InsightsEnv = z.infer<z.ZodObject<ReturnType<typeof insightsEnv>>>;

export interface InsightsConfig {
  ledgerSchema: string;
  policy: InsightsPolicy;
  analyticsUrl: string | undefined;
  analyticsPoolMax: number;
  statementTimeoutMs: number;
  refreshIntervalMs: number;
  /** Between full rebuilds, refreshes apply the ledger rows changed since the last one (deltas). */
  fullRefreshHours: number;
  demoHistory: { months: number; citizens: number; seed: number } | null;
  /** The streamed HTTP export: most rows per export, rows per cursor read and written batch. */
  export: { maxRows: number; batchRows: number };
  /** Minimum cell size per agency measure, sent to the agency subgraphs with each question (default: INSIGHTS_AGENCY_K's). */
  agencyK?: Record<AgencyMeasure, number>;
}

export const DEFAULT_EXPORT = { maxRows: 100_000, batchRows: 1000 };

export function insightsConfigFromEnv(env: InsightsEnv): InsightsConfig {
  if (isProduction() && env.INSIGHTS_DEMO_HISTORY_MONTHS > 0)
    throw new Error('insights configuration: INSIGHTS_DEMO_HISTORY_MONTHS must be 0 in production (it writes invented history into the ledger)');
  return {
    ledgerSchema: env.INSIGHTS_LEDGER_SCHEMA,
    policy: {
      privacy: { k: env.INSIGHTS_K, minOfficers: env.INSIGHTS_MIN_OFFICERS },
      dailyBudget: env.INSIGHTS_DAILY_BUDGET,
      maxRows: env.INSIGHTS_MAX_ROWS,
      maxMonths: DEFAULT_INSIGHTS_POLICY.maxMonths,
    },
    analyticsUrl: env.ANALYTICS_DATABASE_URL,
    analyticsPoolMax: env.ANALYTICS_POOL_MAX,
    statementTimeoutMs: env.INSIGHTS_STATEMENT_TIMEOUT_MS,
    refreshIntervalMs: env.INSIGHTS_REFRESH_INTERVAL_MS,
    fullRefreshHours: env.INSIGHTS_FULL_REFRESH_HOURS,
    demoHistory: env.INSIGHTS_DEMO_HISTORY_MONTHS > 0 ? { months: env.INSIGHTS_DEMO_HISTORY_MONTHS, citizens: env.INSIGHTS_DEMO_HISTORY_CITIZENS, seed: 1 } : null,
    export: { maxRows: env.INSIGHTS_EXPORT_MAX_ROWS, batchRows: env.INSIGHTS_EXPORT_BATCH_ROWS },
    agencyK: env.INSIGHTS_AGENCY_K,
  };
}

/** The defaults of every setting (development), with overrides: for tests and tools. */
export const defaultInsightsConfig = (overrides: Partial<InsightsConfig> = {}): InsightsConfig => ({
  ledgerSchema: 'ratings',
  policy: { privacy: { k: { ...DEFAULT_PRIVACY.k }, minOfficers: DEFAULT_PRIVACY.minOfficers }, ...DEFAULT_INSIGHTS_POLICY },
  analyticsUrl: undefined,
  analyticsPoolMax: 2,
  statementTimeoutMs: 5000,
  refreshIntervalMs: 60_000,
  fullRefreshHours: 24,
  demoHistory: null,
  export: { ...DEFAULT_EXPORT },
  ...overrides,
});
