import DataLoader from 'dataloader';
import type { AgencyMeasureAnswerer, RequestInfo } from '@gerbang/common';
import type { BillQuery, ServiceRequestRecord, TaxBillRecord, TaxObjectRecord, TaxRegistry } from '../adapters/sismiop/registry';
import type { LandTaxService } from './land-tax.service';

/** The request's own (id, caller, logger) and the subgraph's services for it. */
export interface LandTaxContext extends RequestInfo {
  /** The subgraph's rules for this request (its loaders, access log, clock and the caller inside). */
  landTax: LandTaxService;
  /** PBB_COLLECTION_RATE of the insights' agency questions (modules/insights.ts). */
  pbbCollectionRate: AgencyMeasureAnswerer;
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
