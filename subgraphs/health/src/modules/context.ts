import DataLoader from 'dataloader';
import type { Caller, Logger } from '@gerbang/common';
import type { ClinicBookingRecord, ClinicQueueRegistry } from '../adapters/clinic-queue/registry';

export interface HealthContext {
  requestId: string;
  caller: Caller;
  logger: Logger;
  registry: ClinicQueueRegistry;
  loaders: ReturnType<typeof createLoaders>;
  /** Today on the Asia/Jakarta calendar and how far ahead a queue may be booked (policy). */
  booking: { today: () => string; maxDaysAhead: number };
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
