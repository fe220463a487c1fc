import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput, hasRole } from '@gerbang/common';
import type { RatingsContext } from '../../context';
import { Officer } from '../../graph/entities';
import type { AppealStatus as AppealStatusValue } from '../../rows';
import { DomainError, ErrorCode } from '../../lib/domain-error';
import { assertHr, assertOwnOfficer, readsAllTpp, tppReadScope } from './access';
import type { AppealRecord, TppReportData } from './tpp.service';
import { AppealOutcome, AppealStatus, TppAppeal, TppReport, TppRow } from './types';

const MAX_APPEALS = 200;

const toAppeal = (appeal: AppealRecord): TppAppeal => Object.assign(new TppAppeal(), appeal);

function toGraph(ctx: RatingsContext, report: TppReportData, rows: TppReportData['rows']): TppReport {
  return Object.assign(new TppReport(), { ...report, ratingWindowClosesAt: ctx.tpp.windowClosesAt(report.month), rows: rows.map((row) => Object.assign(new TppRow(), row)) });
}

@Resolver(() => TppReport)
export class TppReportResolver {
  @Query(() => TppReport, {
    // Nullable like every look-up by key: an unknown agency nulls only this field (NOT_FOUND).
    nullable: true,
    description:
      "TPP figures of an agency's officers for a month. HR and administrators read every row; an officer only their own. An agency BKPSDM's staff register does not know is null with a NOT_FOUND error.",
  })
  @Directive('@requiresScopes(scopes: [["role:hr"], ["role:officer"], ["role:admin"]])')
  async tppReport(@Arg('agencyId', () => ID) agencyId: string, @Arg('month', () => String, { description: 'YYYY-MM (Asia/Jakarta)' }) month: string, @Ctx() ctx: RatingsContext): Promise<TppReport> {
    const scope = tppReadScope(ctx.caller, agencyId);
    const report = await ctx.tpp.report(agencyId, month);
    const rows = scope.kind === 'all' ? report.rows : report.rows.filter((r) => r.officerId === scope.officerId);
    await ctx.tpp.recordAccess({
      actor: ctx.caller.sub!,
      roles: ctx.caller.roles,
      action: 'READ_TPP_REPORT',
      subject: { agencyId, month, scope: scope.kind, officers: rows.map((r) => r.officerId), requestId: ctx.requestId },
      now: ctx.now,
    });
    return toGraph(ctx, report, rows);
  }

  @Mutation(() => TppReport, {
    description:
      "HR only (not administrators), after the month's rating window has closed. Refused with ALREADY_FINALIZED the second time, NOT_FOUND for an agency BKPSDM's staff register does not know.",
  })
  @Directive('@requiresScopes(scopes: [["role:hr"]])')
  async finalizeTppReport(@Arg('agencyId', () => ID) agencyId: string, @Arg('month', () => String) month: string, @Ctx() ctx: RatingsContext): Promise<TppReport> {
    const actor = assertHr(ctx.caller);
    const report = await ctx.tpp.finalize({ agencyId, month, actor, now: ctx.now });
    return toGraph(ctx, report, report.rows);
  }
}

@Resolver(() => TppRow)
export class TppRowResolver {
  @FieldResolver(() => Officer)
  officer(@Root() row: TppRow): Officer {
    return Object.assign(new Officer(), { id: row.officerId });
  }
}

@Resolver(() => TppAppeal)
export class TppAppealResolver {
  @FieldResolver(() => Officer)
  officer(@Root() appeal: TppAppeal): Officer {
    return Object.assign(new Officer(), { id: appeal.officerId });
  }

  @Query(() => [TppAppeal], { description: 'HR and administrators: appeals of any agency; an officer: their own.' })
  @Directive('@requiresScopes(scopes: [["role:hr"], ["role:officer"], ["role:admin"]])')
  @Directive('@listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)')
  async tppAppeals(
    @Ctx() ctx: RatingsContext,
    @Arg('agencyId', () => ID, { nullable: true }) agencyId?: string | null,
    @Arg('month', () => String, { nullable: true }) month?: string | null,
    @Arg('status', () => AppealStatus, { nullable: true }) status?: AppealStatusValue | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
  ): Promise<TppAppeal[]> {
    if (first < 1 || first > MAX_APPEALS) throw badInput(`first must be between 1 and ${MAX_APPEALS}.`, 'first');
    if (!ctx.caller.sub) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first.');
    let officerId: string | null = null;
    if (!readsAllTpp(ctx.caller)) {
      if (!hasRole(ctx.caller, 'officer') || !ctx.caller.nip) throw new DomainError(ErrorCode.FORBIDDEN, 'Only HR, administrators and officers read TPP appeals.');
      officerId = ctx.caller.nip;
    }
    return (await ctx.tpp.appeals({ agencyId: agencyId ?? null, month: month ?? null, status: status ?? null, officerId }, first)).map(toAppeal);
  }

  @Mutation(() => TppAppeal, { description: 'An officer appeals their own TPP figures of a month, with a reason.' })
  @Directive('@requiresScopes(scopes: [["role:officer"]])')
  async fileTppAppeal(
    @Arg('agencyId', () => ID) agencyId: string,
    @Arg('month', () => String) month: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: RatingsContext,
  ): Promise<TppAppeal> {
    const { sub, officerId } = assertOwnOfficer(ctx.caller, agencyId);
    return toAppeal(await ctx.tpp.fileAppeal({ agencyId, month, officerId, reason, actor: sub, now: ctx.now }));
  }

  @Mutation(() => TppAppeal, { description: 'HR decides an appeal; who and when are recorded.' })
  @Directive('@requiresScopes(scopes: [["role:hr"]])')
  async resolveTppAppeal(
    @Arg('id', () => ID) id: string,
    @Arg('outcome', () => AppealOutcome) outcome: 'UPHELD' | 'REJECTED',
    @Arg('note', () => String) note: string,
    @Ctx() ctx: RatingsContext,
  ): Promise<TppAppeal> {
    const actor = assertHr(ctx.caller);
    return toAppeal(await ctx.tpp.resolveAppeal({ id, outcome, note, actor, now: ctx.now }));
  }
}
