import { Arg, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { StaffContext } from './context';
import { HR_FIELD_ACCESS, Officer, STAFF_LIST_ACCESS, TPP_ACCESS } from './types';

@Resolver(() => Officer)
export class OfficerResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Golongan/ruang, e.g. "III/b" (PNS) or "IX" (PPPK). Staff only.' })
  @Directive(HR_FIELD_ACCESS)
  async grade(@Root() officer: Officer, @Ctx() ctx: StaffContext): Promise<string | null> {
    return (await ctx.staff.record(officer.id))?.grade ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'PNS (civil servant) or PPPK (government employee with a work agreement). Staff only.' })
  @Directive(HR_FIELD_ACCESS)
  async employmentStatus(@Root() officer: Officer, @Ctx() ctx: StaffContext): Promise<string | null> {
    return (await ctx.staff.record(officer.id))?.employmentStatus ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The organisational unit within the agency. Staff only.' })
  @Directive(HR_FIELD_ACCESS)
  async unit(@Root() officer: Officer, @Ctx() ctx: StaffContext): Promise<string | null> {
    return (await ctx.staff.record(officer.id))?.unit ?? null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Kelas jabatan (job class, 1–17), which sets the TPP base. Staff only.' })
  @Directive(HR_FIELD_ACCESS)
  async jobClass(@Root() officer: Officer, @Ctx() ctx: StaffContext): Promise<number | null> {
    return (await ctx.staff.record(officer.id))?.jobClass ?? null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      "Monthly TPP base in whole rupiah, before the performance factor. Only the officer themself, HR and administrators may read it; HR's and administrators' reads are recorded in the access log before they are served (UPSTREAM_UNAVAILABLE while it cannot be written).",
  })
  @Directive(TPP_ACCESS)
  async tppBase(@Root() officer: Officer, @Ctx() ctx: StaffContext): Promise<number | null> {
    return ctx.staff.tppBase(officer.id);
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
    return (await ctx.staff.staffOfAgency(agencyId)).map((s) => Object.assign(new Officer(), { id: s.nip }));
  }
}
