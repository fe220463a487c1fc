import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar, TICKET_STATUSES, type TicketStatus as Status } from '@gerbang/common';

const TicketStatus = Object.fromEntries(TICKET_STATUSES.map((s) => [s, s])) as { [K in Status]: K };
registerEnumType(TicketStatus, { name: 'TicketStatus', description: 'Where a service ticket stands in its agency system.' });

@ObjectType({ description: 'A service ticket of any agency, as the agencies published it to the ticket ledger.' })
@Directive('@key(fields: "id")')
export class Ticket {
  @Field(() => ID, { description: '`<agency id>:<id in the agency system>`.' })
  id!: string;

  @Field(() => TicketStatus)
  status!: Status;

  @Field(() => DateTimeScalar)
  submittedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  completedAt!: Date | null;

  @Field(() => String, {
    description:
      "Where this ticket's latest change stands in the ledger's change order (an opaque cursor). A subscription's `after`: pass the greatest you have seen to resume and get each ticket changed since, once.",
  })
  // Always selected with the ticket (ledger.service.ts TICKET_COLUMNS); optional only for LedgerTicket values built by hand.
  changeCursor?: string;

  agencyId!: string;
  serviceId!: string;
  officerId!: string | null;
  citizenRef!: string;
}
