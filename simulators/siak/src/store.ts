/**
 * The simulated registry's state: residents, document requests and the change feed over requests.
 * Plain in-memory maps; the HTTP layer (server.ts) only parses, calls this and serialises.
 */
import { FIRST_REQUEST_SERIAL, OFFICERS, REQUEST_STATUSES, type Citizen, type DocumentRequest, type DocumentType, type NewRequest, type RequestStatus, type SiakSeed } from './data.js';
import { wibYear } from './time.js';

export class SiakError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. `allow` on a 405. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SiakError';
  }
}

export interface CreateRequestInput {
  nik: string;
  type: DocumentType;
  note: string | null;
  clientRef: string;
}

export interface ChangePage {
  items: DocumentRequest[];
  /** Cursor for the next call: the last item's sequence, or `since` when there was nothing new. */
  nextSince: number;
  hasMore: boolean;
}

/** Forward order of the lifecycle; REJECTED is reachable from any state that is not final. */
const RANK: Readonly<Record<RequestStatus, number>> = { SUBMITTED: 0, VERIFIED: 1, IN_PROCESS: 2, COMPLETED: 3, REJECTED: 3 };
const FINAL = new Set<RequestStatus>(['COMPLETED', 'REJECTED']);
const OFFICER_NIPS = new Set(OFFICERS.map((o) => o.nip));

/** Names are compared as the counter staff would: case, spacing and punctuation do not matter. */
const normaliseName = (name: string) =>
  name
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^A-Z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

export class SiakStore {
  private readonly citizens = new Map<string, Citizen>();
  private readonly requests = new Map<string, DocumentRequest>();
  private readonly byClientRef = new Map<string, string>();
  private lastSequence = 0;
  private nextSerial = FIRST_REQUEST_SERIAL;

  constructor(
    seed: SiakSeed,
    private readonly clock: () => Date = () => new Date(),
  ) {
    for (const c of seed.citizens) {
      if (this.citizens.has(c.nik)) throw new Error(`duplicate NIK in seed: ${c.nik}`);
      this.citizens.set(c.nik, { ...c });
    }
    this.addRequests(seed.requests);
  }

  /** Current end of the change feed. */
  get sequence(): number {
    return this.lastSequence;
  }

  citizenCount(): number {
    return this.citizens.size;
  }

  allCitizens(): Citizen[] {
    return [...this.citizens.values()].map((c) => ({ ...c }));
  }

  citizen(nik: string): Citizen | undefined {
    const c = this.citizens.get(nik);
    return c && { ...c };
  }

  /**
   * Numbers requests (ids continue the registry's serial) and appends them to the change feed in
   * the order they were last updated, as if the feed had recorded them live.
   */
  addRequests(newRequests: readonly NewRequest[]): DocumentRequest[] {
    for (const r of newRequests) {
      if (!this.citizens.has(r.nik)) throw new Error(`request for unknown NIK ${r.nik}`);
    }
    const numbered = newRequests.map((r) => ({
      ...r,
      id: `SIAK-${wibYear(r.submittedAt)}-${String(this.nextSerial++).padStart(6, '0')}`,
      sequence: 0,
    }));
    const byUpdate = [...numbered].sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
    for (const r of byUpdate) {
      r.sequence = ++this.lastSequence;
      this.requests.set(r.id, r);
      if (r.clientRef) this.byClientRef.set(r.clientRef, r.id);
    }
    return numbered.map(copy);
  }

  /** Batch lookup: found residents in the order asked (duplicates once), and the NIKs not found. */
  citizensByNik(niks: readonly string[]): { found: Citizen[]; notFound: string[] } {
    const found: Citizen[] = [];
    const notFound: string[] = [];
    for (const nik of new Set(niks)) {
      const c = this.citizens.get(nik);
      if (c) found.push({ ...c });
      else notFound.push(nik);
    }
    return { found, notFound };
  }

