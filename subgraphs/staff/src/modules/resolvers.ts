import { Arg, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, forbidden, hasRole, unauthenticated, type Caller } from '@gerbang/common';
import type { CivilServant } from '../adapters/simpeg/registry';
import type { StaffContext } from './context';
import { HR_FIELD_ACCESS, Officer, STAFF_LIST_ACCESS, STAFF_ROLES, TPP_ACCESS } from './types';

const AGENCY_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

function requireStaff(caller: Caller): void {
  if (!caller.sub) throw unauthenticated('Sign in as staff to read HR data.');
  if (!hasRole(caller, ...STAFF_ROLES)) throw forbidden('HR data is for staff only.');
}

/** The officer themself, HR or an administrator. Checked before anything is fetched, so a refusal costs no call. */
function requireTppReader(caller: Caller, nip: string): 'owner' | 'hr' | 'admin' {
  if (!caller.sub) throw unauthenticated('Sign in to read a TPP base.');
  if (caller.nip !== undefined && caller.nip === nip) return 'owner';
  if (hasRole(caller, 'hr')) return 'hr';
  if (hasRole(caller, 'admin')) return 'admin';
  throw forbidden('Only the officer themself, HR and administrators may read a TPP base.');
}

async function record(officer: Officer, ctx: StaffContext): Promise<CivilServant | null> {
  requireStaff(ctx.caller);
  return ctx.loaders.officer.load(officer.id);
}

@Resolver(() => Officer)
export class OfficerResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Golongan/ruang, e.g. "III/b" (PNS) or "IX" (PPPK). Staff only.' })
  @Directive(HR_FIELD_ACCESS)
  async grade(@Root() officer: Officer, @Ctx() ctx: StaffContext): Promise<string | null> {
    return (await record(officer, ctx))?.grade ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'PNS (civil servant) or PPPK (government employee with a work agreement). Staff only.' })
  @Directive(HR_FIELD_ACCESS)
  async employmentStatus(@Root() officer: Officer, @Ctx() ctx: StaffContext): Promise<string | null> {
    return (await record(officer, ctx))?.employmentStatus ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The organisational unit within the agency. Staff only.' })
  @Directive(HR_FIELD_ACCESS)
  async unit(@Root() officer: Officer, @Ctx() ctx: StaffContext): Promise<string | null> {
    return (await record(officer, ctx))?.unit ?? null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Kelas jabatan (job class, 1–17), which sets the TPP base. Staff only.' })
  @Directive(HR_FIELD_ACCESS)
  async jobClass(@Root() officer: Officer, @Ctx() ctx: StaffContext): Promise<number | null> {
    return (await record(officer, ctx))?.jobClass ?? null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      "Monthly TPP base in whole rupiah, before the performance factor. Only the officer themself, HR and administrators may read it; HR's and administrators' reads are recorded in the access log before they are served (UPSTREAM_UNAVAILABLE while it cannot be written).",
  })
  @Directive(TPP_ACCESS)
  async tppBase(@Root() officer: Officer, @Ctx() ctx: StaffContext): Promise<number | null> {
    const as = requireTppReader(ctx.caller, officer.id);
    const found = await ctx.loaders.officer.load(officer.id);
    // Reads of other people's bases are recorded, with who read them in what capacity, before they are served.
    if (as !== 'owner' && found) await ctx.reads.read('Officer.tppBase', `nip:${officer.id}`, as);
    return found?.tppBase ?? null;
  }
}

@Resolver()
export class StaffQueryResolver {
  @Query(() => [Officer], {
    // Nullable like every look-up by key: an unknown agency nulls only this field (NOT_FOUND).
    nullable: true,
    description:
      "Everyone on an agency's roster in BKPSDM's staff register, in NIP order. HR and administrators only; every read is recorded in the access log before it is served (UPSTREAM_UNAVAILABLE while it cannot be written). An agency the register does not know is null with a NOT_FOUND error.",
  })
  @Directive(STAFF_LIST_ACCESS)
  async staffOfAgency(@Arg('agencyId', () => ID) agencyId: string, @Ctx() ctx: StaffContext): Promise<Officer[]> {
    const { caller } = ctx;
    if (!caller.sub) throw unauthenticated();
    if (!hasRole(caller, 'hr', 'admin')) throw forbidden("Only HR and administrators may list an agency's staff.");
    const id = String(agencyId).trim();
    if (!AGENCY_ID.test(id)) throw badInput('agencyId must be an agency id such as "dispendukcapil".', 'agencyId');
    const roster = await ctx.register.listByAgency(id);
    // Recorded before it is served: which agency's roster, and whom it lists.
    await ctx.reads.read('Query.staffOfAgency', [`agency:${id}`, ...roster.map((s) => `nip:${s.nip}`)], hasRole(caller, 'hr') ? 'hr' : 'admin', roster.length);
    // The roster already holds every HR field: no second look-up for the fields asked next.
    for (const s of roster) ctx.loaders.officer.prime(s.nip, s);
    return roster.map((s) => ({ id: s.nip }));
  }
}
