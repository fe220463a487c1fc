import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { simLogger } from '@gerbang/simkit';
import { writeBatch, type BatchResult, type WriteBatchOptions } from './batch';
import { acknowledge, readProposals, type AckResult, type Decide, type ProposalFile } from './proposals';
import { buildRegister, type Household } from './register';

/**
 * - down: the drop folder disappears, as a network share that is unmounted. It is moved aside, not
 *   chmod-ed: the hub and CI run as root, for whom permission bits do not stop a read.
 * - corruptNext: the next batch is cut short after its manifest was computed (manifest mismatch).
 */
export interface DropFaults {
  down: boolean;
  corruptNext: boolean;
}

export class DropFaultState {
  private state: DropFaults = { down: false, corruptNext: false };
  constructor(private readonly dir: string) {}

  /** Where the folder waits while "down": a hidden sibling, so it is on the same file system. */
  get offlinePath(): string {
    return join(dirname(this.dir), `.${basename(this.dir)}.offline`);
  }

  get(): DropFaults {
    return { ...this.state };
  }

  set(patch: Partial<DropFaults>): DropFaults {
    if (patch.down === true && !this.state.down) {
      if (existsSync(this.dir)) renameSync(this.dir, this.offlinePath);
      this.state.down = true;
    } else if (patch.down === false && this.state.down) {
      this.restore();
      this.state.down = false;
    }
    if (typeof patch.corruptNext === 'boolean') this.state.corruptNext = patch.corruptNext;
    return this.get();
  }

  reset(): DropFaults {
    return this.set({ down: false, corruptNext: false });
  }

  private restore(): void {
    if (!existsSync(this.offlinePath)) return;
    // Something may have recreated an empty folder meanwhile; anything else there is not ours to drop.
    if (existsSync(this.dir)) {
      if (readdirSync(this.dir).length > 0) throw new Error(`cannot bring ${this.dir} back: a non-empty folder took its place`);
      rmdirSync(this.dir);
    }
    renameSync(this.offlinePath, this.dir);
  }
}

export interface DtksDropOptions {
  dir: string;
  /** Clock for batch names, periods and ACK times (default: the real one). */
  now?: () => Date;
  /** Decision rule for proposals (default: `decideProposal`). */
  decide?: Decide;
}

export interface DtksDropSimulator {
  readonly dir: string;
  readonly faults: DropFaultState;
  /** The register publication the next scheduled batch exports. */
  readonly revision: number;
  register(): Household[];
  writeBatch(options?: WriteBatchOptions): Promise<BatchResult>;
  readProposals(): Promise<ProposalFile[]>;
  acknowledge(proposal: string | ProposalFile): Promise<AckResult>;
  /** Acknowledges every pending proposal file. */
  processProposals(): Promise<AckResult[]>;
  /** Every `intervalMs`: a new register publication and an answer to pending proposals. */
  start(intervalMs: number, onError?: (err: unknown) => void, onCycle?: (batch: BatchResult, acks: AckResult[]) => void): void;
  stop(): void;
}

/** Dinsos PPPA's register export: CSV batches into a drop folder, and the proposal outbox. */
export function createDtksDropSimulator(options: DtksDropOptions): DtksDropSimulator {
  const dir = resolve(options.dir);
  const now = options.now ?? (() => new Date());
  const faults = new DropFaultState(dir);
  let revision = 0;
  let timer: NodeJS.Timeout | undefined;

  const online = () => {
    if (faults.get().down) throw Object.assign(new Error(`DTKS drop folder ${dir} is offline`), { code: 'EDROPDOWN' });
  };

  const sim: DtksDropSimulator = {
    dir,
    faults,
    get revision() {
      return revision;
    },
    register: () => buildRegister(revision),
    async writeBatch(batch = {}) {
      online();
      // A pending corruption is used up by this batch whatever the caller asked for.
      const truncate = batch.truncate === true || faults.get().corruptNext;
      faults.set({ corruptNext: false });
      return writeBatch(dir, { date: now(), revision, ...batch, truncate });
    },
    async readProposals() {
      online();
      return readProposals(dir);
    },
    async acknowledge(proposal) {
      online();
      return acknowledge(dir, proposal, { now: now(), decide: options.decide, register: buildRegister(revision) });
    },
    async processProposals() {
      const out: AckResult[] = [];
      for (const p of await sim.readProposals()) out.push(await sim.acknowledge(p));
      return out;
    },
    start(intervalMs, onError = (err) => simLogger('dtks-drop').error({ err: (err as Error).message }, 'dtks-drop cycle failed'), onCycle) {
      sim.stop();
      timer = setInterval(() => {
        revision += 1;
        void (async () => {
          const batch = await sim.writeBatch();
          const acks = await sim.processProposals();
          onCycle?.(batch, acks);
        })().catch(onError);
      }, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  mkdirSync(dir, { recursive: true });
  return sim;
}
