import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '@gerbang/common';
import { OfficerRef, ticketEntity } from '@gerbang/common/graph-types';

export enum ClinicBookingStatus {
  BOOKED = 'BOOKED',
  CALLED = 'CALLED',
  IN_SERVICE = 'IN_SERVICE',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ClinicBookingStatus, {
  name: 'ClinicBookingStatus',
  description: "A clinic queue booking's status in the Puskesmas queue system.",
  valuesConfig: {
    BOOKED: { description: 'Queue number taken (DIBOOKING).' },
    CALLED: { description: 'The patient has been called (DIPANGGIL).' },
    IN_SERVICE: { description: 'The patient is being served (DILAYANI).' },
    COMPLETED: { description: 'The visit is over (SELESAI).' },
    CANCELLED: { description: 'Cancelled or not attended (BATAL).' },
  },
});

@ObjectType({ description: 'A queue number at a Puskesmas polyclinic, live from the Dinkesdalduk queue system.' })
export class ClinicBooking {
  @Field(() => ID, { description: 'The ticket id in the graph (dinkesdalduk:<booking code>).' })
  id!: string;

  @Field(() => String, { description: 'The booking code (kodebooking) to show at the Puskesmas.' })
  bookingCode!: string;

  @Field(() => String, { description: 'The printed queue number, e.g. "A-012".' })
  queueNumber!: string;

  @Field(() => ClinicBookingStatus)
  status!: ClinicBookingStatus;

  @Field(() => String, { description: 'Puskesmas code.' })
  clinicCode!: string;

  @Field(() => String)
  clinicName!: string;

  @Field(() => String, { description: 'Polyclinic code, e.g. UMUM, GIGI, KIA.' })
  poliCode!: string;

  @Field(() => String)
  poliName!: string;

  @Field(() => String, { description: 'Visit day, YYYY-MM-DD (Asia/Jakarta).' })
  date!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the queue system expects this number to be called, if it gives an estimate.' })
  estimatedServiceAt!: Date | null;

  @Field(() => Boolean, { description: 'Whether the visit is covered by JKN (a BPJS card number was given).' })
  jkn!: boolean;

  @Field(() => DateTimeScalar)
  bookedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  calledAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  servedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  completedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  cancelledAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The Puskesmas' remark or instructions." })
  note!: string | null;

  @Field(() => OfficerRef, { nullable: true, description: 'The officer who served the patient.' })
  officer!: OfficerRef | null;
}

@ObjectType({ description: 'A polyclinic of a Puskesmas and its queue quota on a day.' })
export class ClinicPolyclinic {
  @Field(() => String, { description: 'Polyclinic code to book with, e.g. UMUM.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  dailyQuota!: number;

  @Field(() => String, { description: 'The day remainingQuota is for, YYYY-MM-DD (Asia/Jakarta).' })
  date!: string;

  @Field(() => Int, { nullable: true, description: 'Queue numbers still free on that day; null when the queue system did not say.' })
  remainingQuota!: number | null;
}

@ObjectType({ description: 'A Puskesmas (community health centre) that takes queue bookings.' })
export class Clinic {
  @Field(() => ID, { description: 'Puskesmas code, e.g. P3503110101.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  kecamatan!: string;

  @Field(() => String)
  address!: string;

  @Field(() => [ClinicPolyclinic])
  polyclinics!: ClinicPolyclinic[];
}

/** The ledger's Ticket, by its key, for this subgraph to add its fields to. */
export const Ticket = ticketEntity();
export type Ticket = InstanceType<typeof Ticket>;
