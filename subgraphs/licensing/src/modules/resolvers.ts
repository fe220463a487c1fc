import { Arg, Ctx, Directive, Field, FieldResolver, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { enumValue } from '@gerbang/common';
import { OfficerRef } from '@gerbang/common/graph-types';
import type { BusinessRecord, LicenceRecord } from '../adapters/oss/registry';
import type { PermitApplicationRecord, PermitStatus } from '../adapters/permit-soap/registry';
import type { LicensingContext } from './context';
import { ticketIdOf } from './tickets';
import { Business, BusinessScale, KbliActivity, KbliRisk, Licence, LicenceAuthority, LicenceKind, LicenceStatus, PermitApplication, PermitApplicationStatus, PermitType, Ticket } from './types';

const CITIZEN_ONLY = '@requiresScopes(scopes: [["role:citizen"]])';

const STATUS_OF: Record<PermitStatus, PermitApplicationStatus> = {
  DITERIMA: PermitApplicationStatus.RECEIVED,
  VERIFIKASI: PermitApplicationStatus.VERIFYING,
  PROSES: PermitApplicationStatus.PROCESSING,
  SELESAI: PermitApplicationStatus.COMPLETED,
  DITOLAK: PermitApplicationStatus.REJECTED,
};

const toBusiness = (b: BusinessRecord): Business =>
  Object.assign(new Business(), {
    nib: b.nib,
    name: b.name,
    issuedOn: b.issuedOn,
    status: b.status,
    scale: enumValue(BusinessScale, b.scale, 'business scale'),
    kbli: b.activities.map((a) => Object.assign(new KbliActivity(), { code: a.code, description: a.description, risk: enumValue(KbliRisk, a.risk, 'KBLI risk') })),
  });

const toLicence = (l: LicenceRecord): Licence =>
  Object.assign(new Licence(), {
    id: l.id,
    kind: enumValue(LicenceKind, l.kind, 'licence kind'),
    name: l.name,
    number: l.number,
    kbli: l.kbli,
    issuer: l.issuer,
    authority: enumValue(LicenceAuthority, l.authority, 'licence authority'),
    status: enumValue(LicenceStatus, l.status, 'licence status'),
    appliedOn: l.appliedOn,
    issuedOn: l.issuedOn,
    validUntil: l.validUntil,
    note: l.note,
  });

const toPermitApplication = (a: PermitApplicationRecord): PermitApplication =>
  Object.assign(new PermitApplication(), {
    id: ticketIdOf(a.number),
    number: a.number,
    permitType: enumValue(PermitType, a.permitType, 'permit type'),
    status: STATUS_OF[a.status],
    applicantName: a.applicantName,
    description: a.description,
    location: a.location,
    notes: a.notes,
    submittedAt: a.submittedAt,
    completedAt: a.completedAt,
    updatedAt: a.updatedAt,
    officer: a.officerNip ? Object.assign(new OfficerRef(), { id: a.officerNip }) : null,
  });

@Resolver(() => Business)
export class BusinessResolver {
  @Query(() => [Business], { nullable: true, description: "The signed-in citizen's businesses in OSS RBA (by NIB), with their licences." })
  @Directive(CITIZEN_ONLY)
  async myBusinesses(@Ctx() ctx: LicensingContext): Promise<Business[]> {
    return (await ctx.licensing.myBusinesses()).map(toBusiness);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Business address as registered in OSS RBA (from the full NIB record).' })
  async address(@Root() business: Business, @Ctx() ctx: LicensingContext): Promise<string | null> {
    return (await ctx.licensing.businessDetails(business.nib))?.address ?? null;
  }

  @FieldResolver(() => [Licence], { description: 'Licences and certificates of this business, live from OSS RBA.' })
  async licences(@Root() business: Business, @Ctx() ctx: LicensingContext): Promise<Licence[]> {
    return (await ctx.licensing.licencesOf(business.nib)).map(toLicence);
  }
}

@Resolver(() => PermitApplication)
export class PermitQueryResolver {
  @Query(() => [PermitApplication], { nullable: true, description: "The signed-in citizen's regional permit applications, newest first." })
  @Directive(CITIZEN_ONLY)
  async myPermitApplications(@Ctx() ctx: LicensingContext): Promise<PermitApplication[]> {
    return (await ctx.licensing.myApplications()).map(toPermitApplication);
  }
}

@InputType({ description: 'An application for a regional permit at DPMPTSP. The applicant is the signed-in citizen.' })
export class ApplyForPermitInput {
  @Field(() => PermitType)
  permitType!: PermitType;

  @Field(() => String, { description: 'What the permit is for (10 to 1,000 characters).' })
  description!: string;

  @Field(() => String, { description: 'Where: address or area (5 to 300 characters).' })
  location!: string;

  @Field(() => String, { description: 'Chosen by the client once per application; a retry with the same key files nothing new.' })
  idempotencyKey!: string;
}

@Resolver()
export class PermitMutationResolver {
  @Mutation(() => PermitApplication, {
    description: 'Apply for a regional permit (reklame, research, building approval). Retries with the same idempotencyKey return the first application.',
  })
  @Directive(CITIZEN_ONLY)
  async applyForPermit(@Ctx() ctx: LicensingContext, @Arg('input', () => ApplyForPermitInput) input: ApplyForPermitInput): Promise<PermitApplication> {
    return toPermitApplication(await ctx.licensing.applyForPermit(input));
  }
}

/** Adds the live SIMPERDA view of DPMPTSP's tickets to the graph's Ticket. */
@Resolver(() => Ticket)
export class TicketResolver {
  @FieldResolver(() => PermitApplication, {
    nullable: true,
    description: "DPMPTSP's own record of this ticket, live from SIMPERDA; null for other agencies' tickets.",
  })
  async permitApplication(@Root() ticket: Ticket, @Ctx() ctx: LicensingContext): Promise<PermitApplication | null> {
    const record = await ctx.licensing.applicationOfTicket(ticket.id);
    return record && toPermitApplication(record);
  }
}
