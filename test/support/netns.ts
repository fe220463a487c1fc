import { spawnSync } from 'node:child_process';

/**
 * The command line that runs `argv` in a network namespace of its own, with only a loopback
 * interface: `npm start` there listens on its fixed ports without meeting a developer's own
 * `npm start`, and reaches none of the machine's services (PostgreSQL, Redis).
 * As root: `unshare -n`. Otherwise: a user namespace too (`unshare -rn`), then a second one that
 * maps the user back, since PostgreSQL refuses to run as (even a namespace's) root.
 * Undefined when this machine allows neither.
 */
export function inOwnNetwork(argv: string[]): string[] | undefined {
  const root = process.getuid?.() === 0;
  const up = 'ip link set lo up && exec "$@"';
  const candidate = root
    ? ['unshare', '-n', 'sh', '-c', up, 'netns']
    : ['unshare', '-rn', 'sh', '-c', `ip link set lo up && exec unshare -U --map-user=${process.getuid?.()} --map-group=${process.getgid?.()} "$@"`, 'netns'];
  const probe = spawnSync(candidate[0]!, [...candidate.slice(1), 'true'], { stdio: 'ignore' });
  return probe.status === 0 ? [...candidate, ...argv] : undefined;
}
