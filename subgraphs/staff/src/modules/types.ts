import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Who may read the HR fields (the gateway enforces it from the supergraph; so does this subgraph). */
export const STAFF_ROLES = ['officer', 'hr', 'admin'] as const;
export const HR_FIELD_ACCESS = '@access(roles: ["officer", "hr", "admin"])';
/** The TPP base: HR, or the officer themself (ownership is checked here, the gateway cannot). */
export const TPP_ACCESS = '@access(roles: ["hr"], owner: true)';
export const STAFF_LIST_ACCESS = '@access(roles: ["hr", "admin"])';

/**
 * The directory owns Officer (name, position, agency); this subgraph adds what BKPSDM's staff
 * register knows. Every HR field is nullable: when the register is down they are null with an
 * UPSTREAM_UNAVAILABLE error, and the rest of the officer still resolves.
 */
@ObjectType({ description: 'A civil servant who serves citizens.' })
@Directive('@key(fields: "id")')
export class Officer {
  @Field(() => ID, { description: "The officer's NIP (18 digits)." })
  id!: string;
}
