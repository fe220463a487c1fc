import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { z } from 'zod';
import { parseConfig, subgraphConfigSchema, type SubgraphMainOptions } from '@gerbang/common';
import { ENTRY_POINTS } from '../scripts/build';
import { loadCompose, MissingVariableError, requiredVariables, type ComposeFile } from '../scripts/compose-env';
import { CONTAINER_DATA_DIR, GENERATED_FILES, SETTINGS } from '../scripts/docker-compose';
import { readDockerfile, runtimeStage } from '../scripts/dockerfile';
import { builtMain, COMPONENTS } from '../scripts/topology';

/**
 * There is no Docker engine on the development and CI machines, so docker-compose.yml and the
 * Dockerfile are checked for structure against what the code runs and reads (scripts/topology.ts
 * is the list `npm start` uses); `npm run check:image` runs them by hand.
 */
const root = join(import.meta.dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const composeText = read('docker-compose.yml');
const compose = parse(composeText) as ComposeFile;
const envExample = parseEnv(read('.env.example')) as Record<string, string>;
const envDevelopment = parseEnv(read('.env.development')) as Record<string, string>;

/** The package's own source plus the shared bootstrap: where a process's variables are named. */
function sourceOf(main: string): string {
  const dirs = [join(root, main.split('/src/')[0]!, 'src'), join(root, 'packages/common/src'), join(root, 'packages/simkit/src')];
  return dirs
    .flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => readFileSync(join(dir, f), 'utf8')),
    )
    .join('\n');
}

describe('generated files', () => {
  for (const [file, render] of Object.entries(GENERATED_FILES)) {
    it(`${file} is what \`npm run docker-compose\` writes`, () => {
      expect(read(file)).toBe(render());
    });
  }
});

