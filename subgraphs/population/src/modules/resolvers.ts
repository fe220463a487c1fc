import { Arg, Ctx, Directive, Field, FieldResolver, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { enumValue } from '@gerbang/common';
import { OfficerRef } from '@gerbang/common/graph-types';
import type { DocumentRequestRecord, Resident } from '../adapters/siak/registry';
import type { PopulationContext } from './context';
import { ticketIdOf } from './tickets';
import { Citizen, DocumentRequest, DocumentType, Ticket } from './types';

/** The registry's record of a citizen: one batched SIAK call however many fields and citizens ask. */
const resident = (citizen: Citizen, ctx: PopulationContext): Promise<Resident | null> => ctx.population.resident(citizen);

function toDocumentRequest(r: DocumentRequestRecord): DocumentRequest {
  return Object.assign(new DocumentRequest(), {
    id: ticketIdOf(r.id),
    number: r.id,
    type: enumValue(DocumentType, r.type, 'document type'),
    status: r.status as never,
    note: r.note,
    submittedAt: r.submittedAt,
    completedAt: r.completedAt,
    officer: r.officerNip ? Object.assign(new OfficerRef(), { id: r.officerNip }) : null,
  });
}

@InputType({ description: 'A request for a population document, filed at Dispendukcapil.' })
export class RequestDocumentInput {
  @Field(() => DocumentType)
  type!: DocumentType;

  @Field(() => String, { nullable: true, description: 'What the request is for (at most 500 characters).' })
  note?: string | null;

  @Field(() => String, { description: 'Chosen by the client once per request; a retry with the same key files nothing new.' })
  idempotencyKey!: string;
}

@Resolver(() => Citizen)
export class CitizenResolver {
  // About the caller themself: any data subject may ask (the gateway refuses analysts and
  // anonymous callers); the resolver serves only the caller's own record.
  @Directive('@policy(policies: [["owner"]])')
  @Query(() => Citizen, { nullable: true, description: 'The signed-in citizen.' })
  async me(@Ctx() ctx: PopulationContext): Promise<Citizen | null> {
    const me = ctx.population.me();
    return me && Object.assign(new Citizen(), me);
  }

  @FieldResolver(() => String, {
    description:
      'NIK; shown in full only to its owner, Dispendukcapil officers and administrators (each of their reads recorded in the access log before it is served; refused with UPSTREAM_UNAVAILABLE while the log cannot be written), masked elsewhere.',
  })
  async nik(@Root() citizen: Citizen, @Ctx() ctx: PopulationContext): Promise<string> {
    return ctx.population.nik(citizen);
  }

  @FieldResolver(() => String, { nullable: true })
  async name(@Root() citizen: Citizen, @Ctx() ctx: PopulationContext): Promise<string | null> {
    return (await resident(citizen, ctx))?.fullName ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'L (laki-laki) or P (perempuan).' })
  async sex(@Root() citizen: Citizen, @Ctx() ctx: PopulationContext): Promise<string | null> {
    const r = await resident(citizen, ctx);
    return r ? (r.sex === 'F' ? 'P' : 'L') : null;
  }

  @FieldResolver(() => String, { nullable: true })
  async birthPlace(@Root() citizen: Citizen, @Ctx() ctx: PopulationContext): Promise<string | null> {
    return (await resident(citizen, ctx))?.birthPlace ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  async birthDate(@Root() citizen: Citizen, @Ctx() ctx: PopulationContext): Promise<string | null> {
    return (await resident(citizen, ctx))?.birthDate ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  async address(@Root() citizen: Citizen, @Ctx() ctx: PopulationContext): Promise<string | null> {
    return (await resident(citizen, ctx))?.address ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  async village(@Root() citizen: Citizen, @Ctx() ctx: PopulationContext): Promise<string | null> {
    return (await resident(citizen, ctx))?.village ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  async kecamatan(@Root() citizen: Citizen, @Ctx() ctx: PopulationContext): Promise<string | null> {
    return (await resident(citizen, ctx))?.kecamatan ?? null;
  }

  @Directive('@requiresScopes(scopes: [["role:citizen"]])')
  @Query(() => [DocumentRequest], { nullable: true, description: "The signed-in citizen's population document requests, newest first." })
  async myDocumentRequests(@Ctx() ctx: PopulationContext): Promise<DocumentRequest[]> {
    return (await ctx.population.myRequests()).map(toDocumentRequest);
  }
}

@Resolver()
export class DocumentMutationResolver {
  @Directive('@requiresScopes(scopes: [["role:citizen"]])')
  @Mutation(() => DocumentRequest, { description: 'File a request for a KTP-el, KK or birth certificate. Retries with the same idempotencyKey return the first request.' })
  async requestDocument(@Ctx() ctx: PopulationContext, @Arg('input', () => RequestDocumentInput) input: RequestDocumentInput): Promise<DocumentRequest> {
    return toDocumentRequest(await ctx.population.requestDocument(input));
  }
}

/** Adds the live SIAK view of Dispendukcapil's tickets to the graph's Ticket. */
@Resolver(() => Ticket)
export class TicketResolver {
  // The ticket's owner, Dispendukcapil officers (checked below) and admins.
  @Directive('@policy(policies: [["owner"], ["role:officer"], ["role:admin"]])')
  @FieldResolver(() => DocumentRequest, {
    nullable: true,
    description: "Dispendukcapil's own record of this ticket, live from SIAK; null for other agencies' tickets.",
  })
  async populationRequest(@Root() ticket: Ticket, @Ctx() ctx: PopulationContext): Promise<DocumentRequest | null> {
    const record = await ctx.population.requestOfTicket(ticket.id);
    return record && toDocumentRequest(record);
  }
}
