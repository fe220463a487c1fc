/**
 * The `products` subgraph of the Apollo subgraph compatibility suite
 * (apollographql/apollo-federation-subgraph-compatibility, its products.graphql), written the way an
 * agency writes a Gerbang subgraph: type-graphql classes built with `buildFederatedSchema`
 * (packages/common/src/federation.ts). `npm run subgraph-compat` serves it and runs the suite's
 * checks; packages/common/test/federation.test.ts checks its SDL without the suite.
 */
import 'reflect-metadata';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { Arg, Directive, Field, Float, ID, Int, ObjectType, Query, Resolver, FieldResolver, Root } from 'type-graphql';
import { buildFederatedSchema } from '../../src/federation';

@ObjectType()
@Directive('@shareable')
class ProductDimension {
  @Field(() => String, { nullable: true }) size!: string | null;
  @Field(() => Float, { nullable: true }) weight!: number | null;
  @Field(() => String, { nullable: true })
  @Directive('@inaccessible')
  unit!: string | null;
}

@ObjectType()
class ProductVariation {
  @Field(() => ID) id!: string;
}

@ObjectType()
class CaseStudy {
  @Field(() => ID) caseNumber!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
}

@ObjectType()
@Directive('@key(fields: "study { caseNumber }")')
class ProductResearch {
  @Field(() => CaseStudy) study!: CaseStudy;
  @Field(() => String, { nullable: true }) outcome!: string | null;
}

@ObjectType()
@Directive('@extends')
@Directive('@key(fields: "email")')
class User {
  @Field(() => Int, { nullable: true })
  @Directive('@requires(fields: "totalProductsCreated yearsOfEmployment")')
  averageProductsCreatedPerYear!: number | null;
  @Field(() => ID)
  @Directive('@external')
  email!: string;
  @Field(() => String, { nullable: true })
  @Directive('@override(from: "users")')
  name!: string | null;
  @Field(() => Int, { nullable: true })
  @Directive('@external')
  totalProductsCreated!: number | null;
  @Field(() => Int)
  @Directive('@external')
  yearsOfEmployment!: number;
}

@ObjectType()
@Directive('@custom')
@Directive('@key(fields: "id")')
@Directive('@key(fields: "sku package")')
@Directive('@key(fields: "sku variation { id }")')
class Product {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) sku!: string | null;
  @Field(() => String, { nullable: true }) package!: string | null;
  @Field(() => ProductVariation, { nullable: true }) variation!: ProductVariation | null;
  @Field(() => ProductDimension, { nullable: true }) dimensions!: ProductDimension | null;
  @Field(() => User, { nullable: true })
  @Directive('@provides(fields: "totalProductsCreated")')
  createdBy!: User | null;
  @Field(() => String, { nullable: true })
  @Directive('@tag(name: "internal")')
  notes!: string | null;
  @Field(() => [ProductResearch]) research!: ProductResearch[];
}

@ObjectType()
@Directive('@key(fields: "sku package")')
class DeprecatedProduct {
  @Field(() => String) sku!: string;
  @Field(() => String) package!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => User, { nullable: true }) createdBy!: User | null;
}

@ObjectType()
@Directive('@key(fields: "id")')
@Directive('@interfaceObject')
class Inventory {
  @Field(() => ID) id!: string;
  @Field(() => [DeprecatedProduct]) deprecatedProducts!: DeprecatedProduct[];
}

// The suite's data.
interface ProductRow {
  id: string;
  sku: string;
  package: string;
  variation: string;
}
const PRODUCTS: ProductRow[] = [
  { id: 'apollo-federation', sku: 'federation', package: '@apollo/federation', variation: 'OSS' },
  { id: 'apollo-studio', sku: 'studio', package: '', variation: 'platform' },
];
const DEPRECATED_PRODUCT = { sku: 'apollo-federation-v1', package: '@apollo/federation-v1', reason: 'Migrate to Federation V2' };
const RESEARCH = [
  { study: { caseNumber: '1234', description: 'Federation Study' }, outcome: null },
  { study: { caseNumber: '1235', description: 'Studio Study' }, outcome: null },
];
const USER = { email: 'support@apollographql.com', name: 'Jane Smith', totalProductsCreated: 1337 };
const INVENTORY = { id: 'apollo-oss', deprecatedProducts: [DEPRECATED_PRODUCT] };

