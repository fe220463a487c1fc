import { createHash } from 'node:crypto';
import { z } from 'zod';
import { chunks, ErrorCode, parseWire, Upstream, UpstreamInvalidError, UpstreamRejectedError, type UpstreamOptions, requestIdHeaders } from '@gerbang/common';
import type { BookingInput, BookingStatus, ClinicBookingCount, ClinicBookingRecord, ClinicQueueRegistry, ClinicRecord, ClinicStatistics, RefusalReason } from './registry';
import { signedHeaders, type ClinicCredentials } from './signer';

/** The queue service's limits, from its interface description. */
const CLINIC_MAX_STATUS_BATCH = 50;
const CLINIC_MAX_FEED_LIMIT = 500;
/** Longest `client_ref` the service keeps. */
const CLINIC_MAX_CLIENT_REF = 64;

const SERVICE = 'Dinkesdalduk antrean Puskesmas';

// ---- the queue service's wire format (BPJS-antrean-style lower-case names), checked at this boundary ----
/** Every answer, success or refusal, comes in this envelope; `response` is read only on success. */
const Envelope = z.object({ metadata: z.object({ code: z.number(), message: z.string().optional().catch(undefined) }), response: z.unknown().optional() });
/** A refusal's message, wherever the service puts it (a 4xx answer may come without the envelope). */
const RefusalMessage = z.object({ metadata: z.object({ message: z.string() }) }).catch({ metadata: { message: '' } });

const BOOKING_STATUSES = ['DIBOOKING', 'DIPANGGIL', 'DILAYANI', 'SELESAI', 'BATAL'] as const satisfies readonly BookingStatus[];
/** A WIB ISO time as the service sends it. */
const time = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp');
const timeOrNull = time.nullable().transform((s) => (s === null ? null : new Date(s)));

const WireBooking = z.object({
  kodebooking: z.string(),
  nomorantrean: z.string(),
  nik: z.string(),
  nomorkartu: z.string().nullable(),
  kodepuskesmas: z.string(),
  namapuskesmas: z.string(),
  kodepoli: z.string(),
  namapoli: z.string(),
  tanggalperiksa: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Epoch milliseconds, as BPJS returns it; the service may leave it out. */
  estimasidilayani: z.number().nullable().catch(null),
  status: z.enum(BOOKING_STATUSES),
  waktudaftar: time.transform((s) => new Date(s)),
  waktudipanggil: timeOrNull,
  waktudilayani: timeOrNull,
  waktuselesai: timeOrNull,
  waktubatal: timeOrNull,
  nippetugas: z.string().nullable(),
  keterangan: z.string().nullable(),
  sequence: z.number().int(),
});

const WirePuskesmas = z.object({
  kodepuskesmas: z.string(),
  namapuskesmas: z.string(),
  kecamatan: z.string(),
  alamat: z.string(),
  poli: z.array(z.object({ kodepoli: z.string(), namapoli: z.string(), kuota: z.number().int().nonnegative(), sisakuota: z.number().int().optional() })),
});

const Bookings = z.object({ list: z.array(WireBooking) });
const Changes = z.object({ list: z.array(WireBooking), lastsequence: z.number().int(), hasmore: z.boolean() });
const Clinics = z.object({ list: z.array(WirePuskesmas) });
const Recap = z.object({
  list: z.array(z.object({ kodepuskesmas: z.string(), namapuskesmas: z.string(), kecamatan: z.string(), bulan: z.string().regex(/^\d{4}-\d{2}$/), jumlah: z.number().int().nonnegative() })),
});
/** The booking just taken, with the quota left and the instructions for the patient. */
const Booked = WireBooking.extend({ sisakuota: z.number().int().optional() });

const toBooking = (w: z.output<typeof WireBooking>): ClinicBookingRecord => ({
  code: w.kodebooking,
  queueNumber: w.nomorantrean,
  nik: w.nik,
  bpjsNumber: w.nomorkartu || null,
  clinicCode: w.kodepuskesmas,
  clinicName: w.namapuskesmas,
  poliCode: w.kodepoli,
  poliName: w.namapoli,
  date: w.tanggalperiksa,
  estimatedServiceAt: w.estimasidilayani === null ? null : new Date(w.estimasidilayani),
  status: w.status,
  bookedAt: w.waktudaftar,
  calledAt: w.waktudipanggil,
  servedAt: w.waktudilayani,
  completedAt: w.waktuselesai,
  cancelledAt: w.waktubatal,
  officerNip: w.nippetugas,
  note: w.keterangan,
  sequence: w.sequence,
});

