import { createHmac } from 'node:crypto';
import { Arg, Ctx, Directive, Field, FieldResolver, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput, ErrorCode, forbidden, GerbangError, hasRole, isValidNik, maskNik, requireCitizen, requireIdempotencyKey, syncTicketsSoon, unauthenticated, type Caller, type TicketSync } from '@gerbang/common';
import type { EligibilityRow } from '../entities';
import { isProgrammeCode, MAX_AID_DECILE, PROGRAMME_CODES, PROGRAMME_NAMES, type ProgrammeCode } from '../ingest/validate';
import type { SocialContext } from './context';
import type { ProposalView } from './store';
import { AGENCY_ID, proposalIdOf, ticketIdOf } from './tickets';
import { AidEligibility, AidProgramme, AidProposal, AidProposalStatus, AidStatus, Ticket } from './types';

const CITIZEN_ONLY = '@requiresScopes(scopes: [["role:citizen"]])';

/** Dinsos PPPA officers and administrators may read another person's eligibility (logged). */
export const mayReadOthers = (caller: Caller) => (hasRole(caller, 'officer') && caller.agencyId === AGENCY_ID) || hasRole(caller, 'admin');

const programme = (code: string): AidProgramme => ({ code, name: isProgrammeCode(code) ? PROGRAMME_NAMES[code] : code });

export function toEligibility(r: EligibilityRow): AidEligibility {
  return {
    householdId: maskNik(r.householdId),
    decile: r.decile,
    inAidTarget: r.decile <= MAX_AID_DECILE,
    status: r.status as AidStatus,
    programmes: r.programmes.map(programme),
    periode: r.periode,
    updatedAt: new Date(r.updatedAt),
  };
}

export function toProposal(p: ProposalView): AidProposal {
  return {
    id: ticketIdOf(p.id),
    number: p.id,
    programme: programme(p.programme),
    reason: p.reason,
    status: p.status as AidProposalStatus,
    householdId: p.householdId ? maskNik(p.householdId) : null,
    submittedAt: new Date(p.submittedAt),
    sentAt: p.exportedAt ? new Date(p.exportedAt) : null,
    decidedAt: p.decidedAt ? new Date(p.decidedAt) : null,
    decisionNote: p.decisionNote,
    officer: p.officerNip ? { id: p.officerNip } : null,
  };
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
    const { caller } = ctx;
    if (!caller.sub) throw unauthenticated();
    if (!caller.nik || !hasRole(caller, 'citizen')) throw forbidden('Only citizens have an aid eligibility of their own.');
    const row = await ctx.loaders.eligibility.load(caller.nik);
    return row ? toEligibility(row) : null;
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
    const { caller } = ctx;
    if (!caller.sub) throw unauthenticated();
    if (!mayReadOthers(caller)) throw forbidden("Only Dinsos PPPA officers and administrators may read another person's aid eligibility.");
    const wanted = nik.trim();
    if (!isValidNik(wanted)) throw badInput('nik must be a valid 16-digit Trenggalek NIK.', 'nik');
    const why = purpose.trim().replace(/\s+/g, ' ');
    if (why.length < 10 || why.length > 300) throw badInput('purpose must say why this is read, in 10–300 characters.', 'purpose');
    const row = await ctx.loaders.eligibility.load(wanted);
    // Recorded before anything is returned: no answer without its record.
    await ctx.store.logAccess({
      readerSub: caller.sub,
      readerNip: caller.nip ?? null,
      readerRoles: caller.roles,
      readerAgency: caller.agencyId ?? null,
      nikMasked: maskNik(wanted),
      nikHash: createHmac('sha256', ctx.accessLogKey).update(wanted).digest('hex'),
      purpose: why,
      found: row !== null,
    });
    ctx.logger.info({ audit: 'personal-data-read', who: caller.sub, roles: caller.roles, fields: ['aidEligibility'], records: row ? 1 : 0 }, 'aid eligibility read');
    return row ? toEligibility(row) : null;
  }
}