@Resolver(() => Product)
class ProductResolver {
  @Query(() => Product, { nullable: true })
  product(@Arg('id', () => ID) id: string): ProductRow | undefined {
    return PRODUCTS.find((p) => p.id === id);
  }

  @Query(() => DeprecatedProduct, { nullable: true, deprecationReason: 'Use product query instead' })
  deprecatedProduct(@Arg('sku', () => String) sku: string, @Arg('package', () => String) pkg: string) {
    return sku === DEPRECATED_PRODUCT.sku && pkg === DEPRECATED_PRODUCT.package ? DEPRECATED_PRODUCT : null;
  }

  @FieldResolver(() => ProductVariation, { nullable: true })
  variation(@Root() product: Partial<ProductRow> & { variation?: string | { id: string } }) {
    if (typeof product.variation === 'object') return product.variation;
    return { id: product.variation ?? PRODUCTS.find((p) => p.id === product.id)?.variation };
  }

  @FieldResolver(() => ProductDimension, { nullable: true })
  dimensions() {
    return { size: 'small', weight: 1, unit: 'kg' };
  }

  @FieldResolver(() => [ProductResearch])
  research(@Root() product: ProductRow) {
    if (product.id === 'apollo-federation') return [RESEARCH[0]];
    if (product.id === 'apollo-studio') return [RESEARCH[1]];
    return [];
  }

  @FieldResolver(() => User, { nullable: true })
  createdBy() {
    return USER;
  }

  @FieldResolver(() => String, { nullable: true })
  notes() {
    return null;
  }
}

@Resolver(() => DeprecatedProduct)
class DeprecatedProductResolver {
  @FieldResolver(() => User, { nullable: true })
  createdBy() {
    return USER;
  }
}

@Resolver(() => User)
class UserResolver {
  @FieldResolver(() => Int, { nullable: true })
  averageProductsCreatedPerYear(@Root() user: { email: string; totalProductsCreated?: number; yearsOfEmployment?: number }) {
    if (user.email !== 'support@apollographql.com') throw new GraphQLError("user.email was not 'support@apollographql.com'");
    return Math.round((user.totalProductsCreated ?? 0) / (user.yearsOfEmployment ?? 1));
  }
}

@Resolver(() => Inventory)
class InventoryResolver {
  @FieldResolver(() => [DeprecatedProduct])
  deprecatedProducts(@Root() inventory: { id: string }) {
    return inventory.id === INVENTORY.id ? INVENTORY.deprecatedProducts : [];
  }
}

export function buildProductsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [ProductResolver, DeprecatedProductResolver, UserResolver, InventoryResolver],
    orphanedTypes: [Inventory],
    links: [{ url: 'https://myspecs.dev/myCustomDirective/v1.0', import: ['@custom'], compose: ['@custom'] }],
    directiveDefinitions: 'directive @custom on OBJECT',
    referenceResolvers: {
      Product: {
        __resolveReference: (ref: { id?: string; sku?: string; package?: string; variation?: { id: string } }) => {
          if (ref.id) return PRODUCTS.find((p) => p.id === ref.id);
          if (ref.sku && ref.package !== undefined) return PRODUCTS.find((p) => p.sku === ref.sku && p.package === ref.package);
          return PRODUCTS.find((p) => p.sku === ref.sku && p.variation === ref.variation?.id);
        },
      },
      DeprecatedProduct: {
        __resolveReference: (ref: { sku: string; package: string }) => (ref.sku === DEPRECATED_PRODUCT.sku && ref.package === DEPRECATED_PRODUCT.package ? DEPRECATED_PRODUCT : null),
      },
      ProductResearch: {
        __resolveReference: (ref: { study: { caseNumber: string } }) => RESEARCH.find((r) => r.study.caseNumber === ref.study.caseNumber),
      },
      User: {
        __resolveReference: (ref: { email?: string; totalProductsCreated?: number; yearsOfEmployment?: number }) => {
          if (!ref.email) return null;
          return {
            ...USER,
            email: ref.email,
            ...(ref.totalProductsCreated ? { totalProductsCreated: ref.totalProductsCreated } : {}),
            ...(ref.yearsOfEmployment ? { yearsOfEmployment: ref.yearsOfEmployment } : {}),
          };
        },
      },
      Inventory: {
        __resolveReference: (ref: { id: string }) => (ref.id === INVENTORY.id ? INVENTORY : null),
      },
    },
  });
}
