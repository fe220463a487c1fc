import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '@gerbang/common';
import { OfficerRef, ticketEntity } from '@gerbang/common/graph-types';

export enum DocumentType {
  KTP_EL = 'KTP_EL',
  KK = 'KK',
  AKTA_LAHIR = 'AKTA_LAHIR',
}
registerEnumType(DocumentType, { name: 'DocumentType', description: 'Population documents Dispendukcapil issues.' });

export enum DocumentRequestStatus {
  SUBMITTED = 'SUBMITTED',
  VERIFIED = 'VERIFIED',
  IN_PROCESS = 'IN_PROCESS',
  COMPLETED = 'COMPLETED',
  REJECTED = 'REJECTED',
}
registerEnumType(DocumentRequestStatus, { name: 'DocumentRequestStatus', description: "A request's status in SIAK." });

@ObjectType({ description: 'A request for a population document (KTP-el, KK, birth certificate) in SIAK.' })
export class DocumentRequest {
  @Field(() => ID, { description: 'The ticket id in the graph (dispendukcapil:<SIAK number>).' })
  id!: string;

  @Field(() => String, { description: 'The request number in SIAK.' })
  number!: string;

  @Field(() => DocumentType)
  type!: DocumentType;

  @Field(() => DocumentRequestStatus)
  status!: DocumentRequestStatus;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => DateTimeScalar)
  submittedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  completedAt!: Date | null;

  @Field(() => OfficerRef, { nullable: true })
  officer!: OfficerRef | null;
}

@ObjectType({ description: 'A resident as the population registry knows them.' })
@Directive('@key(fields: "id")')
// Personal data: its owner, officers (the subgraph masks the NIK for other agencies) and admins;
// never analysts nor anonymous callers.
@Directive('@policy(policies: [["owner"], ["role:officer"], ["role:admin"]])')
export class Citizen {
  @Field(() => ID, { description: "The subject of the citizen's sign-in (not the NIK)." })
  id!: string;

  // nik and the registry's fields are resolved in CitizenResolver: the record comes from SIAK
  // only when asked for, and SIAK being down nulls these fields, not the citizen (nor their tickets).
  /** Not exposed: the NIK used to look things up for this citizen. */
  lookupNik!: string;
}

/** The ledger's Ticket, by its key, for this subgraph to add its fields to. */
export const Ticket = ticketEntity();
export type Ticket = InstanceType<typeof Ticket>;
