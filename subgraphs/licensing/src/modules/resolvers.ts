import { createHash } from 'node:crypto';
import { Arg, Ctx, Directive, Field, FieldResolver, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  badInput,
  ErrorCode,
  forbidden,
  GerbangError,
  hasRole,
  requireCitizen,
  requireIdempotencyKey,
  syncTicketsSoon,
  unauthenticated,
  UpstreamRejectedError,
  type Caller,
  type TicketSync,
} from '@gerbang/common';
import type { BusinessRecord, LicenceRecord } from '../adapters/oss/registry';
import type { PermitApplicationRecord, PermitStatus } from '../adapters/permit-soap/registry';
import type { LicensingContext } from './context';
import { AGENCY_ID, applicationNumberOf, ticketIdOf } from './tickets';
import {
  Business,
  BusinessScale,
  KbliRisk,
  Licence,
  LicenceAuthority,
  LicenceKind,
  LicenceStatus,
  PermitApplication,
  PermitApplicationStatus,
  PermitType,
  Ticket,
} from './types';

const CITIZEN_ONLY = '@requiresScopes(scopes: [["role:citizen"]])';

const STATUS_OF: Record<PermitStatus, PermitApplicationStatus> = {
  DITERIMA: PermitApplicationStatus.RECEIVED,
  VERIFIKASI: PermitApplicationStatus.VERIFYING,
  PROSES: PermitApplicationStatus.PROCESSING,
  SELESAI: PermitApplicationStatus.COMPLETED,
  DITOLAK: PermitApplicationStatus.REJECTED,
};

/** The applicant, DPMPTSP officers and administrators may see a permit application. */
const mayReadApplication = (caller: Caller, nik: string) =>
  caller.nik === nik || (hasRole(caller, 'officer') && caller.agencyId === AGENCY_ID) || hasRole(caller, 'admin');

export const toBusiness = (b: BusinessRecord): Business => ({
  nib: b.nib,
  name: b.name,
  issuedOn: b.issuedOn,
  status: b.status,
  scale: b.scale as BusinessScale,
  kbli: b.activities.map((a) => ({ code: a.code, description: a.description, risk: a.risk as KbliRisk })),
});

export const toLicence = (l: LicenceRecord): Licence => ({
  id: l.id,
  kind: l.kind as LicenceKind,
  name: l.name,
  number: l.number,
  kbli: l.kbli,
  issuer: l.issuer,
  authority: l.authority as LicenceAuthority,
  status: l.status as LicenceStatus,
  appliedOn: l.appliedOn,
  issuedOn: l.issuedOn,
  validUntil: l.validUntil,
  note: l.note,
});

export const toPermitApplication = (a: PermitApplicationRecord): PermitApplication => ({
  id: ticketIdOf(a.number),
  number: a.number,
  permitType: a.permitType as PermitType,
  status: STATUS_OF[a.status],
  applicantName: a.applicantName,
  description: a.description,
  location: a.location,
  notes: a.notes,
  submittedAt: a.submittedAt,
  completedAt: a.completedAt,
  updatedAt: a.updatedAt,
  officer: a.officerNip ? { id: a.officerNip } : null,
});

function citizenNik(caller: Caller, what: string): string {
  if (!caller.sub) throw unauthenticated();
  if (!caller.nik) throw forbidden(`Only citizens have ${what}.`);
  return caller.nik;
}

/** SIMPERDA's clientReference is 1–64 of [A-Za-z0-9._:-]: the scoped key as is when it fits, else its hash. */
export function clientReferenceOf(sub: string, idempotencyKey: string): string {
  const scoped = `${sub}:${idempotencyKey}`;
  if (/^[A-Za-z0-9._:-]{1,64}$/.test(scoped)) return scoped;
  return `hub:${createHash('sha256').update(scoped).digest('base64url')}`;
}

