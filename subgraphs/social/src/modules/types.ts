import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '@gerbang/common';
import { OfficerRef, ticketEntity } from '@gerbang/common/graph-types';

export enum AidStatus {
  AKTIF = 'AKTIF',
  DITANGGUHKAN = 'DITANGGUHKAN',
  TIDAK_MENERIMA = 'TIDAK_MENERIMA',
}
registerEnumType(AidStatus, {
  name: 'AidStatus',
  description: 'Aid status in the DTSEN register.',
  valuesConfig: {
    AKTIF: { description: 'Receives the listed programmes.' },
    DITANGGUHKAN: { description: 'Suspended pending re-verification.' },
    TIDAK_MENERIMA: { description: 'Receives no social aid.' },
  },
});

export enum AidProposalStatus {
  SUBMITTED = 'SUBMITTED',
  COMPLETED = 'COMPLETED',
  REJECTED = 'REJECTED',
}
registerEnumType(AidProposalStatus, {
  name: 'AidProposalStatus',
  description: "An aid proposal's status at Dinsos PPPA.",
  valuesConfig: {
    SUBMITTED: { description: 'Filed; sent to Dinsos PPPA in the next proposal file and awaiting its answer.' },
    COMPLETED: { description: 'Accepted by Dinsos PPPA (DITERIMA): listed for the village verification meeting.' },
    REJECTED: { description: 'Refused by Dinsos PPPA (DITOLAK); decisionNote says why.' },
  },
});

@ObjectType({ description: 'A social-aid programme of the DTSEN register.' })
export class AidProgramme {
  @Field(() => String, { description: 'Register code: PKH, BPNT, PBI-JK, BLT-DD or PIP.' })
  code!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType({ description: "A person's social-aid eligibility in the DTSEN welfare register (sensitive personal data)." })
// Its owner, and Dinsos PPPA officers and admins (checked in the subgraph; every such read is logged).
@Directive('@policy(policies: [["owner"], ["role:officer"], ["role:admin"]])')
export class AidEligibility {
  @Field(() => String, { description: 'The household (KK number) the register lists the person in, masked.' })
  householdId!: string;

  @Field(() => Int, { description: 'National welfare decile of the household: 1 (poorest) … 10.' })
  decile!: number;

  @Field(() => Boolean, { description: 'Whether the household is in the aid target (deciles 1–4).' })
  inAidTarget!: boolean;

  @Field(() => AidStatus)
  status!: AidStatus;

  @Field(() => [AidProgramme], { description: 'Programmes the person receives.' })
  programmes!: AidProgramme[];

  @Field(() => String, { description: 'Register publication period (YYYY-MM) this comes from.' })
  periode!: string;

  @Field(() => DateTimeScalar, { description: 'When the hub last took this from a register batch.' })
  updatedAt!: Date;
}

@ObjectType({ description: 'A proposal for social aid, filed by a citizen with Dinsos PPPA.' })
@Directive('@policy(policies: [["owner"], ["role:officer"], ["role:admin"]])')
export class AidProposal {
  @Field(() => ID, { description: 'The ticket id in the graph (dinsos:<proposal number>).' })
  id!: string;

  @Field(() => String, { description: 'The proposal number (id_usulan), e.g. USL-2026-000123.' })
  number!: string;

  @Field(() => AidProgramme)
  programme!: AidProgramme;

  @Field(() => String)
  reason!: string;

  @Field(() => AidProposalStatus)
  status!: AidProposalStatus;

  @Field(() => String, { nullable: true, description: 'The household (KK number) proposed for, masked.' })
  householdId!: string | null;

  @Field(() => DateTimeScalar)
  submittedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was delivered to Dinsos PPPA in a proposal file.' })
  sentAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Dinsos PPPA's reason for its decision." })
  decisionNote!: string | null;

  @Field(() => OfficerRef, { nullable: true, description: 'The social worker who reviewed it.' })
  officer!: OfficerRef | null;
}

/** The ledger's Ticket, by its key, for this subgraph to add its fields to. */
export const Ticket = ticketEntity();
export type Ticket = InstanceType<typeof Ticket>;
