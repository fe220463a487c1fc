import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, ROOT } from './proc';

const BENCHMARKS_MD = join(ROOT, 'BENCHMARKS.md');

export function machine(): string {
  const model = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Linux ${spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim()}`;
}

function lockVersions(lockPath: string, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(lockPath)) return out;
  const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages: Record<string, { version?: string }> };
  for (const n of names) {
    const v = lock.packages[`node_modules/${n}`]?.version;
    if (v) out[n] = v;
  }
  return out;
}

export function versions(): string {
  const root = lockVersions(join(ROOT, 'package-lock.json'), [
    '@apollo/gateway',
    '@apollo/server',
    '@apollo/query-planner',
    '@apollo/federation-internals',
    '@apollo/composition',
    '@apollo/subgraph',
    'graphql',
    'undici',
    'tsx',
  ]);
  const vendor = lockVersions(join(BENCH_DIR, 'vendor', 'package-lock.json'), [
    '@graphql-hive/gateway',
    '@graphql-hive/gateway-runtime',
    '@graphql-hive/router-runtime',
    '@graphql-hive/router-query-planner',
    '@graphql-mesh/fusion-runtime',
    'autocannon',
  ]);
  const all = { node: process.version.slice(1), ...root, ...vendor };
  return Object.entries(all)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

export function fmt(n: number | undefined, digits = 0): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->` (appended when absent); the rest of the file is kept. */
export function writeSection(name: string, body: string, file = BENCHMARKS_MD): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) text = text.slice(0, i) + block + text.slice(j + end.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}
