import DataLoader from 'dataloader';
import type { Caller, Logger, ReadRecorder } from '@gerbang/common';
import type { DocumentRequestRecord, PopulationRegistry, Resident } from '../adapters/siak/registry';

export interface PopulationContext {
  requestId: string;
  caller: Caller;
  logger: Logger;
  registry: PopulationRegistry;
  loaders: ReturnType<typeof createLoaders>;
  /** Records reads of personal data by someone other than its owner, before they are served. */
  reads: ReadRecorder;
  /** Key of the NIK hashes in the access log (ACCESS_LOG_HASH_KEY). */
  nikHashKey: string;
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
