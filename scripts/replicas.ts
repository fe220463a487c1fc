/**
 * npm run replicas [-- --no-build]
 *
 * Shows that replicas share their state through Redis and agree, as a deployment behind a load
 * balancer runs them: the compiled build (`npm run build`) on this machine, in a network namespace
 * of its own, with PostgreSQL (embedded), Redis (redis-server) and HAProxy (Debian's haproxy, the
 * load balancer) in front of
 *   - two gateway replicas (one DATA_DIR, one Redis), round robin, TRUST_PROXY=true behind HAProxy;
 *   - two replicas of the directory subgraph, round robin, which the gateways call through HAProxy;
 *   - two gateway replicas without REDIS_URL, as the control: what the same requests do when each
 *     replica keeps its own state.
 * Every replica of a kind starts at the same moment on a fresh database and DATA_DIR.
 * It checks, and prints:
 *   1. an anonymous rate limit holds across both gateways: one budget per client address, whichever
 *      replica answers (the control: twice the budget);
 *   2. a token of the development IdP is accepted by both gateways (one key in their DATA_DIR);
 *   3. an automatic persisted query registered at one gateway is found at the other (the control:
 *      PERSISTED_QUERY_NOT_FOUND);
 *   4. a signed subgraph call accepted by one directory replica is refused (401) when replayed to
 *      either replica: one store of nonces;
 *   5. a query through HAProxy reaches both gateways and both directory replicas.
 * Needs root (a network namespace), haproxy and redis-server (Debian: apt-get install -y haproxy
 * redis-server).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signRequest } from '@gerbang/common';
import { startEmbeddedPostgres } from '@gerbang/embedded-postgres';
import { DEV_AUDIENCE, DEV_ISSUER, loadDevIdp } from '../gateway/src/dev-idp';
import { builtMain } from './topology';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
// One clock for the run: the part inside the namespace is a process of its own.
const t0 = Number(process.env.GERBANG_RUN_T0 ?? Date.now());
process.env.GERBANG_RUN_T0 = String(t0);
const say = (msg: string) => console.log(`[replicas +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

/** Ports inside the namespace: HAProxy's fronts are the ones clients know. */
const PORTS = { gateway: 4000, directory: 4001, control: 4050, gateways: [4011, 4012], directories: [4021, 4022], controls: [4013, 4014], stats: 4060, redis: 6379 };
const ANONYMOUS_PER_MINUTE = 10;
/** rate-limit.ts: the sustained rate per minute plus a burst of half of it, for anonymous callers. */
const ANONYMOUS_BUDGET = ANONYMOUS_PER_MINUTE + Math.ceil(ANONYMOUS_PER_MINUTE / 2);

function outside(): number {
  if (process.getuid?.() !== 0) {
    console.error('[replicas] needs root: it runs in a network namespace of its own.');
    return 2;
  }
  for (const [bin, flag] of [
    ['haproxy', '-v'],
    ['redis-server', '--version'],
  ] as const) {
    if (spawnSync(bin, [flag]).status !== 0) {
      console.error(`[replicas] needs ${bin} (Debian: apt-get install -y haproxy redis-server).`);
      return 2;
    }
  }
  if (!args.includes('--no-build')) {
    say('npm run build');
    if (spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) return 1;
  }
  const r = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'netns', process.execPath, '--import', 'tsx', import.meta.filename, '--inside'], { cwd: root, stdio: 'inherit' });
  return r.status ?? 1;
}

interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
}