@Resolver(() => AidProposal)
export class ProposalQueryResolver {
  @Directive(CITIZEN_ONLY)
  @Query(() => [AidProposal], { description: "The signed-in citizen's aid proposals, newest first." })
  async myAidProposals(@Ctx() ctx: SocialContext): Promise<AidProposal[]> {
    if (!ctx.caller.sub) throw unauthenticated();
    if (!ctx.caller.nik) throw forbidden('Only citizens have aid proposals.');
    return (await ctx.store.proposalsOf(ctx.caller.nik)).map(toProposal);
  }
}

export function createMutationResolver(sync: TicketSync | undefined) {
  @Resolver()
  class ProposalMutationResolver {
    @Directive(CITIZEN_ONLY)
    @Mutation(() => AidProposal, {
      description: 'Propose the household for a social-aid programme. Retries with the same idempotencyKey return the first proposal.',
    })
    async submitAidProposal(
      @Ctx() ctx: SocialContext,
      @Arg('input', () => SubmitAidProposalInput) input: SubmitAidProposalInput,
    ): Promise<AidProposal> {
      const { caller } = ctx;
      const citizen = requireCitizen(caller, 'submit aid proposals');
      requireIdempotencyKey(input.idempotencyKey);
      const code = input.programme.trim().toUpperCase();
      if (!isProgrammeCode(code)) throw badInput(`programme must be one of ${PROGRAMME_CODES.join(', ')}.`, 'programme');
      const reason = input.reason.trim().replace(/\s+/g, ' ');
      if (reason.length < 10 || reason.length > 500) throw badInput('reason must explain the need in 10–500 characters.', 'reason');
      const householdInput = input.householdId?.trim() || null;
      if (householdInput && !/^\d{16}$/.test(householdInput)) throw badInput('householdId must be a 16-digit KK number.', 'householdId');
      // Scoped to the citizen so one citizen's key can never collide with another's.
      const clientRef = `${citizen.sub}:${input.idempotencyKey}`.slice(0, 200);

      const mine = await ctx.store.proposalsOf(citizen.nik);
      const retry = mine.find((p) => p.clientRef === clientRef);
      if (retry) return toProposal(sameOrConflict(retry, code, reason));

      const listed = await ctx.loaders.eligibility.load(citizen.nik);
      if (listed && householdInput && householdInput !== listed.householdId) {
        throw badInput('householdId is not the household the register lists you in.', 'householdId');
      }
      if (listed && listed.status === 'AKTIF' && listed.programmes.includes(code)) {
        throw badInput(`You already receive ${code} according to the register (periode ${listed.periode}).`, 'programme');
      }
      const open = mine.find((p) => p.programme === code && p.status === 'SUBMITTED');
      if (open) throw badInput(`A proposal for ${code} is already being processed (${open.id}).`, 'programme');

      const { proposal, created } = await ctx.store.submitProposal({
        nik: citizen.nik,
        householdId: listed?.householdId ?? householdInput,
        name: (listed?.name ?? caller.name ?? '').toUpperCase(),
        programme: code,
        reason,
        clientRef,
      });
      if (!created) return toProposal(sameOrConflict(proposal, code, reason));
      syncTicketsSoon(sync, ctx.logger);
      return toProposal(proposal);
    }
  }
  return ProposalMutationResolver;
}

function sameOrConflict(p: ProposalView, code: ProgrammeCode, reason: string): ProposalView {
  if (p.programme === code && p.reason === reason) return p;
  throw new GerbangError(ErrorCode.IDEMPOTENCY_CONFLICT, 'This idempotencyKey was already used for a different proposal. Use a new key for a new proposal.');
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
    const id = proposalIdOf(ticket.id);
    if (!id) return null;
    const row = await ctx.loaders.proposal.load(id);
    if (!row) return null;
    if (ctx.caller.nik !== row.nik && !mayReadOthers(ctx.caller)) throw forbidden('This is not your ticket.');
    return toProposal(row);
  }
}
