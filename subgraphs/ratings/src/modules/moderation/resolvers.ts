import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput, mustExist } from '@gerbang/common';
import type { RatingsContext } from '../../context';
import type { FlagStatus as FlagStatusValue } from '../../rows';
import { Agency, Officer, Service } from '../../graph/entities';
import { DomainError, ErrorCode } from '../../lib/domain-error';
import { assertAdmin } from './access';
import type { FlagDecision as FlagDecisionValue, FlagRecord } from './moderation.service';
import { FlagDecision, FlagStatus, ModerationLogEntry, RatingFlag, ReviewedRating } from './types';

const MAX_PAGE = 200;
const page = (first: number) => {
  if (first < 1 || first > MAX_PAGE) throw badInput(`first must be between 1 and ${MAX_PAGE}.`, 'first');
  return first;
};

const toGraph = (f: FlagRecord): RatingFlag => Object.assign(new RatingFlag(), { ...f, details: JSON.stringify(f.details) });

@Resolver(() => RatingFlag)
export class ModerationResolver {
  @Query(() => [RatingFlag], { description: 'Administrators: flagged ratings, newest first (status null = all).' })
  @Directive('@requiresScopes(scopes: [["role:admin"]])')
  @Directive('@listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)')
  async ratingFlags(
    @Ctx() ctx: RatingsContext,
    @Arg('status', () => FlagStatus, { nullable: true, defaultValue: 'OPEN' }) status: FlagStatusValue | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
  ): Promise<RatingFlag[]> {
    assertAdmin(ctx.caller);
    return (await ctx.moderation.listFlags({ status }, page(first))).map(toGraph);
  }

  @Query(() => ReviewedRating, { nullable: true, description: 'Administrators: one rating, content only; an unknown id is null with a NOT_FOUND error.' })
  @Directive('@requiresScopes(scopes: [["role:admin"]])')
  async ratingForReview(@Arg('id', () => ID) id: string, @Ctx() ctx: RatingsContext): Promise<ReviewedRating> {
    assertAdmin(ctx.caller);
    return mustExist(await ctx.moderation.ratingForReview(id), 'Rating', 'id');
  }

  @Query(() => [ModerationLogEntry], { description: 'Administrators: the append-only log of moderation decisions, newest first.' })
  @Directive('@requiresScopes(scopes: [["role:admin"]])')
  @Directive('@listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)')
  async moderationLog(
    @Ctx() ctx: RatingsContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('ratingId', () => ID, { nullable: true }) ratingId?: string | null,
  ): Promise<ModerationLogEntry[]> {
    assertAdmin(ctx.caller);
    return (await ctx.moderation.logEntries(page(first), ratingId)).map((entry) => Object.assign(new ModerationLogEntry(), entry));
  }

  @Mutation(() => RatingFlag, { description: 'Administrators: decide a flag. ACCEPT lets the rating count; REJECT keeps it out of every figure.' })
  @Directive('@requiresScopes(scopes: [["role:admin"]])')
  async reviewRatingFlag(
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => FlagDecision) decision: FlagDecisionValue,
    @Arg('note', () => String) note: string,
    @Ctx() ctx: RatingsContext,
  ): Promise<RatingFlag> {
    const actor = assertAdmin(ctx.caller);
    return toGraph(await ctx.moderation.reviewFlag({ flagId: id, decision, note, actor, now: ctx.now }));
  }

  @Mutation(() => ReviewedRating, { description: 'Administrators: hide an abusive comment; the rating itself stays and counts.' })
  @Directive('@requiresScopes(scopes: [["role:admin"]])')
  async hideRatingComment(@Arg('ratingId', () => ID) ratingId: string, @Arg('reason', () => String) reason: string, @Ctx() ctx: RatingsContext): Promise<ReviewedRating> {
    const actor = assertAdmin(ctx.caller);
    await ctx.moderation.hideComment({ ratingId, reason, actor, now: ctx.now });
    const rating = await ctx.moderation.ratingForReview(ratingId);
    if (!rating) throw new DomainError(ErrorCode.NOT_FOUND, 'Rating not found.');
    return rating;
  }
}

@Resolver(() => ReviewedRating)
export class ReviewedRatingResolver {
  @FieldResolver(() => Agency)
  agency(@Root() r: ReviewedRating): Agency {
    return Object.assign(new Agency(), { id: r.agencyId });
  }

  @FieldResolver(() => Service)
  service(@Root() r: ReviewedRating): Service {
    return Object.assign(new Service(), { id: r.serviceId });
  }

  @FieldResolver(() => Officer, { nullable: true })
  officer(@Root() r: ReviewedRating): Officer | null {
    return r.officerId ? Object.assign(new Officer(), { id: r.officerId }) : null;
  }
}
