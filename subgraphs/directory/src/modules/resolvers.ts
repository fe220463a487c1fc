import { Arg, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, mustExist } from '@gerbang/common';
import { Agency, Officer, Service } from './types';
import type { AgencyRow, OfficerRow, ServiceRow } from '../entities';
import type { DirectoryContext } from './context';

const MAX_FIRST = 50;

// The graph's objects, made from the directory's rows.
const agencyOf = (row: AgencyRow): Agency => Object.assign(new Agency(), row);
const serviceOf = (row: ServiceRow): Service => Object.assign(new Service(), row);
const officerOf = (row: OfficerRow): Officer => Object.assign(new Officer(), row);

@Resolver(() => Agency)
export class AgencyResolver {
  @Query(() => [Agency], { description: 'Agencies by name, abbreviation, a part of either, or a misspelling; best match first.' })
  @Directive('@listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)')
  async agencies(@Ctx() ctx: DirectoryContext, @Arg('search', () => String, { nullable: true }) search?: string | null, @Arg('first', () => Int, { defaultValue: 10 }) first = 10): Promise<Agency[]> {
    if (first < 1 || first > MAX_FIRST) throw badInput(`first must be between 1 and ${MAX_FIRST}.`, 'first');
    if (search && search.length > 100) throw badInput('search is limited to 100 characters.', 'search');
    const hits = await ctx.directory.search(search ?? '', first);
    for (const h of hits) ctx.loaders.agency.prime(h.id, h);
    return hits.map(agencyOf);
  }

  @Query(() => Agency, { nullable: true, description: 'One agency by id; an unknown id is null with a NOT_FOUND error.' })
  async agency(@Ctx() ctx: DirectoryContext, @Arg('id', () => ID) id: string): Promise<Agency> {
    return agencyOf(mustExist(await ctx.loaders.agency.load(id), 'Agency', 'id'));
  }

  @FieldResolver(() => [Service])
  async services(@Root() agency: Agency, @Ctx() ctx: DirectoryContext): Promise<Service[]> {
    return (await ctx.loaders.servicesOfAgency.load(agency.id)).map(serviceOf);
  }

  @FieldResolver(() => [Officer])
  async officers(@Root() agency: Agency, @Ctx() ctx: DirectoryContext): Promise<Officer[]> {
    return (await ctx.loaders.officersOfAgency.load(agency.id)).map(officerOf);
  }
}

@Resolver(() => Service)
export class ServiceResolver {
  @Query(() => Service, { nullable: true, description: 'One service by id; an unknown id is null with a NOT_FOUND error.' })
  async service(@Ctx() ctx: DirectoryContext, @Arg('id', () => ID) id: string): Promise<Service> {
    return serviceOf(mustExist(await ctx.loaders.service.load(id), 'Service', 'id'));
  }

  @FieldResolver(() => Agency)
  async agency(@Root() service: Service, @Ctx() ctx: DirectoryContext): Promise<Agency> {
    return agencyOf((await ctx.loaders.agency.load(service.agencyId))!);
  }
}

@Resolver(() => Officer)
export class OfficerResolver {
  @Query(() => Officer, { nullable: true, description: 'One officer by id (NIP); an unknown id is null with a NOT_FOUND error.' })
  async officer(@Ctx() ctx: DirectoryContext, @Arg('id', () => ID) id: string): Promise<Officer> {
    return officerOf(mustExist(await ctx.loaders.officer.load(id), 'Officer', 'id'));
  }

  @FieldResolver(() => Agency)
  async agency(@Root() officer: Officer, @Ctx() ctx: DirectoryContext): Promise<Agency> {
    return agencyOf((await ctx.loaders.agency.load(officer.agencyId))!);
  }
}
