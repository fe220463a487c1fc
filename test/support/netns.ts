import { spawnSync } from 'node:child_process';

/**
 * The command line that runs `argv` in a network namespace of its own, with only a loopback
 * interface: `npm start` there listens on its fixed ports without meeting a developer's own
 * `npm start`, and reaches none of the machine's services (PostgreSQL, Redis).
 * As root: `unshare -n`. Otherwise: a user namespace too (`unshare -rn`), then a second one that
 * maps the user back, since PostgreSQL refuses to run as (even a namespace's) root.
 *
 * Root can always make one, so there a failure is an error, never a silent run on the machine's
 * own ports. A normal user on a machine without user namespaces gets undefined: the caller runs
 * in the machine's namespace and says so.
 */
export function inOwnNetwork(argv: string[]): string[] | undefined {
  const root = process.getuid?.() === 0;
  const up = 'ip link set lo up && exec "$@"';
  const candidate = root
    ? ['unshare', '-n', 'sh', '-c', up, 'netns']
    : ['unshare', '-rn', 'sh', '-c', `ip link set lo up && exec unshare -U --map-user=${process.getuid?.()} --map-group=${process.getgid?.()} "$@"`, 'netns'];
  let probe = spawnSync(candidate[0]!, [...candidate.slice(1), 'true'], { encoding: 'utf8' });
  // The kernel frees network namespaces lazily; a burst of them can make the next one wait.
  for (let retry = 0; probe.status !== 0 && root && retry < 5; retry++) {
    spawnSync('sleep', ['1']);
    probe = spawnSync(candidate[0]!, [...candidate.slice(1), 'true'], { encoding: 'utf8' });
  }
  if (probe.status === 0) return [...candidate, ...argv];
  if (root) throw new Error(`could not make a network namespace (${candidate.join(' ')}): ${(probe.stderr || probe.error?.message || `exit ${probe.status}`).trim()}`);
  console.warn(`no network namespace available (${(probe.stderr || probe.error?.message || '').trim()}): running in this machine's own, on its fixed ports`);
  return undefined;
}