describe('docker-compose.yml', () => {
  it('has PostgreSQL and Redis with health checks, restarted, and not published on the host', () => {
    for (const name of ['postgres', 'redis']) {
      const svc = compose.services[name]!;
      expect(svc.healthcheck).toBeDefined();
      expect(svc.restart).toBe('unless-stopped');
      // A PostgreSQL or Redis of the host's own often listens on 5432/6379 already.
      expect(svc.ports).toBeUndefined();
    }
  });

  it('publishes the gateway alone', () => {
    const published = Object.entries(compose.services).filter(([, s]) => s.ports?.length);
    expect(published.map(([n]) => n)).toEqual(['gateway']);
    expect(compose.services.gateway!.ports).toEqual(['${GATEWAY_PORT:-4000}:4000']);
  });

  it('holds no development secret: every secret and credential comes from the environment', () => {
    expect(composeText).not.toMatch(/dev-/);
    const required = requiredVariables(composeText);
    for (const name of [
      'INTERNAL_SIGNING_SECRET',
      'JWT_ISSUER',
      'JWT_AUDIENCE',
      'JWT_JWKS_URL',
      'RATER_PEPPER',
      'ACCESS_LOG_HASH_KEY',
      'METRICS_TOKEN',
      'POSTGRES_PASSWORD',
      'SIAK_API_KEY',
      'BKPSDM_CLIENT_SECRET',
      'OSS_USER_KEY',
      'PERMIT_SOAP_PASSWORD',
      'CLINIC_CONS_SECRET',
      'CLINIC_USER_KEY',
      'SISMIOP_READONLY_PASSWORD',
    ]) {
      expect(required.has(name), `${name} is not required`).toBe(true);
    }
    for (const c of COMPONENTS.filter((x) => x.feedAgency)) expect(compose.services[c.name]!.environment!.TICKET_FEED_KEY).toMatch(/^\$\{TICKET_FEED_KEY_[A-Z]+:\?/);
    expect(compose.services.ratings!.environment!.TICKET_FEED_KEYS!.split(',')).toHaveLength(COMPONENTS.filter((x) => x.feedAgency).length);
  });

  it('refuses to start with .env.example as it is, naming a missing value', () => {
    expect(() => loadCompose(join(root, 'docker-compose.yml'), envExample)).toThrow(MissingVariableError);
    expect(() => loadCompose(join(root, 'docker-compose.yml'), envExample)).toThrow(/required variable \w+ is missing a value: see \.env\.example/);
  });

  it('documents every variable it requires in .env.example, and .env.development sets each one', () => {
    for (const name of requiredVariables(composeText).keys()) {
      expect(envExample, `.env.example lacks ${name}`).toHaveProperty(name, '');
      expect(read('.env.example')).toMatch(new RegExp(`# .+\\n${name}=`));
      expect(envDevelopment[name], `.env.development lacks ${name}`).toBeTruthy();
    }
    for (const s of SETTINGS) expect(envDevelopment).toHaveProperty(s.name);
    const dev = loadCompose(join(root, 'docker-compose.yml'), envDevelopment);
    expect(dev.services.gateway!.environment).toMatchObject({ NODE_ENV: 'development', DEV_IDP: 'true' });
  });

  it('runs in production unless told otherwise, with the development IdP off', () => {
    const prod = loadCompose(join(root, 'docker-compose.yml'), Object.fromEntries([...requiredVariables(composeText).keys()].map((k) => [k, 'x'.repeat(32)])));
    for (const c of COMPONENTS) expect(prod.services[c.name]!.environment!.NODE_ENV).toBe('production');
    expect(prod.services.gateway!.environment!.DEV_IDP).toBe('false');
  });

  it.each(COMPONENTS.filter((c) => c.kind === 'subgraph').map((c) => [c.name, c] as const))(
    '%s: its configuration is complete in production from what compose passes it (every secret its code requires there)',
    async (_name, c) => {
      // Real-looking values for every required setting, each its own.
      const vars = Object.fromEntries([...requiredVariables(composeText).keys()].map((k) => [k, `${k.toLowerCase().replace(/_/g, '-')}-from-the-vault-0123456789`]));
      const env = loadCompose(join(root, 'docker-compose.yml'), vars).services[c.name]!.environment!;
      expect(env.NODE_ENV).toBe('production');
      const { subgraph } = (await import(join(root, c.main))) as { subgraph: SubgraphMainOptions<z.ZodRawShape> };
      // Production requires each secret (no development default): one compose does not pass stops the service.
      expect(() => parseConfig(subgraphConfigSchema(subgraph, env), env, `${c.name} configuration`)).not.toThrow();
    },
  );

  it('seeds the demo once, with the gateway’s development IdP key, in the demo profile only', () => {
    const seed = compose.services.seed!;
    expect(seed.profiles).toEqual(['demo']);
    expect(seed.restart).toBe('no');
    expect(seed.command).toEqual(['node', builtMain('seed-demo')]);
    expect(seed.depends_on?.gateway?.condition).toBe('service_healthy');
    expect(seed.volumes).toEqual(compose.services.gateway!.volumes);
  });

  for (const c of COMPONENTS) {
    describe(c.name, () => {
      const svc = compose.services[c.name]!;
      it('is a service running the same entry point, compiled', () => {
        expect(svc, `service ${c.name} missing`).toBeDefined();
        expect(svc.command).toEqual(['node', builtMain(c.name)]);
        expect(ENTRY_POINTS[c.name]).toBe(c.main);
        expect(svc.restart).toBe('unless-stopped');
      });
      it('checks its health path', () => {
        expect(svc.environment?.PORT).toBe(String(c.port));
        expect(svc.healthcheck?.test.join(' ')).toContain(`:${c.port}${c.health}`);
        // Readiness, never /health or /health/status, which depend on other components: one
        // agency's subgraph down must not mark every gateway unhealthy.
        if (c.kind !== 'simulator') expect(c.health).toBe('/health/ready');
      });
      it('mounts the volumes it shares with other services, inside DATA_DIR', () => {
        for (const v of c.volumes ?? []) expect(svc.volumes ?? []).toContain(v);
        for (const v of svc.volumes ?? []) expect(v.split(':')[1]!.startsWith(CONTAINER_DATA_DIR)).toBe(true);
      });
      it('waits for what it depends on', () => {
        const deps = Object.keys(svc.depends_on ?? {});
        for (const d of c.dependsOn) expect(deps).toContain(d);
        if (c.usesDatabase) expect(deps).toContain('postgres');
        for (const d of deps) expect(svc.depends_on![d]!.condition).toBe('service_healthy');
      });
      it('gets DATABASE_URL when it keeps tables or an access log (npm start and the containers alike)', () => {
        // A subgraph that records personal-data reads (`accessLog: true`) must have the log's database.
        const keepsAccessLog = c.kind === 'subgraph' && /^\s*accessLog: true,/m.test(readFileSync(join(root, c.main), 'utf8'));
        if (keepsAccessLog || c.kind === 'gateway') expect(c.usesDatabase, `${c.name} writes the access log`).toBe(true);
        expect(Boolean(svc.environment?.DATABASE_URL)).toBe(Boolean(c.usesDatabase));
      });
      it('sets the variables the code reads, and only those', () => {
        const env = svc.environment ?? {};
        for (const key of Object.keys(c.env)) expect(env, `${c.name} lacks ${key}`).toHaveProperty(key);
        if (c.usesDatabase) expect(env.DATABASE_URL).toMatch(/^postgresql:\/\/.+@postgres:5432\//);
        const src = sourceOf(c.main);
        // SUBGRAPH_<NAME>_URL is read by pattern (gateway/src/config.ts).
        const readsIt = (key: string) => src.includes(key) || (/^SUBGRAPH_[A-Z0-9_]+_URL$/.test(key) && src.includes('SUBGRAPH_([A-Z0-9_]+)_URL'));
        for (const key of Object.keys(env)) expect(readsIt(key), `${c.name}: ${key} is not read by the code`).toBe(true);
      });
    });
  }
});

describe('the schema registry in containers', () => {
  const gateway = compose.services.gateway!;

  it("serves the supergraph from the registry, published at start from the image's schema files (after the checks)", () => {
    expect(gateway.environment).toMatchObject({ SUPERGRAPH_SOURCE: 'registry', REGISTRY_SEED: 'true', SUPERGRAPH_PATH: 'schema/supergraph.graphql' });
    expect(gateway.environment!.DATABASE_URL).toMatch(/@postgres:5432\//);
    // Its composition worker is an entry point of the image's build.
    expect(ENTRY_POINTS['registry-worker']).toBe('packages/registry/src/checks-worker.ts');
    // The image copies schema/ whole: each subgraph named in the supergraph has its SDL there.
    const names = [...read('schema/supergraph.graphql').matchAll(/^\s+([A-Z_]+) @join__graph\(name: "([a-z-]+)"/gm)].map((m) => m[2]!);
    expect(names.length).toBeGreaterThan(5);
    const files = readdirSync(join(root, 'schema'));
    for (const n of names) expect(files, `schema/${n}.graphql`).toContain(`${n}.graphql`);
    // Routing URLs are the compose network's (SUBGRAPH_<NAME>_URL), which the seed records.
    for (const n of names) expect(gateway.environment![`SUBGRAPH_${n.toUpperCase().replace(/-/g, '_')}_URL`]).toMatch(new RegExp(`^http://${n}:\\d+/graphql$`));
  });
});

describe('Dockerfile', () => {
  const stages = readDockerfile(read('Dockerfile'));
  const runtime = runtimeStage(stages);

  it('builds with dev dependencies in a stage of its own and copies only the build output', () => {
    expect(stages.find((s) => s.name === 'build')?.lines.some((l) => /npm ci\b.*&& npm run build/.test(l))).toBe(true);
    expect(runtime.copies.map((c) => c.src)).toEqual(['/src/dist', '/src/schema']);
    expect(stages.at(-1)!.lines.join('\n')).not.toMatch(/npm (ci|install)|tsx/);
  });

  it('runs compiled JavaScript as a non-root user, with a data directory it owns', () => {
    expect(runtime.user).toBe('node');
    expect(runtime.env).toMatchObject({ DATA_DIR: CONTAINER_DATA_DIR, HOST: '0.0.0.0', NODE_ENV: 'production' });
    expect(stages.at(-1)!.lines.some((l) => l.includes(`chown -R node:node ${CONTAINER_DATA_DIR}`))).toBe(true);
    expect(runtime.cmd).toEqual(['node', builtMain('gateway')]);
  });

  it('creates, owned by that user, every volume mount point (a named volume takes the owner of what the image has there)', () => {
    const mkdir = stages.at(-1)!.lines.find((l) => l.includes('mkdir -p'))!;
    for (const v of new Set(Object.values(compose.services).flatMap((s) => s.volumes ?? []))) {
      const at = v.split(':')[1]!;
      if (!at.startsWith(CONTAINER_DATA_DIR)) continue;
      expect(at === CONTAINER_DATA_DIR || mkdir.includes(at), `${at} is not created in the image`).toBe(true);
    }
  });
});
