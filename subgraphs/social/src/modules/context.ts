import DataLoader from 'dataloader';
import type { Caller, Logger } from '@gerbang/common';
import type { EligibilityRow } from '../entities';
import type { ProposalView, SocialStore } from './store';

export interface SocialContext {
  requestId: string;
  caller: Caller;
  logger: Logger;
  store: SocialStore;
  loaders: ReturnType<typeof createLoaders>;
  /** Keys the NIK hash of the access log (a plain hash of a 16-digit NIK is easily reversed). */
  accessLogKey: string;
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
