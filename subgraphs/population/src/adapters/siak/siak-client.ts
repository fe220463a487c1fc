import { z } from 'zod';
import { chunks, fetchJson, Upstream, type UpstreamOptions } from '@gerbang/common';
import type { DocumentRequestRecord, DocumentType, PopulationRegistry, RequestStatus, Resident } from './registry';

/** SIAK's batch limit, from its interface agreement. */
const SIAK_MAX_BATCH = 100;

// ---- SIAK's wire format (its interface agreement), checked at this boundary ----
const DOCUMENT_TYPES = ['KTP_EL', 'KK', 'AKTA_LAHIR'] as const satisfies readonly DocumentType[];
const REQUEST_STATUSES = ['SUBMITTED', 'VERIFIED', 'IN_PROCESS', 'COMPLETED', 'REJECTED'] as const satisfies readonly RequestStatus[];
/** An ISO timestamp as SIAK sends it. */
const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp');

const WireResident = z.object({
  nik: z.string(),
  no_kk: z.string(),
  nama_lengkap: z.string(),
  jenis_kelamin: z.enum(['LAKI-LAKI', 'PEREMPUAN']),
  tempat_lahir: z.string(),
  tanggal_lahir: z.string(),
  alamat: z.string(),
  desa: z.string(),
  kecamatan: z.string(),
});

const WireRequest = z.object({
  id: z.string(),
  nik: z.string(),
  jenis: z.enum(DOCUMENT_TYPES),
  status: z.enum(REQUEST_STATUSES),
  keterangan: z.string().nullable(),
  diajukan_pada: timestamp,
  selesai_pada: timestamp.nullable(),
  nip_petugas: z.string().nullable(),
  versi: z.number().int(),
  seq: z.number().int(),
});

const Residents = z.object({ data: z.array(WireResident) });
const Requests = z.object({ data: z.array(WireRequest) });
const Changes = z.object({ data: z.array(WireRequest), next_since: z.number().int(), has_more: z.boolean() });

const toResident = (w: z.output<typeof WireResident>): Resident => ({
  nik: w.nik,
  familyCardNumber: w.no_kk,
  fullName: w.nama_lengkap,
  sex: w.jenis_kelamin === 'PEREMPUAN' ? 'F' : 'M',
  birthPlace: w.tempat_lahir,
  birthDate: w.tanggal_lahir,
  address: w.alamat,
  village: w.desa,
  kecamatan: w.kecamatan,
});

const toRequest = (w: z.output<typeof WireRequest>): DocumentRequestRecord => ({
  id: w.id,
  nik: w.nik,
  type: w.jenis,
  status: w.status,
  note: w.keterangan,
  submittedAt: new Date(w.diajukan_pada),
  completedAt: w.selesai_pada ? new Date(w.selesai_pada) : null,
  officerNip: w.nip_petugas,
  version: w.versi,
  sequence: w.seq,
});

/** Dispendukcapil's SIAK JSON web service (X-Api-Key), behind timeout, retries and a breaker. */
export class SiakClient implements PopulationRegistry {
  readonly upstream: Upstream;
  constructor(private readonly options: { baseUrl: string; apiKey: string } & Partial<Omit<UpstreamOptions, 'service'>>) {
    this.upstream = new Upstream({ service: 'Dispendukcapil SIAK', ...options });
  }

  private post<S extends z.ZodType>(path: string, schema: S, body: unknown, idempotent: boolean, extraHeaders: Record<string, string> = {}) {
    return this.upstream.call(
      (signal) =>
        fetchJson(this.upstream.service, `${this.options.baseUrl}${path}`, schema, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': this.options.apiKey, ...extraHeaders },
          body: JSON.stringify(body),
          signal,
        }),
      { idempotent },
    );
  }

  private get<S extends z.ZodType>(path: string, schema: S) {
    return this.upstream.call((signal) => fetchJson(this.upstream.service, `${this.options.baseUrl}${path}`, schema, { headers: { 'x-api-key': this.options.apiKey }, signal }), { idempotent: true });
  }

  async residents(niks: readonly string[]): Promise<Map<string, Resident>> {
    const out = new Map<string, Resident>();
    for (const part of chunks(niks, SIAK_MAX_BATCH)) {
      const { body } = await this.post('/api/v1/penduduk/batch', Residents, { nik: part }, true);
      for (const w of body.data) out.set(w.nik, toResident(w));
    }
    return out;
  }

  async requests(ids: readonly string[]): Promise<Map<string, DocumentRequestRecord>> {
    const out = new Map<string, DocumentRequestRecord>();
    for (const part of chunks(ids, SIAK_MAX_BATCH)) {
      const { body } = await this.post('/api/v1/permohonan/batch', Requests, { id: part }, true);
      for (const w of body.data) out.set(w.id, toRequest(w));
    }
    return out;
  }

  async requestsOf(nik: string): Promise<DocumentRequestRecord[]> {
    const { body } = await this.get(`/api/v1/permohonan?nik=${encodeURIComponent(nik)}`, Requests);
    return body.data.map(toRequest);
  }

  async changes(since: number, limit: number) {
    const { body } = await this.get(`/api/v1/permohonan/perubahan?since=${since}&limit=${limit}`, Changes);
    return { items: body.data.map(toRequest), next: body.next_since, hasMore: body.has_more };
  }

  /** SIAK deduplicates by client_ref, so a retried create cannot file twice. */
  async createRequest(input: { nik: string; type: DocumentType; note: string | null; clientRef: string }) {
    const { body } = await this.post('/api/v1/permohonan', WireRequest, { nik: input.nik, jenis: input.type, keterangan: input.note ?? undefined, client_ref: input.clientRef }, true);
    return toRequest(body);
  }
}
