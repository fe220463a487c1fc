import { parseNik, textProblem, TICKET_STATUSES, type TicketEvent, type TicketStatus } from '@gerbang/common';

/**
 * Validation of a ticket feed batch (see @gerbang/common ticket-feed.ts). Pure: the route calls it
 * after the signature is checked, and answers 400 with every reason when anything is wrong — a
 * batch is applied whole or not at all, so a publisher never has to guess which events landed.
 */
export const MAX_EVENTS_PER_BATCH = 1000;
const NIP = /^\d{18}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export interface ValidTicketEvent {
  ticketId: string;
  citizenNik: string;
  serviceId: string;
  officerId: string | null;
  status: TicketStatus;
  submittedAt: Date;
  completedAt: Date | null;
  version: number;
  /** Kecamatan code 1–14 (0: outside the regency or unknown): as sent, else from a Trenggalek NIK. */
  kecamatan: number;
  /** How the request came in; UNKNOWN when the agency does not say. */
  channel: TicketChannel;
}

const TICKET_CHANNELS = ['PORTAL', 'APP', 'COUNTER', 'UNKNOWN'] as const;
type TicketChannel = (typeof TICKET_CHANNELS)[number];

/** The kecamatan of residence a NIK encodes (digits 5–6), when it is a Trenggalek NIK (35.03); else 0. */
export function kecamatanOfNik(nik: string): number {
  if (!nik.startsWith('3503')) return 0;
  const code = Number(nik.slice(4, 6));
  return Number.isInteger(code) && code >= 1 && code <= 14 ? code : 0;
}

export type BatchValidation = { ok: true; agencyId: string; events: ValidTicketEvent[] } | { ok: false; reasons: string[] };

/** The agency a batch claims to come from, read before anything else so its key can be chosen. */
export function claimedAgency(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const agencyId = (raw as { agencyId?: unknown }).agencyId;
  return typeof agencyId === 'string' && /^[a-z0-9-]{2,64}$/.test(agencyId) ? agencyId : null;
}

function parseTime(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function validateBatch(raw: unknown): BatchValidation {
  const agencyId = claimedAgency(raw);
  if (!agencyId) return { ok: false, reasons: ['agencyId: required, lower-case letters, digits and "-"'] };
  const events = (raw as { events?: unknown }).events;
  if (!Array.isArray(events) || events.length === 0) return { ok: false, reasons: ['events: a non-empty array is required'] };
  if (events.length > MAX_EVENTS_PER_BATCH) return { ok: false, reasons: [`events: at most ${MAX_EVENTS_PER_BATCH} per batch`] };
  const reasons: string[] = [];
  const valid: ValidTicketEvent[] = [];
  events.forEach((e: Partial<Record<keyof TicketEvent, unknown>> | null, i) => {
    const at = (field: string, message: string) => reasons.push(`events[${i}].${field}: ${message}`);
    if (typeof e !== 'object' || e === null) return void reasons.push(`events[${i}]: must be an object`);
    const before = reasons.length;
    const prefix = `${agencyId}:`;
    if (typeof e.ticketId !== 'string' || !e.ticketId.startsWith(prefix) || e.ticketId.length === prefix.length || e.ticketId.length > 200) {
      at('ticketId', `must be "${prefix}<id in the agency system>" (at most 200 characters)`);
    }
    // The ids are free text after their prefix; what PostgreSQL cannot store fails the batch here, not in the insert.
    for (const field of ['ticketId', 'serviceId'] as const) {
      const problem = typeof e[field] === 'string' ? textProblem(e[field]) : undefined;
      if (problem) at(field, problem);
    }
    if (typeof e.citizenNik !== 'string' || !parseNik(e.citizenNik, { anyRegion: true })) at('citizenNik', 'must be a valid 16-digit NIK');
    if (typeof e.serviceId !== 'string' || !e.serviceId.startsWith(`${agencyId}.`) || e.serviceId.length > 200) {
      at('serviceId', `must be a directory service id of this agency ("${agencyId}.<service>")`);
    }
    if (e.officerId !== null && e.officerId !== undefined && (typeof e.officerId !== 'string' || !NIP.test(e.officerId))) {
      at('officerId', 'must be an 18-digit NIP or null');
    }
    if (typeof e.status !== 'string' || !(TICKET_STATUSES as readonly string[]).includes(e.status)) {
      at('status', `must be one of ${TICKET_STATUSES.join(', ')}`);
    }
    const submittedAt = parseTime(e.submittedAt);
    if (!submittedAt) at('submittedAt', 'must be ISO-8601 with an offset');
    let completedAt: Date | null = null;
    if (e.completedAt !== null && e.completedAt !== undefined) {
      completedAt = parseTime(e.completedAt);
      if (!completedAt) at('completedAt', 'must be ISO-8601 with an offset, or null');
    }
    if (e.status === 'COMPLETED' && (e.completedAt === null || e.completedAt === undefined)) at('completedAt', 'is required when status is COMPLETED');
    if (typeof e.version !== 'number' || !Number.isSafeInteger(e.version) || e.version < 0) at('version', 'must be a non-negative integer');
    // Optional: agencies that record them send where the citizen lives and how the request came in.
    if (e.kecamatan !== null && e.kecamatan !== undefined && (typeof e.kecamatan !== 'number' || !Number.isInteger(e.kecamatan) || e.kecamatan < 0 || e.kecamatan > 14)) {
      at('kecamatan', 'must be a kecamatan code 1–14, 0 (unknown) or null');
    }
    if (e.channel !== null && e.channel !== undefined && (typeof e.channel !== 'string' || !(TICKET_CHANNELS as readonly string[]).includes(e.channel))) {
      at('channel', `must be one of ${TICKET_CHANNELS.join(', ')}, or null`);
    }
    if (reasons.length === before) {
      valid.push({
        ticketId: e.ticketId as string,
        citizenNik: e.citizenNik as string,
        serviceId: e.serviceId as string,
        officerId: (e.officerId as string | null | undefined) ?? null,
        status: e.status as TicketStatus,
        submittedAt: submittedAt!,
        completedAt,
        version: e.version as number,
        kecamatan: typeof e.kecamatan === 'number' && e.kecamatan > 0 ? e.kecamatan : kecamatanOfNik(e.citizenNik as string),
        channel: typeof e.channel === 'string' ? (e.channel as TicketChannel) : 'UNKNOWN',
      });
    }
  });
  if (reasons.length) return { ok: false, reasons: reasons.slice(0, 50) };
  return { ok: true, agencyId, events: latestPerTicket(valid) };
}

/** One event per ticket (the highest version) so a batch upserts each row at most once. */
export function latestPerTicket(events: readonly ValidTicketEvent[]): ValidTicketEvent[] {
  const latest = new Map<string, ValidTicketEvent>();
  for (const e of events) {
    const seen = latest.get(e.ticketId);
    if (!seen || e.version > seen.version) latest.set(e.ticketId, e);
  }
  return [...latest.values()];
}
