import type http from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { InternalAuthError, OUTAGE_RETRY_AFTER_SECONDS, outageReason, readBody, sendJson, TICKET_FEED_AUDIENCE, type Logger, type RequestVerifier, type Route } from '@gerbang/common';
import { Sql } from '@gerbang/common';
import { claimedAgency, validateBatch } from './feed';
import type { EventBus } from '@gerbang/common/events';
import { LedgerService } from './ledger.service';
import type { FeedKeyStore } from './feed-keys';
import { publishTicketChanges, type TicketChange } from './live';

const MAX_BODY = 2_000_000;

/**
 * `POST /internal/ticket-events`: the ledger side of the ticket feed. The batch must be signed with
 * the feed key of the agency it claims to come from (401 otherwise), every ticket must carry that
 * agency's prefix and valid facts (400 with the reasons otherwise); then it is upserted, newer
 * versions winning. Answers `{ accepted, applied }`.
 */
export function ticketFeedRoute(options: {
  orm: MikroORM;
  verifiers: Map<string, RequestVerifier>;
  /** Keys issued to agencies not named in TICKET_FEED_KEYS (feed-keys.ts). */
  issued?: FeedKeyStore;
  pepper: string;
  logger: Logger;
  now: () => Date;
  events?: EventBus;
  notifyWithinDays?: number;
}): Route {
  const { logger } = options;
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' }, { allow: 'POST' });
    const body = await readBody(req, MAX_BODY);
    let raw: unknown;
    try {
      raw = JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, 400, { error: 'invalid batch', reasons: ['body is not JSON'] });
    }
    const agencyId = claimedAgency(raw);
    // A configured key first; else the keys issued to the agency (none: an unknown publisher).
    const verifier = agencyId ? (options.verifiers.get(agencyId) ?? (await options.issued?.verifierFor(new Sql(options.orm.em.fork()), agencyId))) : undefined;
    if (!agencyId || !verifier) {
      logger.warn({ agencyId, remote: req.socket.remoteAddress }, 'ticket feed from an unknown agency refused');
      return sendJson(res, 401, { error: 'unknown publisher' });
    }
    try {
      const caller = await verifier.verify(req.headers, body, TICKET_FEED_AUDIENCE);
      if (caller.agencyId !== agencyId) throw new InternalAuthError('forged');
    } catch (err) {
      if (!(err instanceof InternalAuthError)) throw err;
      logger.warn({ agencyId, reason: err.reason, remote: req.socket.remoteAddress }, 'ticket feed signature refused');
      return sendJson(res, 401, { error: 'bad signature', reason: err.reason });
    }
    const batch = validateBatch(raw);
    if (!batch.ok) {
      logger.warn({ agencyId, reasons: batch.reasons }, 'ticket feed batch refused');
      return sendJson(res, 400, { error: 'invalid batch', reasons: batch.reasons });
    }
    const ledger = new LedgerService(new Sql(options.orm.em.fork()), options.pepper, options.notifyWithinDays);
    let applied: number;
    let changes: TicketChange[];
    try {
      ({ applied, changes } = await ledger.apply(agencyId, batch.events, options.now()));
    } catch (err) {
      // The ledger's database is down: the publisher keeps its cursor and sends the batch again.
      const reason = outageReason(err);
      if (!reason) throw err;
      logger.warn({ agencyId, reason }, 'ticket feed batch not applied: dependency unavailable');
      return sendJson(res, 503, { error: 'ledger unavailable', reason, retryAfter: OUTAGE_RETRY_AFTER_SECONDS }, { 'retry-after': String(OUTAGE_RETRY_AFTER_SECONDS) });
    }
    // Committed: each change goes out once on the event bus (live ticket status, live.ts), without
    // holding the publisher's answer (a batch of a thousand must not wait for a thousand publishes).
    void publishTicketChanges(options.events, changes, logger);
    const accepted = (raw as { events: unknown[] }).events.length;
    // Every agency's sync, every few seconds: routine, so debug; refusals above are warnings.
    logger.debug({ agencyId, accepted, applied }, 'ticket feed batch applied');
    return sendJson(res, 200, { accepted, applied });
  };
}
