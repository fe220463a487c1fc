/** Roles a token may carry. */
/** `publisher`: an agency's token for the schema registry, bound to one subgraph (Caller.subgraph). */
export const ROLES = ['citizen', 'officer', 'hr', 'analyst', 'admin', 'publisher'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is calling, as the gateway verified it. It reaches subgraphs only inside the gateway's
 * signed envelope (see internal-auth.ts), never from a header a client could set.
 */
export interface Caller {
  /** Subject of the verified token; absent for anonymous callers. */
  sub?: string;
  roles: Role[];
  name?: string;
  /** Citizens: their NIK. */
  nik?: string;
  /** Staff: NIP and agency id. */
  nip?: string;
  agencyId?: string;
  /** Publishers: the one subgraph their token may check and publish (the token's `subgraph` claim). */
  subgraph?: string;
  /**
   * Mutations only (data minimisation): the client's device id (the app's X-Device-Id header) and
   * network address, as the gateway saw them. The ratings subgraph keeps keyed hashes of them for
   * its anomaly rules (one device or address rating many officers); nothing else reads them.
   */
  deviceId?: string;
  ip?: string;
}

export const ANONYMOUS: Caller = Object.freeze({ roles: [] });

export const hasRole = (caller: Caller, ...roles: Role[]) => roles.some((r) => caller.roles.includes(r));
export const isAnonymous = (caller: Caller) => !caller.sub;
