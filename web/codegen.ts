import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameToDocument } from '@apollo/client/utilities';
import { parse, print } from 'graphql';

/**
 * Typed operations from the supergraph's API schema (GraphQL Code Generator, client preset).
 *
 * - Operations live in web/src/operations/*.graphql, one per file, named (the manifest needs names).
 * - `__typename` is added to every selection set here, as Apollo Client adds it at run time, so the
 *   text the gateway's safelist holds is the text Apollo's cache expects answers for.
 * - Persisted documents: each document carries its id (`__meta__.hash`), the sha256 of its text as
 *   graphql's `print` writes it: the gateway's operation id (gateway/src/edge/persisted.ts), so the
 *   portal sends ids only and gateway/scripts/manifest.ts adds these documents to the safelist.
 */
const config: CodegenConfig = {
  schema: '../schema/supergraph.graphql',
  documents: ['src/operations/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      documentTransforms: [{ transform: ({ documents }) => documents.map((d) => ({ ...d, document: d.document && addTypenameToDocument(d.document) })) }],
      config: { enumsAsTypes: true, useTypeImports: true, scalars: { DateTime: 'string' }, skipTypename: false },
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: {
          mode: 'embedHashInDocument',
          hashAlgorithm: (operation: string) =>
            createHash('sha256')
              .update(print(parse(operation)))
              .digest('hex'),
        },
      },
    },
  },
};

export default config;
