import { availableParallelism } from 'node:os';

/** GATEWAY_WORKERS: `auto` (default: one per core) or a whole number from 1 to 256. */
export function workerCount(value: string | undefined, cores = availableParallelism()): number {
  if (value === undefined || value === '' || value === 'auto') return cores;
  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || Number(value) > 256) throw new Error(`GATEWAY_WORKERS must be "auto" or a whole number from 1 to 256, not "${value}"`);
  return Number(value);
}
