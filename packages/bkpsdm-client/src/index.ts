import { z } from 'zod';
import { chunks, fetchJson, parseWire, Upstream, UpstreamInvalidError, UpstreamRejectedError, type UpstreamOptions } from '@gerbang/common';

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

/** Someone signed in, as the register can be asked about them: the NIK (every resident), the NIP (staff tokens). */
export interface Person {
  nik: string;
  nip?: string | null;
}

/** The name operators and UPSTREAM_UNAVAILABLE errors know the system by. */
export const SIMPEG_SERVICE = 'BKPSDM SIMPEG';
/** Limits from the register's interface agreement (200 NIKs or NIPs per call). */
export const SIMPEG_MAX_NIPS = 200;
export const SIMPEG_MAX_PAGE = 200;
export const SIMPEG_MAX_BATCH_CALLS = 50;

/** JSON-RPC error codes: the spec's, then the register's own (-32000..-32099). */
export const RPC_ERROR = {
  INVALID_PARAMS: -32602,
  UNAUTHORIZED: -32001,
  NOT_FOUND: -32004,
} as const;

/** A JSON-RPC 2.0 response object (one per call of a batch), checked at this boundary. */
const RpcResponse = z.object({
  id: z.union([z.number(), z.string(), z.null()]),
  result: z.unknown().optional(),
  error: z
    .object({
      code: z.number().optional().catch(undefined),
      data: z
        .object({ reason: z.string().optional().catch(undefined) })
        .optional()
        .catch(undefined),
    })
    .optional(),
});
type RpcErrorBody = NonNullable<z.output<typeof RpcResponse>['error']>;
const RpcResponses = z.array(RpcResponse);

interface RpcCall<T> {
  method: string;
  params: Record<string, unknown>;
  /** Client-facing message when the register answers -32004 to this call. */
  notFound: string;
  /** What the call's `result` must be. */
  result: z.ZodType<T>;
}

/**
 * One officer, lenient per field: a field the register leaves out or mangles becomes null, not a
 * failed query; an entry without a NIP is dropped (it cannot be an Officer).
 */
const WireOfficer = z.object({
  nip: z.string(),
  nama: z.string().nullable().catch(null),
  opd: z.string().nullable().catch(null),
  jabatan: z.string().nullable().catch(null),
  golongan: z.string().nullable().catch(null),
  status: z.enum(['PNS', 'PPPK']).nullable().catch(null),
  unit: z.string().nullable().catch(null),
  kelas_jabatan: z.number().int().nonnegative().nullable().catch(null),
  tpp_pokok: z.number().int().nonnegative().nullable().catch(null),
});

const toCivilServant = (w: z.output<typeof WireOfficer>): CivilServant => ({
  nip: w.nip,
  name: w.nama,
  agencyId: w.opd,
  position: w.jabatan,
  grade: w.golongan,
  employmentStatus: w.status,
  unit: w.unit,
  jobClass: w.kelas_jabatan,
  tppBase: w.tpp_pokok,
});

/** `pegawai.getByNip`: the officers found (the list itself must be there). */
const Officers = z.object({
  pegawai: z.array(z.unknown()).transform((list) =>
    list.flatMap((w) => {
      const officer = WireOfficer.safeParse(w);
      return officer.success ? [toCivilServant(officer.data)] : [];
    }),
  ),
});
/** `pegawai.listByOpd`: a page of officers and the roster's total. */
const OfficerPage = Officers.extend({ total: z.number().int().nonnegative() });
/** `pegawai.getByNik` / `pegawai.getByNip` asked where people work: each entry's id and OPD. */
const EmploymentByNik = z.object({ pegawai: z.array(z.object({ nik: z.string(), opd: z.string() }).transform((w) => ({ id: w.nik, opd: w.opd }))) });
const EmploymentByNip = z.object({ pegawai: z.array(z.object({ nip: z.string(), opd: z.string() }).transform((w) => ({ id: w.nip, opd: w.opd }))) });

