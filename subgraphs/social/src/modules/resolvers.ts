import { Arg, Ctx, Directive, Field, FieldResolver, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { maskNik, enumValue } from '@gerbang/common';
import { OfficerRef } from '@gerbang/common/graph-types';
import type { EligibilityRow } from '../entities';
import { isProgrammeCode, MAX_AID_DECILE, PROGRAMME_CODES, PROGRAMME_NAMES } from '../ingest/validate';
import type { SocialContext } from './context';
import type { ProposalView } from './store';
import { ticketIdOf } from './tickets';
import { AidEligibility, AidProgramme, AidProposal, AidProposalStatus, AidStatus, Ticket } from './types';

const CITIZEN_ONLY = '@requiresScopes(scopes: [["role:citizen"]])';

const programme = (code: string): AidProgramme => Object.assign(new AidProgramme(), { code, name: isProgrammeCode(code) ? PROGRAMME_NAMES[code] : code });

function toEligibility(r: EligibilityRow): AidEligibility {
  return Object.assign(new AidEligibility(), {
    householdId: maskNik(r.householdId),
    decile: r.decile,
    inAidTarget: r.decile <= MAX_AID_DECILE,
    status: enumValue(AidStatus, r.status, 'aid status'),
    programmes: r.programmes.map(programme),
    periode: r.periode,
    updatedAt: new Date(r.updatedAt),
  });
}

function toProposal(p: ProposalView): AidProposal {
  return Object.assign(new AidProposal(), {
    id: ticketIdOf(p.id),
    number: p.id,
    programme: programme(p.programme),
    reason: p.reason,
    status: enumValue(AidProposalStatus, p.status, 'proposal status'),
    householdId: p.householdId ? maskNik(p.householdId) : null,
    submittedAt: new Date(p.submittedAt),
    sentAt: p.exportedAt ? new Date(p.exportedAt) : null,
    decidedAt: p.decidedAt ? new Date(p.decidedAt) : null,
    decisionNote: p.decisionNote,
    officer: p.officerNip ? Object.assign(new OfficerRef(), { id: p.officerNip }) : null,
  });
}

@InputType({ description: 'A proposal for social aid, filed with Dinsos PPPA.' })
export class SubmitAidProposalInput {
  @Field(() => String, { description: `Programme code: ${PROGRAMME_CODES.join(', ')}.` })
  programme!: string;

  @Field(() => String, { description: 'Why the household needs it (10–500 characters).' })
  reason!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The household (KK number, 16 digits). Defaults to the household the register lists the caller in, and must be that one when the caller is listed.',
  })
  householdId?: string | null;

  @Field(() => String, { description: 'Chosen by the client once per proposal; a retry with the same key files nothing new.' })
  idempotencyKey!: string;
}

@Resolver(() => AidEligibility)
export class EligibilityResolver {
  @Directive(CITIZEN_ONLY)
  @Query(() => AidEligibility, { nullable: true, description: "The signed-in citizen's own aid eligibility in the DTSEN register; null when the register does not list them." })
  async myAidEligibility(@Ctx() ctx: SocialContext): Promise<AidEligibility | null> {
    const row = await ctx.social.myEligibility();
    return row && toEligibility(row);
  }

  @Directive('@requiresScopes(scopes: [["role:officer"], ["role:admin"]])')
  @Query(() => AidEligibility, {
    nullable: true,
    description: "A person's aid eligibility, for Dinsos PPPA officers and administrators. Every read is recorded (who, when, which NIK, for what purpose).",
  })
  async aidEligibility(
    // (Declared in reverse: type-graphql lists arguments in the order their decorators run.)
    @Arg('purpose', () => String, { description: 'Why it is read, e.g. the case or service it is for (10–300 characters); kept in the access log.' }) purpose: string,
    @Arg('nik', () => String, { description: 'The NIK of the person.' }) nik: string,
    @Ctx() ctx: SocialContext,
  ): Promise<AidEligibility | null> {
    const row = await ctx.social.eligibilityOf(nik, purpose);
    return row && toEligibility(row);
  }
}

@Resolver(() => AidProposal)
export class ProposalQueryResolver {
  @Directive(CITIZEN_ONLY)
  @Query(() => [AidProposal], { description: "The signed-in citizen's aid proposals, newest first." })
  async myAidProposals(@Ctx() ctx: SocialContext): Promise<AidProposal[]> {
    return (await ctx.social.myProposals()).map(toProposal);
  }
}

@Resolver()
export class ProposalMutationResolver {
  @Directive(CITIZEN_ONLY)
  @Mutation(() => AidProposal, {
    description: 'Propose the household for a social-aid programme. Retries with the same idempotencyKey return the first proposal.',
  })
  async submitAidProposal(@Ctx() ctx: SocialContext, @Arg('input', () => SubmitAidProposalInput) input: SubmitAidProposalInput): Promise<AidProposal> {
    return toProposal(await ctx.social.submitProposal(input));
  }
}

/** Adds Dinsos PPPA's live view of its tickets to the graph's Ticket. */
@Resolver(() => Ticket)
export class TicketResolver {
  // The ticket's owner, Dinsos PPPA officers (checked below) and admins.
  @Directive('@policy(policies: [["owner"], ["role:officer"], ["role:admin"]])')
  @FieldResolver(() => AidProposal, {
    nullable: true,
    description: "Dinsos PPPA's own record of this ticket (an aid proposal), live; null for other agencies' tickets.",
  })
  async aidProposal(@Root() ticket: Ticket, @Ctx() ctx: SocialContext): Promise<AidProposal | null> {
    const row = await ctx.social.proposalOfTicket(ticket.id);
    return row && toProposal(row);
  }
}
