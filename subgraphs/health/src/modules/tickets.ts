import { agencyTicketId, changeFeedTicketSource, isValidNik, localTicketId, type TicketEvent, type TicketStatus, type TicketSyncSource } from '@gerbang/common';
import type { BookingStatus, ClinicBookingRecord, ClinicQueueRegistry } from '../adapters/clinic-queue/registry';

export const AGENCY_ID = 'dinkesdalduk';
/** The directory's service id of a clinic queue booking (docs/DEMO-DATA.md). */
const SERVICE_ID = 'dinkesdalduk.antrean-puskesmas';

const STATUS_OF: Record<BookingStatus, TicketStatus> = {
  DIBOOKING: 'SUBMITTED',
  DIPANGGIL: 'IN_PROGRESS',
  DILAYANI: 'IN_PROGRESS',
  SELESAI: 'COMPLETED',
  BATAL: 'CANCELLED',
};

export const ticketIdOf = (bookingCode: string) => agencyTicketId(AGENCY_ID, bookingCode);
/** The booking code inside one of our ticket ids, or null for another agency's ticket (or junk). */
export const bookingCodeOf = (ticketId: string): string | null => localTicketId(AGENCY_ID, ticketId, /^[A-Za-z0-9-]{1,40}$/);

function toTicketEvent(b: ClinicBookingRecord): TicketEvent {
  return {
    ticketId: ticketIdOf(b.code),
    citizenNik: b.nik,
    serviceId: SERVICE_ID,
    officerId: b.officerNip,
    status: STATUS_OF[b.status],
    submittedAt: b.bookedAt.toISOString(),
    // A visit is complete when the patient has been served; a cancelled booking has no completion.
    completedAt: b.status === 'SELESAI' ? (b.completedAt ?? b.servedAt ?? b.bookedAt).toISOString() : null,
    // The feed's sequence: global and increasing, so monotonic per booking.
    version: b.sequence,
  };
}

/**
 * The queue service's change feed (by sequence number) as the ledger's ticket source. The ledger
 * refuses a whole batch over one bad event, so a booking whose NIK would not pass its check (the
 * service accepts walk-ins with any well-formed NIK) is skipped and reported instead of stalling
 * the feed.
 */
export function clinicTicketSource(registry: ClinicQueueRegistry, onSkip?: (b: ClinicBookingRecord, why: string) => void): TicketSyncSource {
  return changeFeedTicketSource(
    (cursor, limit) => registry.changes(cursor, limit),
    (b) => {
      if (!isValidNik(b.nik, { anyRegion: true })) return { skip: 'NIK does not pass the ledger check' };
      if (b.officerNip !== null && !/^\d{18}$/.test(b.officerNip)) return { skip: 'officer NIP is not 18 digits' };
      return toTicketEvent(b);
    },
    onSkip,
  );
}