const toClinic = (w: z.output<typeof WirePuskesmas>): ClinicRecord => ({
  code: w.kodepuskesmas,
  name: w.namapuskesmas,
  kecamatan: w.kecamatan,
  address: w.alamat,
  polyclinics: w.poli.map((p) => ({ code: p.kodepoli, name: p.namapoli, dailyQuota: p.kuota, remaining: p.sisakuota ?? null })),
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

  /**
   * One call, its answer checked against `schema` inside the guarded call: an answer that breaks the
   * interface is UPSTREAM_INVALID naming the service and the first bad field, and counts as a failure.
   */
  private request<S extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: S, body?: unknown): Promise<{ response: z.output<S>; replayed: boolean }> {
    return this.upstream.call(
      async (signal) => {
        const res = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}${path}`, {
          method,
          headers: { ...requestIdHeaders(), ...signedHeaders(this.options, this.clock()), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal,
        });
        const text = await res.text();
        let json: unknown = undefined;
        let parsed = true;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = false;
        }
        if (res.status >= 500) throw new Error(`${SERVICE} answered HTTP ${res.status}`);
        const message = RefusalMessage.parse(json).metadata.message || `HTTP ${res.status}`;
        // Our signature or key was refused: nothing a citizen can fix, so it is an outage of this link.
        if (res.status === 401 || res.status === 403) throw new Error(`${SERVICE} refused our signed headers (HTTP ${res.status}: ${message})`);
        if (res.status >= 400) throw refusal(res.status, message);
        if (!parsed) throw new UpstreamInvalidError(SERVICE, '', 'the body is not JSON');
        const envelope = parseWire(SERVICE, Envelope, json);
        if (envelope.metadata.code !== 200) throw refusal(200, message);
        return { response: parseWire(SERVICE, schema, envelope.response, 'response'), replayed: res.headers.get('idempotent-replayed') === 'true' };
      },
      { idempotent: true },
    );
  }

  /** The recap of bookings per Puskesmas and visit month, in one call (`/antrean/rekap`). */
  async bookingCounts(from: string, to: string): Promise<ClinicBookingCount[]> {
    const { response } = await this.request('GET', `/antrean/rekap?tanggalawal=${encodeURIComponent(from)}&tanggalakhir=${encodeURIComponent(to)}`, Recap);
    return response.list.map((r) => ({ clinicCode: r.kodepuskesmas, clinicName: r.namapuskesmas, kecamatan: r.kecamatan, month: r.bulan, count: r.jumlah }));
  }

  async clinics(tanggal: string): Promise<ClinicRecord[]> {
    const { response } = await this.request('GET', `/ref/puskesmas?tanggal=${encodeURIComponent(tanggal)}`, Clinics);
    return response.list.map(toClinic);
  }

  /** Booking codes in batches of the service's limit (one call for up to 50). */
  async bookings(codes: readonly string[]): Promise<Map<string, ClinicBookingRecord>> {
    const out = new Map<string, ClinicBookingRecord>();
    for (const part of chunks([...new Set(codes)], CLINIC_MAX_STATUS_BATCH)) {
      const { response } = await this.request('POST', '/antrean/status', Bookings, { kodebooking: part });
      for (const w of response.list) out.set(w.kodebooking, toBooking(w));
    }
    return out;
  }

  async bookingsOf(nik: string): Promise<ClinicBookingRecord[]> {
    const { response } = await this.request('GET', `/antrean/peserta/${encodeURIComponent(nik)}`, Bookings);
    return response.list.map(toBooking);
  }

  async changes(since: number, limit: number) {
    const { response } = await this.request('GET', `/antrean/perubahan?since=${since}&limit=${Math.min(Math.max(1, limit), CLINIC_MAX_FEED_LIMIT)}`, Changes);
    return { items: response.list.map(toBooking), next: response.lastsequence, hasMore: response.hasmore };
  }

  async book(input: BookingInput) {
    const { response, replayed } = await this.request('POST', '/antrean/ambil', Booked, {
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
      remainingQuota: response.sisakuota ?? null,
      instructions: response.keterangan,
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
