import { agencyTicketId, changeFeedTicketSource, localTicketId, type TicketEvent, type TicketStatus, type TicketSyncSource } from '@gerbang/common';
import type { DocumentRequestRecord, DocumentType, PopulationRegistry, RequestStatus } from '../adapters/siak/registry';

export const AGENCY_ID = 'dispendukcapil';

/** SIAK document type → the directory's service id (docs/DEMO-DATA.md). */
const SERVICE_OF: Record<DocumentType, string> = {
  KTP_EL: 'dispendukcapil.ktp-el',
  KK: 'dispendukcapil.kartu-keluarga',
  AKTA_LAHIR: 'dispendukcapil.akta-kelahiran',
};

const STATUS_OF: Record<RequestStatus, TicketStatus> = {
  SUBMITTED: 'SUBMITTED',
  VERIFIED: 'IN_PROGRESS',
  IN_PROCESS: 'IN_PROGRESS',
  COMPLETED: 'COMPLETED',
  REJECTED: 'REJECTED',
};

export const ticketIdOf = (requestId: string) => agencyTicketId(AGENCY_ID, requestId);
/** The SIAK id inside one of our ticket ids, or null for another agency's ticket. */
export const requestIdOf = (ticketId: string) => localTicketId(AGENCY_ID, ticketId);

function toTicketEvent(r: DocumentRequestRecord): TicketEvent {
  return {
    ticketId: ticketIdOf(r.id),
    citizenNik: r.nik,
    serviceId: SERVICE_OF[r.type],
    officerId: r.officerNip,
    status: STATUS_OF[r.status],
    submittedAt: r.submittedAt.toISOString(),
    completedAt: r.completedAt?.toISOString() ?? null,
    version: r.version,
  };
}

/** SIAK's change feed (by sequence number) as the ledger's ticket source. */
export function siakTicketSource(registry: PopulationRegistry): TicketSyncSource {
  return changeFeedTicketSource((cursor, limit) => registry.changes(cursor, limit), toTicketEvent);
}
