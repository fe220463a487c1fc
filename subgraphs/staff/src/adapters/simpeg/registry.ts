/**
 * What the staff subgraph needs from BKPSDM's staff register (SIMPEG), independent of how it is
 * reached. The JSON-RPC client of @gerbang/bkpsdm-client implements it (the ratings subgraph asks the
 * register through the same client); tests may implement it in memory.
 */
import type { CivilServant } from '@gerbang/bkpsdm-client';

export type { CivilServant };

export interface StaffRegister {
  /** The officers the register knows among `nips`; unknown NIPs are simply absent. */
  byNip(nips: readonly string[]): Promise<Map<string, CivilServant>>;
  /** Every officer of an agency, in the register's (NIP) order, all pages. */
  listByAgency(agencyId: string): Promise<CivilServant[]>;
}
