import { simLogger, type CallStats } from '@gerbang/simkit';
import { PERMIT_TYPES, type PermitType } from './data.js';
import { isPlausibleNik } from './nik.js';
import { PermitRuleError, type ApplicationChange, type PermitApplication, type PermitStore } from './store.js';
import { formatWib } from './time.js';
import { PERMIT_PORT_NAME, PERMIT_SERVICE_NAME } from './wsdl.js';

export const MAX_STATUS_BATCH = 50;
export const DEFAULT_CHANGES_LIMIT = 100;
export const MAX_CHANGES_LIMIT = 500;

/** Stats route names: one per SOAP operation. */
export const PERMIT_OPERATIONS = {
  SubmitApplication: 'SubmitApplication',
  GetApplicationStatus: 'GetApplicationStatus',
  ListApplicationsByNik: 'ListApplicationsByNik',
  ListChanges: 'ListChanges',
} as const;

/**
 * A fault as SIMPERDA reports it: soap:Client when the request is wrong (do not retry as is),
 * soap:Server when the system failed (retry later). `code` goes into the tns:PermitFault detail.
 */
export class PermitFault extends Error {
  constructor(
    readonly kind: 'Client' | 'Server',
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'PermitFault';
  }
}

/**
 * What node-soap serialises into a SOAP 1.1 fault: an error whose `Fault` it reads. WS-I Basic Profile
 * (R1126) wants HTTP 500 for every fault, client or server; the fault code, not the HTTP status, tells
 * them apart.
 */
export class SoapFaultError extends Error {
  readonly Fault: { faultcode: string; faultstring: string; detail: { 'tns:PermitFault': Record<string, string> }; statusCode: number };
  constructor(fault: PermitFault) {
    super(fault.message);
    this.name = 'SoapFaultError';
    const detail: Record<string, string> = { 'tns:code': fault.code };
    if (fault.field) detail['tns:field'] = fault.field;
    this.Fault = { faultcode: `soap:${fault.kind}`, faultstring: fault.message, detail: { 'tns:PermitFault': detail }, statusCode: 500 };
  }
}

export function toSoapFault(fault: PermitFault): SoapFaultError {
  return new SoapFaultError(fault);
}

type Args = Record<string, unknown>;

function asArgs(args: unknown): Args {
  return args && typeof args === 'object' ? (args as Args) : {};
}

function invalid(field: string, message: string): PermitFault {
  return new PermitFault('Client', 'INVALID_ARGUMENT', message, field);
}

function requiredText(args: Args, field: string, min: number, max: number): string {
  const value = args[field];
  if (typeof value !== 'string' || value.trim().length === 0) throw invalid(field, `${field} is required`);
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) throw invalid(field, `${field} must be ${min} to ${max} characters`);
  return trimmed;
}

function nikArg(args: Args): string {
  const nik = typeof args.nik === 'string' ? args.nik.trim() : args.nik;
  if (typeof nik !== 'string' || nik.length === 0) throw invalid('nik', 'nik is required');
  if (!isPlausibleNik(nik)) throw new PermitFault('Client', 'INVALID_NIK', 'nik is not a valid NIK (16 digits, region, birth date)', 'nik');
  return nik;
}

/** node-soap hands a repeated element over as an array and a single one as a scalar. */
function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function integerArg(args: Args, field: string, fallback?: number): number {
  const raw = args[field];
  if (raw === undefined || raw === '') {
    if (fallback !== undefined) return fallback;
    throw invalid(field, `${field} is required`);
  }
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value)) throw invalid(field, `${field} must be an integer`);
  return value;
}

/**
 * An application as SIMPERDA sends it, on both faces (SOAP and the JSON control plane), in the
 * order of the xs:sequence of tns:Application; absent optional values are null.
 */
export function applicationWire(a: PermitApplication) {
  return {
    applicationNumber: a.applicationNumber,
    nik: a.nik,
    applicantName: a.applicantName,
    permitType: a.permitType,
    description: a.description,
    location: a.location,
    status: a.status,
    submittedAt: formatWib(a.submittedAt),
    completedAt: a.completedAt ? formatWib(a.completedAt) : null,
    officerNip: a.officerNip,
    notes: a.notes,
    updatedAt: formatWib(a.updatedAt),
  };
}

/** The SOAP face: absent optional elements are left out (not sent as empty elements). */
function applicationXml(a: PermitApplication) {
  const w = applicationWire(a);
  return { ...w, completedAt: w.completedAt ?? undefined, officerNip: w.officerNip ?? undefined, notes: w.notes ?? undefined };
}

function changeXml(c: ApplicationChange) {
  return {
    sequence: c.sequence,
    changedAt: formatWib(c.changedAt),
    changeType: c.changeType,
    previousStatus: c.previousStatus ?? undefined,
    application: applicationXml(c.application),
  };
}

