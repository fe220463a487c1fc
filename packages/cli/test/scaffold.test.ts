import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, verifierFromSecret } from '@gerbang/common';
import { runChecks, runConformance } from '@gerbang/registry';
import { scaffoldAgency } from '../src/scaffold';

const root = resolve(import.meta.dirname, '../../..');
// Inside the checkout (ignored by git), so that the package finds the hub's node_modules as an
// agency's package in agencies/ does; outside the workspace list all the same.
const base = join(root, '.data', `scaffold-${randomBytes(4).toString('hex')}`);
const dir = join(base, 'kir');
const SECRET = 'test-internal-signing-secret-0123456789';

describe('npm run agency:new', () => {
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('scaffolds a package that passes its own tests, composes with the hub graph and passes the conformance kit, with no hand edits', async () => {
    mkdirSync(base, { recursive: true });
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/agency-new.ts'), 'kir', '--dir', dir, '--agency', 'dishub', '--service', 'dishub.uji-kir'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['Dockerfile', 'README.md', 'package.json', 'src', 'test', 'tsconfig.json', 'vitest.config.ts']);
    expect(readdirSync(join(dir, 'src')).sort()).toEqual(['adapter.ts', 'main.ts', 'print-sdl.ts', 'schema.ts', 'server.ts', 'tickets.ts']);

    // Its own tests.
    const tests = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', join(dir, 'vitest.config.ts')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, VITEST_WORKER_ID: '' },
    });
    expect(tests.status, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/4 passed/);

    // Its SDL composes with the hub's subgraphs and passes every registry check.
    const sdl = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'src/print-sdl.ts')], { cwd: dir, encoding: 'utf8' });
    expect(sdl.status, sdl.stderr).toBe(0);
    const schemaDir = join(root, 'schema');
    const current = readdirSync(schemaDir)
      .filter((f) => f.endsWith('.graphql') && f !== 'supergraph.graphql')
      .map((f) => ({ name: f.replace('.graphql', ''), routingUrl: 'http://127.0.0.1:1/graphql', sdl: readFileSync(join(schemaDir, f), 'utf8') }));
    const { report, supergraphSdl } = await runChecks({
      current,
      currentSupergraphSdl: readFileSync(join(schemaDir, 'supergraph.graphql'), 'utf8'),
      candidate: { name: 'kir', routingUrl: 'http://127.0.0.1:4200/graphql', sdl: sdl.stdout },
      operations: [],
      usageDays: 30,
    });
    expect(report.composition.errors).toEqual([]);
    expect(report).toMatchObject({ ok: true, changes: { breaking: 0 }, policy: { ok: true } });
    expect(supergraphSdl).toMatch(/kirBooking: KirBooking @join__field\(graph: KIR\)/);
    expect(supergraphSdl).toMatch(/\): KirBooking @join__field\(graph: KIR\) @policy\(policies: \[\["owner"\], \["role:officer"\], \["role:admin"\]\]\)/);

    // Running, it passes the hub's conformance rules.
    const { createKirServer } = (await import(pathToFileURL(join(dir, 'src/server.ts')).href)) as {
      createKirServer: (o: object) => Promise<{ listen(port: number): Promise<{ url: string; close: () => Promise<void> }> }>;
    };
    const { FakeKirSystem } = (await import(pathToFileURL(join(dir, 'src/adapter.ts')).href)) as { FakeKirSystem: new () => object };
    const app = await createKirServer({ system: new FakeKirSystem(), logger: createLogger('kir', 'silent'), verifier: verifierFromSecret(SECRET) });
    const running = await app.listen(0);
    try {
      const results = await runConformance({ url: `${running.url}/graphql`, name: 'kir', secret: SECRET });
      expect(results.filter((r) => !r.ok)).toEqual([]);
      expect(results.map((r) => r.rule)).toContain('entities: 100 Ticket in one request within 1000 ms');
    } finally {
      await running.close();
    }
  }, 180_000);

  it('refuses a bad name and a folder in use', () => {
    expect(() => scaffoldAgency({ name: 'Bad Name', dir: join(base, 'x') })).toThrow(/a-z, 0-9/);
    expect(() => scaffoldAgency({ name: 'kir', dir: root })).toThrow(/not empty/);
  });
});
