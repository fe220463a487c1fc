import type { EntityManager } from '@mikro-orm/postgresql';
import { agencyTicketId, changeFeedTicketSource, localTicketId, type TicketEvent, type TicketStatus, type TicketSyncSource } from '@gerbang/common';
import type { ProposalStatus } from '../entities';
import { SocialStore, type ProposalView } from './store';

export const AGENCY_ID = 'dinsos';
/** The directory's service for aid proposals (docs/DEMO-DATA.md). */
const SERVICE_ID = 'dinsos.usulan-bansos';

const STATUS_OF: Record<ProposalStatus, TicketStatus> = {
  SUBMITTED: 'SUBMITTED',
  COMPLETED: 'COMPLETED',
  REJECTED: 'REJECTED',
};

export const ticketIdOf = (proposalId: string) => agencyTicketId(AGENCY_ID, proposalId);
/** The proposal id inside one of our ticket ids, or null for another agency's ticket. */
export const proposalIdOf = (ticketId: string) => localTicketId(AGENCY_ID, ticketId);

function toTicketEvent(p: ProposalView): TicketEvent {
  return {
    ticketId: ticketIdOf(p.id),
    citizenNik: p.nik,
    serviceId: SERVICE_ID,
    officerId: p.officerNip,
    status: STATUS_OF[p.status],
    submittedAt: new Date(p.submittedAt).toISOString(),
    completedAt: p.decidedAt ? new Date(p.decidedAt).toISOString() : null,
    // change_seq is global and only grows, so it is monotonic per ticket too.
    version: p.changeSeq,
  };
}

/** The proposals table's change sequence as the ledger's ticket source. */
export function proposalTicketSource(em: () => EntityManager): TicketSyncSource {
  return changeFeedTicketSource((cursor, limit) => new SocialStore(em()).changes(cursor, limit), toTicketEvent);
}
