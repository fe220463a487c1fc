import { Arg, Ctx, Directive, Field, FieldResolver, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput, forbidden, hasRole, requireCitizen, requireIdempotencyKey, syncTicketsSoon, unauthenticated, type Caller, type TicketSync } from '@gerbang/common';
import type { BookingStatus, ClinicBookingRecord, ClinicRecord } from '../adapters/clinic-queue/registry';
import type { HealthContext } from './context';
import { addDays, isIsoDate } from './dates';
import { AGENCY_ID, bookingCodeOf, ticketIdOf } from './tickets';
import { Clinic, ClinicBooking, ClinicBookingStatus, Ticket } from './types';

const CITIZEN_ONLY = '@requiresScopes(scopes: [["role:citizen"]])';

const STATUS_OF: Record<BookingStatus, ClinicBookingStatus> = {
  DIBOOKING: ClinicBookingStatus.BOOKED,
  DIPANGGIL: ClinicBookingStatus.CALLED,
  DILAYANI: ClinicBookingStatus.IN_SERVICE,
  SELESAI: ClinicBookingStatus.COMPLETED,
  BATAL: ClinicBookingStatus.CANCELLED,
};

/** The patient, Dinkesdalduk officers and administrators may see a booking. */
const mayReadBooking = (caller: Caller, nik: string) =>
  caller.nik === nik || (hasRole(caller, 'officer') && caller.agencyId === AGENCY_ID) || hasRole(caller, 'admin');

export const toClinicBooking = (b: ClinicBookingRecord): ClinicBooking => ({
  id: ticketIdOf(b.code),
  bookingCode: b.code,
  queueNumber: b.queueNumber,
  status: STATUS_OF[b.status],
  clinicCode: b.clinicCode,
  clinicName: b.clinicName,
  poliCode: b.poliCode,
  poliName: b.poliName,
  date: b.date,
  estimatedServiceAt: b.estimatedServiceAt,
  jkn: b.bpjsNumber !== null,
  bookedAt: b.bookedAt,
  calledAt: b.calledAt,
  servedAt: b.servedAt,
  completedAt: b.completedAt,
  cancelledAt: b.cancelledAt,
  note: b.note,
  officer: b.officerNip ? { id: b.officerNip } : null,
});

export const toClinic = (c: ClinicRecord, date: string): Clinic => ({
  code: c.code,
  name: c.name,
  kecamatan: c.kecamatan,
  address: c.address,
  polyclinics: c.polyclinics.map((p) => ({ code: p.code, name: p.name, dailyQuota: p.dailyQuota, date, remainingQuota: p.remaining })),
});

/** A visit day a queue may be booked for: today up to `maxDaysAhead` days ahead (Asia/Jakarta). */
function bookableDate(value: string | null | undefined, ctx: HealthContext, field: string): string {
  const today = ctx.booking.today();
  if (value === null || value === undefined) return today;
  const date = value.trim();
  if (!isIsoDate(date)) throw badInput(`${field} must be a date written YYYY-MM-DD.`, field);
  const last = addDays(today, ctx.booking.maxDaysAhead);
  if (date < today || date > last) throw badInput(`${field} must be between today (${today}) and ${last}.`, field);
  return date;
}

@InputType({ description: 'A request for a queue number at a Puskesmas polyclinic.' })
export class BookClinicQueueInput {
  @Field(() => String, { description: 'Puskesmas code, from `clinics`.' })
  clinicCode!: string;

  @Field(() => String, { description: 'Polyclinic code at that Puskesmas, from `clinics` (e.g. UMUM).' })
  poliCode!: string;

  @Field(() => String, { description: 'Visit day, YYYY-MM-DD: today up to 7 days ahead (Asia/Jakarta).' })
  date!: string;

  @Field(() => String, { nullable: true, description: 'BPJS (JKN) card number, 13 digits; leave out for a visit not covered by JKN.' })
  bpjsNumber?: string | null;

  @Field(() => String, { description: 'Chosen by the client once per booking; a retry with the same key takes no second number.' })
  idempotencyKey!: string;
}

