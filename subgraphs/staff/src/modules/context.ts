import DataLoader from 'dataloader';
import type { Caller, Logger } from '@gerbang/common';
import type { CivilServant, StaffRegister } from '../adapters/simpeg/registry';

export interface StaffContext {
  requestId: string;
  caller: Caller;
  logger: Logger;
  register: StaffRegister;
  loaders: ReturnType<typeof createLoaders>;
  audit: AccessLog;
}

/**
 * One register look-up per tick however many officers (and HR fields) a query touches; the
 * adapter packs it into a single HTTP request (JSON-RPC batch, 200 NIPs per call).
 */
export function createLoaders(register: StaffRegister) {
  return {
    officer: new DataLoader<string, CivilServant | null>(async (nips) => {
      const found = await register.byNip(nips);
      return nips.map((n) => found.get(n) ?? null);
    }),
  };
}

/**
 * The access record UU PDP asks for: who read which personal fields of whom. Reads within one tick
 * are written as one line (an HR report reads hundreds of TPP bases in one query).
 */
export class AccessLog {
  private pending = new Map<string, Set<string>>();
  private scheduled = false;
  constructor(
    private readonly logger: Logger,
    private readonly caller: Caller,
  ) {}

  read(field: string, nip: string, purpose: string): void {
    const key = `${field}\u0000${purpose}`;
    const set = this.pending.get(key) ?? new Set<string>();
    set.add(nip);
    this.pending.set(key, set);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    for (const [key, nips] of this.pending) {
      const [field, purpose] = key.split('\u0000') as [string, string];
      this.logger.info(
        { audit: 'personal-data-read', who: this.caller.sub, roles: this.caller.roles, fields: [field], purpose, records: nips.size, nips: [...nips] },
        'HR data read',
      );
    }
    this.pending.clear();
  }
}
