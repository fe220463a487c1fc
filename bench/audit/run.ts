/**
 * `npm run audit:federation` — the public federation gateway audit
 * (github.com/graphql-hive/federation-gateway-audit: 46 suites, 199 cases) against vanilla
 * @apollo/gateway and against Gerbang's gateway (default limits), side by side, and prints the
 * scores as a Markdown table (with the command that produced it).
 *
 * The audit's code is not part of this repository. Get it once:
 *
 *   git clone https://github.com/graphql-hive/federation-gateway-audit .data/federation-gateway-audit
 *   (cd .data/federation-gateway-audit && npm ci --omit=dev --ignore-scripts)
 *
 * or point FEDERATION_AUDIT_DIR at a checkout of yours (with its production dependencies installed).
 *
 * How it runs: the audit's own server (its subgraphs, one supergraph and one list of cases per
 * suite) in a child process on a free port; then, suite by suite, each gateway in this process
 * on the suite's supergraph, every case sent over HTTP and judged as the audit's src/test.ts
 * judges it (data deep-equal, and errors present or not when the case says so). Nothing binds
 * the stack's fixed ports.
 *
 *   npm run audit:federation                          vanilla, Gerbang (Apollo's executor), Gerbang (GATEWAY_EXECUTOR=gerbang)
 *   npm run audit:federation -- --only=gerbang-fast   one column
 *   npm run audit:federation -- --suite=requires-requires --verbose   one suite, diffs of failures
 *   npm run audit:federation -- --write               also write the table into BENCHMARKS.md
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deepStrictEqual } from 'node:assert';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createLogger } from '@gerbang/common';
import { createGateway, Identity, loadDevIdp, MemoryAccessLog } from '../../gateway/src';
import type { ExecutorKind } from '../../gateway/src/executor';

const ROOT = resolve(import.meta.dirname, '..', '..');
const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, v ?? 'true'] as const;
  }),
);
const AUDIT_DIR = resolve(process.env.FEDERATION_AUDIT_DIR ?? join(ROOT, '.data', 'federation-gateway-audit'));
const verbose = args.has('verbose');
const command = `npm run audit:federation${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

interface Column {
  key: string;
  label: string;
  start(supergraphSdl: string): Promise<{ url: string; close(): Promise<void> }>;
}

const COLUMNS: Column[] = [
  {
    key: 'vanilla',
    label: 'vanilla @apollo/gateway + @apollo/server',
    async start(supergraphSdl) {
      const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl, logger: silentLogger() }) });
      const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
      return { url: new URL('/graphql', url).href, close: () => server.stop() };
    },
  },
  gerbangColumn('gerbang', "Gerbang gateway, default limits, Apollo's executor (GATEWAY_EXECUTOR=apollo)", 'apollo'),
  gerbangColumn('gerbang-fast', "Gerbang gateway, default limits, Gerbang's executor (GATEWAY_EXECUTOR=gerbang)", 'gerbang'),
  gerbangColumn('gerbang-open', "Gerbang gateway, query budgets and rate limits lifted, Apollo's executor", 'apollo', true),
  gerbangColumn('gerbang-fast-open', "Gerbang gateway, query budgets and rate limits lifted, Gerbang's executor", 'gerbang', true),
];

/** Budgets no audit case reaches: what is left to judge is execution alone. */
const LIFTED = { depth: 1_000, aliases: 10_000, rootFields: 1_000, tokens: 1_000_000, cost: 1_000_000_000 };

function silentLogger() {
  const noop = () => undefined;
  return { debug: noop, info: noop, warn: noop, error: noop };
}

