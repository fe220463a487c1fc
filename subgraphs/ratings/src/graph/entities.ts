import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Entities other subgraphs own, referenced here by key only: `directory` owns the names of
 * agencies, services and officers; `population` owns the citizen (`Query.me`). This subgraph adds
 * ratings, satisfaction and tickets to them.
 */
@ObjectType({ description: 'A regional government agency (OPD).' })
@Directive('@key(fields: "id")')
export class Agency {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: 'A public service an agency offers.' })
@Directive('@key(fields: "id")')
export class Service {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: 'A civil servant who serves citizens; id is the NIP.' })
@Directive('@key(fields: "id")')
export class Officer {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: 'A citizen; id is the subject of their sign-in.' })
@Directive('@key(fields: "id")')
export class Citizen {
  @Field(() => ID)
  id!: string;
}
