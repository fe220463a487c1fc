import { createHash } from 'node:crypto';
import {
  badInput,
  ErrorCode,
  forbidden,
  GerbangError,
  hasRole,
  recordOfTicket,
  requireCaller,
  requireCitizen,
  requireIdempotencyKey,
  syncTicketsSoon,
  UpstreamRejectedError,
  type Caller,
  type Logger,
  type TicketSync,
} from '@gerbang/common';
import type { BusinessDetailsRecord, BusinessRecord, LicenceRecord } from '../adapters/oss/registry';
import type { NewPermitApplication, PermitApplicationRecord } from '../adapters/permit-soap/registry';
import type { createLoaders, LicensingRegistries } from './context';
import { AGENCY_ID, applicationNumberOf } from './tickets';

export interface LicensingServiceDeps {
  caller: Caller;
  logger: Logger;
  registries: LicensingRegistries;
  loaders: ReturnType<typeof createLoaders>;
  /** Lets a new application reach the ticket ledger now; absent without a ticket feed. */
  sync?: TicketSync | undefined;
}

export interface ApplyForPermitRequest {
  permitType: NewPermitApplication['permitType'];
  description: string;
  location: string;
  idempotencyKey: string;
}

/** The applicant, DPMPTSP officers and administrators may see a permit application. */
const mayReadApplication = (caller: Caller, nik: string) => caller.nik === nik || (hasRole(caller, 'officer') && caller.agencyId === AGENCY_ID) || hasRole(caller, 'admin');

/** SIMPERDA's clientReference is 1–64 of [A-Za-z0-9._:-]: the scoped key as is when it fits, else its hash. */
export function clientReferenceOf(sub: string, idempotencyKey: string): string {
  const scoped = `${sub}:${idempotencyKey}`;
  if (/^[A-Za-z0-9._:-]{1,64}$/.test(scoped)) return scoped;
  return `hub:${createHash('sha256').update(scoped).digest('base64url')}`;
}

function lengthBetween(value: string, field: string, min: number, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) throw badInput(`${field} must be ${min} to ${max} characters.`, field);
  return trimmed;
}

/**
 * The licensing subgraph's rules, free of GraphQL: whose businesses and applications are listed,
 * how an application is checked and filed at SIMPERDA, who may see one. Built per request.
 */
export class LicensingService {
  constructor(private readonly deps: LicensingServiceDeps) {}

  private citizenNik(what: string): string {
    return requireCaller(this.deps.caller, { nik: true, forbidden: `Only citizens have ${what}.` }).nik;
  }

  async myBusinesses(): Promise<BusinessRecord[]> {
    return this.deps.registries.oss.businessesOf(this.citizenNik('businesses'));
  }

  /** The full NIB record (its address); one batched OSS call per tick. */
  businessDetails(nib: string): Promise<BusinessDetailsRecord | null> {
    return this.deps.loaders.business.load(nib);
  }

  licencesOf(nib: string): Promise<LicenceRecord[]> {
    return this.deps.loaders.licences.load(nib);
  }

  async myApplications(): Promise<PermitApplicationRecord[]> {
    return this.deps.registries.permits.applicationsOf(this.citizenNik('permit applications'));
  }

  /**
   * Files an application for the signed-in citizen; a retry with the same key returns the first
   * application. Returns the live record (a retry may find it already moved on), else what was filed.
   */
  async applyForPermit(input: ApplyForPermitRequest): Promise<PermitApplicationRecord> {
    const { caller } = this.deps;
    const citizen = requireCitizen(caller, 'apply for permits');
    const description = lengthBetween(input.description, 'description', 10, 1000);
    const location = lengthBetween(input.location, 'location', 5, 300);
    requireIdempotencyKey(input.idempotencyKey);
    // The applicant is whoever signed in: name and NIK come from the verified caller, never from input.
    const applicantName = caller.name?.trim() ?? '';
    if (applicantName.length < 3 || applicantName.length > 100) throw forbidden('Your sign-in carries no usable name to file the application under.');

    let filed: Awaited<ReturnType<LicensingRegistries['permits']['submit']>>;
    try {
      filed = await this.deps.registries.permits.submit({
        nik: citizen.nik,
        applicantName,
        permitType: input.permitType,
        description,
        location,
        // Scoped to the citizen so one citizen's key can never collide with another's.
        clientReference: clientReferenceOf(citizen.sub, input.idempotencyKey),
      });
    } catch (err) {
      if (err instanceof UpstreamRejectedError && err.upstreamCode === 'CLIENT_REFERENCE_CONFLICT') {
        throw new GerbangError(ErrorCode.IDEMPOTENCY_CONFLICT, 'This idempotencyKey was already used for a different application.', { field: 'idempotencyKey' });
      }
      throw err;
    }
    syncTicketsSoon(this.deps.sync, this.deps.logger);
    const live = await this.deps.loaders.application.load(filed.number).catch(() => null);
    return (
      live ?? {
        number: filed.number,
        nik: citizen.nik,
        applicantName,
        permitType: input.permitType,
        description,
        location,
        status: filed.status,
        submittedAt: filed.submittedAt,
        completedAt: null,
        officerNip: null,
        notes: null,
        updatedAt: filed.submittedAt,
      }
    );
  }

  /** SIMPERDA's record behind one of DPMPTSP's tickets; null for another agency's ticket or none. */
  async applicationOfTicket(ticketId: string): Promise<PermitApplicationRecord | null> {
    const { caller, logger } = this.deps;
    const record = await recordOfTicket(applicationNumberOf(ticketId), this.deps.loaders.application, (r) => mayReadApplication(caller, r.nik));
    if (record && caller.nik !== record.nik) {
      logger.info(
        { audit: 'personal-data-read', who: caller.sub, roles: caller.roles, fields: ['applicantName', 'location', 'description'], records: 1, ticket: ticketId },
        'permit application read by staff',
      );
    }
    return record;
  }
}
