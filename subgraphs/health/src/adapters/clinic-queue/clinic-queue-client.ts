import { createHash } from 'node:crypto';
import { chunks, ErrorCode, Upstream, UpstreamRejectedError, type UpstreamOptions, requestIdHeaders } from '@gerbang/common';
import type { BookingInput, BookingStatus, ClinicBookingCount, ClinicBookingRecord, ClinicQueueRegistry, ClinicRecord, ClinicStatistics, RefusalReason } from './registry';
import { signedHeaders, type ClinicCredentials } from './signer';

/** The queue service's limits, from its interface description. */
const CLINIC_MAX_STATUS_BATCH = 50;
const CLINIC_MAX_FEED_LIMIT = 500;
/** Longest `client_ref` the service keeps. */
const CLINIC_MAX_CLIENT_REF = 64;

const SERVICE = 'Dinkesdalduk antrean Puskesmas';

/** Every answer, success or refusal, comes in this envelope. */
interface Envelope<T> {
  metadata?: { code?: number; message?: string };
  response?: T;
}

interface WireBooking {
  kodebooking: string;
  nomorantrean: string;
  nik: string;
  nomorkartu: string | null;
  kodepuskesmas: string;
  namapuskesmas: string;
  kodepoli: string;
  namapoli: string;
  tanggalperiksa: string;
  estimasidilayani: number | null;
  status: BookingStatus;
  waktudaftar: string;
  waktudipanggil: string | null;
  waktudilayani: string | null;
  waktuselesai: string | null;
  waktubatal: string | null;
  nippetugas: string | null;
  keterangan: string | null;
  sequence: number;
}

interface WirePuskesmas {
  kodepuskesmas: string;
  namapuskesmas: string;
  kecamatan: string;
  alamat: string;
  poli: { kodepoli: string; namapoli: string; kuota: number; sisakuota?: number }[];
}

const date = (s: string | null | undefined) => (s ? new Date(s) : null);

const toBooking = (w: WireBooking): ClinicBookingRecord => ({
  code: w.kodebooking,
  queueNumber: w.nomorantrean,
  nik: w.nik,
  bpjsNumber: w.nomorkartu || null,
  clinicCode: w.kodepuskesmas,
  clinicName: w.namapuskesmas,
  poliCode: w.kodepoli,
  poliName: w.namapoli,
  date: w.tanggalperiksa,
  estimatedServiceAt: typeof w.estimasidilayani === 'number' ? new Date(w.estimasidilayani) : null,
  status: w.status,
  bookedAt: new Date(w.waktudaftar),
  calledAt: date(w.waktudipanggil),
  servedAt: date(w.waktudilayani),
  completedAt: date(w.waktuselesai),
  cancelledAt: date(w.waktubatal),
  officerNip: w.nippetugas,
  note: w.keterangan,
  sequence: w.sequence,
});

const toClinic = (w: WirePuskesmas): ClinicRecord => ({
  code: w.kodepuskesmas,
  name: w.namapuskesmas,
  kecamatan: w.kecamatan,
  address: w.alamat,
  polyclinics: w.poli.map((p) => ({ code: p.kodepoli, name: p.namapoli, dailyQuota: p.kuota, remaining: typeof p.sisakuota === 'number' ? p.sisakuota : null })),
});

const MESSAGES: Partial<Record<RefusalReason, string>> = {
  QUOTA_FULL: 'No queue numbers are left at this polyclinic on that date (the daily quota is full). Choose another date or Puskesmas.',
  ALREADY_BOOKED: 'You already have a queue number at this polyclinic on that date.',
  IDEMPOTENCY_CONFLICT: 'This idempotencyKey was already used for a different booking. Use a new key for a new booking.',
};

/**
 * The queue service turned this request down; it is healthy, so (as an UpstreamRejectedError) this
 * neither trips the breaker nor is retried. `extensions.reason` tells clients which refusal it was.
 */
export class ClinicQueueRefusal extends UpstreamRejectedError {
  constructor(
    readonly reason: RefusalReason,
    upstreamMessage: string,
  ) {
    super(SERVICE, MESSAGES[reason] ?? upstreamMessage, reason === 'NOT_FOUND' ? 'NOT_FOUND' : undefined);
    const ext = this.extensions as Record<string, unknown>;
    ext.reason = reason;
    if (reason === 'IDEMPOTENCY_CONFLICT') ext.code = ErrorCode.IDEMPOTENCY_CONFLICT;
  }
}

/**
 * Refusals come two ways: HTTP 4xx for malformed or unknown input, and — as in the BPJS API —
 * HTTP 200 with `metadata.code` 201 for business refusals, told apart only by their message.
 */
function refusal(httpStatus: number, message: string): ClinicQueueRefusal {
  if (httpStatus === 404) return new ClinicQueueRefusal('NOT_FOUND', message);
  if (httpStatus === 409) return new ClinicQueueRefusal('IDEMPOTENCY_CONFLICT', message);
  if (httpStatus === 200 && /kuota\s+penuh/i.test(message)) return new ClinicQueueRefusal('QUOTA_FULL', message);
  if (httpStatus === 200 && /sudah\s+terdaftar/i.test(message)) return new ClinicQueueRefusal('ALREADY_BOOKED', message);
  return new ClinicQueueRefusal('INVALID_REQUEST', message);
}

/**
 * Dinkesdalduk's Puskesmas queue service (BPJS-antrean-style JSON, HMAC-signed headers), behind
 * timeout, retries and a breaker. The booking is deduplicated by `client_ref`, so it is safe to
 * retry; every attempt is signed anew (the service refuses stale timestamps).
 */