// Root lists are nullable: when the queue system is down, this agency's field alone comes back null
// with UPSTREAM_UNAVAILABLE and the rest of the operation (other agencies) still arrives.
@Resolver()
export class ClinicQueryResolver {
  @Query(() => [Clinic], { nullable: true, description: 'Puskesmas that take queue bookings, with their polyclinics and the quota left on `date` (default today). Public.' })
  async clinics(
    @Ctx() ctx: HealthContext,
    @Arg('date', () => String, { nullable: true, description: 'YYYY-MM-DD, today up to 7 days ahead (Asia/Jakarta).' }) date?: string | null,
  ): Promise<Clinic[]> {
    const day = bookableDate(date, ctx, 'date');
    return (await ctx.registry.clinics(day)).map((c) => toClinic(c, day));
  }

  @Directive(CITIZEN_ONLY)
  @Query(() => [ClinicBooking], { nullable: true, description: "The signed-in citizen's Puskesmas queue bookings, latest visit first." })
  async myClinicBookings(@Ctx() ctx: HealthContext): Promise<ClinicBooking[]> {
    if (!ctx.caller.sub) throw unauthenticated();
    if (!ctx.caller.nik) throw forbidden('Only citizens have clinic bookings.');
    return (await ctx.registry.bookingsOf(ctx.caller.nik)).map(toClinicBooking);
  }
}

export function createMutationResolver(sync: TicketSync | undefined) {
  @Resolver()
  class ClinicMutationResolver {
    @Directive(CITIZEN_ONLY)
    @Mutation(() => ClinicBooking, {
      description:
        'Take a queue number at a Puskesmas polyclinic for the signed-in citizen. Retries with the same idempotencyKey return the first booking. ' +
        'A full quota is refused with BAD_USER_INPUT and extensions.reason QUOTA_FULL; a second number for the same visit with reason ALREADY_BOOKED.',
    })
    async bookClinicQueue(
      @Ctx() ctx: HealthContext,
      @Arg('input', () => BookClinicQueueInput) input: BookClinicQueueInput,
    ): Promise<ClinicBooking> {
      const citizen = requireCitizen(ctx.caller, 'book a clinic queue');
      const clinicCode = input.clinicCode.trim().toUpperCase();
      if (!/^P\d{10}$/.test(clinicCode)) throw badInput('clinicCode must be a Puskesmas code such as P3503110101 (see clinics).', 'clinicCode');
      const poliCode = input.poliCode.trim().toUpperCase();
      if (!/^[A-Z]{2,12}$/.test(poliCode)) throw badInput('poliCode must be a polyclinic code such as UMUM (see clinics).', 'poliCode');
      const date = bookableDate(input.date, ctx, 'date');
      const bpjsNumber = input.bpjsNumber?.trim() || null;
      if (bpjsNumber !== null && !/^\d{13}$/.test(bpjsNumber)) throw badInput('bpjsNumber must be the 13 digits of a BPJS card.', 'bpjsNumber');
      requireIdempotencyKey(input.idempotencyKey);
      const { booking } = await ctx.registry.book({
        nik: citizen.nik,
        bpjsNumber,
        clinicCode,
        poliCode,
        date,
        // Scoped to the citizen so one citizen's key can never collide with another's.
        clientRef: `${citizen.sub}:${input.idempotencyKey}`,
      });
      // A replayed booking syncs again: harmless.
      syncTicketsSoon(sync, ctx.logger, 'booking');
      return toClinicBooking(booking);
    }
  }
  return ClinicMutationResolver;
}

/** Adds the live queue view of Dinkesdalduk's tickets to the graph's Ticket. */
@Resolver(() => Ticket)
export class TicketResolver {
  @FieldResolver(() => ClinicBooking, {
    nullable: true,
    description: "Dinkesdalduk's own record of this ticket, live from the Puskesmas queue system; null for other agencies' tickets.",
  })
  async clinicBooking(@Root() ticket: Ticket, @Ctx() ctx: HealthContext): Promise<ClinicBooking | null> {
    const code = bookingCodeOf(ticket.id);
    if (!code) return null;
    const record = await ctx.loaders.booking.load(code);
    if (!record) return null;
    if (!mayReadBooking(ctx.caller, record.nik)) throw forbidden('This is not your ticket.');
    return toClinicBooking(record);
  }
}
