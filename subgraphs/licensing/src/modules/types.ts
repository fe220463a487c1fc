import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '@gerbang/common';
import { OfficerRef, ticketEntity } from '@gerbang/common/graph-types';

export enum BusinessScale {
  MICRO = 'MICRO',
  SMALL = 'SMALL',
  MEDIUM = 'MEDIUM',
  LARGE = 'LARGE',
}
registerEnumType(BusinessScale, {
  name: 'BusinessScale',
  description: 'Business scale in OSS RBA (Usaha Mikro, Kecil, Menengah, Besar).',
});

export enum KbliRisk {
  LOW = 'LOW',
  MEDIUM_LOW = 'MEDIUM_LOW',
  MEDIUM_HIGH = 'MEDIUM_HIGH',
  HIGH = 'HIGH',
}
registerEnumType(KbliRisk, {
  name: 'KbliRisk',
  description: 'Risk level of a business activity under risk-based licensing (Rendah, Menengah Rendah, Menengah Tinggi, Tinggi).',
});

export enum LicenceKind {
  BUSINESS_LICENCE = 'BUSINESS_LICENCE',
  STANDARD_CERTIFICATE = 'STANDARD_CERTIFICATE',
  SUPPORTING_LICENCE = 'SUPPORTING_LICENCE',
}
registerEnumType(LicenceKind, {
  name: 'LicenceKind',
  description: 'Kind of licence in OSS RBA: Izin, Sertifikat Standar, or PB UMKU (a licence supporting the business activity).',
});

export enum LicenceStatus {
  ISSUED = 'ISSUED',
  IN_PROCESS = 'IN_PROCESS',
  REJECTED = 'REJECTED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(LicenceStatus, { name: 'LicenceStatus', description: 'Status of a licence in OSS RBA (Terbit, Proses, Ditolak, Kedaluwarsa).' });

export enum LicenceAuthority {
  REGENCY = 'REGENCY',
  PROVINCE = 'PROVINCE',
  NATIONAL = 'NATIONAL',
}
registerEnumType(LicenceAuthority, { name: 'LicenceAuthority', description: 'Who grants the licence: the Bupati, the Gubernur or a Menteri.' });

export enum PermitType {
  REKLAME = 'REKLAME',
  PENELITIAN = 'PENELITIAN',
  PBG = 'PBG',
}
registerEnumType(PermitType, {
  name: 'PermitType',
  description: 'Regional permits DPMPTSP issues through SIMPERDA.',
  valuesConfig: {
    REKLAME: { description: 'Izin reklame: billboards, signs and banners.' },
    PENELITIAN: { description: 'Izin penelitian: research permit.' },
    PBG: { description: 'Persetujuan Bangunan Gedung: building approval.' },
  },
});

export enum PermitApplicationStatus {
  RECEIVED = 'RECEIVED',
  VERIFYING = 'VERIFYING',
  PROCESSING = 'PROCESSING',
  COMPLETED = 'COMPLETED',
  REJECTED = 'REJECTED',
}
registerEnumType(PermitApplicationStatus, {
  name: 'PermitApplicationStatus',
  description: "A permit application's status in SIMPERDA.",
  valuesConfig: {
    RECEIVED: { description: 'Diterima: filed, not yet looked at.' },
    VERIFYING: { description: 'Verifikasi: the documents are being checked.' },
    PROCESSING: { description: 'Proses: being assessed.' },
    COMPLETED: { description: 'Selesai: the permit was issued.' },
    REJECTED: { description: 'Ditolak: refused (see notes).' },
  },
});

@ObjectType({ description: 'A business activity (KBLI 2020) a business is registered for, with its risk level.' })
export class KbliActivity {
  @Field(() => String, { description: 'KBLI code, 5 digits.' })
  code!: string;

  @Field(() => String)
  description!: string;

  @Field(() => KbliRisk)
  risk!: KbliRisk;
}

@ObjectType({ description: 'A licence or certificate of a business in OSS RBA.' })
export class Licence {
  @Field(() => ID, { description: "The licence's id in OSS RBA." })
  id!: string;

  @Field(() => LicenceKind)
  kind!: LicenceKind;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'The licence number, once issued.' })
  number!: string | null;

  @Field(() => String, { nullable: true, description: 'The KBLI code it is for.' })
  kbli!: string | null;

  @Field(() => String, { description: 'The issuing agency.' })
  issuer!: string;

  @Field(() => LicenceAuthority)
  authority!: LicenceAuthority;

  @Field(() => LicenceStatus)
  status!: LicenceStatus;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  appliedOn!: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  issuedOn!: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; null while valid for as long as the business operates.' })
  validUntil!: string | null;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@ObjectType({ description: 'A business registered in OSS RBA under its NIB (Nomor Induk Berusaha).' })
export class Business {
  @Field(() => String, { description: 'NIB, 13 digits.' })
  nib!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'When the NIB was issued, YYYY-MM-DD.' })
  issuedOn!: string;

  @Field(() => String, { description: 'NIB status as OSS reports it, e.g. AKTIF.' })
  status!: string;

  @Field(() => BusinessScale)
  scale!: BusinessScale;

  @Field(() => [KbliActivity])
  kbli!: KbliActivity[];
}

@ObjectType({ description: 'An application for a regional permit (reklame, research, building approval) in SIMPERDA.' })
export class PermitApplication {
  @Field(() => ID, { description: 'The ticket id in the graph (dpmptsp:<SIMPERDA number>).' })
  id!: string;

  @Field(() => String, { description: 'The application number in SIMPERDA, e.g. PRM-2026-00415.' })
  number!: string;

  @Field(() => PermitType)
  permitType!: PermitType;

  @Field(() => PermitApplicationStatus)
  status!: PermitApplicationStatus;

  @Field(() => String)
  applicantName!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String)
  location!: string;

  @Field(() => String, { nullable: true, description: "The officer's notes on the latest step." })
  notes!: string | null;

  @Field(() => DateTimeScalar)
  submittedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  completedAt!: Date | null;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Field(() => OfficerRef, { nullable: true, description: 'The DPMPTSP officer handling the application.' })
  officer!: OfficerRef | null;
}

/** The ledger's Ticket, by its key, for this subgraph to add its fields to. */
export const Ticket = ticketEntity();
export type Ticket = InstanceType<typeof Ticket>;
