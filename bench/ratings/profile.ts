import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A first reading of `node --cpu-prof` profiles (open them in Chrome DevTools for the rest):
 * self time per function and per package, so the bottleneck's neighbourhood is plain.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function packageOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const m = /\/(gateway|packages\/[^/]+|subgraphs\/[^/]+|bench)\//.exec(url);
  return m ? `gerbang:${m[1]}` : url;
}

function summarizeProfile(file: string, top = 20): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = profile.endTime - profile.startTime;
  const byFn = new Map<string, number>();
  const byPkg = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/main\//, '')}:${lineNumber + 1}` : ''}`.trim();
    byFn.set(name, (byFn.get(name) ?? 0) + us);
    const pkg = packageOf(url);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const lines = [`${file} (${(total / 1e6).toFixed(1)} s)`, '  by package (self time):'];
  for (const [pkg, us] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`    ${pct(us)}  ${pkg}`);
  lines.push('  by function (self time):');
  for (const [fn, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`    ${pct(us)}  ${fn}`);
  return lines.join('\n');
}

/** Every profile in `dir` (one per stack process), busiest first. */
export function summarizeProfiles(dir: string): string {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.cpuprofile'));
  const busy = files
    .map((f) => {
      const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile;
      const idleIds = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
      const idle = p.samples.reduce((a, id, i) => a + (idleIds.has(id) ? (p.timeDeltas[i] ?? 0) : 0), 0);
      return { f, busy: 1 - idle / (p.endTime - p.startTime) };
    })
    .sort((a, b) => b.busy - a.busy);
  return busy.map((x) => `${(x.busy * 100).toFixed(0)} % busy — ${summarizeProfile(join(dir, x.f))}`).join('\n\n');
}
