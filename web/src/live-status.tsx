import { useEffect, useRef, useState } from 'react';
import { useApolloClient } from '@apollo/client/react';
import { useI18n, type MessageKey } from './i18n';
import { followMyTickets, laterCursor, type LiveState } from './live';
import type { MyTicketUpdatesSubscription } from './gql/graphql';

type LiveTicket = MyTicketUpdatesSubscription['myTicketUpdates'];

/**
 * Follows the signed-in citizen's tickets live (live.ts) once their list has loaded, resuming
 * after the newest change the list reflects. Returns the connection state and the last change.
 */
export function useLiveTickets(citizenId: string | undefined, tickets: readonly { changeCursor: string }[] | undefined): { state: LiveState; last?: LiveTicket } {
  const apollo = useApolloClient();
  const [state, setState] = useState<LiveState>('off');
  const [last, setLast] = useState<LiveTicket>();
  const loaded = useRef(tickets);
  loaded.current = tickets;
  useEffect(() => {
    if (!citizenId) return undefined;
    const after = (loaded.current ?? []).reduce<string | null>((max, t) => laterCursor(max, t.changeCursor), null);
    return followMyTickets({ apollo, citizenId, after, onState: setState, onTicket: setLast });
  }, [apollo, citizenId]);
  return { state, ...(last ? { last } : {}) };
}

/** Whether the list is live, and (to screen readers too) what just changed. */
export function LiveStatus({ state, last }: { state: LiveState; last?: LiveTicket | undefined }) {
  const { t } = useI18n();
  return (
    <div className="live-status">
      <p className={`live live-${state}`} data-testid="live-state" data-state={state}>
        <span aria-hidden="true" className="dot" /> {t(`live.${state}` as MessageKey)}
      </p>
      <p role="status" className="muted" data-testid="live-last">
        {last ? t('live.changed', { service: last.service?.name ?? last.id, agency: last.agency.name, status: t(`status.${last.status}` as MessageKey) }) : ''}
      </p>
    </div>
  );
}
