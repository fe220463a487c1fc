import { UpstreamUnavailableError } from '@gerbang/common';

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
}

/**
 * A fixed roster (tests, and the development default when no register is configured). It knows the
 * agencies of its members, plus `agencies` (known, with nobody on their roster).
 */
export class MemoryStaffDirectory implements StaffDirectory {
  calls = 0;
  private readonly byAgency = new Map<string, StaffMember[]>();
  constructor(members: readonly (StaffMember & { agencyId: string })[], agencies: readonly string[] = []) {
    for (const agencyId of agencies) this.byAgency.set(agencyId, []);
    for (const { agencyId, ...m } of members) {
      const list = this.byAgency.get(agencyId) ?? [];
      list.push(m);
      this.byAgency.set(agencyId, list);
    }
  }
  async officersOfAgency(agencyId: string): Promise<StaffMember[] | null> {
    this.calls++;
    return this.byAgency.get(agencyId)?.map((m) => ({ ...m })) ?? null;
  }
}

/**
 * The demo roster: the officers of docs/DEMO-DATA.md with the TPP bases of their job classes
 * (the same figures the BKPSDM simulator serves). Used only outside production when
 * STAFF_DIRECTORY_URL is unset.
 */
export const DEMO_STAFF: readonly (StaffMember & { agencyId: string })[] = [
  { id: '198703152010011002', name: 'Agus Prasetyo', agencyId: 'dispendukcapil', tppBase: 1_875_000 },
  { id: '199001222015032004', name: 'Rina Wulandari', agencyId: 'dispendukcapil', tppBase: 2_200_000 },
  { id: '198511302009011003', name: 'Hendra Kurniawan', agencyId: 'dispendukcapil', tppBase: 2_200_000 },
  { id: '198808082012122001', name: 'Yuni Astuti', agencyId: 'dpmptsp', tppBase: 2_525_000 },
  { id: '199203172019031005', name: 'Fajar Nugroho', agencyId: 'dpmptsp', tppBase: 2_200_000 },
  { id: '198406252008011004', name: 'Bambang Sutrisno', agencyId: 'bpkpd', tppBase: 2_525_000 },
  { id: '199107042017082003', name: 'Lilis Suryani', agencyId: 'bpkpd', tppBase: 1_875_000 },
  { id: '198912112014022002', name: 'dr. Anita Permatasari', agencyId: 'dinkesdalduk', tppBase: 2_900_000 },
  { id: '199305192020121006', name: 'Eko Wahyudi', agencyId: 'dinkesdalduk', tppBase: 2_200_000 },
  { id: '198602142011012005', name: 'Endang Susilowati', agencyId: 'dinsos', tppBase: 2_525_000 },
  { id: '199409302022031007', name: 'Rizky Ramadhan', agencyId: 'dinsos', tppBase: 2_200_000 },
  { id: '198205102006042001', name: 'Sri Wahyuni', agencyId: 'bkpsdm', tppBase: 2_900_000 },
];

const SERVICE = 'BKPSDM staff register';
const PAGE = 200;
/** The register's "unknown OPD" error (-32004): the register does not know the agency. */
const RPC_NOT_FOUND = -32004;

interface WireOfficer {
  nip?: unknown;
  nama?: unknown;
  tpp_pokok?: unknown;
}

/**
 * BKPSDM's register (SIMPEG): JSON-RPC 2.0 on `POST {url}/rpc`, HTTP Basic client credentials,
 * `pegawai.listByOpd { opd, offset, limit }` paged by NIP. Failures become UPSTREAM_UNAVAILABLE.
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

  /** One JSON-RPC call; `null` for the register's not-found answer. */
  private async call(method: string, params: Record<string, unknown>): Promise<unknown> {
    this.calls++;
    const auth = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64');
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(`${this.options.url.replace(/\/$/, '')}/rpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${auth}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method, params }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 3000),
      });
    } catch (err) {
      throw new UpstreamUnavailableError(SERVICE, (err as Error).name === 'TimeoutError' ? 'timeout' : (err as Error).message);
    }
    if (!res.ok) throw new UpstreamUnavailableError(SERVICE, `HTTP ${res.status}`);
    let body: { result?: unknown; error?: { code?: number; message?: string } };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new UpstreamUnavailableError(SERVICE, 'answer is not JSON');
    }
    if (body.error) {
      if (body.error.code === RPC_NOT_FOUND) return null;
      throw new UpstreamUnavailableError(SERVICE, `RPC error ${body.error.code}: ${body.error.message}`);
    }
    return body.result;
  }
}
