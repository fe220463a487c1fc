import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Who may read the HR fields (the gateway enforces it from the supergraph; so does StaffService). */
export const HR_FIELD_ACCESS = '@requiresScopes(scopes: [["role:officer"], ["role:hr"], ["role:admin"]])';
/**
 * The TPP base: HR, the hub administrator (who reads every TPP report, bases included: see the
 * ratings subgraph's tpp/access.ts), or the officer themself (ownership is checked here, the
 * gateway cannot).
 */
export const TPP_ACCESS = '@policy(policies: [["owner"], ["role:hr"], ["role:admin"]])';
export const STAFF_LIST_ACCESS = '@requiresScopes(scopes: [["role:hr"], ["role:admin"]])';

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