  /** Match/no-match only: an unknown NIK is a plain "no", so the answer never reveals who is registered. */
  verify(nik: string, fullName: string, birthDate: string): boolean {
    const c = this.citizens.get(nik);
    return !!c && c.birthDate === birthDate && normaliseName(c.fullName) === normaliseName(fullName);
  }

  requestsByIds(ids: readonly string[]): { found: DocumentRequest[]; notFound: string[] } {
    const found: DocumentRequest[] = [];
    const notFound: string[] = [];
    for (const id of new Set(ids)) {
      const r = this.requests.get(id);
      if (r) found.push(copy(r));
      else notFound.push(id);
    }
    return { found, notFound };
  }

  /** A resident's requests, newest first (by filing time, then id for a stable order). */
  requestsOf(nik: string): DocumentRequest[] {
    return [...this.requests.values()]
      .filter((r) => r.nik === nik)
      .sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime() || (a.id < b.id ? 1 : -1))
      .map(copy);
  }

  changesSince(since: number, limit: number): ChangePage {
    const newer = [...this.requests.values()].filter((r) => r.sequence > since).sort((a, b) => a.sequence - b.sequence);
    const items = newer.slice(0, limit).map(copy);
    return { items, nextSince: items.length ? items[items.length - 1]!.sequence : since, hasMore: newer.length > items.length };
  }

  /**
   * Files a request. Idempotent on the client's reference: a retry with the same reference and the
   * same content gets the original back; the same reference with other content is a client bug.
   */
  create(input: CreateRequestInput): { request: DocumentRequest; created: boolean } {
    const existingId = this.byClientRef.get(input.clientRef);
    if (existingId) {
      const existing = this.requests.get(existingId)!;
      if (existing.nik !== input.nik || existing.type !== input.type || existing.note !== input.note) {
        throw new SiakError(409, 'CONFLICT', `client_ref ${input.clientRef} was already used for a different request`);
      }
      return { request: copy(existing), created: false };
    }
    if (!this.citizens.has(input.nik)) throw new SiakError(404, 'NOT_FOUND', 'NIK tidak terdaftar');
    const now = this.clock();
    const [request] = this.addRequests([
      {
        nik: input.nik,
        type: input.type,
        status: 'SUBMITTED',
        note: input.note,
        clientRef: input.clientRef,
        submittedAt: now,
        completedAt: null,
        officerNip: null,
        updatedAt: now,
        version: 1,
      },
    ]);
    return { request: request!, created: true };
  }

  /**
   * Back-office move along the lifecycle. Only forward moves (steps may be skipped) or a rejection
   * of an open request; final states stay final, as in the real registry.
   */
  setStatus(id: string, status: RequestStatus, officerNip?: string): DocumentRequest {
    const r = this.requests.get(id);
    if (!r) throw new SiakError(404, 'NOT_FOUND', `permohonan ${id} tidak ditemukan`);
    if (!REQUEST_STATUSES.includes(status)) throw new SiakError(400, 'BAD_REQUEST', `unknown status ${status}`);
    if (officerNip !== undefined && !OFFICER_NIPS.has(officerNip)) {
      throw new SiakError(400, 'BAD_REQUEST', `NIP ${officerNip} is not a Dispendukcapil officer`);
    }
    if (FINAL.has(r.status) || (status !== 'REJECTED' && RANK[status] <= RANK[r.status])) {
      throw new SiakError(409, 'INVALID_TRANSITION', `cannot move ${id} from ${r.status} to ${status}`);
    }
    const now = this.clock();
    r.status = status;
    // Whoever handles a request from verification on is on record; default to the first officer
    // on duty rather than leaving a completed request without anyone to rate.
    if (officerNip) r.officerNip = officerNip;
    else if (!r.officerNip && status !== 'SUBMITTED') r.officerNip = OFFICERS[0]!.nip;
    if (status === 'COMPLETED') r.completedAt = now;
    r.updatedAt = now;
    r.version += 1;
    r.sequence = ++this.lastSequence;
    return copy(r);
  }
}

function copy(r: DocumentRequest): DocumentRequest {
  return { ...r };
}
