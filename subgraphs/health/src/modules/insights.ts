import { AgencyMeasureAnswerer, kecamatanCodeOf, type AccessLog, type AgencyFact, type Caller } from '@gerbang/common';
import type { ClinicStatistics } from '../adapters/clinic-queue/registry';

/**
 * CLINIC_BOOKINGS for one request: one recap call to the queue service per question, Puskesmas ×
 * month facts rolled up to the question's dimensions and suppressed in the health subgraph.
 */
export function clinicBookingsAnswerer(deps: { statistics: ClinicStatistics | undefined; accessLog: AccessLog | undefined; caller: Caller; requestId: string }) {
  const names = new Map<string, string>();
  const answerer = new AgencyMeasureAnswerer({
    measure: 'CLINIC_BOOKINGS',
    source: 'health',
    caller: deps.caller,
    requestId: deps.requestId,
    accessLog: deps.accessLog,
    kind: 'count',
    periodRule: true,
    facts: async (range): Promise<AgencyFact[]> => {
      if (!deps.statistics) throw new Error('health: no queue-service statistics configured');
      const lastDay = new Date(Date.UTC(Number(range.to.slice(0, 4)), Number(range.to.slice(5)), 0)).toISOString().slice(0, 10);
      const rows = await deps.statistics.bookingCounts(`${range.from}-01`, lastDay);
      for (const r of rows) names.set(r.clinicCode, r.clinicName);
      return rows.map((r) => ({ key: { MONTH: r.month, PUSKESMAS: r.clinicCode, KECAMATAN: String(kecamatanCodeOf(r.kecamatan)) }, n: r.count }));
    },
  });
  return { answerer, clinicName: (code: string) => names.get(code) ?? null };
}
