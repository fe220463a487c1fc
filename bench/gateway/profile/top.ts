/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and lists the functions with the most self time.
 *   npx tsx bench/gateway/profile/top.ts FILE.cpuprofile [N]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { markdownTable } from '../lib/report';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Where a function lives, shortened: package name for node_modules, path for our code. */
function where(url: string): string {
  if (!url) return '(native / V8)';
  let path = url;
  try {
    if (url.startsWith('file:')) path = fileURLToPath(url);
  } catch {
    // keep
  }
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    const pkg = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    return `${pkg}: ${rest.slice(rest[0]!.startsWith('@') ? 2 : 1).join('/')}`;
  }
  if (path.startsWith('node:')) return path;
  return relative(process.cwd(), path) || path;
}

/** `window`: only samples taken within it (µs on CLOCK_MONOTONIC, V8's clock), e.g. the measured load. */
export function topSelfTime(file: string, n = 25, window?: { startUs: number; endUs: number }): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  // Self time per node: the time deltas of the samples that landed on it.
  const self = new Map<number, number>();
  if (p.samples && p.timeDeltas) {
    let t = p.startTime;
    for (let i = 0; i < p.samples.length; i++) {
      t += p.timeDeltas[i] ?? 0;
      if (window && (t < window.startUs || t > window.endUs)) continue;
      const dt = p.timeDeltas[i + 1] ?? 0;
      self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + dt);
    }
  } else {
    const per =
      (p.endTime - p.startTime) /
      Math.max(
        1,
        p.nodes.reduce((a, x) => a + (x.hitCount ?? 0), 0),
      );
    for (const x of p.nodes) self.set(x.id, (x.hitCount ?? 0) * per);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFn = new Map<string, { name: string; where: string; line: number; us: number }>();
  for (const x of p.nodes) {
    const us = self.get(x.id) ?? 0;
    if (!us) continue;
    const { functionName, url, lineNumber } = x.callFrame;
    const key = `${functionName}|${url}|${lineNumber}`;
    const e = byFn.get(key) ?? { name: functionName || '(anonymous)', where: where(url), line: lineNumber + 1, us: 0 };
    e.us += us;
    byFn.set(key, e);
  }
  // Also by package / area, which is where the levers are.
  const byArea = new Map<string, number>();
  for (const e of byFn.values()) {
    const area =
      e.where.includes(':') && !e.where.startsWith('node:')
        ? e.where.split(':')[0]!
        : e.where.startsWith('(')
          ? e.where
          : e.where.startsWith('node:')
            ? 'node internals'
            : e.where.split('/').slice(0, 2).join('/');
    byArea.set(area, (byArea.get(area) ?? 0) + e.us);
  }
  const top = [...byFn.values()].sort((a, b) => b.us - a.us).slice(0, n);
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`;
  const fns = markdownTable(
    ['#', 'function', 'where', 'self ms', 'self %'],
    top.map((e, i) => [String(i + 1), `\`${e.name}\``, `${e.where}:${e.line}`, (e.us / 1000).toFixed(0), pct(e.us)]),
  );
  const areas = markdownTable(
    ['package / area', 'self ms', 'self %'],
    [...byArea.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([k, us]) => [k, (us / 1000).toFixed(0), pct(us)]),
  );
  return `Total sampled: ${(total / 1000).toFixed(0)} ms.\n\n${fns}\n\nSelf time by package or area (top 15):\n\n${areas}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(topSelfTime(process.argv[2]!, Number(process.argv[3] ?? 25)));
}
