/**
 * The faults of `npm run chaos`, each bounded: what it does, how it ends, and which fields of the
 * graph it may take down while it lasts (everything else must keep answering).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { System } from './system';

export interface Scenario {
  name: string;
  /** The fault in a few words, for the table. */
  fault: string;
  /** Fields that may fail while it lasts; '*' when the fault takes the whole graph by design. */
  allowed: string[] | '*';
  inject(sys: System): Promise<void>;
  /** Ends a timed fault (a kill ends by itself: the supervisor starts the process again). */
  end?(sys: System): Promise<void>;
  holdMs?: number;
  /** Why it cannot run here, if it cannot. */
  skip?: (sys: System) => string | undefined;
}

/** Which graph fields each agency's system serves (the probe's selection). */
const FIELDS = {
  siak: ['name', 'populationRequest'],
  simpeg: ['officer'],
  oss: ['permitApplication'],
  simperda: ['permitApplication'],
  clinic: ['clinicBooking'],
  sismiop: ['taxServiceRequest'],
  dtsen: ['aidProposal'],
};

const kill9 = (name: string, allowed: string[] | '*'): Scenario => ({
  name: `kill -9 ${name}`,
  fault: 'process killed; npm start restarts it',
  allowed,
  async inject(sys) {
    const pid = sys.pidOf(name);
    if (!pid) throw new Error(`no running process for ${name}`);
    process.kill(pid, 'SIGKILL');
  },
});

const SIM_CONTROL = { siak: 4101, oss: 4102, simperda: 4103, clinic: 4104, sismiop: 4105, simpeg: 4106 } as const;
async function faults(system: keyof typeof SIM_CONTROL, body: Record<string, unknown> | null): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${SIM_CONTROL[system]}/__sim/faults`, {
    method: body ? 'POST' : 'DELETE',
    ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`faults on ${system}: HTTP ${res.status}`);
}
const agencyFault = (system: keyof typeof FIELDS & keyof typeof SIM_CONTROL, label: string, body: Record<string, unknown>, holdMs: number): Scenario => ({
  name: `${system} ${label}`,
  fault: `${JSON.stringify(body)} for ${holdMs / 1000}s`,
  allowed: FIELDS[system],
  holdMs,
  inject: () => faults(system, body),
  end: () => faults(system, null),
});

function pgRestartCommand(): string[] | undefined {
  const url = process.env.DATABASE_URL;
  if (!url || !['127.0.0.1', 'localhost'].includes(new URL(url).hostname)) return undefined;
  const versions = spawnSync('ls', ['/etc/postgresql'], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
  if (!versions.length || spawnSync('which', ['pg_ctlcluster']).status !== 0) return undefined;
  return ['pg_ctlcluster', '--skip-systemctl-redirect', versions[0]!, 'main', 'restart', '--mode', 'fast'];
}

const redisCli = (...args: string[]) => {
  const r = spawnSync('redis-cli', ['-u', process.env.REDIS_URL!, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')}: ${r.stderr || r.error?.message}`);
};

export function scenarios(holdMs: number): Scenario[] {
  return [
    kill9('gateway', '*'),
    // The subgraphs share one process under npm start (in containers each runs alone): all go together.
    kill9('subgraphs', '*'),
    kill9('sim-siak', FIELDS.siak),
    kill9('sim-bkpsdm', FIELDS.simpeg),
    kill9('sim-oss', FIELDS.oss),
    kill9('sim-permit-soap', FIELDS.simperda),
    kill9('sim-clinic-queue', FIELDS.clinic),
    kill9('sim-sismiop', FIELDS.sismiop),
    kill9('sim-dtks-drop', FIELDS.dtsen),
    {
      name: 'PostgreSQL restarted',
      fault: 'fast shutdown mid-write, started again',
      allowed: '*',
      async inject(sys) {
        if (sys.embedded) {
          // The supervisor (npm start) starts it again on the same port.
          process.kill(sys.postmasterPid()!, 'SIGINT');
        } else {
          const cmd = pgRestartCommand()!;
          const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' });
          if (r.status !== 0) throw new Error(`${cmd.join(' ')}: ${r.stderr}`);
        }
      },
      skip: (sys) => (sys.embedded || pgRestartCommand() ? undefined : 'DATABASE_URL is not a local server this script can restart (pg_ctlcluster)'),
    },
    {
      name: 'PostgreSQL killed',
      fault: 'kill -9 of the postmaster mid-write (crash recovery)',
      allowed: '*',
      async inject(sys) {
        process.kill(sys.postmasterPid()!, 'SIGKILL');
      },
      skip: (sys) => (sys.embedded ? undefined : 'only the embedded server is killed (a real server is restarted above)'),
    },
    agencyFault('siak', 'slow', { latencyMs: 5_000 }, holdMs),
    // BKPSDM's register is also what rateService asks about the rater (OWN_AGENCY): ratings must
    // still be acknowledged, held for the register check.
    agencyFault('simpeg', 'down', { down: true }, holdMs),
    agencyFault('simperda', 'erroring', { errorRate: 0.5 }, holdMs),
    agencyFault('clinic', 'down', { down: true }, holdMs),
    agencyFault('sismiop', 'down', { down: true }, holdMs),
    {
      name: 'Redis lost and flushed',
      fault: `unresponsive ${holdMs / 1000}s (CLIENT PAUSE), then FLUSHALL and every connection dropped`,
      allowed: '*',
      holdMs,
      async inject() {
        redisCli('CLIENT', 'PAUSE', String(holdMs), 'ALL');
      },
      async end() {
        redisCli('FLUSHALL');
        redisCli('CLIENT', 'KILL', 'TYPE', 'normal');
      },
      skip: () => (process.env.REDIS_URL ? undefined : 'REDIS_URL is not set: every process keeps rate limits, APQ and nonces in memory'),
    },
    {
      name: 'drop folder read-only',
      fault: `DATA_DIR/dtks-drop mounted read-only for ${holdMs / 1000}s`,
      allowed: FIELDS.dtsen,
      holdMs,
      async inject(sys) {
        const dir = join(sys.dataDir, 'dtks-drop');
        mkdirSync(dir, { recursive: true });
        for (const args of [
          ['--bind', dir, dir],
          ['-o', 'remount,ro,bind', dir],
        ]) {
          const r = spawnSync('mount', args, { encoding: 'utf8' });
          if (r.status !== 0) throw new Error(`mount ${args.join(' ')}: ${r.stderr}`);
        }
      },
      async end(sys) {
        const dir = join(sys.dataDir, 'dtks-drop');
        if (existsSync(dir)) spawnSync('umount', [dir]);
      },
      skip: () => (process.getuid?.() === 0 && spawnSync('which', ['mount']).status === 0 ? undefined : 'needs root to mount the folder read-only'),
    },
  ];
}
