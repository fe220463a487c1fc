import DataLoader from 'dataloader';
import type { Caller, Logger, ReadRecorder } from '@gerbang/common';
import type { BillQuery, ServiceRequestRecord, TaxBillRecord, TaxObjectRecord, TaxRegistry } from '../adapters/sismiop/registry';

export interface LandTaxContext {
  requestId: string;
  caller: Caller;
  logger: Logger;
  registry: TaxRegistry;
  loaders: ReturnType<typeof createLoaders>;
  /** Records BPKPD staff's and administrators' reads of taxpayers' names before they are served. */
  reads: ReadRecorder;
  /** The clock (accrued surcharges); tests pin it. */
  now: () => Date;
}

/**
 * One SISMIOP statement per tick for each kind of look-up, however many objects, bills or tickets
 * a query touches: every bill of every object in `myTaxObjects { bills }` is one statement, the
 * live view of 50 tickets is one statement.
 */
export function createLoaders(registry: TaxRegistry) {
  return {
    objectsOf: new DataLoader<string, TaxObjectRecord[]>(async (niks) => {
      const found = await registry.taxObjectsOf(niks);
      return niks.map((n) => found.get(n) ?? []);
    }),
    bills: new DataLoader<BillQuery, TaxBillRecord[], string>((queries) => registry.bills(queries), {
      cacheKeyFn: (q) => `${q.nop}:${q.year ?? '*'}`,
    }),
    request: new DataLoader<string, ServiceRequestRecord | null>(async (numbers) => {
      const found = await registry.serviceRequests(numbers);
      return numbers.map((n) => found.get(n) ?? null);
    }),
  };
}
