import { badInput, hasRole, maskNik, nikRef, recordOfTicket, requireCaller, requireCitizen, requireIdempotencyKey, syncTicketsSoon } from '@gerbang/common';
import type { Caller, Logger, ReadRecorder, TicketSync } from '@gerbang/common';
import type { DocumentRequestRecord, DocumentType, PopulationRegistry, Resident } from '../adapters/siak/registry';
import type { createLoaders } from './context';
import { AGENCY_ID, requestIdOf } from './tickets';

export interface PopulationServiceDeps {
  caller: Caller;
  logger: Logger;
  registry: PopulationRegistry;
  loaders: ReturnType<typeof createLoaders>;
  /** Records reads of personal data by someone other than its owner, before they are served. */
  reads: ReadRecorder;
  /** Key of the NIK hashes in the access log (ACCESS_LOG_HASH_KEY). */
  nikHashKey: string;
  /** Lets a new request reach the ticket ledger now; absent without a ticket feed. */
  sync?: TicketSync | undefined;
}

/** The caller as the population registry knows them: who they are; the record is loaded per field, on demand. */
export interface CitizenRef {
  id: string;
  lookupNik: string;
}

/** Dispendukcapil officers may see a resident's full NIK (and every such read is recorded). */
const mayReadFullNik = (caller: Caller, nik: string) => caller.nik === nik || (hasRole(caller, 'officer') && caller.agencyId === AGENCY_ID) || hasRole(caller, 'admin');

/** In what capacity someone other than the owner reads a full NIK (kept in the access log). */
const readerCapacity = (caller: Caller) => (hasRole(caller, 'officer') && caller.agencyId === AGENCY_ID ? `officer of ${AGENCY_ID}` : 'admin');

/**
 * The population subgraph's rules, free of GraphQL: who may see a full NIK (and its record in the
 * access log), who has document requests, how a request is checked and filed. Built per request.
 */
export class PopulationService {
  constructor(private readonly deps: PopulationServiceDeps) {}

  /** The signed-in citizen, or null for a signed-in caller without a NIK. */
  me(): CitizenRef | null {
    const caller = requireCaller(this.deps.caller);
    return caller.nik ? { id: caller.sub, lookupNik: caller.nik } : null;
  }

  /** A Citizen reference resolves only for the caller themself: no subgraph can look up another resident. */
  citizenReference(id: string): CitizenRef | null {
    const { caller } = this.deps;
    return id === caller.sub && caller.nik ? { id, lookupNik: caller.nik } : null;
  }

  /** The registry's record of a citizen: one batched SIAK call however many fields and citizens ask. */
  resident(citizen: CitizenRef): Promise<Resident | null> {
    return this.deps.loaders.resident.load(citizen.lookupNik);
  }

  /** The NIK, in full only for its owner, Dispendukcapil officers and admins (recorded before it is served), masked elsewhere. */
  async nik(citizen: CitizenRef): Promise<string> {
    const { caller, reads, nikHashKey } = this.deps;
    if (!mayReadFullNik(caller, citizen.lookupNik)) return maskNik(citizen.lookupNik);
    // Recorded before it is served: no full NIK leaves for someone else without its record.
    if (caller.nik !== citizen.lookupNik) await reads.read('Citizen.nik', nikRef(nikHashKey, citizen.lookupNik), readerCapacity(caller));
    return citizen.lookupNik;
  }

  /** The signed-in citizen's document requests, as SIAK lists them. */
  async myRequests(): Promise<DocumentRequestRecord[]> {
    const { nik } = requireCaller(this.deps.caller, { nik: true, forbidden: 'Only citizens have document requests.' });
    return this.deps.registry.requestsOf(nik);
  }

  /** Files a request for the signed-in citizen; a retry with the same key returns the first request. */
  async requestDocument(input: { type: DocumentType; note?: string | null | undefined; idempotencyKey: string }): Promise<DocumentRequestRecord> {
    const citizen = requireCitizen(this.deps.caller, 'request documents');
    const note = input.note?.trim() || null;
    if (note && note.length > 500) throw badInput('note is limited to 500 characters.', 'note');
    requireIdempotencyKey(input.idempotencyKey);
    const record = await this.deps.registry.createRequest({
      nik: citizen.nik,
      type: input.type,
      note,
      // Scoped to the citizen so one citizen's key can never collide with another's.
      clientRef: `${citizen.sub}:${input.idempotencyKey}`.slice(0, 100),
    });
    syncTicketsSoon(this.deps.sync, this.deps.logger);
    return record;
  }

  /** SIAK's record behind one of Dispendukcapil's tickets; null for another agency's ticket or none. */
  async requestOfTicket(ticketId: string): Promise<DocumentRequestRecord | null> {
    return recordOfTicket(requestIdOf(ticketId), this.deps.loaders.request, (record) => mayReadFullNik(this.deps.caller, record.nik));
  }
}
