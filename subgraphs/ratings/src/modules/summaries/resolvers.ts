import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { badInput } from '@gerbang/common';
import type { RatingsContext } from '../../context';
import { Agency, Officer, Service } from '../../graph/entities';
import { ratio, toDecimal } from '../../lib/exact';
import { satisfactionFigures } from './ikm';
import type { StarTally } from './summary.service';
import { RatingSummary, Satisfaction, StarCount } from './types';

function ratingSummary(t: StarTally): RatingSummary {
  return Object.assign(new RatingSummary(), {
    average: t.count ? toDecimal(ratio(t.sum, t.count), 2) : null,
    count: t.count,
    distribution: t.perStar.map((count, i) => Object.assign(new StarCount(), { stars: i + 1, count })),
  });
}

@Resolver(() => Agency)
export class AgencyRatingsResolver {
  @FieldResolver(() => RatingSummary, { description: "Star ratings of all the agency's services." })
  async rating(@Root() agency: Agency, @Ctx() ctx: RatingsContext): Promise<RatingSummary> {
    return ratingSummary(await ctx.loaders.agencyTally.load(agency.id));
  }

  @FieldResolver(() => Satisfaction, { description: 'Citizen satisfaction index for a year, or one month of it (Asia/Jakarta, by completion date).' })
  async satisfaction(
    @Root() agency: Agency,
    @Ctx() ctx: RatingsContext,
    @Arg('year', () => Int) year: number,
    @Arg('month', () => Int, { nullable: true }) month?: number | null,
  ): Promise<Satisfaction> {
    if (year < 2000 || year > 2100) throw badInput('year must be between 2000 and 2100.', 'year');
    if (month !== undefined && month !== null && (month < 1 || month > 12)) throw badInput('month must be between 1 and 12.', 'month');
    const totals = await ctx.loaders.satisfaction.load({ agencyId: agency.id, year, month: month ?? null });
    return Object.assign(new Satisfaction(), satisfactionFigures({ year, month: month ?? null, ...totals }));
  }
}

@Resolver(() => Service)
export class ServiceRatingsResolver {
  @FieldResolver(() => RatingSummary)
  async rating(@Root() service: Service, @Ctx() ctx: RatingsContext): Promise<RatingSummary> {
    return ratingSummary(await ctx.loaders.serviceTally.load(service.id));
  }
}

@Resolver(() => Officer)
export class OfficerRatingsResolver {
  @FieldResolver(() => RatingSummary)
  async rating(@Root() officer: Officer, @Ctx() ctx: RatingsContext): Promise<RatingSummary> {
    return ratingSummary(await ctx.loaders.officerTally.load(officer.id));
  }
}
