import { agencyTicketId, changeFeedTicketSource, localTicketId, type TicketEvent, type TicketStatus, type TicketSyncSource } from '@gerbang/common';
import type { PermitApplicationRecord, PermitChange, PermitRegistry, PermitStatus, PermitType } from '../adapters/permit-soap/registry';

export const AGENCY_ID = 'dpmptsp';

/** SIMPERDA permit type → the directory's service id (docs/DEMO-DATA.md). */
const SERVICE_OF: Record<PermitType, string> = {
  REKLAME: 'dpmptsp.izin-reklame',
  PENELITIAN: 'dpmptsp.izin-penelitian',
  PBG: 'dpmptsp.pbg',
};

const TICKET_STATUS_OF: Record<PermitStatus, TicketStatus> = {
  DITERIMA: 'SUBMITTED',
  VERIFIKASI: 'IN_PROGRESS',
  PROSES: 'IN_PROGRESS',
  SELESAI: 'COMPLETED',
  DITOLAK: 'REJECTED',
};

/** What a SIMPERDA application number may look like before we send it to the system. */
const APPLICATION_NUMBER = /^[A-Za-z0-9-]{1,40}$/;

export const ticketIdOf = (applicationNumber: string) => agencyTicketId(AGENCY_ID, applicationNumber);
/** The SIMPERDA number inside one of our ticket ids; null for another agency's ticket or a malformed one. */
export const applicationNumberOf = (ticketId: string): string | null => localTicketId(AGENCY_ID, ticketId, APPLICATION_NUMBER);

function toTicketEvent(application: PermitApplicationRecord, version: number): TicketEvent {
  return {
    ticketId: ticketIdOf(application.number),
    citizenNik: application.nik,
    serviceId: SERVICE_OF[application.permitType],
    officerId: application.officerNip,
    status: TICKET_STATUS_OF[application.status],
    submittedAt: application.submittedAt.toISOString(),
    completedAt: application.completedAt?.toISOString() ?? null,
    version,
  };
}

/** A change of the feed as a ticket event; the feed's sequence is global, hence monotonic per ticket. */
const changeToTicketEvent = (change: PermitChange) => toTicketEvent(change.application, change.sequence);

/** SIMPERDA's change feed (ListChanges by sequence) as the ledger's ticket source. */
export function permitTicketSource(registry: PermitRegistry): TicketSyncSource {
  return changeFeedTicketSource((cursor, limit) => registry.changes(cursor, limit), changeToTicketEvent);
}