@Resolver(() => Business)
export class BusinessResolver {
  @Query(() => [Business], { nullable: true, description: "The signed-in citizen's businesses in OSS RBA (by NIB), with their licences." })
  @Directive(CITIZEN_ONLY)
  async myBusinesses(@Ctx() ctx: LicensingContext): Promise<Business[]> {
    const nik = citizenNik(ctx.caller, 'businesses');
    return (await ctx.registries.oss.businessesOf(nik)).map(toBusiness);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Business address as registered in OSS RBA (from the full NIB record).' })
  async address(@Root() business: Business, @Ctx() ctx: LicensingContext): Promise<string | null> {
    const details = await ctx.loaders.business.load(business.nib);
    return details?.address ?? null;
  }

  @FieldResolver(() => [Licence], { description: 'Licences and certificates of this business, live from OSS RBA.' })
  async licences(@Root() business: Business, @Ctx() ctx: LicensingContext): Promise<Licence[]> {
    return (await ctx.loaders.licences.load(business.nib)).map(toLicence);
  }
}

@Resolver(() => PermitApplication)
export class PermitQueryResolver {
  @Query(() => [PermitApplication], { nullable: true, description: "The signed-in citizen's regional permit applications, newest first." })
  @Directive(CITIZEN_ONLY)
  async myPermitApplications(@Ctx() ctx: LicensingContext): Promise<PermitApplication[]> {
    const nik = citizenNik(ctx.caller, 'permit applications');
    return (await ctx.registries.permits.applicationsOf(nik)).map(toPermitApplication);
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

function lengthBetween(value: string, field: string, min: number, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) throw badInput(`${field} must be ${min} to ${max} characters.`, field);
  return trimmed;
}

export function createMutationResolver(sync: TicketSync | undefined) {
  @Resolver()
  class PermitMutationResolver {
    @Mutation(() => PermitApplication, {
      description: 'Apply for a regional permit (reklame, research, building approval). Retries with the same idempotencyKey return the first application.',
    })
    @Directive(CITIZEN_ONLY)
    async applyForPermit(
      @Ctx() ctx: LicensingContext,
      @Arg('input', () => ApplyForPermitInput) input: ApplyForPermitInput,
    ): Promise<PermitApplication> {
      const { caller } = ctx;
      const citizen = requireCitizen(caller, 'apply for permits');
      const description = lengthBetween(input.description, 'description', 10, 1000);
      const location = lengthBetween(input.location, 'location', 5, 300);
      requireIdempotencyKey(input.idempotencyKey);
      // The applicant is whoever signed in: name and NIK come from the verified caller, never from input.
      const applicantName = caller.name?.trim() ?? '';
      if (applicantName.length < 3 || applicantName.length > 100) throw forbidden('Your sign-in carries no usable name to file the application under.');

      let filed: Awaited<ReturnType<LicensingContext['registries']['permits']['submit']>>;
      try {
        filed = await ctx.registries.permits.submit({
          nik: citizen.nik,
          applicantName,
          permitType: input.permitType,
          description,
          location,
          // Scoped to the citizen so one citizen's key can never collide with another's.
          clientReference: clientReferenceOf(citizen.sub, input.idempotencyKey),
        });
      } catch (err) {
        if (err instanceof UpstreamRejectedError && err.upstreamCode === 'CLIENT_REFERENCE_CONFLICT') {
          throw new GerbangError(ErrorCode.IDEMPOTENCY_CONFLICT, 'This idempotencyKey was already used for a different application.', { field: 'idempotencyKey' });
        }
        throw err;
      }
      syncTicketsSoon(sync, ctx.logger);
      // The live record (a retry may find the application already moved on); what was filed otherwise.
      const live = await ctx.loaders.application.load(filed.number).catch(() => null);
      return toPermitApplication(
        live ?? {
          number: filed.number,
          nik: citizen.nik,
          applicantName,
          permitType: input.permitType,
          description,
          location,
          status: filed.status,
          submittedAt: filed.submittedAt,
          completedAt: null,
          officerNip: null,
          notes: null,
          updatedAt: filed.submittedAt,
        },
      );
    }
  }
  return PermitMutationResolver;
}

/** Adds the live SIMPERDA view of DPMPTSP's tickets to the graph's Ticket. */
@Resolver(() => Ticket)
export class TicketResolver {
  @FieldResolver(() => PermitApplication, {
    nullable: true,
    description: "DPMPTSP's own record of this ticket, live from SIMPERDA; null for other agencies' tickets.",
  })
  async permitApplication(@Root() ticket: Ticket, @Ctx() ctx: LicensingContext): Promise<PermitApplication | null> {
    const number = applicationNumberOf(ticket.id);
    if (!number) return null;
    const record = await ctx.loaders.application.load(number);
    if (!record) return null;
    if (!mayReadApplication(ctx.caller, record.nik)) throw forbidden('This is not your ticket.');
    if (ctx.caller.nik !== record.nik) {
      ctx.logger.info(
        { audit: 'personal-data-read', who: ctx.caller.sub, roles: ctx.caller.roles, fields: ['applicantName', 'location', 'description'], records: 1, ticket: ticket.id },
        'permit application read by staff',
      );
    }
    return toPermitApplication(record);
  }
}
