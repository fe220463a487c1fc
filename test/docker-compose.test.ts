import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMPONENTS } from '../scripts/topology';

/**
 * There is no Docker engine on the development and CI machines, so docker-compose.yml is checked
 * for structure against what the code runs and reads (scripts/topology.ts is the list `npm start`
 * uses): every process is a service with its port, health check, dependencies and variables.
 */
const root = join(import.meta.dirname, '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { command?: string[]; ports?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; healthcheck?: { test: string[] }; volumes?: string[] }>;
};

/** The package's own source plus the shared bootstrap: where a process's variables are named. */
function sourceOf(main: string): string {
  const dirs = [join(root, main.split('/src/')[0]!, 'src'), join(root, 'packages/common/src'), join(root, 'packages/simkit/src')];
  return dirs
    .flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(dir, f), 'utf8')))
    .join('\n');
}

describe('docker-compose.yml', () => {
  it('has PostgreSQL and Redis with health checks', () => {
    expect(compose.services.postgres?.healthcheck).toBeDefined();
    expect(compose.services.redis?.healthcheck).toBeDefined();
  });

  for (const c of COMPONENTS) {
    describe(c.name, () => {
      const svc = compose.services[c.name]!;
      it('is a service running the same entry point', () => {
        expect(svc, `service ${c.name} missing`).toBeDefined();
        expect(svc.command).toEqual(['node', '--import', 'tsx', c.main]);
      });
      it('publishes its port and checks its health path', () => {
        expect(svc.ports).toContain(`${c.port}:${c.port}`);
        expect(svc.environment?.PORT).toBe(String(c.port));
        expect(svc.healthcheck?.test.join(' ')).toContain(`:${c.port}${c.health}`);
        // Readiness, never /health or /health/status, which depend on other components: one
        // agency's subgraph down must not mark every gateway unhealthy.
        if (c.kind !== 'simulator') expect(c.health).toBe('/health/ready');
      });
      it('mounts the volumes it shares with other services', () => {
        for (const v of c.volumes ?? []) expect(svc.volumes ?? []).toContain(v);
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
        const read = (key: string) => src.includes(key) || (/^SUBGRAPH_[A-Z0-9_]+_URL$/.test(key) && src.includes('SUBGRAPH_([A-Z0-9_]+)_URL'));
        for (const key of Object.keys(env)) expect(read(key), `${c.name}: ${key} is not read by the code`).toBe(true);
      });
    });
  }
});
