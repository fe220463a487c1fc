import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse, type GraphQLSchema } from 'graphql';
import { createLogger, createSubgraphHttpServer, verifierFromSecret, type Caller, type RunningServer } from '@gerbang/common';
import { TEST_INTERNAL_SECRET } from '@gerbang/testing';
import { createGateway, Identity, loadDevIdp, MemoryAccessLog, type DevIdp, type GatewayOptions } from '../../src';

/**
 * In-process fixtures in the manner of Apollo federation's own gateway tests: small subgraphs
 * built with buildSubgraphSchema and served (signed, like the real ones) on port 0, composed in
 * memory, and the real gateway in front of them. No database, no network beyond loopback.
 */
const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@authenticated", "@requiresScopes", "@policy", "@cost", "@listSize"])';

export interface FixtureSubgraph {
  name: string;
  url: string;
  schema: GraphQLSchema;
  /** GraphQL calls that reached this subgraph (signed and accepted). */
  calls: { query: string; caller: Caller; traceparent?: string }[];
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** `schema`: a last touch to the built schema (e.g. common's publicCacheHints). */
export async function startSubgraph(name: string, typeDefs: string, resolvers: GraphQLResolverMap<any>, options: { schema?: (s: GraphQLSchema) => GraphQLSchema } = {}): Promise<FixtureSubgraph> {
  const built = buildSubgraphSchema([{ typeDefs: parse(`${FEDERATION}\n${typeDefs}`), resolvers }]);
  const schema = options.schema ? options.schema(built) : built;
  const calls: FixtureSubgraph['calls'] = [];
  const app = await createSubgraphHttpServer<{ caller: Caller }>({
    name,
    schema,
    logger: createLogger(name, 'silent'),
    verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
    context: ({ caller }) => ({ caller }),
    plugins: [
      {
        async requestDidStart(rc) {
          calls.push({ query: rc.request.query ?? '', caller: rc.contextValue.caller, traceparent: rc.request.http?.headers.get('traceparent') ?? undefined });
        },
      },
    ],
  });
  let running: RunningServer = await app.listen(0);
  const port = Number(new URL(running.url).port);
  return {
    name,
    url: `${running.url}/graphql`,
    schema,
    calls,
    async stop() {
      await running.close();
    },
    async start() {
      running = await (
        await createSubgraphHttpServer({ name, schema, logger: createLogger(name, 'silent'), verifier: verifierFromSecret(TEST_INTERNAL_SECRET), context: ({ caller }) => ({ caller }) })
      ).listen(port);
    },
  };
}

export function compose(subgraphs: { name: string; url: string; schema: GraphQLSchema }[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(printSubgraphSchema(s.schema)) })));
  if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.supergraphSdl!;
}

