import DataLoader from 'dataloader';
import type { RequestInfo } from '@gerbang/common';
import type { EligibilityRow } from '../entities';
import type { SocialService } from './social.service';
import type { ProposalView, SocialStore } from './store';

/** The request's own (id, caller, logger) and the subgraph's services for it. */
export interface SocialContext extends RequestInfo {
  /** The subgraph's rules for this request (its store, loaders, access-log key and the caller inside). */
  social: SocialService;
}

/** One query per tick for each kind of lookup, however many tickets a query touches. */
export function createLoaders(store: SocialStore) {
  return {
    eligibility: new DataLoader<string, EligibilityRow | null>(async (niks) => {
      const rows = new Map((await store.eligibilityByNiks(niks)).map((r) => [r.nik, r]));
      return niks.map((n) => rows.get(n) ?? null);
    }),
    proposal: new DataLoader<string, ProposalView | null>(async (ids) => {
      const rows = new Map((await store.proposalsByIds(ids)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
  };
}
