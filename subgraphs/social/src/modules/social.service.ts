import { createHmac } from 'node:crypto';
import { badInput, ErrorCode, GerbangError, hasRole, isValidNik, maskNik, recordOfTicket, requireCaller, requireCitizen, requireIdempotencyKey, syncTicketsSoon } from '@gerbang/common';
import type { Caller, Logger, TicketSync } from '@gerbang/common';
import type { EligibilityRow } from '../entities';
import { isProgrammeCode, PROGRAMME_CODES, type ProgrammeCode } from '../ingest/validate';
import type { createLoaders } from './context';
import type { ProposalView, SocialStore } from './store';
import { AGENCY_ID, proposalIdOf } from './tickets';

export interface SocialServiceDeps {
  caller: Caller;
  logger: Logger;
  store: SocialStore;
  loaders: ReturnType<typeof createLoaders>;
  /** Keys the NIK hash of the access log (a plain hash of a 16-digit NIK is easily reversed). */
  accessLogKey: string;
  /** Lets a new proposal reach the ticket ledger now; absent without a ticket feed. */
  sync?: TicketSync | undefined;
}

export interface SubmitAidProposalRequest {
  programme: string;
  reason: string;
  householdId?: string | null | undefined;
  idempotencyKey: string;
}

/** Dinsos PPPA officers and administrators may read another person's eligibility (logged). */
const mayReadOthers = (caller: Caller) => (hasRole(caller, 'officer') && caller.agencyId === AGENCY_ID) || hasRole(caller, 'admin');

function sameOrConflict(p: ProposalView, code: ProgrammeCode, reason: string): ProposalView {
  if (p.programme === code && p.reason === reason) return p;
  throw new GerbangError(ErrorCode.IDEMPOTENCY_CONFLICT, 'This idempotencyKey was already used for a different proposal. Use a new key for a new proposal.');
}

/**
 * The social subgraph's rules, free of GraphQL: whose eligibility is read by whom (and recorded),
 * who may propose what for which household, whose tickets are whose. Built per request; the SQL
 * is the store's.
 */
export class SocialService {
  constructor(private readonly deps: SocialServiceDeps) {}

  /** The caller's own row in the DTSEN register; null when the register does not list them. */
  async myEligibility(): Promise<EligibilityRow | null> {
    const { nik } = requireCaller(this.deps.caller, { roles: ['citizen'], nik: true, forbidden: 'Only citizens have an aid eligibility of their own.' });
    return this.deps.loaders.eligibility.load(nik);
  }

  /** Another person's row, for Dinsos PPPA officers and administrators; recorded (who, which NIK, why) before it is returned. */
  async eligibilityOf(nik: string, purpose: string): Promise<EligibilityRow | null> {
    const { store, logger } = this.deps;
    const caller = requireCaller(this.deps.caller, { when: mayReadOthers, forbidden: "Only Dinsos PPPA officers and administrators may read another person's aid eligibility." });
    const wanted = nik.trim();
    if (!isValidNik(wanted)) throw badInput('nik must be a valid 16-digit Trenggalek NIK.', 'nik');
    const why = purpose.trim().replace(/\s+/g, ' ');
    if (why.length < 10 || why.length > 300) throw badInput('purpose must say why this is read, in 10–300 characters.', 'purpose');
    const row = await this.deps.loaders.eligibility.load(wanted);
    // Recorded before anything is returned: no answer without its record.
    await store.logAccess({
      readerSub: caller.sub,
      readerNip: caller.nip ?? null,
      readerRoles: caller.roles,
      readerAgency: caller.agencyId ?? null,
      nikMasked: maskNik(wanted),
      nikHash: createHmac('sha256', this.deps.accessLogKey).update(wanted).digest('hex'),
      purpose: why,
      found: row !== null,
    });
    logger.info({ audit: 'personal-data-read', who: caller.sub, roles: caller.roles, fields: ['aidEligibility'], records: row ? 1 : 0 }, 'aid eligibility read');
    return row;
  }

  async myProposals(): Promise<ProposalView[]> {
    const { nik } = requireCaller(this.deps.caller, { nik: true, forbidden: 'Only citizens have aid proposals.' });
    return this.deps.store.proposalsOf(nik);
  }

  /**
   * Proposes the caller's household for a programme: the household is the one the register lists
   * the caller in; no proposal for a programme they already receive or have open. A retry with
   * the same key returns the first proposal; the same key for a different proposal is refused.
   */
  async submitProposal(input: SubmitAidProposalRequest): Promise<ProposalView> {
    const { caller, store } = this.deps;
    const citizen = requireCitizen(caller, 'submit aid proposals');
    requireIdempotencyKey(input.idempotencyKey);
    const code = input.programme.trim().toUpperCase();
    if (!isProgrammeCode(code)) throw badInput(`programme must be one of ${PROGRAMME_CODES.join(', ')}.`, 'programme');
    const reason = input.reason.trim().replace(/\s+/g, ' ');
    if (reason.length < 10 || reason.length > 500) throw badInput('reason must explain the need in 10–500 characters.', 'reason');
    const householdInput = input.householdId?.trim() || null;
    if (householdInput && !/^\d{16}$/.test(householdInput)) throw badInput('householdId must be a 16-digit KK number.', 'householdId');
    // Scoped to the citizen so one citizen's key can never collide with another's.
    const clientRef = `${citizen.sub}:${input.idempotencyKey}`.slice(0, 200);

    const mine = await store.proposalsOf(citizen.nik);
    const retry = mine.find((p) => p.clientRef === clientRef);
    if (retry) return sameOrConflict(retry, code, reason);

    const listed = await this.deps.loaders.eligibility.load(citizen.nik);
    if (listed && householdInput && householdInput !== listed.householdId) {
      throw badInput('householdId is not the household the register lists you in.', 'householdId');
    }
    if (listed?.status === 'AKTIF' && listed.programmes.includes(code)) {
      throw badInput(`You already receive ${code} according to the register (periode ${listed.periode}).`, 'programme');
    }
    const open = mine.find((p) => p.programme === code && p.status === 'SUBMITTED');
    if (open) throw badInput(`A proposal for ${code} is already being processed (${open.id}).`, 'programme');

    const { proposal, created } = await store.submitProposal({
      nik: citizen.nik,
      householdId: listed?.householdId ?? householdInput,
      name: (listed?.name ?? caller.name ?? '').toUpperCase(),
      programme: code,
      reason,
      clientRef,
    });
    if (!created) return sameOrConflict(proposal, code, reason);
    syncTicketsSoon(this.deps.sync, this.deps.logger);
    return proposal;
  }

  /** The proposal behind one of Dinsos PPPA's tickets; null for another agency's ticket or none. */
  async proposalOfTicket(ticketId: string): Promise<ProposalView | null> {
    return recordOfTicket(proposalIdOf(ticketId), this.deps.loaders.proposal, (row) => this.deps.caller.nik === row.nik || mayReadOthers(this.deps.caller));
  }
}
