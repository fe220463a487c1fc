import { SimpegClient, type Person } from '@gerbang/bkpsdm-client';
import { UpstreamRejectedError, UpstreamUnavailableError } from '@gerbang/common';

export type { Person };

/** How the register is named in UPSTREAM_UNAVAILABLE errors (`service`). */
export const SERVICE = 'BKPSDM staff register';

/**
 * Who works at an agency and their monthly TPP base. The HR system (BKPSDM's staff register) owns
 * these facts; the TPP report depends on this interface only, so the register can be reached over
 * HTTP in production, held in memory in tests, or wrapped by an HR subgraph later.
 *
 * The register is also what says which agencies exist *for TPP*. TPP is paid to the civil servants
 * BKPSDM registers at an agency (OPD), at the bases it sets: an agency the register does not know has
 * nobody to pay and no figures, and finalising it would freeze an empty month for good. The other
 * candidates are not authorities for this: the directory subgraph is the portal's public catalogue
 * (and a subgraph never reads another subgraph: they meet only through entity keys), and the ticket
 * ledger knows only agencies that publish tickets (BKPSDM itself publishes none, yet pays TPP).
 */
export interface StaffMember {
  /** NIP (18 digits): the Officer entity id. */
  id: string;
  name?: string;
  /** Monthly TPP base in whole rupiah; null when the register does not say. */
  tppBase: number | null;
}

export interface StaffDirectory {
  /** The agency's roster; `null` when the register does not know the agency (empty: known, nobody on it). */
  officersOfAgency(agencyId: string): Promise<StaffMember[] | null>;
  /**
   * The agencies whose rosters list this person, by NIK (and by NIP when given); `[]` for someone
   * who is no civil servant. Throws UPSTREAM_UNAVAILABLE when the register cannot say. This, and
   * not the token, is what says whether a rater is an officer of a ticket's agency: a token says
   * how someone signed in (an officer may sign in as a citizen), the register where they work.
   */
  agenciesOf(person: Person): Promise<string[]>;
  /**
   * `agenciesOf` for many people at once (the later register check of held ratings), answers in
   * the order asked; one request to the register per 200 people. Throws UPSTREAM_UNAVAILABLE when
   * the register cannot say.
   */
  agenciesOfMany(people: readonly Person[]): Promise<string[][]>;
}

/**
 * A fixed roster (tests, and the development default when no register is configured). It knows the
 * agencies of its members, plus `agencies` (known, with nobody on their roster).
 */
export class MemoryStaffDirectory implements StaffDirectory {
  calls = 0;
  /** Set to make every call fail as a register that is down would (tests). */
  down: string | null = null;
  private readonly byAgency = new Map<string, StaffMember[]>();
  private readonly agencyOf = new Map<string, string>();
  constructor(members: readonly (StaffMember & { agencyId: string; nik?: string })[], agencies: readonly string[] = []) {
    for (const agencyId of agencies) this.byAgency.set(agencyId, []);
    for (const { agencyId, nik, ...m } of members) {
      const list = this.byAgency.get(agencyId) ?? [];
      list.push(m);
      this.byAgency.set(agencyId, list);
      this.agencyOf.set(`nip:${m.id}`, agencyId);
      if (nik) this.agencyOf.set(`nik:${nik}`, agencyId);
    }
  }
  async officersOfAgency(agencyId: string): Promise<StaffMember[] | null> {
    this.calls++;
    if (this.down) throw new UpstreamUnavailableError(SERVICE, this.down);
    return this.byAgency.get(agencyId)?.map((m) => ({ ...m })) ?? null;
  }
  async agenciesOf(person: Person): Promise<string[]> {
    return (await this.agenciesOfMany([person]))[0]!;
  }
  async agenciesOfMany(people: readonly Person[]): Promise<string[][]> {
    this.calls++;
    if (this.down) throw new UpstreamUnavailableError(SERVICE, this.down);
    return people.map((person) => {
      const found = [this.agencyOf.get(`nik:${person.nik}`), person.nip ? this.agencyOf.get(`nip:${person.nip}`) : undefined];
      return [...new Set(found.filter((a): a is string => a !== undefined))];
    });
  }
}

