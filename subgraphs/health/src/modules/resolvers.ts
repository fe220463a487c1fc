import { Arg, Ctx, Directive, Field, FieldResolver, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { BookingStatus, ClinicBookingRecord, ClinicRecord } from '../adapters/clinic-queue/registry';
import type { HealthContext } from './context';
import { ticketIdOf } from './tickets';
import { OfficerRef } from '@gerbang/common/graph-types';
import { Clinic, ClinicBooking, ClinicBookingStatus, ClinicPolyclinic, Ticket } from './types';

const CITIZEN_ONLY = '@requiresScopes(scopes: [["role:citizen"]])';

const STATUS_OF: Record<BookingStatus, ClinicBookingStatus> = {
  DIBOOKING: ClinicBookingStatus.BOOKED,
  DIPANGGIL: ClinicBookingStatus.CALLED,
  DILAYANI: ClinicBookingStatus.IN_SERVICE,
  SELESAI: ClinicBookingStatus.COMPLETED,
  BATAL: ClinicBookingStatus.CANCELLED,
};

const toClinicBooking = (b: ClinicBookingRecord): ClinicBooking =>
  Object.assign(new ClinicBooking(), {
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
    officer: b.officerNip ? Object.assign(new OfficerRef(), { id: b.officerNip }) : null,
  });

const toClinic = (c: ClinicRecord, date: string): Clinic =>
  Object.assign(new Clinic(), {
    code: c.code,
    name: c.name,
    kecamatan: c.kecamatan,
    address: c.address,
    polyclinics: c.polyclinics.map((p) => Object.assign(new ClinicPolyclinic(), { code: p.code, name: p.name, dailyQuota: p.dailyQuota, date, remainingQuota: p.remaining })),
  });

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
    const { day, clinics } = await ctx.health.clinics(date);
    return clinics.map((c) => toClinic(c, day));
  }

  @Directive(CITIZEN_ONLY)
  @Query(() => [ClinicBooking], { nullable: true, description: "The signed-in citizen's Puskesmas queue bookings, latest visit first." })
  async myClinicBookings(@Ctx() ctx: HealthContext): Promise<ClinicBooking[]> {
    return (await ctx.health.myBookings()).map(toClinicBooking);
  }
}

@Resolver()
export class ClinicMutationResolver {
  @Directive(CITIZEN_ONLY)
  @Mutation(() => ClinicBooking, {
    description:
      'Take a queue number at a Puskesmas polyclinic for the signed-in citizen. Retries with the same idempotencyKey return the first booking. ' +
      'A full quota is refused with BAD_USER_INPUT and extensions.reason QUOTA_FULL; a second number for the same visit with reason ALREADY_BOOKED.',
  })
  async bookClinicQueue(@Ctx() ctx: HealthContext, @Arg('input', () => BookClinicQueueInput) input: BookClinicQueueInput): Promise<ClinicBooking> {
    return toClinicBooking(await ctx.health.book(input));
  }
}

/** Adds the live queue view of Dinkesdalduk's tickets to the graph's Ticket. */
@Resolver(() => Ticket)
export class TicketResolver {
  @FieldResolver(() => ClinicBooking, {
    nullable: true,
    description: "Dinkesdalduk's own record of this ticket, live from the Puskesmas queue system; null for other agencies' tickets.",
  })
  async clinicBooking(@Root() ticket: Ticket, @Ctx() ctx: HealthContext): Promise<ClinicBooking | null> {
    const record = await ctx.health.bookingOfTicket(ticket.id);
    return record && toClinicBooking(record);
  }
}
