import { z } from 'zod';

/**
 * Configuration is read from the environment once, validated, and handed around typed.
 * No secret has a default in production; in development some have a clearly-named dev value.
 */
export const isProduction = (env: NodeJS.ProcessEnv = process.env) => env.NODE_ENV === 'production';

export function parseConfig<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env, name = 'configuration'): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid ${name}:\n${lines.join('\n')}`);
  }
  return result.data;
}

/**
 * Values this repository publishes for development, tests and benchmarks that do not follow the
 * `dev-` naming: anyone can read them here, so in production they are as good as no secret. Kept
 * in step with their sources by test/secrets.test.ts (the test and bench signing secrets, the
 * test ledger's feed key, the e2e stack's agency credentials, docker-compose.yml's defaults).
 */
export const KNOWN_DEVELOPMENT_VALUES: ReadonlySet<string> = new Set([
  // packages/testing: TEST_INTERNAL_SECRET and FakeLedger's feed key
  'test-internal-signing-secret-0123456789',
  'feed-key-for-tests-0001',
  // bench/ratings: BENCH_INTERNAL_SECRET
  'bench-internal-signing-secret-0123456789',
  // test/support/stack.ts: the e2e stack's agency-system credentials
  'e2e-siak-key',
  'e2e-bkpsdm-secret',
  'e2e-oss-user-key',
  'e2e-permit-password',
  'e2e-clinic-secret',
  'e2e-clinic-user-key',
  'e2e-access-log-hash-key',
  'e2e-documents-url-secret',
  // docker-compose.yml's former POSTGRES_PASSWORD default (it now has none: .env.development sets dev-… values)
  'gerbang',
]);

/** Why a value must not serve as a production secret, or undefined when it may. */
export function developmentValueProblem(value: string): string | undefined {
  if (value.startsWith('dev-')) return 'is a development default (dev-…)';
  if (KNOWN_DEVELOPMENT_VALUES.has(value)) return 'is a development value published in this repository';
  return undefined;
}

/**
 * The keys of a secret that is a comma-separated rotation list (current first, then older ones):
 * what the processes that split it see, trimmed, empty entries dropped.
 */
export const secretKeys = (value: string): string[] =>
  value
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);

/**
 * What production refuses in one secret: a development value, or one shorter than 16 characters.
 * A rotation list (`list`) is judged key by key: one public development key among real ones
 * would still let anyone sign.
 */
export function secretProblems(value: string, options: { list?: boolean } = {}): string[] {
  const keys = options.list ? secretKeys(value) : [value];
  if (!keys.length) return ['is empty'];
  const problems: string[] = [];
  keys.forEach((key, i) => {
    const which = options.list && keys.length > 1 ? `key ${i + 1} of ${keys.length} ` : '';
    const dev = developmentValueProblem(key);
    // Development values may be short and readable; real secrets must not be guessable.
    if (dev) problems.push(`${which}${dev}; set a real secret in production`);
    else if (key.length < 16) problems.push(`${which}must be at least 16 characters`);
  });
  return problems;
}

/** Schemas made by `secret()`, so that tests and tools can find every secret of a configuration. */
const SECRET_SCHEMAS = new WeakSet<z.ZodType>();
export const isSecretSchema = (schema: unknown): boolean => typeof schema === 'object' && schema !== null && SECRET_SCHEMAS.has(schema as z.ZodType);

/**
 * A secret: required in production, where development values are refused (see
 * secretProblems; `list: true` for a comma-separated rotation list, checked key by key).
 * Outside production, unset means `devDefault`.
 */
export function secret(devDefault: string, env: NodeJS.ProcessEnv = process.env, options: { list?: boolean } = {}) {
  const prod = isProduction(env);
  const schema = z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) {
        if (prod) {
          ctx.addIssue({ code: 'custom', message: 'is required in production' });
          return z.NEVER;
        }
        return devDefault;
      }
      if (prod) {
        const problems = secretProblems(v, options);
        for (const message of problems) ctx.addIssue({ code: 'custom', message });
        if (problems.length) return z.NEVER;
      }
      return v;
    });
  SECRET_SCHEMAS.add(schema);
  return schema;
}

/**
 * A connection URL that may carry a password (DATABASE_URL, SISMIOP_DATABASE_URL): in production
 * its password must not be a development value (docker-compose.yml's default is `gerbang`).
 * A URL without a password (certificates, a pgpass file, trust on a private socket) is left alone.
 */
export function urlPasswordProblem(url: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!url || !isProduction(env)) return undefined;
  let password: string;
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return undefined;
  }
  if (!password) return undefined;
  const dev = developmentValueProblem(password);
  return dev ? `has a password that ${dev}; set a real one in production` : undefined;
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** A shutdown's deadline for requests in flight (SHUTDOWN_DRAIN_MS, every server: gateway and subgraphs), in ms. */
export const SHUTDOWN_DRAIN_MS_DEFAULT = 10_000;
export const shutdownDrainMs = (fallback = SHUTDOWN_DRAIN_MS_DEFAULT) => z.coerce.number().int().min(0).max(600_000).default(fallback);

/** The secret the gateway signs subgraph calls with (comma-separated: current first, then older). */
export const INTERNAL_SECRET_DEV = 'dev-internal-signing-secret-change-me';
