import DataLoader from 'dataloader';
import type { RequestInfo } from '@gerbang/common';
import type { ClinicBookingRecord, ClinicQueueRegistry } from '../adapters/clinic-queue/registry';
import type { HealthService } from './health.service';
import type { clinicBookingsAnswerer } from './insights';

/** The request's own (id, caller, logger) and the subgraph's services for it. */
export interface HealthContext extends RequestInfo {
  /** The subgraph's rules for this request (its loaders, the booking policy and the caller inside). */
  health: HealthService;
  /** CLINIC_BOOKINGS of the insights' agency questions (modules/insights.ts). */
  clinicBookings: ReturnType<typeof clinicBookingsAnswerer>;
}

/**
 * One batched status call per tick, however many tickets a query touches (the service's
 * 50-per-call limit is handled by the adapter).
 */
export function createLoaders(registry: ClinicQueueRegistry) {
  return {
    booking: new DataLoader<string, ClinicBookingRecord | null>(async (codes) => {
      const found = await registry.bookings(codes);
      return codes.map((c) => found.get(c) ?? null);
    }),
  };
}
