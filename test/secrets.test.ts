import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  developmentValueProblem,
  INTERNAL_SECRET_DEV,
  isSecretSchema,
  KNOWN_DEVELOPMENT_VALUES,
  parseConfig,
  secret,
  secretProblems,
  subgraphConfigSchema,
  type SubgraphMainOptions,
} from '@gerbang/common';
import { TEST_INTERNAL_SECRET } from '@gerbang/testing';
import { readGatewayConfig } from '@gerbang/gateway';
import { subgraph as directory } from '../subgraphs/directory/src/main';
import { subgraph as ratings } from '../subgraphs/ratings/src/main';
import { subgraph as population } from '../subgraphs/population/src/main';
import { subgraph as staff } from '../subgraphs/staff/src/main';
import { subgraph as licensing } from '../subgraphs/licensing/src/main';
import { subgraph as landTax } from '../subgraphs/land-tax/src/main';
import { subgraph as health } from '../subgraphs/health/src/main';
import { subgraph as social } from '../subgraphs/social/src/main';

/**
 * Issue 11, finding 1: in production `INTERNAL_SIGNING_SECRET='prod-…,dev-internal-signing-secret-change-me'`
 * was accepted (the `dev-` check looked at the whole string), and a call signed with the public
 * development secret then read data as admin. Every key of every list, in every process, is now
 * checked, and the development values this repository publishes without a `dev-` prefix too.
 */
const root = resolve(import.meta.dirname, '..');
const REAL = 'a-real-secret-from-the-vault-0123';
const OTHER = 'another-real-secret-from-the-vault';
/** Every development value: the `dev-` defaults in the code and the published ones without the prefix. */
const DEVELOPMENT = [INTERNAL_SECRET_DEV, 'dev-rater-pepper-change-me-0123456789', 'dev-ticket-feed-key-dinsos', ...KNOWN_DEVELOPMENT_VALUES];

/** A setting that holds a secret, by its name; an address (`*_URL`, e.g. PORTAL_OIDC_TOKEN_URL) is not one, whatever it names. */
const isSecretName = (name: string) => /^[A-Z_]*(?:SECRET|KEY|PASSWORD|PEPPER|TOKEN)[A-Z_]*$/.test(name) && !name.endsWith('_URL');

describe('which settings are secrets', () => {
  it('judges names: a token, key or password is; an address of one is not', () => {
    expect(['METRICS_TOKEN', 'INTERNAL_SIGNING_SECRET', 'POSTGRES_PASSWORD', 'TICKET_FEED_KEYS', 'RATER_PEPPER'].filter(isSecretName)).toHaveLength(5);
    expect(['PORTAL_OIDC_TOKEN_URL', 'JWT_JWKS_URL', 'PORTAL_OIDC_CLIENT_ID', 'PORT'].filter(isSecretName)).toEqual([]);
  });
});

describe('secret()', () => {
  const parse = (value: string | undefined, options?: { list?: boolean }) => secret('dev-x', { NODE_ENV: 'production' }, options).safeParse(value);

  it('checks every key of a rotation list, not the string as a whole', () => {
    expect(parse(`${REAL},${INTERNAL_SECRET_DEV}`, { list: true }).success).toBe(false);
    expect(secretProblems(`${REAL}, ${INTERNAL_SECRET_DEV}`, { list: true })).toEqual(['key 2 of 2 is a development default (dev-…); set a real secret in production']);
    expect(secretProblems(`${REAL},${TEST_INTERNAL_SECRET}`, { list: true })).toEqual(['key 2 of 2 is a development value published in this repository; set a real secret in production']);
    expect(secretProblems(`${REAL},short`, { list: true })).toEqual(['key 2 of 2 must be at least 16 characters']);
    expect(secretProblems(' , ', { list: true })).toEqual(['is empty']);
    expect(parse(`${REAL},${OTHER}`, { list: true })).toEqual({ success: true, data: `${REAL},${OTHER}` });
  });

  it('refuses the published development values by value, with or without the dev- prefix', () => {
    for (const value of DEVELOPMENT) expect(parse(value).success, value).toBe(false);
    expect(parse(REAL).success).toBe(true);
    // Outside production they are what `npm start` and the tests run on.
    expect(secret('dev-x', {}).parse(undefined)).toBe('dev-x');
    expect(secret('dev-x', {}).parse(TEST_INTERNAL_SECRET)).toBe(TEST_INTERNAL_SECRET);
  });
});

