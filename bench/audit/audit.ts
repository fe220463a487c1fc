/**
 * The public federation gateway audit (github.com/graphql-hive/federation-gateway-audit: 46 suites,
 * 199 cases) against vanilla @apollo/gateway and Gerbang's gateway, side by side. Used by
 * `npm run audit:federation` (bench/audit/run.ts) and by `npm run bench` (bench/gateway/run.ts).
 *
 * The audit's code is not part of this repository: FEDERATION_AUDIT_DIR (default
 * .data/federation-gateway-audit) names a checkout with its dependencies installed;
 * `auditMissing()` says how to get one.
 *
 * How it runs: the audit's own server (its subgraphs, one supergraph and one list of cases per
 * suite) in a child process on a free port; then, suite by suite, each gateway in this process
 * on the suite's supergraph, every case sent over HTTP and judged as the audit's src/test.ts
 * judges it (data deep-equal, and errors present or not when the case says so). Nothing binds
 * the stack's fixed ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** Where the audit's checkout is: FEDERATION_AUDIT_DIR, else .data/federation-gateway-audit. */
function auditDir(): string {
  return resolve(process.env.FEDERATION_AUDIT_DIR ?? join(ROOT, '.data', 'federation-gateway-audit'));
}

/** Why the audit cannot run from `dir`, and how to get it; undefined when it can. */
export function auditMissing(dir = auditDir()): string | undefined {
  if (existsSync(join(dir, 'src', 'index.ts')) && existsSync(join(dir, 'node_modules', 'graphql-yoga')) && existsSync(join(dir, 'node_modules', 'graphql'))) return undefined;
  return `The federation gateway audit is not at ${dir} (or its dependencies are not installed)${process.env.FEDERATION_AUDIT_DIR ? '' : ' and FEDERATION_AUDIT_DIR is not set'}. Get it once with:

  git clone https://github.com/graphql-hive/federation-gateway-audit ${dir}
  (cd ${dir} && npm ci --ignore-scripts)

or set FEDERATION_AUDIT_DIR to a checkout of yours (its dependencies installed; graphql is among its devDependencies, so not --omit=dev;
bench/gateway/README.md says what to do where the registry lacks one of them).`;
}

interface Column {
  key: string;
  label: string;
  start(supergraphSdl: string): Promise<{ url: string; close(): Promise<void> }>;
}

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
  gerbangColumn('gerbang-fast', "Gerbang gateway, default limits, Gerbang's executor (GATEWAY_EXECUTOR=gerbang, the default)", 'gerbang'),
  gerbangColumn('gerbang-open', "Gerbang gateway, query budgets and rate limits lifted, Apollo's executor", 'apollo', true),
  gerbangColumn('gerbang-fast-open', "Gerbang gateway, query budgets and rate limits lifted, Gerbang's executor", 'gerbang', true),
];

/** The columns side by side in `npm run bench` and by default in `npm run audit:federation`. */
export const DEFAULT_COLUMNS = ['vanilla', 'gerbang', 'gerbang-fast'];

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

