/**
 * What the health subgraph needs from Dinkesdalduk's Puskesmas queue service, independent of how it
 * is reached. The signed-header web-service adapter implements it; tests may implement it in memory.
 */
export type BookingStatus = 'DIBOOKING' | 'DIPANGGIL' | 'DILAYANI' | 'SELESAI' | 'BATAL';

export interface ClinicBookingRecord {
  /** kodebooking: the booking's id in the queue system. */
  code: string;
  /** Printed queue number, e.g. `A-012`. */
  queueNumber: string;
  nik: string;
  /** BPJS (JKN) card number; null for a patient without JKN. */
  bpjsNumber: string | null;
  clinicCode: string;
  clinicName: string;
  poliCode: string;
  poliName: string;
  /** Visit day, `YYYY-MM-DD` (Asia/Jakarta calendar). */
  date: string;
  estimatedServiceAt: Date | null;
  status: BookingStatus;
  bookedAt: Date;
  calledAt: Date | null;
  servedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  /** NIP of the officer who served the patient. */
  officerNip: string | null;
  note: string | null;
  /** Position in the change feed of the booking's latest change (monotonic per booking). */
  sequence: number;
}

interface PolyclinicRecord {
  code: string;
  name: string;
  dailyQuota: number;
  /** Places left on `date`; null when the system did not say. */
  remaining: number | null;
}

export interface ClinicRecord {
  code: string;
  name: string;
  kecamatan: string;
  address: string;
  polyclinics: PolyclinicRecord[];
}

export interface BookingInput {
  nik: string;
  bpjsNumber: string | null;
  clinicCode: string;
  poliCode: string;
  date: string;
  /** Deduplication key: a retry with the same reference returns the first booking. */
  clientRef: string;
}

/**
 * Why the queue service turned a request down (extensions.reason of the GraphQL error):
 * QUOTA_FULL and ALREADY_BOOKED are the business refusals the service answers with HTTP 200 and
 * metadata.code 201; INVALID_REQUEST is input it rejected; IDEMPOTENCY_CONFLICT a reference reused
 * for another booking; NOT_FOUND an unknown booking.
 */
export type RefusalReason = 'QUOTA_FULL' | 'ALREADY_BOOKED' | 'INVALID_REQUEST' | 'IDEMPOTENCY_CONFLICT' | 'NOT_FOUND';

export interface ClinicQueueRegistry {
  /** Puskesmas with their polyclinics and the quota left on `date`. */
  clinics(date: string): Promise<ClinicRecord[]>;
  bookings(codes: readonly string[]): Promise<Map<string, ClinicBookingRecord>>;
  bookingsOf(nik: string): Promise<ClinicBookingRecord[]>;
  changes(since: number, limit: number): Promise<{ items: ClinicBookingRecord[]; next: number; hasMore: boolean }>;
  book(input: BookingInput): Promise<{ booking: ClinicBookingRecord; replayed: boolean; remainingQuota: number | null; instructions: string | null }>;
}

/** Bookings for visit days of a month at one Puskesmas (cancelled ones excluded): an aggregate only. */
export interface ClinicBookingCount {
  clinicCode: string;
  clinicName: string;
  kecamatan: string;
  /** YYYY-MM */
  month: string;
  count: number;
}

/** The queue service's recap for Dinkesdalduk's reports. */
export interface ClinicStatistics {
  /** Bookings for visit days between two days (YYYY-MM-DD, inclusive), in one call. */
  bookingCounts(from: string, to: string): Promise<ClinicBookingCount[]>;
}