describe('the published development values stay known', () => {
  const read = (file: string) => readFileSync(join(root, file), 'utf8');

  it('include the test, bench and e2e secrets and the test ledger key', () => {
    const fromSources = [
      TEST_INTERNAL_SECRET,
      /ledgerUrl: [^\n]*key: '([^']+)'/.exec(read('packages/testing/src/index.ts'))![1]!,
      /BENCH_INTERNAL_SECRET = '([^']+)'/.exec(read('bench/ratings/reports.ts'))![1]!,
      ...[...read('test/support/stack.ts').matchAll(/'(e2e-[a-z-]+)'/g)].map((m) => m[1]!).filter((v) => v !== 'e2e-hub' && v !== 'e2e-cons'),
      ...[...read('test/support/stack.ts').matchAll(/accessLogKey: '([^']+)'/g)].map((m) => m[1]!),
    ];
    for (const value of fromSources) expect(developmentValueProblem(value), value).toBeDefined();
  });

  it("include every secret of .env.development (docker-compose.yml has no default for one) and of npm start's topology", () => {
    const compose = read('docker-compose.yml');
    expect([...compose.matchAll(/\$\{([A-Z_]+):-[^}]*\}/g)].map((m) => m[1]!).filter(isSecretName)).toEqual([]);
    const development = Object.entries(parseEnv(read('.env.development')) as Record<string, string>).filter(([name]) => isSecretName(name));
    expect(development.map(([name]) => name)).toEqual(expect.arrayContaining(['POSTGRES_PASSWORD', 'INTERNAL_SIGNING_SECRET', 'SISMIOP_READONLY_PASSWORD', 'RATER_PEPPER', 'METRICS_TOKEN']));
    for (const [name, value] of development) expect(developmentValueProblem(value), name).toBeDefined();
    const topology = read('scripts/topology.ts');
    const values = [...topology.matchAll(/([A-Z_]*(?:SECRET|KEY|PASSWORD|PEPPER|TOKEN)[A-Z_]*): '([^']+)'/g)].map((m) => [m[1]!, m[2]!] as const).filter(([name]) => isSecretName(name));
    expect(values.length).toBeGreaterThan(5);
    for (const [name, value] of values) expect(developmentValueProblem(value), name).toBeDefined();
  });
});

describe('the gateway in production', () => {
  const prod = {
    NODE_ENV: 'production',
    JWT_JWKS_URL: 'https://idp.example.invalid/jwks',
    JWT_ISSUER: 'https://idp.example.invalid',
    INTERNAL_SIGNING_SECRET: REAL,
    DATABASE_URL: 'postgresql://gateway@db.invalid/gerbang',
  };

  it('refuses a development key inside the signing-secret rotation list', () => {
    expect(readGatewayConfig({ ...prod, INTERNAL_SIGNING_SECRET: `${REAL},${OTHER}` }).INTERNAL_SIGNING_SECRET).toBe(`${REAL},${OTHER}`);
    expect(() => readGatewayConfig({ ...prod, INTERNAL_SIGNING_SECRET: `${REAL},${INTERNAL_SECRET_DEV}` })).toThrow(/INTERNAL_SIGNING_SECRET: key 2 of 2 is a development default/);
    expect(() => readGatewayConfig({ ...prod, INTERNAL_SIGNING_SECRET: `${TEST_INTERNAL_SECRET},${REAL}` })).toThrow(/INTERNAL_SIGNING_SECRET: key 1 of 2 is a development value/);
  });

  it('refuses a published metrics token and database or Redis passwords', () => {
    expect(() => readGatewayConfig({ ...prod, METRICS_TOKEN: TEST_INTERNAL_SECRET })).toThrow(/METRICS_TOKEN: is a development value/);
    expect(() => readGatewayConfig({ ...prod, DATABASE_URL: 'postgresql://gerbang:gerbang@postgres:5432/gerbang' })).toThrow(/DATABASE_URL: has a password that is a development value/);
    expect(() => readGatewayConfig({ ...prod, REDIS_URL: 'redis://:dev-redis-password@redis:6379' })).toThrow(/REDIS_URL: has a password that is a development default/);
    expect(readGatewayConfig({ ...prod, DATABASE_URL: `postgresql://gerbang:${REAL}@postgres:5432/gerbang` }).DATABASE_URL).toContain(REAL);
  });
});

const SUBGRAPHS: SubgraphMainOptions<z.ZodRawShape>[] = [directory, ratings, population, staff, licensing, landTax, health, social] as never;

