import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import type { DocumentNode } from 'graphql';
import { currentToken } from './auth';

/**
 * The portal's GraphQL client: Apollo Client 4 with a normalised cache.
 *
 * - Persisted operations only: every operation is one of web/src/operations, generated into typed
 *   documents that carry their id (`__meta__.hash`, the sha256 of the normalised text). The
 *   request carries that id and no text (`extensions.persistedQuery`); the gateway finds the
 *   operation in its safelist manifest, which holds exactly these ids. With PERSISTED_ONLY (the
 *   production default) nothing else is accepted from the client named `portal`.
 * - The client names itself (`apollographql-client-name: portal`), which is what puts it under the
 *   safelist, and sends a device id kept per browser (X-Device-Id: the ratings' anti-fraud rules).
 */
const CLIENT_NAME = 'portal';
const DEVICE_KEY = 'gerbang.device';

function deviceId(): string {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id || !/^[A-Za-z0-9._:-]{8,128}$/.test(id)) {
    id = `web:${crypto.randomUUID()}`;
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

/** The id codegen embedded in the document. */
export function persistedId(document: DocumentNode): string {
  const hash = (document as DocumentNode & { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) throw new Error('an operation that is not a generated persisted document');
  return hash;
}

export function createClient(): ApolloClient {
  const headers = new SetContextLink((prev) => {
    const token = currentToken();
    return {
      headers: {
        ...(prev.headers as Record<string, string> | undefined),
        'x-device-id': deviceId(),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    };
  });
  return new ApolloClient({
    link: ApolloLink.from([headers, new PersistedQueryLink({ generateHash: persistedId }), new HttpLink({ uri: '/graphql' })]),
    cache: new InMemoryCache({
      typePolicies: {
        // Keyless shapes that belong to their parent.
        Satisfaction: { keyFields: false },
        RatingSummary: { keyFields: false },
        TaxObject: { keyFields: ['nop'] },
        TaxBill: { keyFields: false },
        Clinic: { keyFields: ['code'] },
        ClinicPolyclinic: { keyFields: false },
        TppReport: { keyFields: false },
        TppRow: { keyFields: false },
      },
    }),
    clientAwareness: { name: CLIENT_NAME, version: '1' },
  });
}
