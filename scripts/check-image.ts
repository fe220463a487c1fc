/**
 * npm run check:image [-- --mode development|production|both] [--no-build] [--keep]
 *
 * There is no Docker engine on the development and CI machines, so this runs the Dockerfile's
 * steps and docker-compose.yml's services by hand, as close to the containers as a shell gets:
 *
 * 1. the build stage's command (`npm run build`);
 * 2. the runtime stage's files (its `COPY --from=build` lines) into a fresh tree owned by root and
 *    read-only to everyone else, plus each service's DATA_DIR owned by the image's user (uid 1000,
 *    `node` in the image), named volumes shared between the services that mount them;
 * 3. PostgreSQL (an embedded PostgreSQL 17 with the `gerbang` user and database the postgres image
 *    creates) and Redis (redis-server), then every service of docker-compose.yml in depends_on order,
 *    with the image's ENV and the service's environment as compose interpolates it from an env
 *    file, as uid 1000, each ready when its own compose healthcheck command passes;
 * 4. development mode (.env.development): the one-shot demo seed (exit 0, then "already seeded" on
 *    a second run), a token from `node dist/token.js` in the gateway's environment, and the demo
 *    ratings read through the gateway; production mode (NODE_ENV=production, every secret
 *    generated, tokens of an identity provider this script serves at JWT_JWKS_URL): a safelisted
 *    operation through the gateway, /metrics closed without METRICS_TOKEN;
 * 5. that every process ran as uid 1000 and that nothing was written into the application tree.
 *
 * All of it in a network namespace of its own (the fixed ports, no reach to the machine's own
 * PostgreSQL or Redis) and a mount namespace where /etc/hosts names every service 127.0.0.1, as
 * compose's network does. Needs root (to own the tree, switch users, make namespaces) and redis-server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import pg from 'pg';
import { startEmbeddedPostgres } from '@gerbang/embedded-postgres';
import { loadCompose, readEnvFile, requiredVariables, type ComposeService } from './compose-env';
import { readDockerfile, runtimeStage, type Runtime } from './dockerfile';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const IMAGE_UID = 1000;
const IMAGE_GID = 1000;
const READY_TIMEOUT_MS = 180_000;
// One clock for the run: the part inside the namespace is a process of its own.
const t0 = Number(process.env.GERBANG_RUN_T0 ?? Date.now());
process.env.GERBANG_RUN_T0 = String(t0);
const say = (msg: string) => console.log(`[check-image +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

// ---------------------------------------------------------------- outside: build, tree, namespaces

async function outside(): Promise<number> {
  if (process.getuid?.() !== 0) {
    console.error('[check-image] needs root: it makes a root-owned tree, runs the services as another user, and uses network and mount namespaces.');
    return 2;
  }
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    console.error('[check-image] needs redis-server (Debian: apt-get install -y redis-server): docker-compose.yml runs Redis beside the services.');
    return 2;
  }
  const stages = readDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
  const build = stages.find((s) => s.name === 'build');
  if (!build?.lines.some((l) => l.includes('npm run build'))) throw new Error('the Dockerfile has no build stage that runs `npm run build`');
  const runtime = runtimeStage(stages);
  if (runtime.user === 'root' || runtime.user === '0') throw new Error('the runtime stage runs as root: it needs a USER');
  if (!runtime.env.DATA_DIR) throw new Error('the runtime stage sets no DATA_DIR');

  if (!flag('--no-build')) {
    say('build stage: npm run build');
    const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) return 1;
  }

  const work = mkdtempSync(join(tmpdir(), 'gerbang-image-'));
  chmodSync(work, 0o755);
  const app = join(work, 'app');
  for (const c of runtime.copies) {
    if (c.from !== 'build') throw new Error(`COPY --from=${c.from}: only the build stage is known`);
    const src = join(root, c.src.replace(/^\/src\/?/, ''));
    const dest = join(app, c.dest.startsWith('/') ? c.dest : join(runtime.workdir.replace(/^\/app\/?/, ''), c.dest));
    mkdirSync(dirname(dest), { recursive: true });
    cpSync(src, dest, { recursive: true });
  }
  // As COPY leaves it: root's, readable by all, writable by root only.
  spawnSync('chown', ['-R', '0:0', app]);
  spawnSync('chmod', ['-R', 'u=rwX,go=rX', app]);
  say(
    `runtime stage: ${runtime.copies.map((c) => c.src).join(', ')} → ${app} (root-owned, read-only to uid ${IMAGE_UID}); ENV ${Object.entries(runtime.env)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}; USER ${runtime.user}`,
  );

  const modes = (option('--mode') ?? 'both') === 'both' ? ['development', 'production'] : [option('--mode')!];
  let failed = 0;
  for (const mode of modes) {
    const config = { mode, work, app, runtime };
    const configFile = join(work, `${mode}.json`);
    writeFileSync(configFile, JSON.stringify(config));
    const hosts = join(work, 'hosts');
    const compose = loadCompose(join(root, 'docker-compose.yml'), composeVars(mode, work));
    writeFileSync(hosts, `127.0.0.1 localhost idp ${Object.keys(compose.services).join(' ')}\n::1 localhost\n`);
    chmodSync(hosts, 0o644);
    const r = spawnSync(
      'unshare',
      [
        '-n',
        '-m',
        '--propagation',
        'private',
        'sh',
        '-c',
        'ip link set lo up && mount --bind "$0" /etc/hosts && exec "$@"',
        hosts,
        process.execPath,
        '--import',
        'tsx',
        import.meta.filename,
        '--inside',
        configFile,
      ],
      { cwd: root, stdio: 'inherit' },
    );
    if (r.status !== 0) failed++;
  }
  if (flag('--keep')) say(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
  say(failed ? `FAILED (${failed} of ${modes.length} modes)` : `passed: ${modes.join(' and ')}`);
  return failed ? 1 : 0;
}

/** The variables compose interpolates with: .env.development, or generated production values. */
function composeVars(mode: string, work: string): Record<string, string> {
  if (mode === 'development') return readEnvFile(join(root, '.env.development'));
  const file = join(work, 'production.env');
  if (existsSync(file)) return readEnvFile(file);
  const values: Record<string, string> = {
    NODE_ENV: 'production',
    DEV_IDP: 'false',
    JWT_ISSUER: 'https://idp.check.invalid',
    JWT_AUDIENCE: 'gerbang-check',
    JWT_JWKS_URL: 'http://idp:4999/jwks.json',
  };
  for (const name of requiredVariables(readFileSync(join(root, 'docker-compose.yml'), 'utf8')).keys()) values[name] ??= randomBytes(24).toString('hex');
  writeFileSync(
    file,
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  );
  return values;
}

