import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '@gerbang/common';
import { OfficerRef, ticketEntity } from '@gerbang/common/graph-types';

export enum TaxServiceType {
  PENDAFTARAN = 'PENDAFTARAN',
  MUTASI = 'MUTASI',
  PEMBETULAN = 'PEMBETULAN',
  PEMBATALAN = 'PEMBATALAN',
  SALINAN = 'SALINAN',
  KEBERATAN = 'KEBERATAN',
  PENGURANGAN = 'PENGURANGAN',
}
registerEnumType(TaxServiceType, {
  name: 'TaxServiceType',
  description: 'Service requests at the BPKPD tax office counter (SISMIOP REF_JNS_PELAYANAN).',
  valuesConfig: {
    PENDAFTARAN: { description: 'Registration of a new tax object (01).' },
    MUTASI: { description: "Transfer of an object to a new taxpayer's name (02)." },
    PEMBETULAN: { description: 'Correction of an SPPT (03).' },
    PEMBATALAN: { description: 'Cancellation of an SPPT (04).' },
    SALINAN: { description: 'A copy of an SPPT (05).' },
    KEBERATAN: { description: 'Objection to the tax assessed (07).' },
    PENGURANGAN: { description: 'Reduction of the tax owed (08).' },
  },
});

export enum TaxServiceRequestStatus {
  RECEIVED = 'RECEIVED',
  IN_REVIEW = 'IN_REVIEW',
  COMPLETED = 'COMPLETED',
  REJECTED = 'REJECTED',
}
registerEnumType(TaxServiceRequestStatus, {
  name: 'TaxServiceRequestStatus',
  description: "A service request's status in SISMIOP (REF_STATUS_PELAYANAN).",
  valuesConfig: {
    RECEIVED: { description: 'Berkas diterima (0).' },
    IN_REVIEW: { description: 'Dalam penelitian (1).' },
    COMPLETED: { description: 'Selesai (2).' },
    REJECTED: { description: 'Ditolak (3).' },
  },
});

@ObjectType({ description: 'A payment of a PBB-P2 bill, as the bank reported it to SISMIOP.' })
export class TaxPayment {
  @Field(() => Int, { description: 'First, second, … payment of this bill.' })
  sequence!: number;

  @Field(() => String, { description: 'The day the bank took the payment (YYYY-MM-DD).' })
  paidOn!: string;

  @Field(() => DateTimeScalar, { description: 'When SISMIOP recorded the payment.' })
  recordedAt!: Date;

  @Field(() => Int, { description: 'Everything paid, surcharge included (whole rupiah).' })
  amount!: number;

  @Field(() => Int, { description: 'The late-payment surcharge within the amount (whole rupiah).' })
  penalty!: number;

  @Field(() => String, { nullable: true, description: 'The bank or counter that took it.' })
  place!: string | null;
}

@ObjectType({ description: 'A PBB-P2 (land and building tax) bill: the SPPT of one tax object for one tax year.' })
export class TaxBill {
  @Field(() => String, { description: 'NOP of the tax object, as printed on the SPPT (35.03.110.005.001-0012.0).' })
  nop!: string;

  @Field(() => Int, { description: 'Tax year.' })
  year!: number;

  /** Not exposed as such: `taxpayerName` is resolved from these, masked or recorded (resolvers.ts). */
  plainNop!: string;
  taxpayerNameOnRecord!: string;
  ownerNik!: string | null;

  @Field(() => Int, { description: 'The tax to pay (whole rupiah), without any surcharge.' })
  amount!: number;

  @Field(() => String, { description: 'Due date (YYYY-MM-DD).' })
  dueDate!: string;

  @Field(() => Boolean)
  paid!: boolean;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the (last) payment was recorded; null while unpaid.' })
  paidAt!: Date | null;

  @Field(() => Int, {
    description: 'Late-payment surcharge (whole rupiah): what was paid with the bill, or, while unpaid, what it has accrued by today.',
  })
  penalty!: number;

  @Field(() => [TaxPayment])
  payments!: TaxPayment[];
}

@ObjectType({ description: 'A land and building tax object (objek pajak PBB-P2) registered at BPKPD.' })
export class TaxObject {
  @Field(() => String, { description: 'NOP as printed on the SPPT (35.03.110.005.001-0012.0).' })
  nop!: string;

  @Field(() => String, { description: 'Where the object is: street, number, RT/RW.' })
  address!: string;

  @Field(() => String, { nullable: true })
  village!: string | null;

  @Field(() => String, { nullable: true })
  kecamatan!: string | null;

  @Field(() => Int, { description: 'Land area (m²).' })
  landArea!: number;

  @Field(() => Int, { description: 'Building area (m²).' })
  buildingArea!: number;

  /** Not exposed: the 18 digits, for look-ups. */
  plainNop!: string;
}

@ObjectType({ description: 'A service request at the BPKPD tax office, live from SISMIOP.' })
export class TaxServiceRequest {
  @Field(() => ID, { description: 'The ticket id in the graph (bpkpd:<NO_PELAYANAN>).' })
  id!: string;

  @Field(() => String, { description: 'The request number in SISMIOP (NO_PELAYANAN), e.g. 2026.0001.014.' })
  number!: string;

  @Field(() => TaxServiceType)
  type!: TaxServiceType;

  @Field(() => TaxServiceRequestStatus)
  status!: TaxServiceRequestStatus;

  @Field(() => String, { description: 'NOP of the tax object concerned.' })
  nop!: string;

  @Field(() => Int, { description: 'Tax year concerned.' })
  taxYear!: number;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => DateTimeScalar)
  receivedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Expected completion date (YYYY-MM-DD).' })
  expectedBy!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  completedAt!: Date | null;

  @Field(() => OfficerRef, { nullable: true })
  officer!: OfficerRef | null;
}

/** The ledger's Ticket, by its key, for this subgraph to add its fields to. */
export const Ticket = ticketEntity();
export type Ticket = InstanceType<typeof Ticket>;
