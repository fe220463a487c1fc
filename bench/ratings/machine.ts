import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memory: string;
  node: string;
  postgres: string;
  os: string;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]!.trim();
  } catch {
    /* not Linux */
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function memory(): string {
  let bytes = os.totalmem();
  try {
    const kb = /MemTotal:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
    if (kb) bytes = Number(kb) * 1024;
  } catch {
    /* not Linux */
  }
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

/** What the figures were measured on: nproc, CPU model (/proc/cpuinfo), memory, Node, PostgreSQL. */
export function describeMachine(postgresVersion: string): Machine {
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpuModel(),
    memory: memory(),
    node: process.version,
    postgres: postgresVersion,
    os: `${os.type()} ${os.release()}`,
  };
}

function cpuTimes(): { idle: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3]! + (v[4] ?? 0);
    return { idle, total: v.reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
}

/** Share of the machine's CPU time in use over `ms` (all processes; /proc/stat), 0–100. */
async function cpuBusy(ms = 2000): Promise<number> {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuTimes();
  if (!a || !b || b.total === a.total) return Number.NaN;
  return 100 * (1 - (b.idle - a.idle) / (b.total - a.total));
}

/**
 * The machine may be shared (other engineers' test runs): before a measurement, wait up to
 * `maxWaitSec` for it to be quiet (under `threshold` % busy while we are idle), and say how busy
 * it was, so the figures can be read for what they are.
 */
export async function waitQuiet(options: { threshold: number; maxWaitSec: number; log: (msg: string) => void; label: string }): Promise<number> {
  const deadline = Date.now() + options.maxWaitSec * 1000;
  let busy = await cpuBusy();
  while (busy > options.threshold && Date.now() < deadline) {
    options.log(`  machine ${busy.toFixed(0)} % busy with other work before ${options.label}; waiting for it to settle…`);
    busy = await cpuBusy(5000);
  }
  if (busy > options.threshold) options.log(`  WARNING: machine ${busy.toFixed(0)} % busy with other work during ${options.label}: figures are pessimistic`);
  return busy;
}
