import DataLoader from 'dataloader';
import type { AgencyMeasureAnswerer, RequestInfo } from '@gerbang/common';
import type { BusinessDetailsRecord, BusinessRegistry, LicenceRecord } from '../adapters/oss/registry';
import type { PermitApplicationRecord, PermitRegistry } from '../adapters/permit-soap/registry';
import type { LicensingService } from './licensing.service';

export interface LicensingRegistries {
  /** OSS RBA: businesses (NIB) and their licences. */
  oss: BusinessRegistry;
  /** SIMPERDA: regional permit applications. */
  permits: PermitRegistry;
}

/** The request's own (id, caller, logger) and the subgraph's services for it. */
export interface LicensingContext extends RequestInfo {
  /** The subgraph's rules for this request (its registries, loaders and the caller inside). */
  licensing: LicensingService;
  /** PERMITS_ISSUED of the insights' agency questions (modules/insights.ts). */
  permitsIssued: AgencyMeasureAnswerer;
}

/**
 * One batched call per tick and system for each kind of lookup, however many businesses or
 * tickets a query touches (the 50-per-call limits of OSS and SIMPERDA are handled by the adapters).
 */
export function createLoaders({ oss, permits }: LicensingRegistries) {
  return {
    business: new DataLoader<string, BusinessDetailsRecord | null>(async (nibs) => {
      const found = await oss.businesses(nibs);
      return nibs.map((n) => found.get(n) ?? null);
    }),
    licences: new DataLoader<string, LicenceRecord[]>(async (nibs) => {
      const found = await oss.licences(nibs);
      return nibs.map((n) => found.get(n) ?? []);
    }),
    application: new DataLoader<string, PermitApplicationRecord | null>(async (numbers) => {
      const found = await permits.applications(numbers);
      return numbers.map((n) => found.get(n) ?? null);
    }),
  };
}
