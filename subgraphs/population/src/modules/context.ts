import DataLoader from 'dataloader';
import type { RequestInfo } from '@gerbang/common';
import type { DocumentRequestRecord, PopulationRegistry, Resident } from '../adapters/siak/registry';
import type { PopulationService } from './population.service';

/** The request's own (id, caller, logger) and the subgraph's services for it. */
export interface PopulationContext extends RequestInfo {
  /** The subgraph's rules for this request (its loaders, access log and the caller inside). */
  population: PopulationService;
}

/**
 * One batched SIAK call per tick for each kind of lookup, however many tickets or residents a
 * query touches (SIAK's own 100-per-call limit is handled by the adapter).
 */
export function createLoaders(registry: PopulationRegistry) {
  return {
    resident: new DataLoader<string, Resident | null>(async (niks) => {
      const found = await registry.residents(niks);
      return niks.map((n) => found.get(n) ?? null);
    }),
    request: new DataLoader<string, DocumentRequestRecord | null>(async (ids) => {
      const found = await registry.requests(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
