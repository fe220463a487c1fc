import { Arg, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, mustExist } from '@gerbang/common';
import { Agency, Officer, Service } from './types';
import type { DirectoryContext } from './context';

const MAX_FIRST = 50;

@Resolver(() => Agency)
export class AgencyResolver {
  @Query(() => [Agency], { description: 'Agencies by name, abbreviation, a part of either, or a misspelling; best match first.' })
  @Directive('@listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)')
  async agencies(@Ctx() ctx: DirectoryContext, @Arg('search', () => String, { nullable: true }) search?: string | null, @Arg('first', () => Int, { defaultValue: 10 }) first = 10): Promise<Agency[]> {
    if (first < 1 || first > MAX_FIRST) throw badInput(`first must be between 1 and ${MAX_FIRST}.`, 'first');
    if (search && search.length > 100) throw badInput('search is limited to 100 characters.', 'search');
    const hits = await ctx.directory.search(search ?? '', first);
    for (const h of hits) ctx.loaders.agency.prime(h.id, h);
    return hits;
  }

  @Query(() => Agency, { nullable: true, description: 'One agency by id; an unknown id is null with a NOT_FOUND error.' })
  async agency(@Ctx() ctx: DirectoryContext, @Arg('id', () => ID) id: string): Promise<Agency> {
    return mustExist(await ctx.loaders.agency.load(id), 'Agency', 'id');
  }

  @FieldResolver(() => [Service])
  services(@Root() agency: Agency, @Ctx() ctx: DirectoryContext): Promise<Service[]> {
    return ctx.loaders.servicesOfAgency.load(agency.id);
  }

  @FieldResolver(() => [Officer])
  officers(@Root() agency: Agency, @Ctx() ctx: DirectoryContext): Promise<Officer[]> {
    return ctx.loaders.officersOfAgency.load(agency.id);
  }
}

@Resolver(() => Service)
export class ServiceResolver {
  @Query(() => Service, { nullable: true, description: 'One service by id; an unknown id is null with a NOT_FOUND error.' })
  async service(@Ctx() ctx: DirectoryContext, @Arg('id', () => ID) id: string): Promise<Service> {
    return mustExist(await ctx.loaders.service.load(id), 'Service', 'id');
  }

  @FieldResolver(() => Agency)
  async agency(@Root() service: Service, @Ctx() ctx: DirectoryContext): Promise<Agency> {
    return (await ctx.loaders.agency.load(service.agencyId))!;
  }
}

@Resolver(() => Officer)
export class OfficerResolver {
  @Query(() => Officer, { nullable: true, description: 'One officer by id (NIP); an unknown id is null with a NOT_FOUND error.' })
  async officer(@Ctx() ctx: DirectoryContext, @Arg('id', () => ID) id: string): Promise<Officer> {
    return mustExist(await ctx.loaders.officer.load(id), 'Officer', 'id');
  }

  @FieldResolver(() => Agency)
  async agency(@Root() officer: Officer, @Ctx() ctx: DirectoryContext): Promise<Agency> {
    return (await ctx.loaders.agency.load(officer.agencyId))!;
  }
}
