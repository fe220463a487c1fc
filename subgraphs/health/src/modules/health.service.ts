import { badInput, hasRole, recordOfTicket, requireCaller, requireCitizen, requireIdempotencyKey, syncTicketsSoon, type Caller, type Logger, type TicketSync } from '@gerbang/common';
import type { ClinicBookingRecord, ClinicQueueRegistry, ClinicRecord } from '../adapters/clinic-queue/registry';
import type { createLoaders } from './context';
import { addDays, isIsoDate } from './dates';
import { AGENCY_ID, bookingCodeOf } from './tickets';

/** Today on the Asia/Jakarta calendar and how far ahead a queue may be booked (policy). */
interface BookingPolicy {
  today: () => string;
  maxDaysAhead: number;
}

export interface HealthServiceDeps {
  caller: Caller;
  logger: Logger;
  registry: ClinicQueueRegistry;
  loaders: ReturnType<typeof createLoaders>;
  booking: BookingPolicy;
  /** Lets a new booking reach the ticket ledger now; absent without a ticket feed. */
  sync?: TicketSync | undefined;
}

export interface BookClinicQueueRequest {
  clinicCode: string;
  poliCode: string;
  date: string;
  bpjsNumber?: string | null | undefined;
  idempotencyKey: string;
}

/** The patient, Dinkesdalduk officers and administrators may see a booking. */
const mayReadBooking = (caller: Caller, nik: string) => caller.nik === nik || (hasRole(caller, 'officer') && caller.agencyId === AGENCY_ID) || hasRole(caller, 'admin');

/**
 * The health subgraph's rules, free of GraphQL: which days may be booked, how a booking request is
 * checked and filed, who may see a booking. Built per request.
 */
export class HealthService {
  constructor(private readonly deps: HealthServiceDeps) {}

  /** A visit day a queue may be booked for: today up to `maxDaysAhead` days ahead (Asia/Jakarta); today when left out. */
  bookableDate(value: string | null | undefined, field: string): string {
    const today = this.deps.booking.today();
    if (value === null || value === undefined) return today;
    const date = value.trim();
    if (!isIsoDate(date)) throw badInput(`${field} must be a date written YYYY-MM-DD.`, field);
    const last = addDays(today, this.deps.booking.maxDaysAhead);
    if (date < today || date > last) throw badInput(`${field} must be between today (${today}) and ${last}.`, field);
    return date;
  }

  /** Puskesmas with the quota left on `date` (default today), and the day that was asked about. */
  async clinics(date: string | null | undefined): Promise<{ day: string; clinics: ClinicRecord[] }> {
    const day = this.bookableDate(date, 'date');
    return { day, clinics: await this.deps.registry.clinics(day) };
  }

  async myBookings(): Promise<ClinicBookingRecord[]> {
    const { nik } = requireCaller(this.deps.caller, { nik: true, forbidden: 'Only citizens have clinic bookings.' });
    return this.deps.registry.bookingsOf(nik);
  }

  /** Takes a queue number for the signed-in citizen; a retry with the same key returns the first booking. */
  async book(input: BookClinicQueueRequest): Promise<ClinicBookingRecord> {
    const citizen = requireCitizen(this.deps.caller, 'book a clinic queue');
    const clinicCode = input.clinicCode.trim().toUpperCase();
    if (!/^P\d{10}$/.test(clinicCode)) throw badInput('clinicCode must be a Puskesmas code such as P3503110101 (see clinics).', 'clinicCode');
    const poliCode = input.poliCode.trim().toUpperCase();
    if (!/^[A-Z]{2,12}$/.test(poliCode)) throw badInput('poliCode must be a polyclinic code such as UMUM (see clinics).', 'poliCode');
    const date = this.bookableDate(input.date, 'date');
    const bpjsNumber = input.bpjsNumber?.trim() || null;
    if (bpjsNumber !== null && !/^\d{13}$/.test(bpjsNumber)) throw badInput('bpjsNumber must be the 13 digits of a BPJS card.', 'bpjsNumber');
    requireIdempotencyKey(input.idempotencyKey);
    const { booking } = await this.deps.registry.book({
      nik: citizen.nik,
      bpjsNumber,
      clinicCode,
      poliCode,
      date,
      // Scoped to the citizen so one citizen's key can never collide with another's.
      clientRef: `${citizen.sub}:${input.idempotencyKey}`,
    });
    // A replayed booking syncs again: harmless.
    syncTicketsSoon(this.deps.sync, this.deps.logger, 'booking');
    return booking;
  }

  /** The queue system's record behind one of Dinkesdalduk's tickets; null for another agency's ticket or none. */
  async bookingOfTicket(ticketId: string): Promise<ClinicBookingRecord | null> {
    return recordOfTicket(bookingCodeOf(ticketId), this.deps.loaders.booking, (record) => mayReadBooking(this.deps.caller, record.nik));
  }
}