function gerbangColumn(key: string, label: string, executor: ExecutorKind, lifted = false): Column {
  return {
    key,
    label,
    async start(supergraphSdl) {
      const dataDir = mkdtempSync(join(tmpdir(), 'gerbang-audit-'));
      const issuer = 'https://idp.gerbang.invalid/audit';
      const idp = await loadDevIdp({ dataDir, issuer, audience: 'gerbang' });
      // Everything at its default (limits, rate limits, admission, persisted-operation policy of
      // development, where anonymous ad-hoc queries are allowed); only the access log is in memory.
      const app = await createGateway({
        logger: createLogger('gateway', 'silent'),
        identity: Identity.fromJwks(idp.jwks(), { issuer, audience: 'gerbang' }),
        supergraph: { sdl: supergraphSdl },
        internalSecret: 'audit-signing-secret-0123456789abcdef',
        accessLog: new MemoryAccessLog(),
        executor,
        ...(lifted ? { limits: { default: LIFTED }, rateLimit: false as const } : {}),
      });
      const running = await app.listen(0);
      return {
        url: `${running.url}/graphql`,
        async close() {
          await running.close();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

async function startAuditServer(): Promise<{ base: string; child: ChildProcess }> {
  const entry = join(AUDIT_DIR, 'src', 'index.ts');
  if (!existsSync(entry) || !existsSync(join(AUDIT_DIR, 'node_modules', 'graphql-yoga'))) {
    console.error(`The federation audit is not at ${AUDIT_DIR} (or its dependencies are not installed). Get it with:

  git clone https://github.com/graphql-hive/federation-gateway-audit ${AUDIT_DIR}
  (cd ${AUDIT_DIR} && npm ci --omit=dev --ignore-scripts)

or set FEDERATION_AUDIT_DIR to a checkout of yours.`);
    process.exit(2);
  }
  const port = await freePort();
  // The audit targets Node 22 (Promise.withResolvers); Node 20 gets the one-line polyfill.
  const polyfill = 'Promise.withResolvers ??= function () { let resolve, reject; const promise = new this((a, b) => { resolve = a; reject = b; }); return { promise, resolve, reject }; };';
  const code = `${polyfill} const m = await import(${JSON.stringify(pathToFileURL(entry).href)}); await m.serve(${port}); process.send?.('ready');`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise<void>((ok, fail) => {
    child.once('message', () => ok());
    child.once('exit', (c) => fail(new Error(`the audit's server exited (${c})`)));
  });
  return { base: `http://127.0.0.1:${port}`, child };
}

interface Case {
  query: string;
  expected: { data?: unknown; errors?: boolean };
}

/** As the audit's src/test.ts judges a case. */
function judge(response: { data?: unknown; errors?: unknown[] }, expected: Case['expected']): string | undefined {
  const errorsOptional = typeof expected.errors !== 'boolean';
  const received = { data: response.data ?? null, errors: errorsOptional ? null : response.errors?.length ? true : false };
  const want = { data: expected.data ?? null, errors: errorsOptional ? null : (expected.errors ?? false) };
  try {
    deepStrictEqual(received, want);
    return undefined;
  } catch {
    return `expected ${JSON.stringify(want)}\n  received ${JSON.stringify(received)}${response.errors ? `\n  errors ${JSON.stringify(response.errors).slice(0, 600)}` : ''}`;
  }
}

async function post(url: string, query: string): Promise<{ data?: unknown; errors?: unknown[] }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' }, body: JSON.stringify({ query }) });
  const text = await res.text();
  try {
    return JSON.parse(text) as { data?: unknown; errors?: unknown[] };
  } catch {
    return { errors: [{ message: `HTTP ${res.status}: ${text.slice(0, 200)}` }] };
  }
}

const started = Date.now();
const only = args.get('only')?.split(',');
const columns = COLUMNS.filter((c) => !only || only.includes(c.key));
const auditVersion = JSON.parse(readFileSync(join(AUDIT_DIR, 'package.json'), 'utf8')).version as string;
const scores = new Map<string, { passed: number; total: number; suitesPassed: number; failed: string[] }>(columns.map((c) => [c.key, { passed: 0, total: 0, suitesPassed: 0, failed: [] }]));
/** suite → [cases, passed per column] */
const perSuite = new Map<string, string[]>();
let ids: string[] = [];
// Each gateway gets a fresh audit server: some suites keep state (mutations add and delete
// records, with request ids drawn when the cases are fetched), as in the audit's own CLI, which
// runs one gateway per invocation.
for (const column of columns) {
  const { base, child } = await startAuditServer();
  try {
    ids = ((await (await fetch(`${base}/ids`)).json()) as string[]).filter((id) => !args.has('suite') || args.get('suite')!.split(',').includes(id));
    const score = scores.get(column.key)!;
    for (const id of ids) {
      const supergraph = await (await fetch(`${base}/${id}/supergraph`)).text();
      const cases = (await (await fetch(`${base}/${id}/tests`)).json()) as Case[];
      let passed = 0;
      let gateway: Awaited<ReturnType<Column['start']>> | undefined;
      try {
        gateway = await column.start(supergraph);
      } catch (err) {
        if (verbose) console.error(`${column.key} ${id}: the gateway did not start: ${(err as Error).message}`);
      }
      for (const [i, c] of cases.entries()) {
        const failure = gateway ? judge(await post(gateway.url, c.query).catch((err: unknown) => ({ errors: [{ message: String(err) }] })), c.expected) : 'gateway did not start';
        if (failure === undefined) passed++;
        else {
          score.failed.push(`${id}_${i}`);
          if (verbose) console.error(`✗ ${column.key} ${id}_${i}\n${c.query.trim()}\n  ${failure}\n`);
        }
      }
      await gateway?.close();
      score.passed += passed;
      score.total += cases.length;
      if (passed === cases.length) score.suitesPassed++;
      const row = perSuite.get(id) ?? [String(cases.length)];
      row.push(passed === cases.length ? `${passed}` : `**${passed}**`);
      perSuite.set(id, row);
    }
    console.error(`${column.key}: ${score.passed} / ${score.total}`);
  } finally {
    child.kill('SIGTERM');
  }
}
{
  const lines: string[] = [];
  lines.push(
    `Latest run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`${command}\` (${Math.round((Date.now() - started) / 1000)} s); audit v${auditVersion} (github.com/graphql-hive/federation-gateway-audit), ${ids.length} suites.`,
  );
  lines.push('');
  lines.push('| gateway | cases passed | score | suites fully passed | failed cases |');
  lines.push('| --- | --- | --- | --- | --- |');
  for (const column of columns) {
    const s = scores.get(column.key)!;
    lines.push(
      `| ${column.label} | ${s.passed} / ${s.total} | ${((100 * s.passed) / Math.max(1, s.total)).toFixed(2)} % | ${s.suitesPassed} / ${ids.length} | ${s.failed.length ? s.failed.join(', ') : '—'} |`,
    );
  }
  lines.push('');
  lines.push('<details><summary>Per suite (cases passed; bold: not all)</summary>');
  lines.push('');
  lines.push(`| suite | cases | ${columns.map((c) => c.key).join(' | ')} |`);
  lines.push(`| --- | --- | ${columns.map(() => '---').join(' | ')} |`);
  for (const [id, row] of perSuite) lines.push(`| ${id} | ${row.join(' | ')} |`);
  lines.push('');
  lines.push('</details>');
  const table = lines.join('\n');
  console.log(table);
  if (args.has('write')) {
    const file = join(ROOT, 'BENCHMARKS.md');
    const text = readFileSync(file, 'utf8');
    const start = '<!-- federation-audit:start -->';
    const end = '<!-- federation-audit:end -->';
    const section = `${start}\n## Federation gateway audit (issue 16)\n\n${table}\n${end}`;
    const next = text.includes(start)
      ? text.replace(new RegExp(`${start}[\\s\\S]*?${end}`), () => section)
      : text.replace('<!-- gateway-bench:start -->', `${section}\n\n<!-- gateway-bench:start -->`);
    writeFileSync(file, next);
    console.error(`written to ${file}`);
  }
}
process.exit(0);
