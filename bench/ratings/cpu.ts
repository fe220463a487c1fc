import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * CPU time per component during a measured window, from /proc (Linux): what one rating costs the
 * gateway, the subgraph, PostgreSQL and the load generator, whatever else the machine is doing.
 * PostgreSQL's share is that of the backends serving the stack's own connections (found by the
 * stack processes' TCP ports in pg_stat_activity), so other users of the server do not count.
 */
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU of a process, in ms; undefined when it is gone or not readable. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Local TCP ports of a process's sockets (IPv4 and IPv6). */
export function localPorts(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch {
        /* closed meanwhile */
      }
    }
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && inodes.has(cols[9]!)) ports.push(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

export interface CpuSnapshot {
  at: number;
  processes: Map<string, number>;
  backends: Map<number, number>;
}

/** CPU of the named processes and of the given PostgreSQL backends, now. */
export function snapshot(processes: Record<string, number>, backends: readonly number[]): CpuSnapshot {
  const procs = new Map<string, number>();
  for (const [name, pid] of Object.entries(processes)) {
    const ms = name === 'load generator' ? process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000 : processCpuMs(pid);
    if (ms !== undefined) procs.set(name, ms);
  }
  const b = new Map<number, number>();
  for (const pid of backends) {
    const ms = processCpuMs(pid);
    if (ms !== undefined) b.set(pid, ms);
  }
  return { at: performance.now(), processes: procs, backends: b };
}

/** ms of CPU per component between two snapshots (backends that appeared meanwhile count whole). */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, ms] of b.processes) out[name] = ms - (a.processes.get(name) ?? 0);
  let pg = 0;
  for (const [pid, ms] of b.backends) pg += ms - (a.backends.get(pid) ?? 0);
  out.PostgreSQL = pg;
  return out;
}
