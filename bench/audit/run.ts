/**
 * `npm run audit:federation` — the public federation gateway audit
 * (github.com/graphql-hive/federation-gateway-audit: 46 suites, 199 cases) against vanilla
 * @apollo/gateway and against Gerbang's gateway (default limits), side by side, and prints the
 * scores as a Markdown table (with the command that produced it). `npm run bench` runs the same
 * audit (bench/audit/audit.ts) as part of its one run.
 *
 * The audit's code is not part of this repository. Get it once:
 *
 *   git clone https://github.com/graphql-hive/federation-gateway-audit .data/federation-gateway-audit
 *   (cd .data/federation-gateway-audit && npm ci --ignore-scripts)
 *
 * or point FEDERATION_AUDIT_DIR at a checkout of yours (with its dependencies installed).
 *
 *   npm run audit:federation                          vanilla, Gerbang (Apollo's executor), Gerbang (GATEWAY_EXECUTOR=gerbang)
 *   npm run audit:federation -- --only=gerbang-fast   one column
 *   npm run audit:federation -- --suite=requires-requires --verbose   one suite, diffs of failures
 *   npm run audit:federation -- --write               also write the table into BENCHMARKS.md
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { auditMarkdown, auditMissing, runAudit } from './audit';

const ROOT = resolve(import.meta.dirname, '..', '..');
const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, v ?? 'true'] as const;
  }),
);
const command = `npm run audit:federation${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

const missing = auditMissing();
if (missing) {
  console.error(missing);
  process.exit(2);
}
const result = await runAudit({
  ...(args.get('only') ? { only: args.get('only')!.split(',') } : {}),
  ...(args.get('suite') ? { suites: args.get('suite')!.split(',') } : {}),
  verbose: args.has('verbose'),
});
const table = auditMarkdown(result, command);
console.log(table);
if (args.has('write')) {
  const file = join(ROOT, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const start = '<!-- federation-audit:start -->';
  const end = '<!-- federation-audit:end -->';
  const section = `${start}\n## Federation gateway audit (issue 16)\n\n${table}\n${end}`;
  const next = text.includes(start) ? text.replace(new RegExp(`${start}[\\s\\S]*?${end}`), () => section) : text.replace('<!-- gateway-bench:start -->', `${section}\n\n<!-- gateway-bench:start -->`);
  writeFileSync(file, next);
  console.error(`written to ${file}`);
}
process.exit(0);