/**
 * BKPSDM's staff register (SIMPEG): JSON-RPC 2.0 on `POST {baseUrl}/rpc` with HTTP Basic client
 * credentials, behind Upstream's timeout, retries (every method used here is a read) and breaker.
 *
 * Several method calls travel in one JSON-RPC batch array, so a DataLoader tick costs one HTTP
 * request however many NIPs it holds (200 per call, 50 calls per request).
 *
 * Errors: -32001 / HTTP 401 (our credentials refused), transport failures, HTTP errors and
 * protocol errors mean the system is unusable → UPSTREAM_UNAVAILABLE naming "BKPSDM SIMPEG" (and
 * they count against the breaker); -32602 (invalid params) and -32004 (not found) are refusals of
 * one request → UpstreamRejectedError (BAD_USER_INPUT / NOT_FOUND), which do not.
 *
 * `service` names the register in errors and to operators (default "BKPSDM SIMPEG"; the ratings
 * subgraph, which asks it where a rater works, calls it "BKPSDM staff register").
 */
export class SimpegClient {
  readonly upstream: Upstream;
  private readonly endpoint: string;
  private readonly authorization: string;
  private readonly service: string;
  private nextId = 1;

  constructor(options: { baseUrl: string; clientId: string; clientSecret: string } & Partial<UpstreamOptions>) {
    const { baseUrl, clientId, clientSecret, ...upstream } = options;
    this.service = upstream.service ?? SIMPEG_SERVICE;
    this.upstream = new Upstream({ ...upstream, service: this.service });
    this.endpoint = `${baseUrl.replace(/\/+$/, '')}/rpc`;
    this.authorization = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
  }

  async byNip(nips: readonly string[]): Promise<Map<string, CivilServant>> {
    const out = new Map<string, CivilServant>();
    const unique = [...new Set(nips)];
    if (unique.length === 0) return out;
    const results = await this.rpc(
      chunks(unique, SIMPEG_MAX_NIPS).map((part) => ({ method: 'pegawai.getByNip', params: { nip: part }, notFound: `Officer not found in ${this.service}.`, result: Officers })),
    );
    for (const result of results) {
      for (const s of result.pegawai) out.set(s.nip, s);
    }
    return out;
  }

  /**
   * All pages of `pegawai.listByOpd`: the first page tells the total, the remaining pages are then
   * fetched together in one batch. Should the register hand out shorter pages than asked for, the
   * rest is read page by page. Duplicates (the roster changing between calls) are dropped.
   */
  async listByAgency(agencyId: string): Promise<CivilServant[]> {
    const page = (offset: number): RpcCall<z.output<typeof OfficerPage>> => ({
      method: 'pegawai.listByOpd',
      params: { opd: agencyId, offset, limit: SIMPEG_MAX_PAGE },
      notFound: `Agency "${agencyId}" is not in the BKPSDM staff register.`,
      result: OfficerPage,
    });
    const seen = new Map<string, CivilServant>();
    const add = (result: z.output<typeof OfficerPage>) => {
      for (const s of result.pegawai) if (!seen.has(s.nip)) seen.set(s.nip, s);
      return result.pegawai.length;
    };
    const [first] = await this.rpc([page(0)]);
    const total = first!.total;
    let offset = add(first!);
    if (offset === 0 || offset >= total) return [...seen.values()];
    if (offset === SIMPEG_MAX_PAGE) {
      const rest: RpcCall<z.output<typeof OfficerPage>>[] = [];
      for (let o = SIMPEG_MAX_PAGE; o < total; o += SIMPEG_MAX_PAGE) rest.push(page(o));
      let short = false;
      for (const result of await this.rpc(rest)) {
        const n = add(result);
        if (n < SIMPEG_MAX_PAGE) short = true;
        offset += n;
        if (short) break;
      }
      if (offset >= total || !short) return [...seen.values()];
    }
    // Shorter pages than asked for: continue one page at a time from where the pages ran out.
    for (let guard = 0; offset < total && guard < 1_000; guard++) {
      const [result] = await this.rpc([page(offset)]);
      const n = add(result!);
      if (n === 0) break;
      offset += n;
    }
    return [...seen.values()];
  }

