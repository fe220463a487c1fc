import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { printSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { parse, stripIgnoredCharacters } from 'graphql';
import { Directive, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, buildFederatedSchema, createLogger, createSubgraphHttpServer, type RequestVerifier } from '../src';
import { buildProductsSchema } from './compat/products';

@ObjectType()
class Plain {
  @Field(() => ID, { description: 'Prose is not a directive: @tag(name: "x"), @extends.' }) id!: string;
}

@Resolver()
class PlainResolver {
  @Query(() => Plain)
  plain(): Plain {
    return Object.assign(new Plain(), { id: '1' });
  }
}

@Resolver()
class SizedResolver {
  @Directive('@listSize(assumedSize: 5)')
  @Query(() => [Plain])
  plains(): Plain[] {
    return [];
  }
}

describe('buildFederatedSchema (the federation helper)', () => {
  it('links federation v2.7, and v2.9 only when the schema applies @cost or @listSize (which need it)', async () => {
    const plain = stripIgnoredCharacters(printSubgraphSchema(await buildFederatedSchema({ resolvers: [PlainResolver] })));
    expect(plain).toContain('@link(url:"https://specs.apollo.dev/federation/v2.7"');
    const sized = stripIgnoredCharacters(printSubgraphSchema(await buildFederatedSchema({ resolvers: [SizedResolver] })));
    expect(sized).toContain('@link(url:"https://specs.apollo.dev/federation/v2.9"');
    expect(sized).toMatch(/import:\[[^\]]*"@listSize"/);
    expect(sized).toContain('plains:[Plain!]!@listSize(assumedSize:5)');
  });

  it('imports @tag, @override and @extends unprefixed when a schema uses them, and adds a custom @link exported with @composeDirective', async () => {
    const sdl = stripIgnoredCharacters(printSubgraphSchema(await buildProductsSchema()));
    expect(sdl).toContain(
      '@link(url:"https://specs.apollo.dev/federation/v2.7" import:["@key" "@shareable" "@external" "@requires" "@provides" "@inaccessible" "@composeDirective" "@interfaceObject" "@tag" "@override" "@extends"])',
    );
    expect(sdl).toContain('notes:String@tag(name:"internal")');
    expect(sdl).toContain('name:String@override(from:"users")');
    expect(sdl).toMatch(/type User@extends@key\(fields:"email"\)/);
    expect(sdl).toMatch(/@link\(url:"https:\/\/myspecs.dev\/myCustomDirective\/v1.0" import:\["@custom"\]\)@composeDirective\(name:"@custom"\)/);
    expect(sdl).toContain('directive@custom on OBJECT');
    expect(sdl).not.toContain('federation__');
  });

  it('leaves the federation @link of a schema that applies none of them as it was (a description mentioning them does not count)', async () => {
    const sdl = stripIgnoredCharacters(printSubgraphSchema(await buildFederatedSchema({ resolvers: [PlainResolver] })));
    expect(sdl).toContain('import:["@key" "@shareable" "@external" "@requires" "@provides" "@inaccessible" "@composeDirective" "@interfaceObject"])');
    expect(sdl).not.toMatch(/import:\[[^\]]*"@tag"/);
    expect(sdl).not.toMatch(/import:\[[^\]]*"@extends"/);
    expect(sdl).not.toMatch(/import:\[[^\]]*"@(authenticated|requiresScopes|policy|cost|listSize)"/);
  });

  it('composes beside the subgraphs it references, keeping the custom directive in the supergraph', async () => {
    // The shapes of the compatibility suite's users and inventory subgraphs, as far as products needs them.
    const users = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
      type User @key(fields: "email") { email: ID! name: String totalProductsCreated: Int @shareable yearsOfEmployment: Int! }`;
    const inventory = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      interface Inventory @key(fields: "id") { id: ID! }
      type OpenSourceInventory implements Inventory @key(fields: "id") { id: ID! }
      type Query { inventory(id: ID!): Inventory }`;
    const result = composeServices([
      { name: 'products', url: 'http://products.invalid/graphql', typeDefs: parse(printSubgraphSchema(await buildProductsSchema())) },
      { name: 'users', url: 'http://users.invalid/graphql', typeDefs: parse(users) },
      { name: 'inventory', url: 'http://inventory.invalid/graphql', typeDefs: parse(inventory) },
    ]);
    expect(result.errors).toBeUndefined();
    expect(result.supergraphSdl).toMatch(/type Product\n(\s+@[^\n]*\n)*\s+@custom\n/);
    expect(result.supergraphSdl).toContain('directive @custom on OBJECT');
  });
});

describe('federated tracing on the subgraph host', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('adds an ftv1 trace only when the caller asks for one', async () => {
    const verifier = { verify: async () => ANONYMOUS, dependencyChecks: () => ({}) } as unknown as RequestVerifier;
    const { server } = await createSubgraphHttpServer({ name: 'products', schema: await buildProductsSchema(), logger: createLogger('test', 'silent'), verifier, context: () => ({}) });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    closers.push(() => new Promise((ok) => server.close(() => ok())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const ask = async (headers: Record<string, string>) =>
      (
        await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ product(id: "apollo-federation") { sku } }' }) })
      ).json() as Promise<{ data: unknown; extensions?: { ftv1?: string } }>;

    const traced = await ask({ 'apollo-federation-include-trace': 'ftv1' });
    expect(traced.data).toEqual({ product: { sku: 'federation' } });
    expect(typeof traced.extensions?.ftv1).toBe('string');
    expect(Buffer.from(traced.extensions!.ftv1!, 'base64').length).toBeGreaterThan(10);

    const plain = await ask({});
    expect(plain.data).toEqual({ product: { sku: 'federation' } });
    expect(plain.extensions?.ftv1).toBeUndefined();
  });
});
