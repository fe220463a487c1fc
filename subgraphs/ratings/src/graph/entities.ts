import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { keyedEntity } from '@gerbang/common/graph-types';

/**
 * Entities other subgraphs own, referenced here by key only: `directory` owns the names of
 * agencies, services and officers; `population` owns the citizen (`Query.me`). This subgraph adds
 * ratings, satisfaction and tickets to them.
 */
export const Agency = keyedEntity('Agency', 'A regional government agency (OPD).');
export type Agency = InstanceType<typeof Agency>;

export const Service = keyedEntity('Service', 'A public service an agency offers.');
export type Service = InstanceType<typeof Service>;

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