async function startAuditServer(dir: string): Promise<{ base: string; child: ChildProcess }> {
  const entry = join(dir, 'src', 'index.ts');
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

interface AuditScore {
  key: string;
  label: string;
  passed: number;
  total: number;
  suitesPassed: number;
  failed: string[];
}

export interface AuditResult {
  version: string;
  suites: string[];
  scores: AuditScore[];
  /** suite → [cases, passed per column (bold: not all)] */
  perSuite: Map<string, string[]>;
  seconds: number;
}

export interface AuditOptions {
  dir?: string;
  /** Column keys (default DEFAULT_COLUMNS). */
  only?: string[];
  /** Only these suites (default all). */
  suites?: string[];
  /** Only the first N suites (a smoke run). */
  maxSuites?: number;
  verbose?: boolean;
  log?: (line: string) => void;
}

export async function runAudit(o: AuditOptions = {}): Promise<AuditResult> {
  const dir = o.dir ?? auditDir();
  const missing = auditMissing(dir);
  if (missing) throw new Error(missing);
  const started = Date.now();
  const log = o.log ?? ((line: string) => console.error(line));
  const wanted = o.only ?? DEFAULT_COLUMNS;
  const unknown = wanted.filter((k) => !COLUMNS.some((c) => c.key === k));
  if (unknown.length) throw new Error(`unknown audit column ${unknown.join(', ')} (known: ${COLUMNS.map((c) => c.key).join(', ')})`);
  const columns = COLUMNS.filter((c) => wanted.includes(c.key));
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const scores: AuditScore[] = [];
  const perSuite = new Map<string, string[]>();
  let ids: string[] = [];
  // Each gateway gets a fresh audit server: some suites keep state (mutations add and delete
  // records, with request ids drawn when the cases are fetched), as in the audit's own CLI, which
  // runs one gateway per invocation.
  for (const column of columns) {
    const { base, child } = await startAuditServer(dir);
    const score: AuditScore = { key: column.key, label: column.label, passed: 0, total: 0, suitesPassed: 0, failed: [] };
    scores.push(score);
    try {
      ids = ((await (await fetch(`${base}/ids`)).json()) as string[]).filter((id) => !o.suites || o.suites.includes(id)).slice(0, o.maxSuites ?? Infinity);
      for (const id of ids) {
        const supergraph = await (await fetch(`${base}/${id}/supergraph`)).text();
        const cases = (await (await fetch(`${base}/${id}/tests`)).json()) as Case[];
        let passed = 0;
        let gateway: Awaited<ReturnType<Column['start']>> | undefined;
        try {
          gateway = await column.start(supergraph);
        } catch (err) {
          if (o.verbose) log(`${column.key} ${id}: the gateway did not start: ${(err as Error).message}`);
        }
        for (const [i, c] of cases.entries()) {
          const failure = gateway ? judge(await post(gateway.url, c.query).catch((err: unknown) => ({ errors: [{ message: String(err) }] })), c.expected) : 'gateway did not start';
          if (failure === undefined) passed++;
          else {
            score.failed.push(`${id}_${i}`);
            if (o.verbose) log(`✗ ${column.key} ${id}_${i}\n${c.query.trim()}\n  ${failure}\n`);
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
      log(`audit: ${column.key}: ${score.passed} / ${score.total}`);
    } finally {
      child.kill('SIGTERM');
    }
  }
  return { version, suites: ids, scores, perSuite, seconds: Math.round((Date.now() - started) / 1000) };
}

/** The scores side by side, with the per-suite detail folded. */
export function auditMarkdown(r: AuditResult, command: string): string {
  const lines: string[] = [];
  lines.push(
    `Latest run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`${command}\` (${r.seconds} s); audit v${r.version} (github.com/graphql-hive/federation-gateway-audit), ${r.suites.length} suites.`,
  );
  lines.push('');
  lines.push('| gateway | cases passed | score | suites fully passed | failed cases |');
  lines.push('| --- | --- | --- | --- | --- |');
  for (const s of r.scores) {
    lines.push(
      `| ${s.label} | ${s.passed} / ${s.total} | ${((100 * s.passed) / Math.max(1, s.total)).toFixed(2)} % | ${s.suitesPassed} / ${r.suites.length} | ${s.failed.length ? s.failed.join(', ') : '—'} |`,
    );
  }
  lines.push('');
  lines.push('<details><summary>Per suite (cases passed; bold: not all)</summary>');
  lines.push('');
  lines.push(`| suite | cases | ${r.scores.map((c) => c.key).join(' | ')} |`);
  lines.push(`| --- | --- | ${r.scores.map(() => '---').join(' | ')} |`);
  for (const [id, row] of r.perSuite) lines.push(`| ${id} | ${row.join(' | ')} |`);
  lines.push('');
  lines.push('</details>');
  return lines.join('\n');
}
