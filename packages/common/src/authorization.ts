/**
 * Gerbang's authorization vocabulary, in federation's standard directives (as Apollo Router, Hive
 * Gateway and Cosmo read them):
 *
 * - `@authenticated`: any signed-in caller;
 * - `@requiresScopes(scopes: [["role:officer"], ["role:admin"]])`: a caller holding one of these
 *   roles. A role is the scope `role:<role>`; the outer list is OR, an inner list AND;
 * - `@policy(policies: [["owner"], ["role:officer"]])`: the field is about the caller themself
 *   (the `owner` policy: the caller holds an owner role, i.e. citizen, officer or hr, and the
 *   subgraph then serves only their own records), or, as the other alternatives of the same
 *   directive, a caller holding one of these roles. Separate directives AND together, so an
 *   owner-or-role rule lives in one `@policy`, whose policy `role:<role>` passes exactly when the
 *   scope `role:<role>` would.
 *
 * Any of them requires a signed-in caller. The gateway enforces them from the supergraph
 * (gateway/src/edge/access.ts); a router's coprocessor that evaluates Gerbang's policies
 * implements the same two rules.
 */
export const ROLE_SCOPE_PREFIX = 'role:';
export const OWNER_POLICY = 'owner';

/** The scope that stands for a role. */
export const roleScope = (role: string): string => `${ROLE_SCOPE_PREFIX}${role}`;
