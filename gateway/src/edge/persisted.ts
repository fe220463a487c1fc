import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kind, parse, print } from 'graphql';
import { z } from 'zod';
import { ErrorCode, type Caller } from '@gerbang/common';
import type { Analysis } from './analysis';
import { operationId, typenameFreeId } from './analysis';
import { EdgeRefusal } from './refusal';

/**
 * Persisted operations. The clients' contract operations (gateway/operations/*.graphql) form a
 * safelist manifest in Apollo's persisted-query-manifest format; an operation's id is the
 * sha256 of its normalised text (graphql's `print`), so it is stable across whitespace and
 * comments and doubles as its APQ hash. Sent by text, an operation matches with or without the
 * `__typename` fields standard clients' caches add (analysis.ts, withoutTypename).
 */
export interface ManifestOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

export interface Manifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: ManifestOperation[];
}

/** The manifest file as read from disk (operations may carry more fields; they are kept). */
const ManifestFile = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(z.looseObject({ id: z.string(), name: z.string(), type: z.enum(['query', 'mutation', 'subscription']), body: z.string() })),
});

export const DEFAULT_MANIFEST_PATH = new URL('../../operations/manifest.json', import.meta.url);

/** Builds the manifest from operation documents (one or more operations each, with their fragments). */
export function buildManifest(sources: string[]): Manifest {
  const operations: ManifestOperation[] = [];
  for (const source of sources) {
    const doc = parse(source, { noLocation: true });
    const fragments = doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    for (const def of doc.definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION) continue;
      if (!def.name) throw new Error('every persisted operation needs a name');
      const body = print({ kind: Kind.DOCUMENT, definitions: [def, ...fragments] });
      operations.push({ id: operationId(body), name: def.name.value, type: def.operation, body });
    }
  }
  const names = new Set<string>();
  for (const op of operations) {
    if (names.has(op.name)) throw new Error(`operation name ${op.name} appears twice`);
    names.add(op.name);
  }
  operations.sort((a, b) => a.name.localeCompare(b.name));
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

export class Safelist {
  private readonly byId: Map<string, ManifestOperation>;
  private readonly typenameFree: Set<string>;
  constructor(readonly manifest: Manifest) {
    this.byId = new Map(manifest.operations.map((o) => [o.id, o]));
    this.typenameFree = new Set(manifest.operations.map((o) => typenameFreeId(parse(o.body, { noLocation: true }), o.id, o.body)));
  }

  static fromFile(path: string | URL = DEFAULT_MANIFEST_PATH): Safelist {
    const file = ManifestFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!file.success) throw new Error(`not an apollo-persisted-query-manifest v1: ${z.prettifyError(file.error)}`);
    return new Safelist(file.data);
  }

  get(id: string): ManifestOperation | undefined {
    return this.byId.get(id);
  }

  /** Names of the safelisted operations (bounded: used as a metrics label). */
  names(): Set<string> {
    return new Set(this.manifest.operations.map((o) => o.name));
  }

  /** Whether this text is a safelisted operation (whatever its whitespace, comments and unaliased `__typename` fields). */
  contains(analysis: Analysis): boolean {
    if (analysis.normalizedId === undefined) return false;
    return this.byId.has(analysis.normalizedId) || (analysis.typenameFreeId !== undefined && this.typenameFree.has(analysis.typenameFreeId));
  }
}

export interface PersistedPolicyOptions {
  /** Safelist enforcement on (production, or PERSISTED_ONLY=true). */
  enforce: boolean;
  /** Clients (apollographql-client-name) that may send only safelisted operations. */
  safelistClients: string[];
  /** Roles that may send ad-hoc operations from any other client (analysts, admins). */
  adhocRoles: string[];
}

/**
 * Who may send what, when enforcement is on:
 * - the portal and mobile clients: only safelisted operations, whoever signs in;
 * - any other client: ad-hoc operations only for callers with an ad-hoc role (analysts, admins),
 *   so that dropping the client-name header is no way around the safelist.
 * Ad-hoc operations still pass the role's query budget.
 */
export class PersistedPolicy {
  private readonly clients: Set<string>;
  private readonly adhoc: Set<string>;
  constructor(
    private readonly safelist: Safelist,
    private readonly options: PersistedPolicyOptions,
  ) {
    this.clients = new Set(options.safelistClients);
    this.adhoc = new Set(options.adhocRoles);
  }

  get enforced(): boolean {
    return this.options.enforce;
  }

  check(analysis: Analysis, caller: Caller, clientName: string | undefined): void {
    if (!this.options.enforce || this.safelist.contains(analysis)) return;
    const restrictedClient = clientName !== undefined && this.clients.has(clientName);
    if (!restrictedClient && caller.roles.some((r) => this.adhoc.has(r))) return;
    throw new EdgeRefusal(400, ErrorCode.PERSISTED_QUERY_REQUIRED, 'Only registered operations are accepted from this client. Update the app.', {
      ...(clientName ? { clientName } : {}),
    });
  }
}

/**
 * An APQ registration (`extensions.persistedQuery` with the text) must carry the SHA-256 of that
 * very text, in version 1 of the protocol. Apollo Server checks the same, but answers with an
 * error that has no code ("provided sha does not match query", "Unsupported persisted query
 * version"), which the gateway can only mask as an internal error and log as one. The edge
 * answers the client's mistake itself, with a code, before anything runs. `sha256Hash` is
 * compared exactly as Apollo Server compares it (lower-case hex of the raw text), so nothing
 * Apollo Server would accept is refused here.
 */
export function checkPersistedQuery(op: { query?: unknown; extensions?: unknown }): void {
  const pq = (op.extensions as { persistedQuery?: unknown } | undefined)?.persistedQuery;
  if (pq === undefined || pq === null) return;
  const { version, sha256Hash } = pq as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1) {
    throw new EdgeRefusal(400, 'BAD_REQUEST', 'Unsupported persisted-query version: send extensions.persistedQuery.version 1.', {
      version: typeof version === 'number' ? version : String(version).slice(0, 20),
    });
  }
  if (typeof op.query !== 'string') return;
  if (typeof sha256Hash !== 'string' || createHash('sha256').update(op.query).digest('hex') !== sha256Hash) {
    throw new EdgeRefusal(400, ErrorCode.PERSISTED_QUERY_HASH_MISMATCH, 'The persisted-query hash is not the SHA-256 of the query text sent with it.');
  }
}