describe('every subgraph in production', () => {
  /** Production, every secret of the subgraph set to a real value. */
  function productionEnv(def: SubgraphMainOptions<z.ZodRawShape>): Record<string, string> {
    const env: Record<string, string> = { NODE_ENV: 'production' };
    for (const [key, schema] of Object.entries(subgraphConfigSchema(def, env).shape)) if (isSecretSchema(schema)) env[key] = `${REAL}-${key.toLowerCase()}`;
    if (def.name === 'ratings') env.TICKET_FEED_KEYS = `dinsos=${REAL}`;
    return env;
  }
  const parse = (def: SubgraphMainOptions<z.ZodRawShape>, env: Record<string, string>) => parseConfig(subgraphConfigSchema(def, env), env, `${def.name} configuration`);

  it.each(SUBGRAPHS.map((def) => [def.name, def] as const))('%s: refuses a development key in any secret, and in the signing-secret list', (name, def) => {
    // The test runner's own NODE_ENV is not production: the subgraph judges the environment it reads.
    expect(process.env.NODE_ENV).not.toBe('production');
    const env = productionEnv(def);
    expect(() => parse(def, env)).not.toThrow();
    const secrets = Object.keys(env).filter((k) => k !== 'NODE_ENV' && k !== 'TICKET_FEED_KEYS');
    expect(secrets).toContain('INTERNAL_SIGNING_SECRET');
    for (const key of secrets) {
      for (const value of DEVELOPMENT) expect(() => parse(def, { ...env, [key]: value }), `${name} ${key}=${value}`).toThrow(new RegExp(`${key}: .*(development|at least 16)`));
    }
    expect(() => parse(def, { ...env, INTERNAL_SIGNING_SECRET: `${REAL},${INTERNAL_SECRET_DEV}` })).toThrow(/INTERNAL_SIGNING_SECRET: key 2 of 2 is a development default/);
    expect(() => parse(def, { ...env, DATABASE_URL: 'postgresql://gerbang:gerbang@postgres:5432/gerbang' })).toThrow(/DATABASE_URL: has a password that is a development value/);
    // Outside production the development defaults stand in for every secret.
    expect(() => parse(def, {})).not.toThrow();
  });

  it('land-tax: refuses the SISMIOP reader password of the development setup', () => {
    const env = productionEnv(landTax);
    expect(() => parse(landTax as never, { ...env, SISMIOP_DATABASE_URL: 'postgresql://gerbang_sismiop_reader:dev-sismiop-reader-password@sim-sismiop:4115/gerbang' })).toThrow(
      /SISMIOP_DATABASE_URL: has a password that is a development default/,
    );
  });

  it('ratings: refuses a development key for any agency in TICKET_FEED_KEYS, and an agency named twice', () => {
    const env = productionEnv(ratings);
    for (const value of DEVELOPMENT.filter((v) => v.length >= 16)) {
      expect(() => parse(ratings as never, { ...env, TICKET_FEED_KEYS: `dinsos=${REAL},dispendukcapil=${value}` }), value).toThrow(/key of dispendukcapil is a development/);
    }
    expect(() => parse(ratings as never, { ...env, TICKET_FEED_KEYS: `dinsos=${REAL},dinsos=dev-ticket-feed-key-dinsos` })).toThrow(/names dinsos twice/);
  });
});

/** Runs a main.ts until it exits (or 20 s pass), returns its exit code and output. */
async function run(main: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, main)], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? root, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  clearTimeout(timer);
  return { code, output };
}

describe('every process refuses development credentials in production', () => {
  const cases: [string, string, Record<string, string>, RegExp][] = [
    [
      'gateway',
      'gateway/src/main.ts',
      { INTERNAL_SIGNING_SECRET: `${REAL},${INTERNAL_SECRET_DEV}`, JWT_JWKS_URL: 'https://idp.example.invalid/jwks', DATABASE_URL: 'postgresql://gateway@127.0.0.1:1/gerbang' },
      /INTERNAL_SIGNING_SECRET: key 2 of 2 is a development default/,
    ],
    [
      'staff subgraph',
      'subgraphs/staff/src/main.ts',
      { INTERNAL_SIGNING_SECRET: `${REAL},${INTERNAL_SECRET_DEV}`, BKPSDM_CLIENT_SECRET: REAL },
      /INTERNAL_SIGNING_SECRET: key 2 of 2 is a development default/,
    ],
    ['SIAK simulator', 'simulators/siak/src/main.ts', { SIAK_API_KEY: 'dev-siak-key' }, /SIAK_API_KEY is a development default/],
    ['SIMPEG simulator', 'simulators/bkpsdm/src/main.ts', { BKPSDM_CLIENT_ID: 'gerbang-hub', BKPSDM_CLIENT_SECRET: 'e2e-bkpsdm-secret' }, /BKPSDM_CLIENT_SECRET is a development value/],
    ['OSS simulator', 'simulators/oss/src/main.ts', { OSS_USER_KEY: 'dev-oss-key' }, /OSS_USER_KEY is a development default/],
    ['SIMPERDA simulator', 'simulators/permit-soap/src/main.ts', { PERMIT_SOAP_USERNAME: 'gerbang-hub', PERMIT_SOAP_PASSWORD: 'dev-permit-password' }, /PERMIT_SOAP_PASSWORD is a development default/],
    [
      'clinic queue simulator',
      'simulators/clinic-queue/src/main.ts',
      { CLINIC_CONS_ID: 'cons-3503', CLINIC_CONS_SECRET: 'e2e-clinic-secret', CLINIC_USER_KEY: REAL },
      /CLINIC_CONS_SECRET is a development value/,
    ],
    [
      'SISMIOP simulator',
      'simulators/sismiop/src/main.ts',
      { DATABASE_URL: 'postgresql://gerbang:gerbang@127.0.0.1:1/gerbang', SISMIOP_INSTALL: '0', SISMIOP_PROXY_PORT: '0', SISMIOP_READONLY_PASSWORD: 'dev-sismiop-reader-password' },
      /SISMIOP_READONLY_PASSWORD is a development default.*DATABASE_URL has a password/,
    ],
  ];

  it.each(cases)(
    '%s',
    async (_name, main, env, message) => {
      const { code, output } = await run(main, { NODE_ENV: 'production', ...env });
      expect(code, output).toBe(1);
      expect(output).toMatch(message);
      expect(output).toMatch(/"level":"fatal"/);
    },
    30_000,
  );
});