const CLIENT_REFERENCE = /^[A-Za-z0-9._:-]{1,64}$/;

export interface PermitServiceDeps {
  store: PermitStore;
  stats: CallStats;
  /** false while the simulated database is down: every operation then answers a soap:Server fault. */
  databaseAvailable: () => boolean;
}

/** The `services` object node-soap dispatches to: service → port → operation. */
export function createPermitServices({ store, stats, databaseAvailable }: PermitServiceDeps) {
  const operation =
    (name: string, run: (args: Args) => { items: number; result: unknown }) =>
    async (args: unknown): Promise<unknown> => {
      try {
        if (!databaseAvailable()) throw new PermitFault('Server', 'DATABASE_UNAVAILABLE', 'The permit database is not reachable; try again later');
        const { items, result } = run(asArgs(args));
        stats.record(name, items);
        return result;
      } catch (err) {
        // A refused call still reached the system: it is counted, with no items.
        stats.record(name, 0);
        if (err instanceof PermitFault) throw toSoapFault(err);
        if (err instanceof PermitRuleError) throw toSoapFault(new PermitFault('Client', err.code, err.message));
        simLogger('permit-soap').error({ operation: name, err: String(err) }, 'permit-soap: operation failed');
        throw toSoapFault(new PermitFault('Server', 'INTERNAL_ERROR', 'Internal error in the permit system'));
      }
    };

  const SubmitApplication = operation(PERMIT_OPERATIONS.SubmitApplication, (args) => {
    const nik = nikArg(args);
    const applicantName = requiredText(args, 'applicantName', 3, 100);
    const permitType = args.permitType;
    if (typeof permitType !== 'string' || !(PERMIT_TYPES as readonly string[]).includes(permitType)) {
      throw invalid('permitType', `permitType must be one of ${PERMIT_TYPES.join(', ')}`);
    }
    const description = requiredText(args, 'description', 10, 1000);
    const location = requiredText(args, 'location', 5, 300);
    const clientReference = typeof args.clientReference === 'string' ? args.clientReference.trim() : '';
    if (!CLIENT_REFERENCE.test(clientReference)) {
      throw invalid('clientReference', 'clientReference is required: 1 to 64 letters, digits or . _ : -');
    }
    const { application } = store.submit({ nik, applicantName, permitType: permitType as PermitType, description, location, clientReference });
    return {
      items: 1,
      result: { applicationNumber: application.applicationNumber, status: application.status, submittedAt: formatWib(application.submittedAt) },
    };
  });

  const GetApplicationStatus = operation(PERMIT_OPERATIONS.GetApplicationStatus, (args) => {
    const asked = asList(args.applicationNumber);
    if (asked.length === 0) throw invalid('applicationNumber', 'at least one applicationNumber is required');
    if (asked.some((n) => typeof n !== 'string' || n.trim().length === 0)) throw invalid('applicationNumber', 'applicationNumber must not be empty');
    const numbers = [...new Set((asked as string[]).map((n) => n.trim()))];
    if (numbers.length > MAX_STATUS_BATCH) {
      throw new PermitFault('Client', 'BATCH_TOO_LARGE', `at most ${MAX_STATUS_BATCH} applicationNumber per call`, 'applicationNumber');
    }
    const application: ReturnType<typeof applicationXml>[] = [];
    const unknownApplicationNumber: string[] = [];
    for (const number of numbers) {
      const found = store.get(number);
      if (found) application.push(applicationXml(found));
      else unknownApplicationNumber.push(number);
    }
    return { items: numbers.length, result: { application, unknownApplicationNumber } };
  });

  const ListApplicationsByNik = operation(PERMIT_OPERATIONS.ListApplicationsByNik, (args) => {
    const nik = nikArg(args);
    return { items: 1, result: { application: store.listByNik(nik).map(applicationXml) } };
  });

  const ListChanges = operation(PERMIT_OPERATIONS.ListChanges, (args) => {
    const sinceSequence = integerArg(args, 'sinceSequence');
    if (sinceSequence < 0) throw invalid('sinceSequence', 'sinceSequence must be 0 or more');
    const limit = integerArg(args, 'limit', DEFAULT_CHANGES_LIMIT);
    if (limit < 1 || limit > MAX_CHANGES_LIMIT) throw invalid('limit', `limit must be 1 to ${MAX_CHANGES_LIMIT}`);
    const page = store.changesSince(sinceSequence, limit);
    return { items: 1, result: { change: page.changes.map(changeXml), lastSequence: page.lastSequence, hasMore: page.hasMore } };
  });

  return {
    [PERMIT_SERVICE_NAME]: {
      [PERMIT_PORT_NAME]: { SubmitApplication, GetApplicationStatus, ListApplicationsByNik, ListChanges },
    },
  };
}
