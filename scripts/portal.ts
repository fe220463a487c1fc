/**
 * The portal's build (web/), for `npm start`, `npm run build` (the image) and CI.
 *
 *   tsx scripts/portal.ts build     codegen → safelist manifest → type check → vite build → budget
 *   tsx scripts/portal.ts check     generated files current (typed operations, manifest), then build and budget
 *   tsx scripts/portal.ts budget    the first-load JavaScript of web/dist, gzip, against PORTAL_BUDGET_BYTES
 *
 * `npm start` calls ensurePortalBuilt(): web/dist is rebuilt (vite only) when it is missing or
 * was built from other sources than the ones checked out (a hash of web/'s sources, kept in
 * web/dist/.sources), so the gateway never serves files older than the code.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '..');
export const WEB = join(root, 'web');
export const WEB_DIST = join(WEB, 'dist');
const STAMP = join(WEB_DIST, '.sources');
/** First-load JavaScript (the entry and what index.html preloads), gzip: the 200 KB. */
export const PORTAL_BUDGET_BYTES = 200 * 1024;

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

/** A hash of everything the built files are made from. */
export function portalSourceHash(): string {
  const hash = createHash('sha256');
  const inputs = [...files(join(WEB, 'src')), ...['index.html', 'vite.config.ts', 'package.json'].map((f) => join(WEB, f)), join(root, 'package-lock.json')];
  for (const f of inputs) {
    if (!existsSync(f)) continue;
    hash.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  return hash.digest('hex');
}

export function portalIsCurrent(): boolean {
  return existsSync(join(WEB_DIST, 'index.html')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === portalSourceHash();
}

function run(what: string, cmd: string, args: string[], cwd = root, env: NodeJS.ProcessEnv = {}): void {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${what} failed (${cmd} ${args.join(' ')}: exit ${r.status ?? r.signal})`);
}

const bin = (name: string) => join(root, 'node_modules', '.bin', name);

/** vite build into web/dist, then the stamp. */
export function viteBuild(): void {
  const hash = portalSourceHash();
  // React's production build whatever NODE_ENV the caller has (vitest sets "test").
  run('the portal build', bin('vite'), ['build', '--logLevel', 'warn'], WEB, { NODE_ENV: 'production' });
  writeFileSync(STAMP, `${hash}\n`);
}

/** For npm start: build when missing or stale; returns whether it built. */
export function ensurePortalBuilt(): boolean {
  if (portalIsCurrent()) return false;
  viteBuild();
  return true;
}

export interface BudgetReport {
  files: { file: string; bytes: number; gzip: number }[];
  gzip: number;
  limit: number;
}

/** The JavaScript a first visit loads: index.html's module script and its modulepreloads. */
export function firstLoadBudget(dist = WEB_DIST, limit = PORTAL_BUDGET_BYTES): BudgetReport {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) refs.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) refs.add(m[1]!);
  const out = [...refs].map((ref) => {
    const body = readFileSync(join(dist, ref.replace(/^\//, '')));
    return { file: ref, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
  return { files: out, gzip: out.reduce((n, f) => n + f.gzip, 0), limit };
}

function printBudget(r: BudgetReport): boolean {
  console.log('| first-load file | bytes | gzip |\n|---|---:|---:|');
  for (const f of r.files) console.log(`| ${f.file} | ${f.bytes} | ${f.gzip} |`);
  const ok = r.gzip <= r.limit;
  console.log(`| total | | ${r.gzip} (${(r.gzip / 1024).toFixed(1)} KiB of ${(r.limit / 1024).toFixed(0)} KiB: ${ok ? 'within budget' : 'OVER BUDGET'}) |`);
  console.log('(tsx scripts/portal.ts budget)');
  return ok;
}

function codegen(check: boolean): void {
  run('graphql-codegen', bin('graphql-codegen'), ['--config', 'codegen.ts', ...(check ? ['--check'] : [])], WEB);
  run('the safelist manifest', bin('tsx'), ['gateway/scripts/manifest.ts', ...(check ? ['--check'] : [])]);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const command = process.argv[2] ?? 'build';
  try {
    if (command === 'build' || command === 'check') {
      codegen(command === 'check');
      run('the portal type check', bin('tsc'), ['--noEmit', '-p', 'web/tsconfig.json']);
      viteBuild();
    }
    if (!['build', 'check', 'budget'].includes(command)) throw new Error(`unknown command ${command}: build, check or budget`);
    if (!printBudget(firstLoadBudget())) process.exit(1);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
