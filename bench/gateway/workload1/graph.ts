import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, parse, type GraphQLSchema } from 'graphql';

/**
 * Workload 1: the shape of The Guild's public federation gateway benchmark: four subgraphs
 * (accounts, inventory, products, reviews) with users, products (upc, name, price, weight),
 * inventory (inStock, shippingEstimate @requires price and weight) and reviews (author, product).
 * The data is our own, of the same kind and size: 6 users, 9 products, 11 reviews.
 */

interface UserRow {
  id: string;
  name: string;
  username: string;
  birthday: number;
}
interface ProductRow {
  upc: string;
  name: string;
  price: number;
  weight: number;
}
interface ReviewRow {
  id: string;
  body: string;
  productUpc: string;
  authorId: string;
}

const LOREM = [
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.',
  'Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium, totam rem aperiam, eaque ipsa quae ab illo inventore veritatis et quasi architecto beatae vitae dicta sunt explicabo.',
  'Nemo enim ipsam voluptatem quia voluptas sit aspernatur aut odit aut fugit, sed quia consequuntur magni dolores eos qui ratione voluptatem sequi nesciunt.',
  'Ut enim ad minima veniam, quis nostrum exercitationem ullam corporis suscipit laboriosam, nisi ut aliquid ex ea commodi consequatur? Quis autem.',
];

const USERS: UserRow[] = [
  { id: '1', name: 'Siti Rahayu', username: 'siti', birthday: 1234567890 },
  { id: '2', name: 'Budi Santoso', username: 'budi', birthday: 1234567890 },
  { id: '3', name: 'Agus Prasetyo', username: 'agus', birthday: 1234567890 },
  { id: '4', name: 'Sri Wahyuni', username: 'sri', birthday: 1234567890 },
  { id: '5', name: 'Dewi Lestari', username: 'dewi', birthday: 1234567890 },
  { id: '6', name: 'Eko Saputra', username: 'eko', birthday: 1234567890 },
];

const PRODUCTS: ProductRow[] = [
  { upc: '1', name: 'Table', price: 899, weight: 100 },
  { upc: '2', name: 'Couch', price: 1299, weight: 1000 },
  { upc: '3', name: 'Glass', price: 15, weight: 20 },
  { upc: '4', name: 'Chair', price: 499, weight: 100 },
  { upc: '5', name: 'TV', price: 1299, weight: 1000 },
  { upc: '6', name: 'Lamp', price: 6999, weight: 300 },
  { upc: '7', name: 'Grill', price: 3999, weight: 2000 },
  { upc: '8', name: 'Fridge', price: 100000, weight: 6000 },
  { upc: '9', name: 'Sofa', price: 9999, weight: 800 },
];

const IN_STOCK: Record<string, boolean> = { '1': true, '2': false, '3': false, '4': false, '5': true, '6': true, '7': true, '8': false, '9': true };

/** 11 reviews over products 1–5, two per user (the sixth user one). */
const REVIEWS: ReviewRow[] = [
  ['1', '1', '1'],
  ['2', '1', '2'],
  ['3', '1', '3'],
  ['4', '1', '4'],
  ['5', '2', '5'],
  ['6', '2', '6'],
  ['7', '2', '1'],
  ['8', '2', '2'],
  ['9', '3', '3'],
  ['10', '4', '4'],
  ['11', '5', '5'],
].map(([id, productUpc, authorId], i) => ({ id: id!, productUpc: productUpc!, authorId: authorId!, body: LOREM[i % LOREM.length]! }));

const userById = new Map(USERS.map((u) => [u.id, u]));
const productByUpc = new Map(PRODUCTS.map((p) => [p.upc, p]));
const reviewById = new Map(REVIEWS.map((r) => [r.id, r]));
const reviewsByAuthor = (id: string) => REVIEWS.filter((r) => r.authorId === id);
const reviewsByProduct = (upc: string) => REVIEWS.filter((r) => r.productUpc === upc);
const shippingEstimate = (price: number | null | undefined, weight: number | null | undefined) => (price == null ? null : price > 1000 ? 0 : weight == null ? null : Math.floor(weight / 2));

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@provides", "@shareable"])';

export const SUBGRAPH_SDL: Record<'accounts' | 'inventory' | 'products' | 'reviews', string> = {
  accounts: `${LINK}
    type Query { me: User  user(id: ID!): User  users: [User] }
    type User @key(fields: "id") { id: ID!  name: String  username: String @shareable  birthday: Int }`,
  inventory: `${LINK}
    type Product @key(fields: "upc") {
      upc: String!
      weight: Int @external
      price: Int @external
      inStock: Boolean
      shippingEstimate: Int @requires(fields: "price weight")
    }`,
  products: `${LINK}
    type Query { topProducts(first: Int = 5): [Product] }
    type Product @key(fields: "upc") { upc: String!  name: String  price: Int  weight: Int }`,
  reviews: `${LINK}
    type Review @key(fields: "id") { id: ID!  body: String  product: Product  author: User @provides(fields: "username") }
    type User @key(fields: "id") { id: ID!  username: String @external  reviews: [Review] }
    type Product @key(fields: "upc") { upc: String!  reviews: [Review] }`,
};