  /**
   * Where each person works: the agencies (OPD) whose rosters list them by NIK, or by NIP when they
   * carry one (a staff token), in the order asked; `[]` for someone who is no civil servant. One
   * HTTP request per 200 people (`pegawai.getByNik`, and `pegawai.getByNip` in the same batch).
   */
  async employmentOf(people: readonly Person[]): Promise<string[][]> {
    const answers: string[][] = [];
    for (const part of chunks(people, SIMPEG_MAX_NIPS)) {
      const niks = [...new Set(part.map((p) => p.nik))];
      const nips = [...new Set(part.flatMap((p) => (p.nip ? [p.nip] : [])))];
      type Employment = z.output<typeof EmploymentByNik>;
      const calls: RpcCall<Employment>[] = [{ method: 'pegawai.getByNik', params: { nik: niks }, notFound: `Nobody found in ${this.service}.`, result: EmploymentByNik }];
      if (nips.length) calls.push({ method: 'pegawai.getByNip', params: { nip: nips }, notFound: `Officer not found in ${this.service}.`, result: EmploymentByNip });
      const results = await this.rpc(calls);
      const agenciesBy = new Map<string, Set<string>>();
      results.forEach((result, i) => {
        const by = i === 0 ? 'nik' : 'nip';
        for (const w of result.pegawai) {
          const key = `${by}:${w.id}`;
          agenciesBy.set(key, (agenciesBy.get(key) ?? new Set()).add(w.opd));
        }
      });
      for (const p of part) answers.push([...new Set([...(agenciesBy.get(`nik:${p.nik}`) ?? []), ...(p.nip ? (agenciesBy.get(`nip:${p.nip}`) ?? []) : [])])]);
    }
    return answers;
  }

  /** Results in call order; ≤50 calls per HTTP request (a lone call is sent as a plain object). */
  private async rpc<T>(calls: readonly RpcCall<T>[]): Promise<T[]> {
    const out: T[] = [];
    for (const group of chunks(calls, SIMPEG_MAX_BATCH_CALLS)) out.push(...(await this.send(group)));
    return out;
  }

  /**
   * One HTTP request; every answer, and each call's result against its schema, is checked inside the
   * guarded call, so an answer that breaks the protocol or the register's interface is
   * UPSTREAM_INVALID and counts against the breaker.
   */
  private send<T>(group: readonly RpcCall<T>[]): Promise<T[]> {
    return this.upstream.call(
      async (signal) => {
        // Fresh ids per attempt, so a late answer to an abandoned attempt can never be mistaken.
        const requests = group.map((c) => ({ jsonrpc: '2.0' as const, id: this.nextId++, method: c.method, params: c.params }));
        const payload = requests.length === 1 ? requests[0] : requests;
        let body: unknown;
        try {
          ({ body } = await fetchJson(this.service, this.endpoint, z.unknown(), {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json', authorization: this.authorization },
            body: JSON.stringify(payload),
            signal,
          }));
        } catch (err) {
          // An HTTP 4xx from a JSON-RPC endpoint is a wrong URL or a protocol mismatch: ours to fix,
          // not the caller's input, so it must not surface as BAD_USER_INPUT.
          if (err instanceof UpstreamRejectedError) throw new Error(`${this.service} refused the HTTP request (${err.message})`, { cause: err });
          throw err;
        }
        const responses = parseWire(this.service, RpcResponses, Array.isArray(body) ? body : [body]);
        const byId = new Map<unknown, z.output<typeof RpcResponse>>();
        for (const r of responses) {
          // An error without an id answers the whole request (parse error, bad batch, credentials).
          if (r.id === null && r.error) throw rpcFailure(this.service, r.error, group[0]!);
          byId.set(r.id, r);
        }
        return requests.map((req, i) => {
          const call = group[i]!;
          const r = byId.get(req.id);
          if (!r) throw new UpstreamInvalidError(this.service, '', `the batch answer has no response to call ${req.id}`);
          if (r.error) throw rpcFailure(this.service, r.error, call);
          if (r.result === undefined) throw new UpstreamInvalidError(this.service, '', `the response to call ${req.id} has neither result nor error`);
          return parseWire(this.service, call.result, r.result, 'result');
        });
      },
      { idempotent: true },
    );
  }
}

/** A JSON-RPC error object → a refusal of this request, or a failure of the system. */
function rpcFailure(service: string, error: RpcErrorBody, call: { notFound: string }): Error {
  const code = error.code;
  if (code === RPC_ERROR.NOT_FOUND) return new UpstreamRejectedError(service, call.notFound, 'NOT_FOUND');
  if (code === RPC_ERROR.INVALID_PARAMS) {
    const reason = error.data?.reason;
    return new UpstreamRejectedError(service, `${service} refused the request${reason !== undefined ? `: ${reason}` : '.'}`, 'INVALID_PARAMS');
  }
  if (code === RPC_ERROR.UNAUTHORIZED) return new Error(`${service} refused our credentials (JSON-RPC ${code})`);
  return new Error(`${service} answered JSON-RPC error ${code ?? '(no code)'}`);
}
