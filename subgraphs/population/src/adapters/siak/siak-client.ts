import { chunks, fetchJson, Upstream, type UpstreamOptions } from '@gerbang/common';
import type { DocumentRequestRecord, DocumentType, PopulationRegistry, RequestStatus, Resident } from './registry';

/** SIAK's batch limit, from its interface agreement. */
const SIAK_MAX_BATCH = 100;

interface WireResident {
  nik: string;
  no_kk: string;
  nama_lengkap: string;
  jenis_kelamin: 'LAKI-LAKI' | 'PEREMPUAN';
  tempat_lahir: string;
  tanggal_lahir: string;
  alamat: string;
  desa: string;
  kecamatan: string;
}

interface WireRequest {
  id: string;
  nik: string;
  jenis: DocumentType;
  status: RequestStatus;
  keterangan: string | null;
  diajukan_pada: string;
  selesai_pada: string | null;
  nip_petugas: string | null;
  versi: number;
  seq: number;
}

const toResident = (w: WireResident): Resident => ({
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

const toRequest = (w: WireRequest): DocumentRequestRecord => ({
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

  private post<T>(path: string, body: unknown, idempotent: boolean, extraHeaders: Record<string, string> = {}) {
    return this.upstream.call(
      (signal) =>
        fetchJson<T>(this.upstream.service, `${this.options.baseUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': this.options.apiKey, ...extraHeaders },
          body: JSON.stringify(body),
          signal,
        }),
      { idempotent },
    );
  }

  private get<T>(path: string) {
    return this.upstream.call((signal) => fetchJson<T>(this.upstream.service, `${this.options.baseUrl}${path}`, { headers: { 'x-api-key': this.options.apiKey }, signal }), { idempotent: true });
  }

  async residents(niks: readonly string[]): Promise<Map<string, Resident>> {
    const out = new Map<string, Resident>();
    for (const part of chunks(niks, SIAK_MAX_BATCH)) {
      const { body } = await this.post<{ data: WireResident[] }>('/api/v1/penduduk/batch', { nik: part }, true);
      for (const w of body.data) out.set(w.nik, toResident(w));
    }
    return out;
  }

  async requests(ids: readonly string[]): Promise<Map<string, DocumentRequestRecord>> {
    const out = new Map<string, DocumentRequestRecord>();
    for (const part of chunks(ids, SIAK_MAX_BATCH)) {
      const { body } = await this.post<{ data: WireRequest[] }>('/api/v1/permohonan/batch', { id: part }, true);
      for (const w of body.data) out.set(w.id, toRequest(w));
    }
    return out;
  }

  async requestsOf(nik: string): Promise<DocumentRequestRecord[]> {
    const { body } = await this.get<{ data: WireRequest[] }>(`/api/v1/permohonan?nik=${encodeURIComponent(nik)}`);
    return body.data.map(toRequest);
  }

  async changes(since: number, limit: number) {
    const { body } = await this.get<{ data: WireRequest[]; next_since: number; has_more: boolean }>(`/api/v1/permohonan/perubahan?since=${since}&limit=${limit}`);
    return { items: body.data.map(toRequest), next: body.next_since, hasMore: body.has_more };
  }

  /** SIAK deduplicates by client_ref, so a retried create cannot file twice. */
  async createRequest(input: { nik: string; type: DocumentType; note: string | null; clientRef: string }) {
    const { body } = await this.post<WireRequest>('/api/v1/permohonan', { nik: input.nik, jenis: input.type, keterangan: input.note ?? undefined, client_ref: input.clientRef }, true);
    return toRequest(body);
  }
}
