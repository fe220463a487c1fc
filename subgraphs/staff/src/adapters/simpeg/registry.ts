/**
 * What the staff subgraph needs from BKPSDM's staff register (SIMPEG), independent of how it is
 * reached. The JSON-RPC adapter implements it; tests may implement it in memory.
 */
export type EmploymentStatus = 'PNS' | 'PPPK';

/** One civil servant (PNS) or contract civil servant (PPPK) as the register holds them. */
export interface CivilServant {
  /** 18-digit NIP: the graph's Officer id. */
  nip: string;
  name: string | null;
  /** Agency (OPD) id of the hub's directory, e.g. `dispendukcapil`. */
  agencyId: string | null;
  position: string | null;
  /** Golongan/ruang, e.g. `III/b` (PNS) or a roman numeral such as `IX` (PPPK). */
  grade: string | null;
  employmentStatus: EmploymentStatus | null;
  unit: string | null;
  /** Kelas jabatan (1–17). */
  jobClass: number | null;
  /** Monthly TPP base in whole rupiah, before any performance factor. Confidential. */
  tppBase: number | null;
}

export interface StaffRegister {
  /** The officers the register knows among `nips`; unknown NIPs are simply absent. */
  byNip(nips: readonly string[]): Promise<Map<string, CivilServant>>;
  /** Every officer of an agency, in the register's (NIP) order, all pages. */
  listByAgency(agencyId: string): Promise<CivilServant[]>;
}
