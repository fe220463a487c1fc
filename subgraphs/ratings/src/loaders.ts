import DataLoader from 'dataloader';
import type { LedgerService } from './modules/tickets/ledger.service';
import type { LedgerTicket } from './modules/ratings/rules';
import type { RatingRecord, RatingsService } from './modules/ratings/ratings.service';
import type { SatisfactionKey, SatisfactionTotals, StarTally, SummaryKind, SummaryService } from './modules/summaries/summary.service';

const byKey = <T, K>(rows: T[], keys: readonly K[], key: (r: T) => K) => {
  const map = new Map(rows.map((r) => [key(r), r]));
  return keys.map((k) => map.get(k) ?? null);
};

/** One set per request: every list-to-entity hop goes through these, one query per type per tick. */
export function createLoaders(services: { ledger: LedgerService; ratings: RatingsService; summaries: SummaryService }) {
  const tally = (kind: SummaryKind) =>
    new DataLoader<string, StarTally>(async (ids) => {
      const tallies = await services.summaries.starTallies(kind, ids);
      return ids.map((id) => tallies.get(id)!);
    });
  return {
    ticket: new DataLoader<string, LedgerTicket | null>(async (ids) => byKey(await services.ledger.byIds(ids), ids, (t) => t.id)),
    ratingOfTicket: new DataLoader<string, RatingRecord | null>(async (ids) => byKey(await services.ratings.byTicketIds(ids), ids, (r) => r.ticketId)),
    agencyTally: tally('agency'),
    serviceTally: tally('service'),
    officerTally: tally('officer'),
    satisfaction: new DataLoader<SatisfactionKey, SatisfactionTotals, string>((keys) => services.summaries.satisfactionTotals(keys), {
      cacheKeyFn: (k) => `${k.agencyId}|${k.year}|${k.month ?? ''}`,
    }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
