import type { Caller, Logger } from '@gerbang/common';
import type { RatingsConfig } from './config';
import type { Loaders } from './loaders';
import type { Sql } from '@gerbang/common';
import type { LedgerService } from './modules/tickets/ledger.service';
import type { FeedKeyStore } from './modules/tickets/feed-keys';
import type { ClientRefs, RatingsService } from './modules/ratings/ratings.service';
import type { Employment, Rater } from './modules/ratings/rules';
import type { SummaryService } from './modules/summaries/summary.service';
import type { TppService } from './modules/tpp/tpp.service';
import type { ModerationService } from './modules/moderation/moderation.service';
import type { Person } from './modules/tpp/staff-directory';

/** Everything one request needs; built fresh per request (forked EntityManager, loaders, clock). */
export interface RatingsContext {
  requestId: string;
  caller: Caller;
  logger: Logger;
  /** The request's "now": every rule in one request sees the same instant. */
  now: Date;
  config: RatingsConfig;
  /** The caller as the rating rules see them (citizen reference = keyed hash of the NIK). */
  rater: Rater;
  /** Where BKPSDM's register says the caller works; asked at most once per request, and only when called. */
  employment: () => Promise<Employment>;
  /** Who the register is asked about (NIK, and NIP for a staff token); null without a NIK. */
  person: Person | null;
  client: ClientRefs;
  db: Sql;
  ledger: LedgerService;
  /** Ticket feed keys issued to agencies (modules/tickets/feed-keys.ts). */
  feedKeys: FeedKeyStore;
  ratings: RatingsService;
  summaries: SummaryService;
  tpp: TppService;
  moderation: ModerationService;
  loaders: Loaders;
}
