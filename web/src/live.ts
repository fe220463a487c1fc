import { createClient, type Client } from 'graphql-ws';
import type { ApolloClient } from '@apollo/client';
import { MyTicketUpdatesDocument, type MyTicketUpdatesSubscription } from './gql/graphql';
import { persistedId } from './apollo';
import { currentToken } from './auth';

/**
 * Live ticket status for "Layanan saya": the `MyTicketUpdates` subscription over graphql-ws on
 * /graphql (the gateway's graphql-transport-ws endpoint; gateway/README.md § Subscriptions).
 *
 * - Persisted, as every operation of the portal: the subscribe message carries the operation's id
 *   (`extensions.persistedQuery`) and an empty `query` (graphql-ws requires the field to be a
 *   string); the gateway takes the text from its safelist, so this works with PERSISTED_ONLY.
 * - Each event is written into Apollo's normalised cache as the subscription's own result, so the
 *   `Ticket:<id>` the list shows changes in place; a ticket the list does not hold yet is added to
 *   the top of `me.tickets`.
 * - Resume: the library does not retry (its retry would re-send the first `after`); this loop
 *   subscribes again after a drop, with backoff, with `after` = the newest `changeCursor` seen, so
 *   every ticket changed while away arrives first, once, then live changes.
 */
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'off';
type LiveTicket = MyTicketUpdatesSubscription['myTicketUpdates'];

/** Codes that no resubscription can cure: the page stays as loaded and says live status is off. */
const FINAL = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_REQUIRED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST']);

/** The later of two change cursors (decimal strings of a 64-bit sequence). */
export function laterCursor(a: string | null, b: string | null | undefined): string | null {
  if (!b || !/^\d{1,19}$/.test(b)) return a;
  if (!a) return b;
  return BigInt(b) > BigInt(a) ? b : a;
}

export interface FollowOptions {
  apollo: ApolloClient;
  /** The citizen (`me.id`) whose ticket list a new ticket joins. */
  citizenId: string;
  /** The newest changeCursor the loaded list reflects; null: from now on. */
  after: string | null;
  onState: (state: LiveState) => void;
  onTicket?: (ticket: LiveTicket) => void;
  /** For tests and other hosts; default: this page's origin. */
  url?: string;
  /** Backoff after a drop: first delay (ms), doubled up to 30 s. */
  retryMs?: number;
}

function writeTicket(apollo: ApolloClient, citizenId: string, ticket: LiveTicket, after: string | null): void {
  const cache = apollo.cache;
  cache.writeQuery({ id: 'ROOT_SUBSCRIPTION', query: MyTicketUpdatesDocument, variables: { after }, data: { myTicketUpdates: ticket } });
  const ref = cache.identify(ticket);
  cache.modify({
    id: cache.identify({ __typename: 'Citizen', id: citizenId }),
    fields: {
      tickets(existing, { readField, toReference }) {
        const list = existing as readonly { __ref: string }[];
        if (!ref || list.some((item) => readField('id', item) === ticket.id)) return list;
        return [toReference(ref), ...list];
      },
    },
  });
}

/** Starts following; returns the function that stops. */
export function followMyTickets(options: FollowOptions): () => void {
  const url = options.url ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  const client: Client = createClient({
    url,
    lazy: true,
    retryAttempts: 0,
    // A fresh token on every connection (a renewed sign-in after the gateway closed an expired one).
    connectionParams: () => {
      const token = currentToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
  const id = persistedId(MyTicketUpdatesDocument);
  let cursor = options.after;
  let stopped = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe: (() => void) | undefined;
  const base = options.retryMs ?? 1000;

  const retry = () => {
    if (stopped) return;
    options.onState('reconnecting');
    const delay = Math.min(30_000, base * 2 ** failures++) * (0.75 + Math.random() * 0.5);
    timer = setTimeout(open, delay);
  };
  const open = () => {
    if (stopped) return;
    unsubscribe = client.subscribe<MyTicketUpdatesSubscription>(
      { query: '', operationName: 'MyTicketUpdates', variables: { after: cursor }, extensions: { persistedQuery: { version: 1, sha256Hash: id } } },
      {
        next: (result) => {
          const ticket = result.data?.myTicketUpdates;
          if (!ticket) return;
          writeTicket(options.apollo, options.citizenId, ticket, cursor);
          cursor = laterCursor(cursor, ticket.changeCursor);
          options.onTicket?.(ticket);
        },
        error: (err) => {
          // A refusal of the subscription itself (GraphQL errors) or the socket closing (a CloseEvent, an Event).
          const codes = Array.isArray(err) ? err.map((e: { extensions?: { code?: unknown } }) => String(e.extensions?.code)) : [];
          if (codes.some((c) => FINAL.has(c))) {
            stopped = true;
            options.onState('off');
            return;
          }
          retry();
        },
        complete: retry,
      },
    );
  };
  const offConnected = client.on('connected', () => {
    failures = 0;
    options.onState('live');
  });
  options.onState('connecting');
  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    offConnected();
    unsubscribe?.();
    void client.dispose();
  };
}