export interface TestGateway {
  url: string;
  idp: DevIdp;
  accessLog: MemoryAccessLog;
  app: Awaited<ReturnType<typeof createGateway>>;
  post(body: unknown, options?: { login?: string; token?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
  gql(
    query: string,
    options?: { variables?: Record<string, unknown>; login?: string; token?: string; headers?: Record<string, string>; operationName?: string },
  ): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

export async function startGateway(subgraphs: FixtureSubgraph[] | { sdl: string }, overrides: Partial<GatewayOptions> = {}): Promise<TestGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gerbang-gw-'));
  const issuer = 'https://idp.gerbang.invalid/test';
  const idp = await loadDevIdp({ dataDir, issuer, audience: 'gerbang' });
  const accessLog = new MemoryAccessLog();
  const app = await createGateway({
    logger: createLogger('gateway', process.env.TEST_LOG_LEVEL ?? 'silent'),
    identity: Identity.fromJwks(idp.jwks(), { issuer, audience: 'gerbang' }),
    supergraph: { sdl: 'sdl' in subgraphs ? subgraphs.sdl : compose(subgraphs) },
    internalSecret: TEST_INTERNAL_SECRET,
    subgraphTimeoutMs: 2_000,
    accessLog,
    rateLimit: false,
    ...overrides,
  });
  const running = await app.listen(0);
  const url = `${running.url}/graphql`;
  const post: TestGateway['post'] = async (body, options = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    const token = options.token ?? (options.login ? await idp.issue(options.login) : undefined);
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep text */
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  return {
    url,
    idp,
    accessLog,
    app,
    post,
    gql: (query, options = {}) => post({ query, variables: options.variables ?? {}, ...(options.operationName ? { operationName: options.operationName } : {}) }, options),
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small graph with the shapes the edge must handle: public data, personal data, staff-only figures. */
export const PEOPLE_SDL = /* GraphQL */ `
  type Query {
    me: Citizen @policy(policies: [["owner"]])
    citizen(id: ID!): Citizen @requiresScopes(scopes: [["role:officer"], ["role:admin"]])
    residentCount: Int! @requiresScopes(scopes: [["role:analyst"], ["role:admin"]])
  }
  type Mutation {
    requestDocument(type: String!): String! @requiresScopes(scopes: [["role:citizen"]])
  }
  type Citizen @key(fields: "id") @policy(policies: [["owner"], ["role:officer"], ["role:admin"]]) {
    id: ID!
    nik: String!
    name: String!
    birthDate: String!
  }
`;

const CITIZENS: Record<string, { id: string; nik: string; name: string; birthDate: string }> = {
  'usr-warga-siti': { id: 'usr-warga-siti', nik: '3503115708900001', name: 'Siti Rahayu', birthDate: '1990-08-17' },
  'usr-warga-budi': { id: 'usr-warga-budi', nik: '3503120203850002', name: 'Budi Santoso', birthDate: '1985-03-02' },
};

export const peopleResolvers: GraphQLResolverMap<{ caller: Caller }> = {
  Query: {
    me: (_: unknown, __: unknown, ctx: { caller: Caller }) => (ctx.caller.sub ? (CITIZENS[ctx.caller.sub] ?? null) : null),
    citizen: (_: unknown, args: { id: string }) => CITIZENS[args.id] ?? null,
    residentCount: () => 2,
  },
  Mutation: { requestDocument: (_: unknown, args: { type: string }) => `filed ${args.type}` },
  Citizen: { __resolveReference: (ref: { id: string }) => CITIZENS[ref.id] ?? null },
};

export const PLACES_SDL = /* GraphQL */ `
  type Query {
    agencies(first: Int = 10, search: String): [Agency!]! @listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)
    agency(id: ID!): Agency
  }
  type Agency @key(fields: "id") {
    id: ID!
    name: String!
    abbreviation: String!
    services: [Service!]!
  }
  type Service @key(fields: "id") {
    id: ID!
    name: String!
    agency: Agency!
  }
`;

const AGENCY = { id: 'dispendukcapil', name: 'Dinas Kependudukan dan Pencatatan Sipil', abbreviation: 'Dispendukcapil' };
const SERVICE = { id: 'dispendukcapil.ktp-el', name: 'KTP-el' };

export const placesResolvers = (options: { delayMs?: number } = {}): GraphQLResolverMap<unknown> => ({
  Query: {
    agencies: async (_: unknown, args: { first: number }) => {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      return [AGENCY].slice(0, args.first);
    },
    agency: (_: unknown, args: { id: string }) => (args.id === AGENCY.id ? AGENCY : null),
  },
  Agency: { services: () => [SERVICE], __resolveReference: () => AGENCY },
  Service: { agency: () => AGENCY, __resolveReference: () => SERVICE },
});

export const TPP_SDL = /* GraphQL */ `
  type Query {
    tppReport(agencyId: ID!, month: String!): TppReport @requiresScopes(scopes: [["role:hr"], ["role:admin"]])
    myTpp(month: String!): TppRow @policy(policies: [["owner"]])
  }
  type TppReport {
    month: String!
    rows: [TppRow!]!
  }
  type TppRow {
    officerId: ID!
    payout: Int!
  }
`;

export const tppResolvers: GraphQLResolverMap<{ caller: Caller }> = {
  Query: {
    tppReport: (_: unknown, args: { month: string }) => ({
      month: args.month,
      rows: [
        { officerId: '198703152010011002', payout: 2_500_000 },
        { officerId: '198406252008011004', payout: 3_000_000 },
      ],
    }),
    // Ownership in the subgraph: an officer's own row only.
    myTpp: (_: unknown, __: unknown, ctx: { caller: Caller }) => (ctx.caller.nip ? { officerId: ctx.caller.nip, payout: 2_500_000 } : null),
  },
};

/** Deeply nested selection over Agency.services → Service.agency → …, `levels` fields deep. */
export function deepQuery(levels: number): string {
  // Depth 1 is `agencies`, even depths `services` (of an Agency), odd ones `agency` (of a Service).
  let inner = 'id';
  for (let d = levels - 1; d >= 2; d--) inner = `${d % 2 === 0 ? 'services' : 'agency'} { ${inner} }`;
  return `{ agencies(first: 1) { ${inner} } }`;
}

export function aliasQuery(count: number): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: agency(id: "dispendukcapil") { id }`).join(' ')} }`;
}

/** The two fixture subgraphs (places, people) and a gateway in front of them; `close` stops all three. */
export async function startPlacesAndPeople(options: { places?: Parameters<typeof placesResolvers>[0]; gateway?: Partial<GatewayOptions> } = {}) {
  const places = await startSubgraph('places', PLACES_SDL, placesResolvers(options.places));
  const people = await startSubgraph('people', PEOPLE_SDL, peopleResolvers);
  const gw = await startGateway([places, people], options.gateway);
  return {
    places,
    people,
    gw,
    async close() {
      await gw.close();
      await places.stop();
      await people.stop().catch(() => undefined);
    },
  };
}
