import DataLoader from 'dataloader';
import type { RequestInfo } from '@gerbang/common';
import type { CivilServant, StaffRegister } from '../adapters/simpeg/registry';
import type { StaffService } from './staff.service';

/** The request's own (id, caller, logger) and the subgraph's services for it. */
export interface StaffContext extends RequestInfo {
  /** The subgraph's rules for this request (its loaders, access log and the caller inside). */
  staff: StaffService;
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
