import { agencyTicketId, changeFeedTicketSource, localTicketId, parseNik, type TicketEvent, type TicketStatus, type TicketSyncSource } from '@gerbang/common';
import type { ServiceRequestRecord, ServiceStatus, ServiceType, TaxRegistry } from '../adapters/sismiop/registry';

export const AGENCY_ID = 'bpkpd';

/**
 * SISMIOP service type → the directory's service id (docs/DEMO-DATA.md; PENDAFTARAN and PENGURANGAN
 * are in the directory's seed too). PEMBETULAN and PEMBATALAN have no service in the directory, so
 * they are not published as tickets.
 */
const SERVICE_OF: Partial<Record<ServiceType, string>> = {
  MUTASI: 'bpkpd.mutasi-nama-pbb',
  KEBERATAN: 'bpkpd.keberatan-pbb',
  SALINAN: 'bpkpd.salinan-sppt',
  PENDAFTARAN: 'bpkpd.pendaftaran-op-baru',
  PENGURANGAN: 'bpkpd.pengurangan-pbb',
};

const TICKET_STATUS_OF: Record<ServiceStatus, TicketStatus> = {
  DITERIMA: 'SUBMITTED',
  DIPROSES: 'IN_PROGRESS',
  SELESAI: 'COMPLETED',
  DITOLAK: 'REJECTED',
};

export const ticketIdOf = (number: string) => agencyTicketId(AGENCY_ID, number);
/** The NO_PELAYANAN inside one of our ticket ids, or null for another agency's ticket. */
export const requestNumberOf = (ticketId: string) => localTicketId(AGENCY_ID, ticketId);

const NIP = /^\d{18}$/;

/**
 * A request as a ledger event, or the reason it cannot be one. The ledger refuses a whole batch for
 * one bad event, so legacy rows it would refuse (unknown codes, a malformed NIK) are left out here
 * rather than jamming the feed.
 */
export function toTicketEvent(r: ServiceRequestRecord): TicketEvent | { skip: string } {
  const serviceId = r.type ? SERVICE_OF[r.type] : undefined;
  if (!serviceId) return { skip: `service type ${r.typeCode} has no directory service` };
  if (!r.status) return { skip: `unknown status ${r.statusCode}` };
  if (!parseNik(r.applicantNik, { anyRegion: true })) return { skip: 'applicant NIK is not a valid NIK' };
  const status = TICKET_STATUS_OF[r.status];
  const finished = status === 'COMPLETED' || status === 'REJECTED';
  return {
    ticketId: ticketIdOf(r.number),
    citizenNik: r.applicantNik,
    serviceId,
    officerId: r.officerNip && NIP.test(r.officerNip) ? r.officerNip : null,
    status,
    submittedAt: r.receivedAt.toISOString(),
    // A finished request without TGL_SELESAI (legacy data) is dated by its last change.
    completedAt: finished ? (r.completedAt ?? r.updatedAt).toISOString() : null,
    version: r.updateSeq,
  };
}

/** SISMIOP's change feed (PST_PERMOHONAN by UPDATE_SEQ) as the ledger's ticket source. */
export function sismiopTicketSource(registry: TaxRegistry, onSkip?: (number: string, reason: string) => void): TicketSyncSource {
  return changeFeedTicketSource(
    (cursor, limit) => registry.changes(cursor, limit),
    toTicketEvent,
    (r, reason) => onSkip?.(r.number, reason),
  );
}
