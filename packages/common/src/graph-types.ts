import 'reflect-metadata';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { referenceId } from './federation';

/**
 * The federation stubs every agency subgraph writes the same way, defined once (only stubs no
 * subgraph adds fields to: see `ticketReference`). Imported from
 * `@gerbang/common/graph-types`, not the package root, so that the gateway (which imports the
 * root) never loads type-graphql.
 */

/**
 * An officer as an agency subgraph points at one: the directory owns Officer (name, position,
 * agency); this is only its key (`resolvable: false`), so the gateway fetches the rest there.
 */
@ObjectType('Officer')
@Directive('@key(fields: "id", resolvable: false)')
export class OfficerRef {
  @Field(() => ID)
  id!: string;
}

/**
 * The reference resolver of an agency subgraph's Ticket: the key is all it needs to add its live
 * view of the ticket. The Ticket class itself stays in each subgraph: type-graphql keeps field
 * resolvers per class in one process-wide store, so a shared class would carry every subgraph's
 * Ticket fields into every schema built in the same process (the compose script builds them all).
 */
export const ticketReference = { __resolveReference: (ref: { id: unknown }): { id: string } => ({ id: referenceId(ref) }) };