export class ClinicQueueClient implements ClinicQueueRegistry, ClinicStatistics {
  readonly upstream: Upstream;
  private readonly clock: () => number;
  constructor(private readonly options: { baseUrl: string; clock?: () => number } & ClinicCredentials & Partial<Omit<UpstreamOptions, 'service'>>) {
    this.upstream = new Upstream({ service: SERVICE, ...options });
    this.clock = options.clock ?? Date.now;
  }

  private request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ response: T; replayed: boolean }> {
    return this.upstream.call(
      async (signal) => {
        const res = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}${path}`, {
          method,
          headers: { ...requestIdHeaders(), ...signedHeaders(this.options, this.clock()), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal,
        });
        const text = await res.text();
        let envelope: Envelope<T> | undefined;
        try {
          envelope = text ? (JSON.parse(text) as Envelope<T>) : undefined;
        } catch {
          if (res.ok) throw new Error(`${SERVICE} answered with something that is not JSON`);
        }
        if (res.status >= 500) throw new Error(`${SERVICE} answered HTTP ${res.status}`);
        const message = envelope?.metadata?.message ?? `HTTP ${res.status}`;
        // Our signature or key was refused: nothing a citizen can fix, so it is an outage of this link.
        if (res.status === 401 || res.status === 403) throw new Error(`${SERVICE} refused our signed headers (HTTP ${res.status}: ${message})`);
        if (res.status >= 400) throw refusal(res.status, message);
        if (typeof envelope?.metadata?.code !== 'number') throw new Error(`${SERVICE} answered without its metadata envelope`);
        if (envelope.metadata.code !== 200) throw refusal(200, message);
        return { response: envelope.response as T, replayed: res.headers.get('idempotent-replayed') === 'true' };
      },
      { idempotent: true },
    );
  }

  /** The recap of bookings per Puskesmas and visit month, in one call (`/antrean/rekap`). */
  async bookingCounts(from: string, to: string): Promise<ClinicBookingCount[]> {
    const { response } = await this.request<{ list: { kodepuskesmas: string; namapuskesmas: string; kecamatan: string; bulan: string; jumlah: number }[] }>(
      'GET',
      `/antrean/rekap?tanggalawal=${encodeURIComponent(from)}&tanggalakhir=${encodeURIComponent(to)}`,
    );
    return response.list.map((r) => {
      if (!/^\d{4}-\d{2}$/.test(r.bulan) || !Number.isInteger(r.jumlah) || r.jumlah < 0) throw new Error(`${SERVICE} answered a malformed recap row`);
      return { clinicCode: r.kodepuskesmas, clinicName: r.namapuskesmas, kecamatan: r.kecamatan, month: r.bulan, count: r.jumlah };
    });
  }

  async clinics(tanggal: string): Promise<ClinicRecord[]> {
    const { response } = await this.request<{ list: WirePuskesmas[] }>('GET', `/ref/puskesmas?tanggal=${encodeURIComponent(tanggal)}`);
    return response.list.map(toClinic);
  }

  /** Booking codes in batches of the service's limit (one call for up to 50). */
  async bookings(codes: readonly string[]): Promise<Map<string, ClinicBookingRecord>> {
    const out = new Map<string, ClinicBookingRecord>();
    for (const part of chunks([...new Set(codes)], CLINIC_MAX_STATUS_BATCH)) {
      const { response } = await this.request<{ list: WireBooking[]; tidakditemukan: string[] }>('POST', '/antrean/status', { kodebooking: part });
      for (const w of response.list) out.set(w.kodebooking, toBooking(w));
    }
    return out;
  }

  async bookingsOf(nik: string): Promise<ClinicBookingRecord[]> {
    const { response } = await this.request<{ list: WireBooking[] }>('GET', `/antrean/peserta/${encodeURIComponent(nik)}`);
    return response.list.map(toBooking);
  }

  async changes(since: number, limit: number) {
    const { response } = await this.request<{ list: WireBooking[]; lastsequence: number; hasmore: boolean }>(
      'GET',
      `/antrean/perubahan?since=${since}&limit=${Math.min(Math.max(1, limit), CLINIC_MAX_FEED_LIMIT)}`,
    );
    return { items: response.list.map(toBooking), next: response.lastsequence, hasMore: response.hasmore };
  }

  async book(input: BookingInput) {
    const { response, replayed } = await this.request<WireBooking & { sisakuota?: number; keterangan: string | null }>('POST', '/antrean/ambil', {
      nik: input.nik,
      nomorkartu: input.bpjsNumber ?? '',
      kodepuskesmas: input.clinicCode,
      kodepoli: input.poliCode,
      tanggal: input.date,
      client_ref: clientRefFor(input.clientRef),
    });
    return {
      booking: toBooking(response),
      replayed,
      remainingQuota: typeof response.sisakuota === 'number' ? response.sisakuota : null,
      instructions: response.keterangan ?? null,
    };
  }
}

/**
 * The service keeps at most 64 characters of `client_ref`: a longer reference is replaced by its
 * SHA-256 (base64url, 43 characters), deterministic so a retry still matches, and never truncated
 * (two references sharing a prefix must not collide).
 */
export function clientRefFor(ref: string): string {
  return ref.length <= CLINIC_MAX_CLIENT_REF ? ref : `h:${createHash('sha256').update(ref).digest('base64url')}`;
}
