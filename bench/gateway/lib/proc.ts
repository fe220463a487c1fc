import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = join(BENCH_DIR, '..', '..');

const hasTaskset = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
const cpuCount = cpus().length;
/** Pinning: on ≥ 2 cores the gateway gets CPU 1 alone; load generator and subgraphs share CPU 0. */
export const pinning = hasTaskset && cpuCount >= 2;
export const GATEWAY_CPU = String(cpuCount - 1 >= 1 ? 1 : 0);
export const LOAD_CPU = '0';
export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);

export interface SpawnOptions {
  cpu?: string;
  env?: Record<string, string | undefined>;
  nodeFlags?: string[];
  /** File that receives the child's stdout and stderr (its logs). */
  logFile?: string;
  ipc?: boolean;
  cwd?: string;
}

const children = new Set<ChildProcess>();

/** `node --import tsx FILE`, pinned to a CPU with taskset where available (taskset execs: same pid). */
export function spawnNode(file: string, options: SpawnOptions = {}): ChildProcess {
  const nodeArgs = [...(options.nodeFlags ?? []), '--import', 'tsx', file];
  const [cmd, args] = pinning && options.cpu !== undefined ? ['taskset', ['-c', options.cpu, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const out = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(cmd, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', out, out, ...(options.ipc === false ? [] : ['ipc' as const])],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function waitForMessage<T = any>(child: ChildProcess, predicate: (m: any) => boolean = () => true, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`child ${child.pid} sent no message within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (m: any) => {
      if (m?.error) {
        cleanup();
        reject(new Error(`child ${child.pid}: ${m.error}`));
      } else if (predicate(m)) {
        cleanup();
        resolve(m as T);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child ${child.pid} exited (${code}) before it was ready`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Stops a child we started, by its pid: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 8_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c).catch(() => undefined)));
}

export interface ProcSample {
  rssKb: number;
  hwmKb: number;
  /** CPU time (user + system) in seconds. */
  cpuSeconds: number;
}

export function sample(pid: number): ProcSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM'), cpuSeconds };
  } catch {
    return undefined;
  }
}

/**
 * The process and every descendant (node:cluster workers), without tsx's esbuild service, which
 * only compiles at start. For a process with no children this is `[pid]`.
 */
function processTree(pid: number): number[] {
  const out = [pid];
  // An array's iterator reads its length at each step: the children pushed below are walked too.
  for (const parent of out) {
    let kids: string[];
    try {
      kids = readdirSync(`/proc/${parent}/task`).flatMap((tid) => readFileSync(`/proc/${parent}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean));
    } catch {
      continue;
    }
    for (const k of kids) {
      const child = Number(k);
      let comm: string;
      try {
        comm = readFileSync(`/proc/${child}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (comm !== 'esbuild' && !out.includes(child)) out.push(child);
    }
  }
  return out;
}

/** `sample` summed over the process tree (RSS and CPU of the primary and its workers). */
export function sampleTree(pid: number): ProcSample | undefined {
  const samples = processTree(pid)
    .map(sample)
    .filter((s): s is ProcSample => s !== undefined);
  if (!samples.length) return undefined;
  return samples.reduce((a, b) => ({ rssKb: a.rssKb + b.rssKb, hwmKb: a.hwmKb + b.hwmKb, cpuSeconds: a.cpuSeconds + b.cpuSeconds }));
}

/** Resets VmHWM (peak RSS) so that the peak covers the measured window only (Linux ≥ 4.0). */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples RSS every `everyMs` between start() and stop(): the peak is max(VmHWM, sampled VmRSS). */
export class RssSampler {
  private peak = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(
    readonly pid: number,
    private readonly everyMs = 200,
    private readonly read: (pid: number) => ProcSample | undefined = sample,
  ) {}
  start() {
    const s = this.read(this.pid);
    this.peak = s?.rssKb ?? 0;
    this.timer = setInterval(() => {
      const x = this.read(this.pid);
      if (x) this.peak = Math.max(this.peak, x.rssKb);
    }, this.everyMs);
  }
  stop(): number {
    clearInterval(this.timer);
    const s = this.read(this.pid);
    if (s) this.peak = Math.max(this.peak, s.rssKb);
    return this.peak;
  }
}