/**
 * The demo roster: the officers of docs/DEMO-DATA.md with the TPP bases of their job classes and
 * their NIKs (the same figures the BKPSDM simulator serves). Used only outside production when
 * STAFF_DIRECTORY_URL is unset.
 */
export const DEMO_STAFF: readonly (StaffMember & { agencyId: string; nik: string })[] = [
  { id: '198703152010011002', nik: '3503111503870001', name: 'Agus Prasetyo', agencyId: 'dispendukcapil', tppBase: 1_875_000 },
  { id: '199001222015032004', nik: '3503126201900001', name: 'Rina Wulandari', agencyId: 'dispendukcapil', tppBase: 2_200_000 },
  { id: '198511302009011003', nik: '3503133011850001', name: 'Hendra Kurniawan', agencyId: 'dispendukcapil', tppBase: 2_200_000 },
  { id: '198808082012122001', nik: '3503114808880002', name: 'Yuni Astuti', agencyId: 'dpmptsp', tppBase: 2_525_000 },
  { id: '199203172019031005', nik: '3503011703920001', name: 'Fajar Nugroho', agencyId: 'dpmptsp', tppBase: 2_200_000 },
  { id: '198406252008011004', nik: '3503122506840001', name: 'Bambang Sutrisno', agencyId: 'bpkpd', tppBase: 2_525_000 },
  { id: '199107042017082003', nik: '3503084407910001', name: 'Lilis Suryani', agencyId: 'bpkpd', tppBase: 1_875_000 },
  { id: '198912112014022002', nik: '3503115112890001', name: 'dr. Anita Permatasari', agencyId: 'dinkesdalduk', tppBase: 2_900_000 },
  { id: '199305192020121006', nik: '3503121905930001', name: 'Eko Wahyudi', agencyId: 'dinkesdalduk', tppBase: 2_200_000 },
  { id: '198602142011012005', nik: '3503135402860001', name: 'Endang Susilowati', agencyId: 'dinsos', tppBase: 2_525_000 },
  { id: '199409302022031007', nik: '3503143009940001', name: 'Rizky Ramadhan', agencyId: 'dinsos', tppBase: 2_200_000 },
  { id: '198205102006042001', nik: '3503115005820001', name: 'Sri Wahyuni', agencyId: 'bkpsdm', tppBase: 2_900_000 },
];

/**
 * BKPSDM's register (SIMPEG) through the one client the staff subgraph's adapter uses too
 * (@gerbang/bkpsdm-client: JSON-RPC 2.0 batches, Basic client credentials, timeout, retries of
 * reads and a breaker). `pegawai.listByOpd` for a roster, `pegawai.getByNik` (with
 * `pegawai.getByNip` in the same batch for a staff token) for where someone works. Every failure,
 * and any refusal but "unknown agency", is UPSTREAM_UNAVAILABLE naming the "BKPSDM staff register".
 */
export class BkpsdmStaffDirectory implements StaffDirectory {
  private readonly client: SimpegClient;
  constructor(options: { url: string; clientId: string; clientSecret: string; timeoutMs?: number }) {
    this.client = new SimpegClient({
      baseUrl: options.url,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      service: SERVICE,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  async officersOfAgency(agencyId: string): Promise<StaffMember[] | null> {
    try {
      return (await this.client.listByAgency(agencyId)).map((s) => ({ id: s.nip, ...(s.name !== null ? { name: s.name } : {}), tppBase: s.tppBase }));
    } catch (err) {
      if (err instanceof UpstreamRejectedError && err.upstreamCode === 'NOT_FOUND') return null;
      throw unavailable(err);
    }
  }

  async agenciesOf(person: Person): Promise<string[]> {
    return (await this.agenciesOfMany([person]))[0]!;
  }

  async agenciesOfMany(people: readonly Person[]): Promise<string[][]> {
    try {
      return await this.client.employmentOf(people);
    } catch (err) {
      throw unavailable(err);
    }
  }
}

/** A refusal of one request is, for the rules that depend on the register, the register not answering. */
function unavailable(err: unknown): Error {
  if (err instanceof UpstreamUnavailableError) return err;
  return new UpstreamUnavailableError(SERVICE, (err as Error).message);
}
