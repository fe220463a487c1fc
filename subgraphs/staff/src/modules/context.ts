import DataLoader from 'dataloader';
import type { Caller, Logger, ReadRecorder } from '@gerbang/common';
import type { CivilServant, StaffRegister } from '../adapters/simpeg/registry';

export interface StaffContext {
  requestId: string;
  caller: Caller;
  logger: Logger;
  register: StaffRegister;
  loaders: ReturnType<typeof createLoaders>;
  /** Records reads of other people's HR data (TPP bases, rosters) before they are served. */
  reads: ReadRecorder;
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