type Ref = Record<string, any>;
const reviewOut = (r: ReviewRow) => ({ id: r.id, body: r.body, productUpc: r.productUpc, authorId: r.authorId });

const RESOLVERS: Record<keyof typeof SUBGRAPH_SDL, any> = {
  accounts: {
    Query: { me: () => USERS[0], user: (_: unknown, { id }: { id: string }) => userById.get(id) ?? null, users: () => USERS },
    User: { __resolveReference: (ref: Ref) => userById.get(String(ref.id)) ?? null },
  },
  inventory: {
    Product: {
      __resolveReference: (ref: Ref) => ({ upc: ref.upc, price: ref.price, weight: ref.weight }),
      inStock: (p: Ref) => IN_STOCK[p.upc] ?? null,
      shippingEstimate: (p: Ref) => shippingEstimate(p.price, p.weight),
    },
  },
  products: {
    Query: { topProducts: (_: unknown, { first }: { first?: number | null }) => PRODUCTS.slice(0, first ?? 5) },
    Product: { __resolveReference: (ref: Ref) => productByUpc.get(String(ref.upc)) ?? null },
  },
  reviews: {
    Review: {
      __resolveReference: (ref: Ref) => reviewById.get(String(ref.id)) ?? null,
      product: (r: ReviewRow) => ({ upc: r.productUpc }),
      author: (r: ReviewRow) => ({ id: r.authorId, username: userById.get(r.authorId)?.username ?? null }),
    },
    User: {
      __resolveReference: (ref: Ref) => ({ id: String(ref.id) }),
      reviews: (u: Ref) => reviewsByAuthor(String(u.id)).map(reviewOut),
    },
    Product: {
      __resolveReference: (ref: Ref) => ({ upc: String(ref.upc) }),
      reviews: (p: Ref) => reviewsByProduct(String(p.upc)).map(reviewOut),
    },
  },
};

export const SUBGRAPH_NAMES = Object.keys(SUBGRAPH_SDL) as (keyof typeof SUBGRAPH_SDL)[];

export function subgraphSchema(name: keyof typeof SUBGRAPH_SDL): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: parse(SUBGRAPH_SDL[name]), resolvers: RESOLVERS[name] }]);
}

/** The same API in one process, resolvers reading the same rows (the monolith). */
export function monolithSchema(): GraphQLSchema {
  const schema = buildSchema(`
    type Query { me: User  user(id: ID!): User  users: [User]  topProducts(first: Int = 5): [Product] }
    type User { id: ID!  name: String  username: String  birthday: Int  reviews: [Review] }
    type Product { upc: String!  name: String  price: Int  weight: Int  inStock: Boolean  shippingEstimate: Int  reviews: [Review] }
    type Review { id: ID!  body: String  product: Product  author: User }
  `);
  const set = (type: string, resolvers: Record<string, (src: any, args: any) => unknown>) => {
    const fields = (schema.getType(type) as any).getFields();
    for (const [k, fn] of Object.entries(resolvers)) fields[k].resolve = fn;
  };
  set('Query', {
    me: () => USERS[0],
    user: (_s, { id }) => userById.get(id) ?? null,
    users: () => USERS,
    topProducts: (_s, { first }) => PRODUCTS.slice(0, first ?? 5),
  });
  set('User', { reviews: (u: UserRow) => reviewsByAuthor(u.id) });
  set('Product', {
    inStock: (p: ProductRow) => IN_STOCK[p.upc] ?? null,
    shippingEstimate: (p: ProductRow) => shippingEstimate(p.price, p.weight),
    reviews: (p: ProductRow) => reviewsByProduct(p.upc),
  });
  set('Review', { product: (r: ReviewRow) => productByUpc.get(r.productUpc) ?? null, author: (r: ReviewRow) => userById.get(r.authorId) ?? null });
  return schema;
}

/** The public benchmark's heavy query. */
export const HEAVY_QUERY = `fragment User on User {
  id
  username
  name
}

fragment Review on Review {
  id
  body
}

fragment Product on Product {
  inStock
  name
  price
  shippingEstimate
  upc
  weight
}

query TestQuery {
  users {
    ...User
    reviews {
      ...Review
      product {
        ...Product
        reviews {
          ...Review
          author {
            ...User
            reviews {
              ...Review
              product {
                ...Product
              }
            }
          }
        }
      }
    }
  }
  topProducts {
    ...Product
    reviews {
      ...Review
      author {
        ...User
        reviews {
          ...Review
          product {
            ...Product
          }
        }
      }
    }
  }
}
`;
