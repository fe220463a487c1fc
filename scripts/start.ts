/**
 * npm start: the whole system on one machine with nothing installed but Node.
 * - PostgreSQL: DATABASE_URL, else an embedded PGlite persisted in DATA_DIR/pg (served on a local
 *   port to every subgraph process);
 * - every agency-system simulator, every subgraph and the gateway as child processes;
 * - the demo data seeded once (DATA_DIR/demo-seeded.json remembers it);
 * - Ctrl-C stops them all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@gerbang/common';
import { DEV_AUDIENCE, DEV_ISSUER, loadDevIdp } from '../gateway/src/dev-idp';
import { seedDemo } from './seed-demo';
import { COMPONENTS, expandEnv, topologyValue, type Component } from './topology';

const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(root, process.env.DATA_DIR ?? '.data');
const t0 = Date.now();
const children = new Map<string, ChildProcess>();
let embedded: EmbeddedPostgres | undefined;
let stopping = false;

const say = (msg: string) => console.log(`[start +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

async function stop(code = 0): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping…');
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
          }),
      ),
    );
    await embedded?.close();
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function waitFor(component: Component, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const url = `http://127.0.0.1:${component.port}${component.health}`;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${component.name} did not become ready at ${url} within ${timeoutMs / 1000}s`);
}

function envOf(component: Component, databaseUrl: string): Record<string, string> {
  const env: Record<string, string> = {
    ...Object.fromEntries(Object.entries(component.env).map(([k, v]) => [k, process.env[k] ?? expandEnv(v, { dataDir, databaseUrl, lookup: topologyValue })])),
    PORT: String(component.port),
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  if (component.usesDatabase) env.DATABASE_URL = databaseUrl;
  return env;
}

function spawnChild(name: string, script: string, env: Record<string, string>): void {
  const { PORT: _port, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, script)], { cwd: root, env: { ...inherited, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  children.set(name, child);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[start] ${name} exited (${signal ?? `code ${code}`}); stopping everything.`);
    void stop(1);
  });
}

async function main() {
  mkdirSync(dataDir, { recursive: true });
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), port: Number(process.env.EMBEDDED_PG_PORT ?? 0) });
    databaseUrl = embedded.url;
    say(`embedded PostgreSQL (PGlite) in ${join(dataDir, 'pg')} at ${databaseUrl}`);
  } else {
    say('using PostgreSQL from DATABASE_URL');
  }

  // Everything starts at once: no process needs another at boot (ticket feeds retry, the gateway
  // reads the supergraph file). Simulators and the gateway run as processes of their own; the
  // subgraphs share one host process (scripts/subgraph-host.ts), so their libraries load once.
  const subgraphs = COMPONENTS.filter((c) => c.kind === 'subgraph');
  for (const c of COMPONENTS.filter((c) => c.kind !== 'subgraph')) spawnChild(c.name, c.main, envOf(c, databaseUrl));
  const { LOG_LEVEL = 'warn' } = process.env;
  spawnChild('subgraphs', 'scripts/subgraph-host.ts', {
    LOG_LEVEL,
    GERBANG_HOSTED: JSON.stringify(subgraphs.map((c) => ({ main: c.main, env: envOf(c, databaseUrl) }))),
  });
  await Promise.all(COMPONENTS.map((c) => waitFor(c)));
  say(`ready: ${COMPONENTS.map((c) => c.name).join(', ')}`);

  const gateway = `http://127.0.0.1:${COMPONENTS.find((c) => c.kind === 'gateway')!.port}/graphql`;
  const marker = join(dataDir, 'demo-seeded.json');
  if (!existsSync(marker)) {
    const idp = await loadDevIdp({ dataDir, issuer: process.env.JWT_ISSUER ?? DEV_ISSUER, audience: process.env.JWT_AUDIENCE ?? DEV_AUDIENCE });
    const summary = await seedDemo(gateway, (login) => idp.issue(login), say);
    writeFileSync(marker, JSON.stringify({ seededAt: new Date().toISOString(), ...summary }, null, 2));
  }

  say(`Gerbang is up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  console.log(`
  GraphQL endpoint   ${gateway}
  Health             ${gateway.replace('/graphql', '/health')}
  A token            npm run -s token -- warga.siti      (also: warga.budi, petugas.dukcapil, hr.bkpsdm, analis, admin)
  Try it             curl -s ${gateway} -H 'content-type: application/json' \\
                       -H "authorization: Bearer $(npm run -s token -- warga.siti)" \\
                       -d '{"query":"{ me { name tickets(first: 5) { id status agency { name } canRate } } }"}'
  Stop               Ctrl-C
`);
}

main().catch((err) => {
  console.error(`[start] ${(err as Error).message}`);
  void stop(1);
});