async function inside(): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'gerbang-replicas-'));
  const procs: Proc[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  const start = (name: string, argv: string[], env: Record<string, string> = {}): Proc => {
    const log = join(work, `${name}.log`);
    const out = createWriteStream(log);
    const child = spawn(argv[0]!, argv.slice(1), { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    const p = { name, child, log };
    procs.push(p);
    return p;
  };
  /** Ready: answering HTTP at all (a gateway's /health says 503 while the subgraphs this run leaves out are down). */
  const ready = async (p: Proc, url: string) => {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (p.child.exitCode !== null) throw new Error(`${p.name} exited (${p.child.exitCode}); its log ends:\n${readFileSync(p.log, 'utf8').trim().split('\n').slice(-10).join('\n')}`);
      const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
        () => true,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${p.name} not ready at ${url}`);
  };
  let failures = 0;
  const check = (ok: boolean, msg: string) => {
    say(`${ok ? 'ok  ' : 'FAIL'} ${msg}`);
    if (!ok) failures++;
  };

  try {
    const pg = await startEmbeddedPostgres({ port: 5432 });
    cleanups.push(() => pg.close());
    const redis = spawn('redis-server', ['--port', String(PORTS.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    cleanups.push(() => void redis.kill('SIGTERM'));
    const redisUrl = `redis://127.0.0.1:${PORTS.redis}`;
    const secret = randomBytes(24).toString('hex');
    const dataDir = join(work, 'gateway-data');
    const shared = { NODE_ENV: 'development', LOG_LEVEL: 'warn', HOST: '127.0.0.1', INTERNAL_SIGNING_SECRET: secret, DATABASE_URL: pg.url };

    const haproxyCfg = join(work, 'haproxy.cfg');
    const backend = (name: string, ports: number[], front: number, extra: string[] = []) => [
      `frontend ${name}`,
      `  bind 127.0.0.1:${front}`,
      ...extra,
      `  default_backend ${name}-replicas`,
      `backend ${name}-replicas`,
      '  balance roundrobin',
      // Which replica answered, for this script to count.
      '  http-response set-header X-Served-By %s',
      ...ports.map((p, i) => `  server ${name}-${String.fromCharCode(97 + i)} 127.0.0.1:${p} check inter 500ms`),
    ];
    writeFileSync(
      haproxyCfg,
      [
        'defaults',
        '  mode http',
        '  timeout connect 2s',
        '  timeout client 30s',
        '  timeout server 30s',
        // The client address reaches the gateways (TRUST_PROXY=true), which key anonymous limits on it.
        ...backend('gateway', PORTS.gateways, PORTS.gateway, ['  option forwardfor']),
        ...backend('control', PORTS.controls, PORTS.control, ['  option forwardfor']),
        ...backend('directory', PORTS.directories, PORTS.directory),
        'frontend stats',
        `  bind 127.0.0.1:${PORTS.stats}`,
        '  stats enable',
        '  stats uri /stats',
        '',
      ].join('\n'),
    );
    const haproxy = start('haproxy', ['haproxy', '-f', haproxyCfg, '-db']);

    // Every replica of a kind at the same moment, on a fresh database and a fresh DATA_DIR.
    const directories = PORTS.directories.map((port, i) => start(`directory-${'ab'[i]}`, [process.execPath, builtMain('directory')], { ...shared, PORT: String(port), REDIS_URL: redisUrl }));
    await Promise.all(directories.map((p, i) => ready(p, `http://127.0.0.1:${PORTS.directories[i]}/health`)));
    const gatewayEnv = {
      ...shared,
      DATA_DIR: dataDir,
      TRUST_PROXY: 'true',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(ANONYMOUS_PER_MINUTE),
      SUBGRAPH_DIRECTORY_URL: `http://127.0.0.1:${PORTS.directory}/graphql`,
    };
    const gateways = PORTS.gateways.map((port, i) => start(`gateway-${'ab'[i]}`, [process.execPath, builtMain('gateway')], { ...gatewayEnv, PORT: String(port), REDIS_URL: redisUrl }));
    const controls = PORTS.controls.map((port, i) => start(`control-${'ab'[i]}`, [process.execPath, builtMain('gateway')], { ...gatewayEnv, PORT: String(port), AUDIT_SCHEMA: 'audit_control' }));
    // Not through /graphql: an anonymous probe would spend the rate-limit budget checked below.
    await Promise.all([...gateways, ...controls].map((p, i) => ready(p, `http://127.0.0.1:${[...PORTS.gateways, ...PORTS.controls][i]}/health`)));
    await ready(haproxy, `http://127.0.0.1:${PORTS.stats}/stats`);
    // HAProxy's first health checks: both servers of each backend up.
    await new Promise((r) => setTimeout(r, 1_500));
    say(
      `up: HAProxy on :${PORTS.gateway} (gateways :${PORTS.gateways.join(', :')}), :${PORTS.directory} (directory :${PORTS.directories.join(', :')}), :${PORTS.control} (control gateways without Redis :${PORTS.controls.join(', :')})`,
    );

    const post = async (port: number, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return {
        status: res.status,
        by: res.headers.get('x-served-by') ?? '?',
        body: (await res.json()) as { data?: { agencies?: unknown[] | null } | null; errors?: { extensions?: { code?: string } }[] },
      };
    };
    const tally = (results: { status: number; by: string }[]) => {
      const by = new Map<string, { ok: number; refused: number }>();
      for (const r of results) {
        const t = by.get(r.by) ?? { ok: 0, refused: 0 };
        if (r.status === 200) t.ok++;
        else if (r.status === 429) t.refused++;
        by.set(r.by, t);
      }
      return { ok: results.filter((r) => r.status === 200).length, refused: results.filter((r) => r.status === 429).length, by };
    };
    const show = (t: ReturnType<typeof tally>) => [...t.by].map(([n, v]) => `${n} ${v.ok} answered/${v.refused} refused`).join(', ');

    // 1. One anonymous budget across both gateways.
    const n = 2 * ANONYMOUS_BUDGET;
    const sharedRun = tally(await sequential(n, () => post(PORTS.gateway, { query: '{ __typename }' })));
    check(
      sharedRun.ok === ANONYMOUS_BUDGET && sharedRun.refused === n - ANONYMOUS_BUDGET && sharedRun.by.size === 2,
      `rate limit across replicas: anonymous budget ${ANONYMOUS_BUDGET} per address (${ANONYMOUS_PER_MINUTE}/min + burst ${ANONYMOUS_BUDGET - ANONYMOUS_PER_MINUTE}); ${n} requests through HAProxy: ${sharedRun.ok} answered, ${sharedRun.refused} refused with 429 RATE_LIMITED (${show(sharedRun)})`,
    );
    const controlRun = tally(await sequential(n, () => post(PORTS.control, { query: '{ __typename }' })));
    check(
      controlRun.ok === n,
      `control, the same ${n} requests to two gateways without REDIS_URL: ${controlRun.ok} answered, ${controlRun.refused} refused (${show(controlRun)}): each replica had a budget of its own`,
    );

    // 2. One development IdP key for both gateways.
    const idp = await loadDevIdp({ dataDir, issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
    const token = await idp.issue('warga.siti');
    const auth = { authorization: `Bearer ${token}` };
    const signedIn = await Promise.all(PORTS.gateways.map((p) => post(p, { query: '{ __typename }' }, auth)));
    check(
      signedIn.every((r) => r.status === 200),
      `a token signed with the key in their shared DATA_DIR is accepted by both gateways (HTTP ${signedIn.map((r) => r.status).join(', ')}); the key was made once although both started at once`,
    );

    // 3. APQ: registered at one replica, found at the other.
    const query = `{ agencies(search: "kependudukan", first: 1) { name } }`;
    const hash = createHash('sha256').update(query).digest('hex');
    const ext = { persistedQuery: { version: 1, sha256Hash: hash } };
    const register = await post(PORTS.gateway, { query, extensions: ext }, auth);
    let found = await post(PORTS.gateway, { extensions: ext }, auth);
    for (let i = 0; i < 3 && found.by === register.by; i++) found = await post(PORTS.gateway, { extensions: ext }, auth);
    check(
      register.status === 200 && found.status === 200 && found.by !== register.by && found.body.data?.agencies?.length === 1,
      `APQ: query registered at ${register.by}, then its hash alone answered by ${found.by} (HTTP ${found.status}${found.body.errors ? `, ${found.body.errors[0]?.extensions?.code}` : ''})`,
    );
    const controlRegister = await post(PORTS.control, { query, extensions: ext }, auth);
    let controlFound = await post(PORTS.control, { extensions: ext }, auth);
    for (let i = 0; i < 3 && controlFound.by === controlRegister.by; i++) controlFound = await post(PORTS.control, { extensions: ext }, auth);
    const controlCode = controlFound.body.errors?.[0]?.extensions?.code;
    check(
      controlCode === 'PERSISTED_QUERY_NOT_FOUND',
      `control, APQ without REDIS_URL: registered at ${controlRegister.by}, its hash at ${controlFound.by}: ${controlCode ?? `HTTP ${controlFound.status}`}`,
    );

    // 4. A signed call replayed to either directory replica: 401.
    const body = JSON.stringify({ query: '{ agencies(first: 1) { id } }' });
    const headers = { 'content-type': 'application/json', ...signRequest(secret, body, { roles: [] }, 'directory') };
    const call = (port: number) => fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers, body }).then((r) => r.status);
    const first = await call(PORTS.directories[0]!);
    const replays = await Promise.all(PORTS.directories.map((p) => call(p)));
    const fresh = await fetch(`http://127.0.0.1:${PORTS.directories[1]}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signRequest(secret, body, { roles: [] }, 'directory') },
      body,
    }).then((r) => r.status);
    check(
      first === 200 && replays.every((s) => s === 401) && fresh === 200,
      `replay: a signed call accepted by directory-a (HTTP ${first}) replayed to directory-a and directory-b: HTTP ${replays.join(' and ')}; a fresh signature at directory-b: HTTP ${fresh}`,
    );

    // 5. Through HAProxy, both gateways and both directory replicas serve a query.
    const through = await sequential(4, () => post(PORTS.gateway, { query: `{ agencies(search: "pajak", first: 1) { name } }` }, auth));
    const servedBy = new Set(through.filter((r) => r.body.data?.agencies?.length === 1).map((r) => r.by));
    // HAProxy's own count of the requests each directory replica served (health checks are not sessions).
    const stats = await fetch(`http://127.0.0.1:${PORTS.stats}/stats;csv`).then((r) => r.text());
    const sessions = Object.fromEntries(
      stats
        .split('\n')
        .map((l) => l.split(','))
        .filter((f) => f[0] === 'directory-replicas' && f[1]?.startsWith('directory-'))
        .map((f) => [f[1]!, Number(f[7])]),
    );
    check(
      servedBy.size === 2 && Object.values(sessions).length === 2 && Object.values(sessions).every((v) => v > 0),
      `queries through HAProxy answered by ${[...servedBy].join(' and ')}; the directory replicas served ${Object.entries(sessions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} requests (HAProxy's counts)`,
    );
  } catch (err) {
    failures++;
    console.error(`[replicas] FAILED: ${(err as Error).message}`);
  } finally {
    for (const p of procs.reverse()) p.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1_000));
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    for (const c of cleanups.reverse()) await c();
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
  say(failures ? `${failures} check(s) FAILED` : 'every check passed');
  return failures ? 1 : 0;
}

async function sequential<T>(n: number, fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

process.exit(args.includes('--inside') ? await inside() : outside());
