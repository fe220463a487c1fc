import { AgencyMeasureAnswerer, kecamatanCodeOf, monthRangeDays, type AgencyFact, type AgencyMeasureRequest } from '@gerbang/common';
import type { ClinicStatistics } from '../adapters/clinic-queue/registry';

/**
 * CLINIC_BOOKINGS for one request: one recap call to the queue service per question, Puskesmas ×
 * month facts rolled up to the question's dimensions and suppressed in the health subgraph.
 */
export function clinicBookingsAnswerer({ statistics, ...request }: AgencyMeasureRequest & { statistics: ClinicStatistics | undefined }) {
  const names = new Map<string, string>();
  const answerer = new AgencyMeasureAnswerer({
    ...request,
    measure: 'CLINIC_BOOKINGS',
    source: 'health',
    kind: 'count',
    periodRule: true,
    facts: async (range): Promise<AgencyFact[]> => {
      if (!statistics) throw new Error('health: no queue-service statistics configured');
      const days = monthRangeDays(range);
      const rows = await statistics.bookingCounts(days.first, days.last);
      for (const r of rows) names.set(r.clinicCode, r.clinicName);
      return rows.map((r) => ({ key: { MONTH: r.month, PUSKESMAS: r.clinicCode, KECAMATAN: String(kecamatanCodeOf(r.kecamatan)) }, n: r.count }));
    },
  });
  return { answerer, clinicName: (code: string) => names.get(code) ?? null };
}
