import { UpstreamUnavailableError } from '@gerbang/common';

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

/** Someone signed in, as the register can be asked about them: the NIK (every resident), the NIP (staff tokens). */
export interface Person {
  nik: string;
  nip?: string | null;
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

const PAGE = 200;
/** The register answers at most this many NIKs (or NIPs) per call. */
const PEOPLE_PER_CALL = 200;
/** The register's "unknown OPD" error (-32004): the register does not know the agency. */
const RPC_NOT_FOUND = -32004;

interface WireOfficer {
  nip?: unknown;
  nama?: unknown;
  tpp_pokok?: unknown;
}

interface WireEmployment {
  nik?: unknown;
  nip?: unknown;
  opd?: unknown;
}

/**
 * BKPSDM's register (SIMPEG): JSON-RPC 2.0 on `POST {url}/rpc`, HTTP Basic client credentials,
 * `pegawai.listByOpd { opd, offset, limit }` paged by NIP, and `pegawai.getByNik { nik: [...] }`
 * (with `pegawai.getByNip` in the same batch for a staff token) for where someone works. Failures
 * become UPSTREAM_UNAVAILABLE.
 */
export class BkpsdmStaffDirectory implements StaffDirectory {
  calls = 0;
  private nextId = 1;
  constructor(
    private readonly options: { url: string; clientId: string; clientSecret: string; timeoutMs?: number; fetch?: typeof fetch },
  ) {}

  async officersOfAgency(agencyId: string): Promise<StaffMember[] | null> {
    const members: StaffMember[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const result = await this.call('pegawai.listByOpd', { opd: agencyId, offset, limit: PAGE });
      if (result === null) return null;
      const { pegawai, total } = result as { pegawai?: unknown; total?: unknown };
      if (!Array.isArray(pegawai) || typeof total !== 'number') throw new UpstreamUnavailableError(SERVICE, 'malformed listByOpd result');
      for (const p of pegawai as WireOfficer[]) {
        if (typeof p.nip !== 'string') continue;
        members.push({
          id: p.nip,
          ...(typeof p.nama === 'string' ? { name: p.nama } : {}),
          tppBase: typeof p.tpp_pokok === 'number' && Number.isSafeInteger(p.tpp_pokok) && p.tpp_pokok >= 0 ? p.tpp_pokok : null,
        });
      }
      if (pegawai.length === 0 || offset + pegawai.length >= total) return members;
    }
  }

  async agenciesOf(person: Person): Promise<string[]> {
    return (await this.agenciesOfMany([person]))[0]!;
  }

  async agenciesOfMany(people: readonly Person[]): Promise<string[][]> {
    const answers: string[][] = [];
    for (let i = 0; i < people.length; i += PEOPLE_PER_CALL) answers.push(...(await this.lookUp(people.slice(i, i + PEOPLE_PER_CALL))));
    return answers;
  }

  /**
   * One HTTP request: by NIK, and by NIP in the same JSON-RPC batch when anyone asked about has one
   * (a staff token). Answers are matched to people by the NIK or NIP they carry.
   */
  private async lookUp(people: readonly Person[]): Promise<string[][]> {
    const niks = [...new Set(people.map((p) => p.nik))];
    const nips = [...new Set(people.flatMap((p) => (p.nip ? [p.nip] : [])))];
    const calls: [string, Record<string, unknown>][] = [['pegawai.getByNik', { nik: niks }]];
    if (nips.length) calls.push(['pegawai.getByNip', { nip: nips }]);
    const results = await this.batch(calls);
    const agenciesBy = new Map<string, Set<string>>();
    results.forEach((result, i) => {
      const by = i === 0 ? 'nik' : 'nip';
      const pegawai = (result as { pegawai?: unknown } | null)?.pegawai;
      if (!Array.isArray(pegawai)) throw new UpstreamUnavailableError(SERVICE, 'malformed look-up result');
      for (const p of pegawai as WireEmployment[]) {
        const id = p[by];
        if (typeof id !== 'string' || typeof p.opd !== 'string') throw new UpstreamUnavailableError(SERVICE, 'malformed look-up result');
        const key = `${by}:${id}`;
        agenciesBy.set(key, (agenciesBy.get(key) ?? new Set()).add(p.opd));
      }
    });
    return people.map((p) => [...new Set([...(agenciesBy.get(`nik:${p.nik}`) ?? []), ...(p.nip ? (agenciesBy.get(`nip:${p.nip}`) ?? []) : [])])]);
  }

  /** One JSON-RPC call; `null` for the register's not-found answer. */
  private async call(method: string, params: Record<string, unknown>): Promise<unknown> {
    const [result] = await this.batch([[method, params]]);
    return result;
  }

  /** Calls in one HTTP request (a JSON-RPC batch array when more than one); results in order, `null` for not-found. */
  private async batch(calls: readonly [string, Record<string, unknown>][]): Promise<unknown[]> {
    this.calls++;
    const auth = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64');
    const requests = calls.map(([method, params]) => ({ jsonrpc: '2.0', id: this.nextId++, method, params }));
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(`${this.options.url.replace(/\/$/, '')}/rpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${auth}` },
        body: JSON.stringify(requests.length === 1 ? requests[0] : requests),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 3000),
      });
    } catch (err) {
      throw new UpstreamUnavailableError(SERVICE, (err as Error).name === 'TimeoutError' ? 'timeout' : (err as Error).message);
    }
    if (!res.ok) throw new UpstreamUnavailableError(SERVICE, `HTTP ${res.status}`);
    type Answer = { id?: unknown; result?: unknown; error?: { code?: number; message?: string } };
    let body: Answer | Answer[];
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new UpstreamUnavailableError(SERVICE, 'answer is not JSON');
    }
    const answers = Array.isArray(body) ? body : [body];
    return requests.map((request) => {
      // A batch's answers may come in any order: matched by id.
      const answer = answers.length === 1 && requests.length === 1 ? answers[0] : answers.find((a) => a.id === request.id);
      if (!answer) throw new UpstreamUnavailableError(SERVICE, 'no answer to a call of the batch');
      if (answer.error) {
        if (answer.error.code === RPC_NOT_FOUND) return null;
        throw new UpstreamUnavailableError(SERVICE, `RPC error ${answer.error.code}: ${answer.error.message}`);
      }
      return answer.result;
    });
  }
}