// ---------------------------------------------------------------- inside the namespaces: the services

interface Started {
  name: string;
  child: ChildProcess;
  log: string;
  readyMs?: number;
}

async function inside(configFile: string): Promise<number> {
  const { mode, work, app, runtime } = JSON.parse(readFileSync(configFile, 'utf8')) as { mode: string; work: string; app: string; runtime: Runtime };
  const tag = (msg: string) => say(`${mode}: ${msg}`);
  const base = join(work, mode);
  const logs = join(base, 'logs');
  mkdirSync(logs, { recursive: true });
  const vars = composeVars(mode, work);
  const compose = loadCompose(join(root, 'docker-compose.yml'), vars);
  const started = new Map<string, Started>();
  const cleanups: (() => Promise<void> | void)[] = [];
  const containerDataDir = runtime.env.DATA_DIR!;

  // A directory as the image makes it: DATA_DIR and the volumes mounted in it belong to its user.
  const owned = (dir: string) => {
    mkdirSync(dir, { recursive: true });
    chownSync(dir, IMAGE_UID, IMAGE_GID);
    return dir;
  };
  /** A container path of this service → where it lives here (a volume, else the service's own DATA_DIR). */
  const hostPath = (svc: string, s: ComposeService, containerPath: string): string => {
    const mounts = (s.volumes ?? []).map((v) => v.split(':') as [string, string]).sort((a, b) => b[1].length - a[1].length);
    for (const [volume, at] of mounts) if (containerPath === at || containerPath.startsWith(`${at}/`)) return join(owned(join(base, 'volumes', volume)), containerPath.slice(at.length));
    if (containerPath === containerDataDir || containerPath.startsWith(`${containerDataDir}/`)) return join(owned(join(base, 'data', svc)), containerPath.slice(containerDataDir.length));
    return containerPath;
  };
  const envOf = (svc: string, s: ComposeService): Record<string, string> => {
    // Docker's order: the image's ENV, then the service's environment; paths under DATA_DIR moved here.
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: app, ...runtime.env, ...(s.environment ?? {}) };
    for (const [k, v] of Object.entries(env)) if (v.startsWith(containerDataDir)) env[k] = hostPath(svc, s, v);
    for (const v of s.volumes ?? []) hostPath(svc, s, v.split(':')[1]!);
    return env;
  };
  const asImageUser = (argv: string[]) => ['setpriv', `--reuid=${IMAGE_UID}`, `--regid=${IMAGE_GID}`, '--clear-groups', '--', ...argv.map((a, i) => (i === 0 && a === 'node' ? process.execPath : a))];
  const runAs = (svc: string, s: ComposeService, argv: string[], timeoutMs = 30_000) =>
    spawnSync(asImageUser(argv)[0]!, asImageUser(argv).slice(1), { cwd: app, env: envOf(svc, s), encoding: 'utf8', timeout: timeoutMs });

  const stopAll = async () => {
    for (const s of [...started.values()].reverse()) s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1_500));
    for (const s of started.values()) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    for (const c of cleanups.reverse()) await c();
  };

  try {
    // PostgreSQL as the postgres image makes it: the `gerbang` superuser and database.
    const pgService = compose.services.postgres!.environment!;
    const embedded = await startEmbeddedPostgres({ dir: join(base, 'postgres'), port: 5432 });
    cleanups.push(() => embedded.close());
    const admin = new pg.Client({ connectionString: embedded.url });
    await admin.connect();
    await admin.query(`create role ${pgService.POSTGRES_USER} login superuser password '${pgService.POSTGRES_PASSWORD!.replace(/'/g, "''")}'`);
    await admin.query(`create database ${pgService.POSTGRES_DB} owner ${pgService.POSTGRES_USER}`);
    await admin.end();
    const redis = spawn('redis-server', ['--port', '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    cleanups.push(() => void redis.kill('SIGTERM'));
    tag(`postgres (embedded PostgreSQL ${embedded.version}, user ${pgService.POSTGRES_USER}) and redis up`);

    let jwtKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'] | undefined;
    if (mode === 'production') {
      // The identity provider of JWT_JWKS_URL.
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      jwtKey = privateKey;
      const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'check-1', alg: 'ES256', use: 'sig' }] };
      const idp = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)));
      await new Promise<void>((r) => idp.listen(4999, '127.0.0.1', r));
      cleanups.push(() => void idp.close());
    }

    // Ours (built from this Dockerfile), long-running: the one-shot seed (profile demo) comes after.
    const services = Object.entries(compose.services).filter(([, s]) => s.build && !s.profiles?.length);
    const healthy = new Set(['postgres', 'redis']);
    const ready = async (name: string, s: ComposeService, since: number) => {
      const deadline = Date.now() + READY_TIMEOUT_MS;
      for (;;) {
        const me = started.get(name)!;
        if (me.child.exitCode !== null || me.child.signalCode !== null)
          throw new Error(`${name} exited (${me.child.signalCode ?? `code ${me.child.exitCode}`}) before it was ready; its log ends:\n${tail(me.log)}`);
        const test = s.healthcheck!.test;
        const r = runAs(name, s, test[0] === 'CMD' ? test.slice(1) : ['sh', '-c', test.slice(1).join(' ')], 5_000);
        if (r.status === 0) {
          me.readyMs = Date.now() - since;
          healthy.add(name);
          return;
        }
        if (Date.now() > deadline) throw new Error(`${name} not ready within ${READY_TIMEOUT_MS / 1000}s; its log ends:\n${tail(me.log)}`);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    };
    // Compose's order: a service starts once everything it depends on is healthy.
    await Promise.all(
      services.map(async ([name, s]) => {
        const deps = Object.keys(s.depends_on ?? {});
        while (!deps.every((d) => healthy.has(d))) {
          if ([...started.values()].some((x) => x.child.exitCode !== null)) return;
          await new Promise((r) => setTimeout(r, 200));
        }
        const log = join(logs, `${name}.log`);
        const out = createWriteStream(log);
        const argv = asImageUser(s.command ?? runtime.cmd);
        const since = Date.now();
        const child = spawn(argv[0]!, argv.slice(1), { cwd: app, env: envOf(name, s), stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.pipe(out, { end: false });
        child.stderr.pipe(out, { end: false });
        started.set(name, { name, child, log });
        await ready(name, s, since);
        tag(`${name} ready in ${((Date.now() - since) / 1000).toFixed(1)}s`);
      }),
    );
    const notStarted = services.filter(([n]) => !healthy.has(n)).map(([n]) => n);
    if (notStarted.length) throw new Error(`not started: ${notStarted.join(', ')}`);

    // Every process as the image's user (setpriv execs node: same process).
    for (const s of started.values()) {
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${s.child.pid}/status`, 'utf8'))?.[1];
      if (uid !== String(IMAGE_UID)) throw new Error(`${s.name} runs as uid ${uid}, not ${IMAGE_UID}`);
    }
    tag(`all ${started.size} services ready, each as uid ${IMAGE_UID}`);

    // The portal's built files, served by the gateway from dist/portal.
    const portal = await fetch('http://127.0.0.1:4000/', { headers: { accept: 'text/html' } });
    const page = await portal.text();
    if (portal.status !== 200 || !page.includes('<div id="root">')) throw new Error(`the portal at / answered ${portal.status}: ${page.slice(0, 200)}`);
    tag('the portal at / (dist/portal), served by the gateway');

    const gateway = compose.services.gateway!;
    const endpoint = 'http://127.0.0.1:4000/graphql';
    if (mode === 'development') {
      const seed = compose.services.seed!;
      for (const run of [1, 2]) {
        const r = runAs('seed', seed, seed.command!, 180_000);
        const out = `${r.stdout}${r.stderr}`.trim();
        if (r.status !== 0) throw new Error(`the seed service (run ${run}) exited ${r.status ?? r.signal}:\n${out}`);
        if (run === 2 && !out.includes('seeded already')) throw new Error(`the second seed run did not see the first:\n${out}`);
        tag(`seed run ${run}: exit 0 (${out.split('\n').at(-1)})`);
      }
      const token = runAs('gateway', gateway, ['node', 'dist/token.js', 'warga.budi']);
      if (token.status !== 0) throw new Error(`node dist/token.js in the gateway's environment failed: ${token.stderr}`);
      const body = await graphql(endpoint, token.stdout.trim(), '{ me { name tickets(first: 50) { id myRating { stars } } } }');
      const me = body.data?.me;
      const rated = (me?.tickets ?? []).filter((t) => t.myRating).length;
      if (!me || rated < 1) throw new Error(`warga.budi has no demo ratings after the seed: ${JSON.stringify(body)}`);
      tag(`token from \`node dist/token.js warga.budi\` in the gateway container; ${me.name} sees ${me.tickets.length} tickets, ${rated} rated by the seed`);
    } else {
      const token = await new SignJWT({ roles: ['citizen'], nik: '3503115708900001', name: 'Siti Rahayu' })
        .setProtectedHeader({ alg: 'ES256', kid: 'check-1' })
        .setSubject('usr-warga-siti')
        .setIssuer(vars.JWT_ISSUER!)
        .setAudience(vars.JWT_AUDIENCE!)
        .setExpirationTime('10m')
        .sign(jwtKey!);
      const manifest = JSON.parse(readFileSync(join(root, 'gateway/operations/manifest.json'), 'utf8')) as { operations: { name: string; body: string }[] };
      const op = manifest.operations.find((o) => o.name === 'MyTickets')!;
      const body = await graphql(endpoint, token, op.body, { 'apollographql-client-name': 'portal' });
      if (!body.data?.me) throw new Error(`MyTickets through the production gateway failed: ${JSON.stringify(body).slice(0, 500)}`);
      tag(`a token of the identity provider at JWT_JWKS_URL, the safelisted MyTickets as the portal: ${body.data.me.name}, ${body.data.me.tickets.length} tickets`);
      const metrics = await fetch('http://127.0.0.1:4000/metrics');
      const authorised = await fetch('http://127.0.0.1:4000/metrics', { headers: { authorization: `Bearer ${vars.METRICS_TOKEN}` } });
      if (metrics.status !== 401 || authorised.status !== 200) throw new Error(`/metrics: ${metrics.status} without METRICS_TOKEN, ${authorised.status} with it`);
      tag('/metrics: 401 without METRICS_TOKEN, 200 with it');
    }

    // Nothing in the application tree changed hands or appeared; the data went to DATA_DIR.
    const foreign = walk(app).filter((f) => statSync(f).uid !== 0);
    if (foreign.length) throw new Error(`files in the application tree not owned by root: ${foreign.slice(0, 5).join(', ')}`);
    const written = walk(base).filter((f) => !f.startsWith(join(base, 'logs')) && !f.startsWith(join(base, 'postgres')) && statSync(f).uid === IMAGE_UID);
    tag(`nothing written in the application tree; written as uid ${IMAGE_UID}: ${summarise(written.map((f) => f.slice(base.length + 1)))}`);
    return 0;
  } catch (err) {
    console.error(`[check-image] ${mode}: FAILED: ${(err as Error).message}`);
    return 1;
  } finally {
    await stopAll();
  }
}

async function graphql(endpoint: string, token: string, query: string, headers: Record<string, string> = {}) {
  const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify({ query }) });
  // Both operations sent here ask for `me { name tickets { … myRating … } }`.
  return (await res.json()) as { data?: { me?: { name: string; tickets: { myRating: unknown }[] } | null } | null; errors?: unknown[] };
}

const tail = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .slice(-15)
        .map((l) => `    ${l}`)
        .join('\n')
    : '    (no log)';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** "volumes/gateway-data (2), volumes/dtks-drop (12)": where the files are: each service's DATA_DIR or a volume. */
function summarise(files: string[]): string {
  const counts = new Map<string, number>();
  for (const f of files) {
    const key = f.split('/').slice(0, 2).join('/');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} (${n})`).join(', ') || 'nothing';
}

const code = flag('--inside') ? await inside(option('--inside')!) : await outside();
process.exit(code);
