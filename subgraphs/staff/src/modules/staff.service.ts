import { badInput, forbidden, hasRole, requireCaller, type Caller, type Logger, type ReadRecorder } from '@gerbang/common';
import type { CivilServant, StaffRegister } from '../adapters/simpeg/registry';
import type { createLoaders } from './context';

/** Who may read the HR fields (the gateway enforces it from the supergraph; so does this subgraph). */
const STAFF_ROLES = ['officer', 'hr', 'admin'] as const;

const AGENCY_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface StaffServiceDeps {
  caller: Caller;
  logger: Logger;
  register: StaffRegister;
  loaders: ReturnType<typeof createLoaders>;
  /** Records reads of other people's HR data (TPP bases, rosters) before they are served. */
  reads: ReadRecorder;
}

/**
 * The staff subgraph's rules, free of GraphQL: who reads HR fields, who reads a TPP base (and which
 * reads are recorded), who lists a roster. Built per request.
 */
export class StaffService {
  constructor(private readonly deps: StaffServiceDeps) {}

  /** The register's record of an officer, for staff only; one batched look-up per tick. */
  async record(nip: string): Promise<CivilServant | null> {
    requireCaller(this.deps.caller, { roles: STAFF_ROLES, unauthenticated: 'Sign in as staff to read HR data.', forbidden: 'HR data is for staff only.' });
    return this.deps.loaders.officer.load(nip);
  }

  /** The officer themself, HR or an administrator. Checked before anything is fetched, so a refusal costs no call. */
  private tppReader(nip: string): 'owner' | 'hr' | 'admin' {
    const caller = requireCaller(this.deps.caller, { unauthenticated: 'Sign in to read a TPP base.' });
    if (caller.nip !== undefined && caller.nip === nip) return 'owner';
    if (hasRole(caller, 'hr')) return 'hr';
    if (hasRole(caller, 'admin')) return 'admin';
    throw forbidden('Only the officer themself, HR and administrators may read a TPP base.');
  }

  /** An officer's monthly TPP base; HR's and administrators' reads are recorded before they are served. */
  async tppBase(nip: string): Promise<number | null> {
    const as = this.tppReader(nip);
    const found = await this.deps.loaders.officer.load(nip);
    // Reads of other people's bases are recorded, with who read them in what capacity, before they are served.
    if (as !== 'owner' && found) await this.deps.reads.read('Officer.tppBase', `nip:${nip}`, as);
    return found?.tppBase ?? null;
  }

  /** An agency's roster, for HR and administrators; the read is recorded before it is served. */
  async staffOfAgency(agencyId: string): Promise<CivilServant[]> {
    const caller = requireCaller(this.deps.caller, { roles: ['hr', 'admin'], forbidden: "Only HR and administrators may list an agency's staff." });
    const id = agencyId.trim();
    if (!AGENCY_ID.test(id)) throw badInput('agencyId must be an agency id such as "dispendukcapil".', 'agencyId');
    const roster = await this.deps.register.listByAgency(id);
    // Recorded before it is served: which agency's roster, and whom it lists.
    await this.deps.reads.read('Query.staffOfAgency', [`agency:${id}`, ...roster.map((s) => `nip:${s.nip}`)], hasRole(caller, 'hr') ? 'hr' : 'admin', roster.length);
    // The roster already holds every HR field: no second look-up for the fields asked next.
    for (const s of roster) this.deps.loaders.officer.prime(s.nip, s);
    return roster;
  }
}
