import 'reflect-metadata';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
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
 * view of the ticket.
 */
export const ticketReference = { __resolveReference: (ref: { id: unknown }): { id: string } => ({ id: referenceId(ref) }) };

/*
 * Entity stubs a subgraph adds fields to (Ticket, AgencyInsight) are made by a factory, one fresh
 * class per subgraph, never shared as one class: type-graphql keeps field resolvers per class in one
 * process-wide store, so a shared class would carry every subgraph's fields into every schema built
 * in the same process (the compose script, and a test worker, build them all).
 */

/**
 * An entity another subgraph owns, as this subgraph references or extends it: `@key(fields: "id")`
 * and the id only (Ticket, Agency, Service, …). Call once per subgraph and entity.
 */
export function keyedEntity(name: string, description?: string) {
  @ObjectType(name, description === undefined ? {} : { description })
  @Directive('@key(fields: "id")')
  class Entity {
    @Field(() => ID)
    id!: string;
  }
  return Entity;
}

/** The ledger's Ticket as an agency subgraph extends it: its key only. Call once per subgraph. */
export const ticketEntity = () => keyedEntity('Ticket');

/** The directive on every field an agency subgraph adds to `AgencyInsight`: analysts and admins only. */
export const ANALYST_ONLY = '@requiresScopes(scopes: [["role:analyst"], ["role:admin"]])';

/**
 * The insights subgraph's `AgencyInsight` (keyed by the question's canonical text) as an agency
 * subgraph extends it with its measure's field, and its reference resolver. Call once per subgraph.
 */
export function agencyInsightEntity() {
  @ObjectType('AgencyInsight')
  @Directive('@key(fields: "question")')
  class AgencyInsight {
    @Field(() => String)
    question!: string;
  }
  const reference = { __resolveReference: (ref: { question: unknown }): AgencyInsight => Object.assign(new AgencyInsight(), { question: String(ref.question) }) };
  return { AgencyInsight, reference };
}

/**
 * The GraphQL type of an agency measure's answer (common's `AgencyAnswer`, from `agencyAnswerOf`):
 * its rows, the number of suppressed cells, and k, described by what a cell counts.
 */
export function agencyAnswerType<Row extends object>(name: string, row: new () => Row, description: string, minimumCellSize: string) {
  @ObjectType(name, { description })
  class AgencyAnswerType {
    @Field(() => [row])
    rows!: Row[];
    @Field(() => Int)
    suppressedCells!: number;
    @Field(() => Int, { description: minimumCellSize })
    minimumCellSize!: number;
  }
  return AgencyAnswerType;
}
