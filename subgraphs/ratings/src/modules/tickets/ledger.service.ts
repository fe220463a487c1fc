import { jakartaMonth, pgArray } from '@gerbang/common';
import type { Sql } from '@gerbang/common';
import { citizenRef } from '../../lib/refs';
import type { LedgerTicket } from '../ratings/rules';
import type { ValidTicketEvent } from './feed';
import { changeColumns, CHANGE_LOCK, type TicketChange } from './live';
import { enqueueRateRequests } from '../notifications/outbox';

const TICKET_COLUMNS = `t.id, t.agency_id as "agencyId", t.citizen_ref as "citizenRef", t.service_id as "serviceId",
  t.officer_id as "officerId", t.status, t.submitted_at as "submittedAt", t.completed_at as "completedAt", t.change_seq::text as "changeCursor"`;

const TICKET_DATES = ['submittedAt', 'completedAt'];

/** SQL of the ticket ledger. */
export class LedgerService {
  constructor(
    private readonly db: Sql,
    private readonly pepper: string,
    /** With it, a ticket that completes within this many days asks its citizen to rate it (notifications outbox). */
    private readonly notifyWithinDays?: number,
  ) {}

  /**
   * Upserts a batch in one statement. A row changes only when the event's version is newer than
   * the stored one, so replays, re-syncs and out-of-order deliveries are harmless. The NIK is
   * replaced by its keyed hash before it reaches the database.
   */
  async apply(agencyId: string, events: readonly ValidTicketEvent[], now: Date): Promise<{ applied: number; changes: TicketChange[] }> {
    const rows = events.map((e) => ({
      id: e.ticketId,
      agency_id: agencyId,
      citizen_ref: citizenRef(this.pepper, e.citizenNik),
      service_id: e.serviceId,
      officer_id: e.officerId,
      status: e.status,
      submitted_at: e.submittedAt.toISOString(),
      completed_at: e.completedAt?.toISOString() ?? null,
      completed_period: e.completedAt ? jakartaMonth(e.completedAt) : null,
      version: e.version,
      kecamatan: e.kecamatan,
      channel: e.channel,
    }));
    const t = this.db.t('ticket');
    // Under the ledger's change lock, so change_seq values are committed in increasing order (live.ts).
    const changes = await this.db.transaction(async (tx) => {
      await tx.all(CHANGE_LOCK, [`${tx.schema}.ticket_change`]);
      const changed = await tx.all<TicketChange>(
        `insert into ${t} as cur (id, agency_id, citizen_ref, service_id, officer_id, status, submitted_at, completed_at, completed_period, version, kecamatan, channel, updated_at)
       select x.id, x.agency_id, x.citizen_ref, x.service_id, x.officer_id, x.status, x.submitted_at, x.completed_at, x.completed_period, x.version, x.kecamatan, x.channel, ?::timestamptz
       from jsonb_to_recordset(?::jsonb) as x(id text, agency_id text, citizen_ref text, service_id text, officer_id text, status text,
         submitted_at timestamptz, completed_at timestamptz, completed_period text, version bigint, kecamatan smallint, channel text)
       on conflict (id) do update set
         citizen_ref = excluded.citizen_ref, service_id = excluded.service_id, officer_id = excluded.officer_id, status = excluded.status,
         submitted_at = excluded.submitted_at, completed_at = excluded.completed_at, completed_period = excluded.completed_period,
         kecamatan = excluded.kecamatan, channel = excluded.channel,
         version = excluded.version, updated_at = excluded.updated_at, change_seq = nextval('"${tx.schema}".ticket_change_seq')
       where cur.version < excluded.version
       returning ${changeColumns('cur')}`,
        [now.toISOString(), JSON.stringify(rows)],
      );
      // The transactional outbox: written with the ledger's change, or not at all.
      if (this.notifyWithinDays !== undefined)
        await enqueueRateRequests(
          tx,
          changed.filter((c) => c.status === 'COMPLETED').map((c) => c.ticketId),
          now,
          this.notifyWithinDays,
        );
      return changed;
    });
    return { applied: changes.length, changes };
  }

  byIds(ids: readonly string[]): Promise<LedgerTicket[]> {
    return this.db.all<LedgerTicket>(`select ${TICKET_COLUMNS} from ${this.db.t('ticket')} t where t.id = any(?::text[])`, [pgArray(ids)], TICKET_DATES);
  }

  /** A citizen's tickets of every agency, newest first. */
  forCitizen(ref: string, first: number): Promise<LedgerTicket[]> {
    return this.db.all<LedgerTicket>(`select ${TICKET_COLUMNS} from ${this.db.t('ticket')} t where t.citizen_ref = ? order by t.submitted_at desc, t.id desc limit ?`, [ref, first], TICKET_DATES);
  }
}
